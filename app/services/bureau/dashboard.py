"""The 审核总览: one row per unit and year, read with a handful of queries (no validation).

Counts and assessment come from the latest received version (recorded at intake); a document
never taken in through the intake has none and shows blanks there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, select

from app.models import DocumentVersion, Opinion, ReviewState
from app.models.review import STATUS_NEW
from app.services.storage.documents import list_documents
from app.services.storage.store import Store


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One unit and year as the dashboard and the 汇总 units sheet show it."""

    document_id: int
    unit_code: str
    unit_name: str
    year: int
    projects: int
    budget_total: Decimal
    errors: int | None
    warnings: int | None
    hints: int | None
    assessment: str | None
    status: str
    version: int | None
    received_at: datetime | None
    opinions: int
    open_opinions: int  # not yet marked 已处理


def dashboard_rows(store: Store, year: int | None = None) -> list[DashboardRow]:
    """Every document (or one year's), by year then unit code."""
    docs = [d for d in list_documents(store) if year is None or d.year == year]
    with store.read_session() as sess:
        latest = (
            select(DocumentVersion.document_id, func.max(DocumentVersion.number).label("n"))
            .group_by(DocumentVersion.document_id).subquery()
        )
        versions = {
            r[0]: r[1:] for r in sess.execute(
                select(DocumentVersion.document_id, DocumentVersion.number,
                       DocumentVersion.received_at, DocumentVersion.errors,
                       DocumentVersion.warnings, DocumentVersion.hints, DocumentVersion.assessment)
                .join(latest, (latest.c.document_id == DocumentVersion.document_id)
                      & (latest.c.n == DocumentVersion.number))
            )
        }
        states: dict[int, str] = {i: s for i, s in sess.execute(select(ReviewState.document_id, ReviewState.status))}
        opinions: dict[int, tuple[int, int]] = {
            doc_id: (total, total - (done or 0)) for doc_id, total, done in sess.execute(
                # CASE, not SUM(boolean): PostgreSQL has no sum over booleans.
                select(Opinion.document_id, func.count(), func.sum(case((Opinion.resolved, 1), else_=0)))
                .group_by(Opinion.document_id)
            )
        }
    rows = []
    for d in docs:
        number, received, errors, warnings, hints, grade = versions.get(d.id, (None,) * 6)
        total, open_ = opinions.get(d.id, (0, 0))
        rows.append(DashboardRow(
            d.id, d.unit_code, d.unit_name, d.year, d.projects, d.budget_total, errors, warnings,
            hints, grade, states.get(d.id, STATUS_NEW), number, received, total, open_,
        ))
    return rows
