"""Received versions of a unit's document: recorded on import, listed, loaded for comparison.

Each import that brings a unit/year in whole (a first submission, or a resubmission taken as
a new version) records a :class:`DocumentVersion`: the native JSON of the document as stored
after the import, and the counts of its findings, so the dashboard reads counts without
validating 100 documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import Document, DocumentVersion, ReviewState, Unit
from app.services.errors import InputError
from app.services.formats.json_format import document_from_dict, document_to_dict
from app.services.storage.store import Store

_VERSION_COLUMNS = ("number", "received_at", "source", "content", "errors", "warnings", "hints", "assessment")
_STATE_COLUMNS = ("status", "reviewed_version", "updated_at")


@dataclass(frozen=True, slots=True)
class VersionCounts:
    """Unwaived findings of a document by severity, and its assessment 优/良/中/差."""

    errors: int
    warnings: int
    hints: int
    assessment: str


def count_findings(doc: Document) -> VersionCounts:
    """Validate ``doc`` (stored or transient) and count its findings."""
    from app.services.validation import check_documents

    review = check_documents([doc]).reviews[0]
    c = review.counts
    return VersionCounts(c.error, c.warning, c.hint, review.assessment)


def record_version(sess: Session, doc: Document, source: str = "",
                   counts: VersionCounts | None = None) -> DocumentVersion:
    """Add the next version of the (flushed) document ``doc`` as it now stands."""
    number = (sess.scalar(
        select(func.max(DocumentVersion.number)).where(DocumentVersion.document_id == doc.id)
    ) or 0) + 1
    counts = counts or count_findings(doc)
    version = DocumentVersion(
        document_id=doc.id, number=number, received_at=datetime.now(), source=source,
        content=json.dumps(document_to_dict(doc), ensure_ascii=False),
        errors=counts.errors, warnings=counts.warnings, hints=counts.hints,
        assessment=counts.assessment,
    )
    sess.add(version)
    return version


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One version as listed (without its content)."""

    number: int
    received_at: datetime
    source: str | None
    errors: int
    warnings: int
    hints: int
    assessment: str | None


def find_document_id(store: Store, unit_code: str, year: int) -> int | None:
    """The id of the stored document of a unit and year, or None."""
    with store.read_session() as sess:
        return sess.scalar(
            select(Document.id).join(Document.unit).where(Unit.code == unit_code, Document.year == year)
        )


def list_versions(store: Store, doc_id: int) -> list[VersionInfo]:
    """The versions of a document, oldest first."""
    with store.read_session() as sess:
        rows = sess.execute(
            select(DocumentVersion.number, DocumentVersion.received_at, DocumentVersion.source,
                   DocumentVersion.errors, DocumentVersion.warnings, DocumentVersion.hints,
                   DocumentVersion.assessment)
            .where(DocumentVersion.document_id == doc_id).order_by(DocumentVersion.number)
        ).all()
    return [VersionInfo(*r) for r in rows]


def load_version(store: Store, unit_code: str, year: int, number: int | None = None) -> Document:
    """A version of a unit's document as a transient document (None: the latest version).

    Raises:
        InputError: no such unit/year or version (one Chinese line).
    """
    doc_id = find_document_id(store, unit_code, year)
    if doc_id is None:
        raise InputError(f"数据库中没有单位{unit_code}的{year}年度文档")
    return load_version_of(store, doc_id, number, f"单位{unit_code}的{year}年度文档")


def load_version_of(store: Store, doc_id: int, number: int | None = None, what_doc: str = "该文档") -> Document:
    """A version of the stored document ``doc_id`` as a transient document (None: latest).

    Raises:
        InputError: no such version.
    """
    with store.read_session() as sess:
        query = select(DocumentVersion.content).where(DocumentVersion.document_id == doc_id)
        if number is None:
            query = query.order_by(DocumentVersion.number.desc()).limit(1)
        else:
            query = query.where(DocumentVersion.number == number)
        content = sess.scalar(query)
    if content is None:
        what = f"第{number}版" if number is not None else "任何收到的版本"
        raise InputError(f"{what_doc}没有{what}")
    return document_from_dict(json.loads(content))


def bureau_records(store: Store, doc_id: int) -> dict[str, Any] | None:
    """What the bureau keeps about a document beside its content (received versions and the
    review status), as plain values; None when it has neither.

    Deleting a document takes these with it (foreign-key cascade): an undo that stores the
    document again puts them back with :func:`restore_bureau_records`.
    """
    with store.read_session() as sess:
        versions = [
            {c: getattr(v, c) for c in _VERSION_COLUMNS}
            for v in sess.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc_id)
                                  .order_by(DocumentVersion.number))
        ]
        state = sess.get(ReviewState, doc_id)
        review = None if state is None else {c: getattr(state, c) for c in _STATE_COLUMNS}
    if not versions and review is None:
        return None
    return {"versions": versions, "review": review}


def restore_bureau_records(store: Store, doc_id: int, records: dict[str, Any] | None) -> None:
    """Make ``doc_id``'s versions and review status exactly ``records`` (None: none)."""
    records = records or {"versions": [], "review": None}
    with store.session() as sess:
        sess.execute(delete(DocumentVersion).where(DocumentVersion.document_id == doc_id))
        sess.execute(delete(ReviewState).where(ReviewState.document_id == doc_id))
        for v in records["versions"]:
            sess.add(DocumentVersion(document_id=doc_id, **v))
        if records["review"] is not None:
            sess.add(ReviewState(document_id=doc_id, **records["review"]))
