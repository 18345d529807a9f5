"""Comparing documents read from different files."""

from __future__ import annotations

from typing import Any

from app.models import Document
from app.models.values import is_blank
from app.services.formats.json_format import document_to_dict


def records(doc: Document, blank_as_none: bool = False) -> dict[str, Any]:
    """The document's JSON form; with ``blank_as_none`` a blank cell (" ") counts as empty.

    A workbook cannot tell a cell holding one space from an empty cell once Excel has
    saved it, so docx/xlsx comparisons use ``blank_as_none=True``.
    """
    data = document_to_dict(doc)
    data.pop("waivers", None)
    if blank_as_none:
        data = _blank(data)
    return data


def _blank(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank(v) for v in value]
    if isinstance(value, str) and is_blank(value):
        return None
    return value
