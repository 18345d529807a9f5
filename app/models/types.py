"""Column types shared by the data model."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class DecimalText(TypeDecorator[Decimal]):
    """An exact Decimal stored as its canonical text.

    SQLite has no decimal type: SQLAlchemy's ``Numeric`` goes through a float on the way in
    and warns about it. Text keeps every digit, including trailing zeros (``20.00``), so a
    value written back to a document looks exactly as it was read.
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money and percentages must be Decimal, never float")
        return str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - only a hand-edited database gets here
            return None
