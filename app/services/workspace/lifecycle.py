"""Deleting a unit's document (and the unit when it has no other year), undoably.

The window's undo commands keep what :func:`delete_document` returns and give it back to
:func:`restore_document`. When the open (detached) document graph is passed too and all of
its ids are still free, the rows come back with their old ids, so undo commands further
down the stack that hold those objects keep working; otherwise the document is stored
again from its JSON snapshot with new ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.models import Document, Execution, Indicator, Measure, Project, SubGoal, Unit, Waiver
from app.services.errors import PerfGoalsError
from app.services.formats.importing import commit_documents
from app.services.formats.json_format import document_from_dict, document_to_dict
from app.services.storage.documents import load_document
from app.services.storage.store import Store


@dataclass(frozen=True, slots=True)
class DeletedDocument:
    """What undo needs: the document as JSON data, its old id, whether its unit went too."""

    doc_id: int
    data: dict[str, Any]
    unit_removed: bool
    label: str


def delete_document(store: Store, doc_id: int) -> DeletedDocument:
    """Delete a document with its projects, indicators and waivers.

    The unit is deleted too when it has no document of another year left (a unit created
    by 新建单位 and undone leaves nothing behind).

    Raises:
        PerfGoalsError: no such document.
    """
    snapshot = load_document(store, doc_id)
    data = document_to_dict(snapshot)
    label = f"{snapshot.unit.code} {snapshot.unit.name} {snapshot.year}年度"
    with store.session() as sess:
        doc = sess.get(Document, doc_id)
        if doc is None:
            raise PerfGoalsError(f"数据库中没有编号为{doc_id}的文档")
        unit = doc.unit
        sess.delete(doc)
        sess.flush()
        others = sess.scalar(select(func.count()).select_from(Document).where(Document.unit_id == unit.id))
        unit_removed = not others
        if unit_removed:
            sess.delete(unit)
    return DeletedDocument(doc_id, data, unit_removed, label)


def _ids(doc: Document) -> dict[type[Any], set[int]]:
    out: dict[type[Any], set[int]] = {Document: {doc.id}, SubGoal: set(), Measure: set(), Project: set(),
                                 Indicator: set(), Execution: set(), Waiver: set()}
    out[SubGoal] |= {s.id for s in doc.subgoals}
    out[Measure] |= {m.id for m in doc.measures}
    for p in doc.projects:
        out[Project].add(p.id)
        out[Indicator] |= {i.id for i in p.indicators}
        out[Execution] |= {e.id for e in p.executions}
    out[Waiver] |= {w.id for w in doc.waivers}
    return out


def _ids_free(sess: Any, doc: Document) -> bool:
    for cls, ids in _ids(doc).items():
        if None in ids:
            return False
        if ids and sess.scalars(select(cls.id).where(cls.id.in_(ids)).limit(1)).first() is not None:
            return False
    return True


def restore_document(store: Store, deleted: DeletedDocument, detached: Document | None = None) -> int:
    """Store a deleted document again; return its id (the old one when it could be kept).

    Args:
        deleted: what :func:`delete_document` returned.
        detached: the open document graph it was deleted from, to keep ids stable.
    """
    # A unit whose documents were loaded would be merged with only this one: never that.
    if detached is not None and "documents" not in detached.unit.__dict__:
        with store.session() as sess:
            unit = sess.get(Unit, detached.unit.id)
            if deleted.unit_removed:
                unit_ok = unit is None and sess.scalars(
                    select(Unit.id).where(Unit.code == detached.unit.code)).first() is None
            else:
                unit_ok = unit is not None and unit.code == detached.unit.code
            if unit_ok and _ids_free(sess, detached):
                sess.merge(detached)  # the same rows with the same ids (merge cascades the graph)
                return detached.id
    doc = document_from_dict(deleted.data)
    result = commit_documents(store, [doc], backup=False)
    return result.document_ids[0]
