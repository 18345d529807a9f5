"""Reading documents out of the database, whole, as detached object graphs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from app.models import Document, Project, Unit
from app.services.errors import PerfGoalsError
from app.services.storage.store import Store


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One line of the list of documents in a database."""

    id: int
    unit_code: str
    unit_name: str
    year: int
    projects: int
    budget_total: Decimal


def list_documents(store: Store) -> list[DocumentSummary]:
    """Every document in the database, by year then unit code (without loading them)."""
    with store.read_session() as sess:
        rows = sess.execute(
            select(Document.id, Unit.code, Unit.name, Document.year)
            .join(Document.unit)
            .order_by(Document.year, Unit.code)
        ).all()
        counts: dict[int, int] = {}
        totals: dict[int, Decimal] = {}
        # Summed in Python: SQLite's SUM would go through floats.
        for doc_id, total in sess.execute(select(Project.document_id, Project.budget_total)):
            counts[doc_id] = counts.get(doc_id, 0) + 1
            totals[doc_id] = totals.get(doc_id, Decimal(0)) + (total or Decimal(0))
        return [
            DocumentSummary(i, code, name, year, counts.get(i, 0), totals.get(i, Decimal(0)))
            for i, code, name, year in rows
        ]


def load_document(store: Store, doc_id: int) -> Document:
    """The whole document ``doc_id`` (part 1, projects, indicators, waivers), detached."""
    with store.read_session() as sess:
        doc = sess.get(Document, doc_id)
        if doc is None:
            raise PerfGoalsError(f"数据库中没有编号为{doc_id}的文档")
        _touch(doc)
        return doc


def load_documents(
    store: Store, unit_code: str | None = None, year: int | None = None
) -> list[Document]:
    """Whole documents, optionally only one unit and/or one year."""
    with store.read_session() as sess:
        query = select(Document).join(Document.unit).order_by(Document.year, Unit.code)
        if unit_code is not None:
            query = query.where(Unit.code == unit_code)
        if year is not None:
            query = query.where(Document.year == year)
        docs = list(sess.scalars(query).all())
        for d in docs:
            _touch(d)
        return docs


def _touch(doc: Document) -> None:
    """Load every relationship while the session is open (they are selectin, this is cheap)."""
    _ = doc.unit.code
    for w in doc.waivers:
        _ = w.project, w.indicator
    # Detached code walks from a row up to its document: set the many-to-one back-references
    # to the parents at hand (reading them would run a lazy loader per row, only to find
    # the same parent in the identity map — a fifth of the load of a 600-row document).
    for sub in doc.subgoals:
        set_committed_value(sub, "document", doc)
    for measure in doc.measures:
        set_committed_value(measure, "document", doc)
    for p in doc.projects:
        set_committed_value(p, "document", doc)
        for ind in p.indicators:
            set_committed_value(ind, "project", p)
        for e in p.executions:
            set_committed_value(e, "project", p)


def create_document(store: Store, unit_code: str, unit_name: str, year: int) -> int:
    """Create an empty document for a unit (created too if new) and year; return its id.

    Raises:
        PerfGoalsError: the unit already has a document for that year, or the input is empty.
    """
    unit_code = unit_code.strip()
    if not unit_code:
        raise PerfGoalsError("单位编码不能为空")
    with store.session() as sess:
        unit = sess.scalars(select(Unit).where(Unit.code == unit_code)).first()
        if unit is None:
            unit = Unit(code=unit_code, name=unit_name.strip())
            sess.add(unit)
        elif any(d.year == year for d in unit.documents):
            raise PerfGoalsError(f"单位{unit_code}已有{year}年度的绩效目标")
        doc = Document(unit=unit, year=year, unit_line=f"{unit_code}{unit.name}")
        sess.add(doc)
        sess.flush()
        return doc.id
