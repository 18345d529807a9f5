"""Edits of a stored document, each committed at once in its own transaction.

The window keeps a detached object graph of the open document (for display and live
validation). Every function here changes the database and then the same detached objects,
so the two never disagree and nothing waits for a "save". Each function returns what its
undo needs (the old value, a snapshot of removed rows), so QUndoCommands stay thin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from app.models import Document, Indicator, Measure, Project, SubGoal, Waiver
from app.models.clone import clone_project, copy_columns
from app.models.document import Base
from app.services.storage.conflicts import EditConflictError, check_unchanged, lock_row, row_gone
from app.services.storage.store import Store

# Parent class -> child relationship names that hold ordered rows.
CHILD_LISTS: dict[type[Base], tuple[str, ...]] = {
    Document: ("projects", "subgoals", "measures"),
    Project: ("indicators",),
}
# A stored or detached row of any of those classes. The functions below reach its fields and
# child lists by name (``rel``), so the type checker cannot follow them: Any, deliberately.
Row = Any

_CHILD_CLASS: dict[str, type[Base]] = {
    "projects": Project, "subgoals": SubGoal, "measures": Measure, "indicators": Indicator,
}
# Parsed columns are derived from raw text; editing them directly would break the invariant.
_DERIVED = {
    "budget_total", "budget_fiscal", "budget_other", "plan_mar", "plan_jun", "plan_oct",
    "plan_dec", "value_kind", "comparator", "number", "unit",
}


def _check_field(obj: Row, field: str) -> None:
    if field in _DERIVED or field in ("id", "document_id", "project_id", "unit_id"):
        raise ValueError(f"{field} cannot be edited directly")
    if field not in obj.__table__.columns:
        raise ValueError(f"{type(obj).__name__} has no field {field}")


def _document_id(db_obj: Row, sess: Any = None) -> int | None:
    """The document of an object attached to the current session."""
    if isinstance(db_obj, Document):
        return db_obj.id
    if isinstance(db_obj, Indicator):
        # A column lookup: loading the project would pull in all its indicators (selectin).
        if sess is not None:
            doc_id: int | None = sess.scalar(select(Project.document_id).where(Project.id == db_obj.project_id))
            return doc_id
        return db_obj.project.document_id
    return getattr(db_obj, "document_id", None)


def _touch_document(sess: Any, doc_id: int | None) -> None:
    # An UPDATE statement, not sess.get(Document): that would load the whole document graph
    # (its relationships are selectin) on every keystroke-sized edit.
    if doc_id is not None:
        sess.execute(update(Document).where(Document.id == doc_id).values(updated_at=datetime.now()))


def set_fields(store: Store, changes: Sequence[tuple[Row, str, Any]]) -> list[Any]:
    """Set several fields in one transaction (a paste is one step); return the old values.

    Args:
        store: the open database.
        changes: (detached object, field name, new value) triples.
    """
    for obj, field, _value in changes:
        _check_field(obj, field)
    olds = [getattr(obj, field) for obj, field, _ in changes]
    with store.session() as sess:
        doc_ids = set()
        # What this transaction already wrote (a paste may set one cell twice).
        written: dict[tuple[type, int, str], Any] = {}
        for (obj, field, value), old in zip(changes, olds, strict=True):
            db_obj = lock_row(sess, type(obj), obj.id)
            if db_obj is None:
                raise row_gone(obj)
            key = (type(obj), obj.id, field)
            # Another writer may have changed the field since this window loaded it.
            check_unchanged(sess, db_obj, field, written.get(key, old), value)
            setattr(db_obj, field, value)
            written[key] = value
            doc_ids.add(_document_id(db_obj, sess))
        for doc_id in doc_ids:
            _touch_document(sess, doc_id)
    for obj, field, value in changes:
        setattr(obj, field, value)
    return olds


def set_field(store: Store, obj: Row, field: str, value: Any) -> Any:
    """Set one field of a stored object (and of its detached twin); return the old value."""
    return set_fields(store, [(obj, field, value)])[0]


def _locked_parent(sess: Any, parent: Base) -> Any:
    """The stored parent of a row list, locked so concurrent inserts/removes queue up."""
    db_parent = lock_row(sess, type(parent), parent.id)  # type: ignore[attr-defined]
    if db_parent is None:
        raise row_gone(parent)
    return db_parent


def _renumber(items: list[Any]) -> None:
    for n, item in enumerate(items):
        item.position = n


def _store_at(sess: Any, db_parent: Row, rel: str, index: int, new: Row) -> int:
    """Insert ``new`` into the stored list at ``index`` (clamped), renumber, flush; the index."""
    db_list = getattr(db_parent, rel)
    index = max(0, min(index, len(db_list)))
    db_list.insert(index, new)
    _renumber(db_list)
    _touch_document(sess, _document_id(db_parent))
    sess.flush()
    return index


def insert_child(store: Store, parent: Row, rel: str, index: int, values: dict[str, Any] | Row) -> Row:
    """Insert a row (project, indicator, 分项, 措施) at ``index`` of ``parent.<rel>``.

    Args:
        values: column values, or a transient object to copy (its children are copied too
            for a project).

    Returns:
        The new detached object, already placed in ``parent``'s list.
    """
    if rel not in CHILD_LISTS.get(type(parent), ()):
        raise ValueError(f"{type(parent).__name__}.{rel} is not an ordered child list")
    cls = _CHILD_CLASS[rel]
    template = values if isinstance(values, Base) else cls(**values)
    with store.session() as sess:
        db_parent = _locked_parent(sess, parent)
        new = clone_project(template) if isinstance(template, Project) else copy_columns(template)
        index = _store_at(sess, db_parent, rel, index, new)
        twin = _detached_twin(new)
    items = getattr(parent, rel)
    items.insert(index, twin)
    _renumber(items)
    return twin


def _detached_twin(db_obj: Row) -> Row:
    twin = copy_columns(db_obj)
    twin.id = db_obj.id
    if isinstance(db_obj, Project):
        twin.indicators = []
        for ind in db_obj.indicators:
            t = copy_columns(ind)
            t.id = ind.id
            twin.indicators.append(t)
        twin.executions = []
        for ex in db_obj.executions:
            e = copy_columns(ex)
            e.id = ex.id
            twin.executions.append(e)
    return twin


@dataclass(frozen=True, slots=True)
class RemovedWaiver:
    """A waiver (出错说明) deleted with its row, kept so undo can put it back.

    Attributes:
        row: for a removed project, the 0-based indicator row it was on (None = on the
            project itself); for a removed indicator always None.
    """

    rule_id: str
    field: str | None
    location: str
    explanation: str
    created_at: datetime
    row: int | None


def _detached_document(parent: Row) -> Document | None:
    """The open document a parent row belongs to (its ``waivers`` list is kept in step)."""
    if isinstance(parent, Document):
        return parent
    doc = parent.__dict__.get("document")  # loaded only; never a lazy load on detached rows
    return doc if isinstance(doc, Document) else None


def remove_child_with_waivers(store: Store, parent: Row, rel: str, index: int) -> tuple[Row, list[RemovedWaiver]]:
    """Delete the row at ``index`` of ``parent.<rel>`` with its waivers.

    Returns:
        A transient snapshot of the row and the waivers that went with it (foreign-key
        cascade), for :func:`restore_child`.
    """
    items = getattr(parent, rel)
    victim = items[index]
    snapshot = clone_project(victim) if isinstance(victim, Project) else copy_columns(victim)
    removed: list[RemovedWaiver] = []
    removed_ids: set[int] = set()
    with store.session() as sess:
        db_parent = _locked_parent(sess, parent)
        db_list = getattr(db_parent, rel)
        db_victim = sess.get(type(victim), victim.id)
        if db_victim is None or db_victim not in db_list:
            raise row_gone(victim)
        if isinstance(db_victim, (Project, Indicator)):
            rows = {ind.id: n for n, ind in enumerate(db_victim.indicators)} if isinstance(db_victim, Project) else {}
            cond = (or_(Waiver.project_id == db_victim.id, Waiver.indicator_id.in_(list(rows)))
                    if isinstance(db_victim, Project) else Waiver.indicator_id == db_victim.id)
            for w in sess.scalars(select(Waiver).where(cond).order_by(Waiver.id)):
                removed_ids.add(w.id)
                removed.append(RemovedWaiver(w.rule_id, w.field, w.location, w.explanation, w.created_at,
                                             rows.get(w.indicator_id) if w.indicator_id is not None else None))
        db_list.remove(db_victim)
        _renumber(db_list)
        _touch_document(sess, _document_id(db_parent))
    items.pop(index)
    _renumber(items)
    doc = _detached_document(parent)
    if doc is not None and removed_ids:
        doc.waivers[:] = [w for w in doc.waivers if w.id not in removed_ids]
    return snapshot, removed


def remove_child(store: Store, parent: Row, rel: str, index: int) -> Row:
    """Delete the row at ``index`` of ``parent.<rel>``; return a transient snapshot for undo.

    Waivers attached to the row go with it (foreign-key cascade); use
    :func:`remove_child_with_waivers` to be able to restore them.
    """
    return remove_child_with_waivers(store, parent, rel, index)[0]


def _restore_waivers(sess: Any, doc_id: int | None, db_new: Row, waivers: list[RemovedWaiver]) -> list[Waiver]:
    """Store ``waivers`` again on the restored row ``db_new``; return detached copies."""
    out = []
    for rw in waivers:
        project = db_new if isinstance(db_new, Project) else None
        indicator = db_new if isinstance(db_new, Indicator) else None
        if project is not None and rw.row is not None and rw.row < len(project.indicators):
            indicator = project.indicators[rw.row]
        w = Waiver(document_id=doc_id, rule_id=rw.rule_id, field=rw.field, location=rw.location,
                   explanation=rw.explanation, created_at=rw.created_at,
                   project_id=project.id if project is not None else (indicator.project_id if indicator else None),
                   indicator_id=indicator.id if indicator is not None else None)
        sess.add(w)
        out.append(w)
    sess.flush()
    return out


def restore_child(store: Store, parent: Row, rel: str, index: int, obj: Row,
                  waivers: list[RemovedWaiver] | None = None) -> Row:
    """Put a removed detached row back at ``index`` (undo of a delete, redo of an insert).

    The row is stored anew, and the *same* detached object (and, for a project, its
    indicator objects) takes the new database ids, so undo commands that still hold the
    object keep working after the row went away and came back. ``waivers`` (from
    :func:`remove_child_with_waivers`) are stored again on the row, and added to the open
    document's ``waivers`` so the live validator sees them.
    """
    if rel not in CHILD_LISTS.get(type(parent), ()):
        raise ValueError(f"{type(parent).__name__}.{rel} is not an ordered child list")
    with store.session() as sess:
        db_parent = _locked_parent(sess, parent)
        new = copy_columns(obj)
        children = list(obj.indicators) if isinstance(obj, Project) else []
        if isinstance(obj, Project):
            new.indicators = [copy_columns(i) for i in children]
        index = _store_at(sess, db_parent, rel, index, new)
        obj.id = new.id
        if isinstance(obj, Project):
            for child, db_child in zip(children, new.indicators, strict=True):
                child.id = db_child.id
        restored = _restore_waivers(sess, _document_id(db_parent, sess), new, waivers) if waivers else []
        twins = [(copy_columns(w), w.id, w.indicator_id) for w in restored]
    items = getattr(parent, rel)
    items.insert(index, obj)
    _renumber(items)
    doc = _detached_document(parent)
    if doc is not None and twins:
        rows = {i.id: i for i in obj.indicators} if isinstance(obj, Project) else {obj.id: obj}
        owner = obj if isinstance(obj, Project) else parent
        for twin, wid, iid in twins:
            twin.id = wid
            # The same targets load_document gives: the validator follows a waiver's row.
            twin.project = owner if isinstance(owner, Project) else None
            twin.indicator = rows.get(iid) if iid is not None else None
            doc.waivers.append(twin)
    return obj


def move_child(store: Store, parent: Row, rel: str, src: int, dst: int) -> None:
    """Move the row at ``src`` to ``dst`` within ``parent.<rel>``."""
    items = getattr(parent, rel)
    if src == dst or not (0 <= src < len(items)) or not (0 <= dst < len(items)):
        return
    with store.session() as sess:
        db_parent = _locked_parent(sess, parent)
        db_list = getattr(db_parent, rel)
        if [r.id for r in db_list] != [r.id for r in items]:
            # Someone else added, removed or moved rows here: the indexes mean other rows now.
            raise EditConflictError("这些行已被其他用户增删或移动，未移动；已重新载入该项目")
        db_list.insert(dst, db_list.pop(src))
        _renumber(db_list)
        _touch_document(sess, _document_id(db_parent))
    items.insert(dst, items.pop(src))
    _renumber(items)
