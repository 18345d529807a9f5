"""The one owner of open documents: the only code that writes the database and the open graph.

The window shows detached object graphs of the documents it opened (for display and live
validation). :meth:`Workspace.apply` takes an op (:mod:`app.services.workspace.ops`),
commits it to the database in its own transaction, then changes the open graph the same
way, and returns the inverse op and a :class:`Changes`. Undo is applying the inverse; rows
are found by position, so a row restored with a new id is found like any other.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import (
    Document,
    Execution,
    Indicator,
    Measure,
    Opinion,
    Project,
    SubGoal,
    Unit,
    Waiver,
)
from app.models.clone import copy_columns
from app.models.document import Base
from app.services.bureau.intake import commit_intake
from app.services.bureau.opinions import OpinionPlace, check_opinion, opinion_snapshot
from app.services.bureau.review import review_state, set_status
from app.services.bureau.versions import bureau_records, restore_bureau_records
from app.services.errors import PerfGoalsError
from app.services.formats.importing import OnConflict, commit_documents
from app.services.formats.json_format import document_from_dict, document_to_dict
from app.services.spending.plan import MONTHS, check_execution_text
from app.services.storage.conflicts import EditConflictError, check_unchanged, lock_row, row_gone
from app.services.storage.documents import create_document, load_document
from app.services.storage.store import Store
from app.services.workspace.carry_over import PART1_FIELDS, carry_part1, carry_project
from app.services.workspace.changes import Changes
from app.services.workspace.ops import (
    Batch,
    CarryOver,
    CreateDocument,
    DeleteDocument,
    DeleteRow,
    FieldValue,
    ImportDocuments,
    InsertRow,
    MoveRow,
    Op,
    Ref,
    RestoreDocument,
    RowSnapshot,
    SetExecution,
    SetFields,
    SetOpinion,
    SetReviewStatus,
    SetWaiver,
    TakeIn,
    WaiverSnapshot,
)
from app.services.workspace.waivers import check_explanation

# A mapped row of any class (each has an integer ``id``; Base itself declares none).
Row = Any

_ROW_CLASS: dict[str, type[Base]] = {
    "projects": Project, "subgoals": SubGoal, "measures": Measure, "indicators": Indicator,
}
# Never set directly: ids and parents are the graph's business; parsed columns derive from
# their raw text (setting them would break the invariant of app/models/document.py).
_FIXED = {"id", "document_id", "project_id", "unit_id", "position"}
_DERIVED = {
    "budget_total", "budget_fiscal", "budget_other", "plan_mar", "plan_jun", "plan_oct",
    "plan_dec", "value_kind", "comparator", "number", "unit",
}


def _columns(obj: Base) -> list[str]:
    return [c.key for c in obj.__table__.columns]


def row_snapshot(obj: Base | dict[str, Any], waivers: tuple[WaiverSnapshot, ...] = ()) -> RowSnapshot:
    """A row (stored, open or transient, or column values) as a value for :class:`InsertRow`."""
    if isinstance(obj, dict):
        return RowSnapshot(tuple(obj.items()))
    values = tuple((k, getattr(obj, k)) for k in _columns(obj) if k not in _FIXED and k not in _DERIVED)
    if not isinstance(obj, Project):
        return RowSnapshot(values, waivers=waivers)
    return RowSnapshot(
        values,
        tuple(row_snapshot(i) for i in obj.indicators),
        tuple((e.month, e.amount_raw) for e in obj.executions),
        waivers,
    )


def _check_field(obj: Base, name: str) -> None:
    if name in _FIXED or name in _DERIVED:
        raise ValueError(f"{name} cannot be edited directly")
    if name not in _columns(obj):
        raise ValueError(f"{type(obj).__name__} has no field {name}")


def _renumber(items: list[Any]) -> None:
    for n, item in enumerate(items):
        item.position = n


def _touch(sess: Session, doc_id: int) -> None:
    # An UPDATE statement, not sess.get(Document): that would load the whole document graph
    # (its relationships are selectin) on every keystroke-sized edit.
    sess.execute(update(Document).where(Document.id == doc_id).values(updated_at=datetime.now()))


def _locked_parent(sess: Session, parent: Row) -> Any:
    """The stored parent of a row list, locked so concurrent inserts and deletes queue up."""
    db_parent = lock_row(sess, type(parent), parent.id)
    if db_parent is None:
        raise row_gone(parent)
    return db_parent


def _detached(db_row: Row) -> Row:
    """A copy of a stored row with its id (and, for a project, its rows), for the open graph."""
    twin = copy_columns(db_row)
    for key in ("id", "document_id", "project_id", "indicator_id"):
        if key in _columns(db_row):
            setattr(twin, key, getattr(db_row, key))
    if isinstance(db_row, Project):
        assert isinstance(twin, Project)
        twin.indicators = [_detached(i) for i in db_row.indicators]
        twin.executions = [_detached(e) for e in db_row.executions]
    return twin


class Workspace:
    """The open documents of one database and the only writer of both."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._docs: dict[int, Document] = {}
        # A document restored under a new id (its old one was taken): ops in the history
        # keep naming the old id.
        self._alias: dict[int, int] = {}

    # ------------------------------------------------------------------ open documents
    def resolve_id(self, doc_id: int) -> int:
        """The current id of a document an op names."""
        while doc_id in self._alias:
            doc_id = self._alias[doc_id]
        return doc_id

    def document(self, doc_id: int) -> Document:
        """The open graph of document ``doc_id``, loaded on first use."""
        doc_id = self.resolve_id(doc_id)
        doc = self._docs.get(doc_id)
        if doc is None:
            doc = self._docs[doc_id] = load_document(self.store, doc_id)
        return doc

    def opened(self, doc_id: int) -> Document | None:
        """The open graph of ``doc_id`` if it is open, without loading it."""
        return self._docs.get(self.resolve_id(doc_id))

    def open_ids(self) -> set[int]:
        """The ids of the open documents."""
        return set(self._docs)

    def is_open(self, doc_id: int) -> bool:
        return self.resolve_id(doc_id) in self._docs

    def adopt(self, doc: Document) -> Document:
        """Take a graph loaded elsewhere (load_document) as the open one of its id."""
        current = self._docs.setdefault(doc.id, doc)
        if current is not doc:
            raise ValueError(f"document {doc.id} is already open as another graph")
        return doc

    def forget(self, doc_id: int) -> None:
        """Drop an open graph; the next :meth:`document` loads it again."""
        self._docs.pop(self.resolve_id(doc_id), None)

    def ref_of(self, obj: Base) -> Ref:
        """Where an object of an open graph is, as a value."""
        if isinstance(obj, Document):
            return Ref(self.adopt(obj).id)
        if isinstance(obj, Indicator):
            project = obj.project
            doc = self.adopt(project.document)
            return Ref(doc.id, "indicators", project.indicators.index(obj), doc.projects.index(project))
        for name, cls in _ROW_CLASS.items():
            if isinstance(obj, cls):
                doc = self.adopt(obj.document)  # type: ignore[attr-defined]
                return Ref(doc.id, name, getattr(doc, name).index(obj))
        raise TypeError(f"{type(obj).__name__} is not a row of a document")

    def child_ref(self, parent: Base, rel: str, index: int) -> Ref:
        """Where row ``index`` of ``parent.<rel>`` is (or will be, for an insert)."""
        ref = self.ref_of(parent)
        if isinstance(parent, Project):
            return Ref(ref.doc_id, rel, index, ref.index)
        return Ref(ref.doc_id, rel, index)

    def _parent(self, ref: Ref) -> tuple[Document, Row]:
        doc = self.document(ref.doc_id)
        if ref.list_name == "indicators":
            if ref.project_index is None or not 0 <= ref.project_index < len(doc.projects):
                raise LookupError(f"no project {ref.project_index} in document {doc.id}")
            return doc, doc.projects[ref.project_index]
        if ref.list_name not in _ROW_CLASS:
            raise ValueError(f"{ref.list_name} is not a row list")
        return doc, doc

    def resolve(self, ref: Ref) -> Row:
        """The object of the open graph at ``ref``."""
        if ref.list_name == "document":
            return self.document(ref.doc_id)
        _doc, parent = self._parent(ref)
        items = getattr(parent, ref.list_name)
        if not 0 <= ref.index < len(items):
            raise LookupError(f"no row {ref.index} in {ref.list_name} of document {ref.doc_id}")
        return items[ref.index]

    def _project_key(self, ref: Ref) -> tuple[int, int] | None:
        doc = self.document(ref.doc_id)
        if ref.list_name == "projects":
            return doc.id, doc.projects[ref.index].id
        if ref.list_name == "indicators" and ref.project_index is not None:
            return doc.id, doc.projects[ref.project_index].id
        return None

    # ------------------------------------------------------------------ applying ops
    def apply(self, op: Op) -> tuple[Op, Changes]:
        """Apply ``op`` to the database (committed) and the open graph.

        Returns:
            The op that undoes it, and what changed.

        Raises:
            PerfGoalsError: the op is refused (bad input); nothing changed.
            LookupError: the op names a row that is not there; nothing changed.
        """
        handler = getattr(self, "_apply_" + type(op).__name__)
        return handler(op)  # type: ignore[no-any-return]

    def _apply_Batch(self, op: Batch) -> tuple[Op, Changes]:  # noqa: N802
        inverses: list[Op] = []
        changes = Changes()
        try:
            for sub in op.ops:
                inverse, ch = self.apply(sub)
                inverses.append(inverse)
                changes |= ch
        except Exception:
            # All or nothing: what was applied already is undone before the error leaves.
            for inverse in reversed(inverses):
                self.apply(inverse)
            raise
        return Batch(tuple(reversed(inverses))), changes

    def _apply_SetFields(self, op: SetFields) -> tuple[Op, Changes]:  # noqa: N802
        targets = [self.resolve(item.ref) for item in op.items]
        for obj, item in zip(targets, op.items, strict=True):
            _check_field(obj, item.field)
        olds = [getattr(obj, item.field) for obj, item in zip(targets, op.items, strict=True)]
        with self.store.session() as sess:
            # What this transaction already wrote (a paste may set one cell twice).
            written: dict[tuple[type, int, str], Any] = {}
            for obj, item, old in zip(targets, op.items, olds, strict=True):
                db_obj = lock_row(sess, type(obj), obj.id)
                if db_obj is None:
                    raise row_gone(obj)
                key = (type(obj), obj.id, item.field)
                # Another writer (a shared server database) may have changed the field since
                # this window loaded it: refused, never overwritten.
                check_unchanged(sess, db_obj, item.field, written.get(key, old), item.value)
                setattr(db_obj, item.field, item.value)
                written[key] = item.value
            for doc_id in {self.resolve_id(item.ref.doc_id) for item in op.items}:
                _touch(sess, doc_id)
        for obj, item in zip(targets, op.items, strict=True):
            setattr(obj, item.field, item.value)
        inverse = SetFields(tuple(FieldValue(item.ref, item.field, old)
                                  for item, old in zip(op.items, olds, strict=True)))
        projects = {k for k in (self._project_key(item.ref) for item in op.items) if k is not None}
        return inverse, Changes(
            documents=frozenset(self.resolve_id(i.ref.doc_id) for i in op.items),
            projects=frozenset(projects),
            rows=frozenset((i.ref.list_name, o.id) for i, o in zip(op.items, targets, strict=True)),
            fields=frozenset(i.field for i in op.items),
        )

    def _build(self, list_name: str, row: RowSnapshot) -> Base:
        """A transient row (with a project's indicators and 执行数) from a snapshot."""
        new = _ROW_CLASS[list_name](**dict(row.values))
        if isinstance(new, Project):
            new.indicators = [Indicator(position=n, **dict(r.values)) for n, r in enumerate(row.indicators)]
            new.executions = [Execution(month=m, amount_raw=t) for m, t in row.executions]
        return new

    def _apply_InsertRow(self, op: InsertRow) -> tuple[Op, Changes]:  # noqa: N802
        ref = op.ref
        doc, parent = self._parent(ref)
        items = getattr(parent, ref.list_name)
        index = max(0, min(ref.index, len(items)))
        with self.store.session() as sess:
            db_parent = _locked_parent(sess, parent)
            new = self._build(ref.list_name, op.row)
            db_list = getattr(db_parent, ref.list_name)
            db_list.insert(index, new)
            _renumber(db_list)
            _touch(sess, doc.id)
            sess.flush()
            stored = []
            for w in op.row.waivers:
                project = new if isinstance(new, Project) else None
                indicator = new if isinstance(new, Indicator) else None
                if project is not None and w.row is not None:
                    indicator = project.indicators[w.row]
                db_w = Waiver(document_id=doc.id, rule_id=w.rule_id, field=w.field, location=w.location,
                              explanation=w.explanation, created_at=w.created_at,
                              project_id=project.id if project is not None else parent.id if indicator else None,
                              indicator_id=indicator.id if indicator is not None else None)
                sess.add(db_w)
                stored.append((db_w, w.row))
            sess.flush()
            twin = _detached(new)
            waiver_twins = [(_detached(w), row) for w, row in stored]
        items.insert(index, twin)
        _renumber(items)
        for w_twin, row in waiver_twins:
            assert isinstance(w_twin, Waiver)
            if isinstance(twin, Project):
                w_twin.project = twin
                w_twin.indicator = twin.indicators[row] if row is not None else None
            else:
                w_twin.project = parent if isinstance(parent, Project) else None
                w_twin.indicator = twin
            doc.waivers.append(w_twin)
        changes = self._list_changes(doc, parent)
        return DeleteRow(ref.at(index)), changes

    @staticmethod
    def _list_changes(doc: Document, parent: Row) -> Changes:
        """What a row inserted, deleted or moved in ``parent`` changed."""
        if isinstance(parent, Project):
            return Changes(documents=frozenset({doc.id}), projects=frozenset({(doc.id, parent.id)}),
                           row_lists=frozenset({parent.id}))
        return Changes(documents=frozenset({doc.id}), structural=True)

    def _waivers_of(self, doc: Document, victim: Row) -> list[Waiver]:
        if isinstance(victim, Project):
            rows = {id(i) for i in victim.indicators}
            return [w for w in doc.waivers if w.project is victim or id(w.indicator) in rows]
        if isinstance(victim, Indicator):
            return [w for w in doc.waivers if w.indicator is victim]
        return []

    def _apply_DeleteRow(self, op: DeleteRow) -> tuple[Op, Changes]:  # noqa: N802
        ref = op.ref
        doc, parent = self._parent(ref)
        items = getattr(parent, ref.list_name)
        victim = self.resolve(ref)
        gone = self._waivers_of(doc, victim)
        rows = {id(i): n for n, i in enumerate(victim.indicators)} if isinstance(victim, Project) else {}
        snapshot = row_snapshot(victim, tuple(
            WaiverSnapshot(w.rule_id, w.field, w.location, w.explanation, w.created_at,
                           row=rows.get(id(w.indicator)) if w.indicator is not None else None)
            for w in gone))
        with self.store.session() as sess:
            db_parent = _locked_parent(sess, parent)
            db_victim = sess.get(type(victim), victim.id)
            db_list = getattr(db_parent, ref.list_name)
            if db_victim is None or db_victim not in db_list:
                raise row_gone(victim)
            db_list.remove(db_victim)
            _renumber(db_list)
            _touch(sess, doc.id)
        # The waivers went with the row (foreign-key cascade in the database).
        items.pop(ref.index)
        _renumber(items)
        if gone:
            ids = {id(w) for w in gone}
            doc.waivers[:] = [w for w in doc.waivers if id(w) not in ids]
        changes = self._list_changes(doc, parent)
        return InsertRow(ref, snapshot), changes

    def _apply_MoveRow(self, op: MoveRow) -> tuple[Op, Changes]:  # noqa: N802
        ref = op.ref
        doc, parent = self._parent(ref)
        items = getattr(parent, ref.list_name)
        if not (0 <= ref.index < len(items) and 0 <= op.to < len(items)):
            raise LookupError(f"cannot move row {ref.index} to {op.to} of {ref.list_name}")
        if ref.index != op.to:
            with self.store.session() as sess:
                db_parent = _locked_parent(sess, parent)
                db_list = getattr(db_parent, ref.list_name)
                if [r.id for r in db_list] != [r.id for r in items]:
                    # Someone else added, removed or moved rows here: the indexes mean other rows.
                    raise EditConflictError("这些行已被其他用户增删或移动，未移动；已重新载入该项目")
                db_list.insert(op.to, db_list.pop(ref.index))
                _renumber(db_list)
                _touch(sess, doc.id)
            items.insert(op.to, items.pop(ref.index))
            _renumber(items)
        changes = self._list_changes(doc, parent)
        return MoveRow(ref.at(op.to), ref.index), changes

    def _apply_SetWaiver(self, op: SetWaiver) -> tuple[Op, Changes]:  # noqa: N802
        doc = self.document(op.doc_id)
        existing = next((w for w in doc.waivers if w.location == op.key), None)
        inverse = SetWaiver(op.doc_id, op.key, op.rule_id, op.field, op.project, op.row,
                            existing.explanation if existing is not None else None,
                            existing.created_at if existing is not None else None)
        text = None if op.explanation is None else check_explanation(op.explanation)
        when = op.created_at or datetime.now()
        project = indicator = None
        if text is not None and existing is None and op.project is not None:
            if not 1 <= op.project <= len(doc.projects):
                raise PerfGoalsError(f"第{op.project}个项目已不存在")
            project = doc.projects[op.project - 1]
            if op.row is not None:
                if not 1 <= op.row <= len(project.indicators):
                    raise PerfGoalsError(f"项目第{op.row}行指标已不存在")
                indicator = project.indicators[op.row - 1]
        with self.store.session() as sess:
            if existing is not None:
                db_w = sess.get(Waiver, existing.id)
                if db_w is not None:
                    if text is None:
                        sess.delete(db_w)
                    else:
                        db_w.explanation, db_w.created_at = text, when
            elif text is not None:
                db_w = Waiver(document_id=doc.id, rule_id=op.rule_id, field=op.field, location=op.key,
                              explanation=text, created_at=when,
                              project_id=project.id if project is not None else None,
                              indicator_id=indicator.id if indicator is not None else None)
                sess.add(db_w)
                sess.flush()
                twin = _detached(db_w)
            _touch(sess, doc.id)
        if existing is not None:
            if text is None:
                doc.waivers.remove(existing)
            else:
                existing.explanation, existing.created_at = text, when
        elif text is not None:
            assert isinstance(twin, Waiver)
            # The same targets load_document gives: the waiver follows its row.
            twin.project, twin.indicator = project, indicator
            doc.waivers.append(twin)
        return inverse, Changes(documents=frozenset({doc.id}))

    def _apply_SetOpinion(self, op: SetOpinion) -> tuple[Op, Changes]:  # noqa: N802
        doc = self.document(op.doc_id)
        held = next((o for o in doc.opinions if o.uid == op.uid), None)
        inverse = SetOpinion(op.doc_id, op.uid, opinion_snapshot(held) if held is not None else None)
        new = op.opinion
        values: dict[str, Any] = {}
        if new is not None:
            place = OpinionPlace(new.project_code, new.row, new.field)
            moved = held is None or (held.project_code, held.row) != (new.project_code, new.row)
            # An answer never moves an opinion: its place is checked only when it is new or moved
            # (a project whose code changed keeps the opinions that named it).
            check_opinion(doc, new.text, place if moved else None)
            values = {f.name: getattr(new, f.name) for f in fields(new)}
        twin = None
        with self.store.session() as sess:
            # By uid, not id: the row the open graph holds may have been stored again since.
            db_o = sess.scalars(select(Opinion).where(Opinion.document_id == doc.id, Opinion.uid == op.uid)).first()
            if new is None:
                if db_o is not None:
                    sess.delete(db_o)
            else:
                if db_o is None:
                    db_o = Opinion(document_id=doc.id)
                    sess.add(db_o)
                for key, value in values.items():
                    setattr(db_o, key, value)
                sess.flush()
                twin = _detached(db_o)
            _touch(sess, doc.id)
        if held is not None:
            if new is None:
                doc.opinions.remove(held)
            else:
                for key, value in values.items():
                    setattr(held, key, value)
                held.id = db_o.id if db_o is not None else held.id
        elif twin is not None:
            doc.opinions.append(twin)
        return inverse, Changes(review=frozenset({doc.id}))

    def _apply_SetReviewStatus(self, op: SetReviewStatus) -> tuple[Op, Changes]:  # noqa: N802
        doc_id = self.resolve_id(op.doc_id)
        old = review_state(self.store, doc_id)
        inverse = SetReviewStatus(op.doc_id, old[0] if old else None, old[1] if old else None, latest=False)
        set_status(self.store, doc_id, op.status, op.version, op.latest)
        return inverse, Changes(review=frozenset({doc_id}))

    def _apply_SetExecution(self, op: SetExecution) -> tuple[Op, Changes]:  # noqa: N802
        if op.month not in MONTHS:
            raise ValueError(f"month {op.month} is not 1-12")
        project = self.resolve(op.ref)
        assert isinstance(project, Project)
        text = check_execution_text(op.text)
        current = next((e for e in project.executions if e.month == op.month), None)
        old = current.amount_raw if current is not None else None
        with self.store.session() as sess:
            # Columns only: loading the Project would pull in its indicators (selectin).
            row = sess.scalars(select(Execution).where(Execution.project_id == project.id,
                                                       Execution.month == op.month)).first()
            if text is None:
                if row is not None:
                    sess.delete(row)
            elif row is None:
                row = Execution(project_id=project.id, month=op.month, amount_raw=text)
                sess.add(row)
            else:
                row.amount_raw = text
            _touch(sess, self.resolve_id(op.ref.doc_id))
            sess.flush()
            twin = _detached(row) if row is not None and text is not None else None
        if text is None:
            if current is not None:
                project.executions.remove(current)
        elif current is None:
            assert isinstance(twin, Execution)
            project.executions.insert(sum(1 for e in project.executions if e.month < op.month), twin)
        else:
            current.amount_raw = text
        doc_id = self.resolve_id(op.ref.doc_id)
        return SetExecution(op.ref, op.month, old), Changes(
            documents=frozenset({doc_id}), projects=frozenset({(doc_id, project.id)}),
            fields=frozenset({"execution"}))

    # ------------------------------------------------------------------ documents
    def _apply_CreateDocument(self, op: CreateDocument) -> tuple[Op, Changes]:  # noqa: N802
        doc_id = create_document(self.store, op.unit_code, op.unit_name, op.year)
        return DeleteDocument(doc_id), Changes(documents=frozenset({doc_id}), added=frozenset({doc_id}),
                                               structural=True)

    def _apply_DeleteDocument(self, op: DeleteDocument) -> tuple[Op, Changes]:  # noqa: N802
        doc_id = self.resolve_id(op.doc_id)
        data = document_to_dict(self.opened(doc_id) or load_document(self.store, doc_id))
        records = bureau_records(self.store, doc_id)  # cascaded away with it: the undo puts them back
        with self.store.session() as sess:
            doc = sess.get(Document, doc_id)
            if doc is None:
                raise PerfGoalsError(f"数据库中没有编号为{doc_id}的文档")
            unit = doc.unit
            sess.delete(doc)
            sess.flush()
            # A unit left without any year goes too (新建单位 undone leaves nothing behind).
            if not sess.scalar(select(func.count()).select_from(Document).where(Document.unit_id == unit.id)):
                sess.delete(unit)
        self._docs.pop(doc_id, None)
        return RestoreDocument(op.doc_id, data, records), Changes(documents=frozenset({doc_id}),
                                                         removed=frozenset({doc_id}), structural=True)

    def _apply_RestoreDocument(self, op: RestoreDocument) -> tuple[Op, Changes]:  # noqa: N802
        doc = document_from_dict(op.data)
        with self.store.read_session() as sess:
            free = sess.get(Document, op.doc_id) is None
        if free:
            doc.id = op.doc_id  # the id ops further down the history name
        new_id = commit_documents(self.store, [doc], backup=False).document_ids[0]
        if op.records is not None:
            restore_bureau_records(self.store, new_id, op.records)
        self._alias.pop(op.doc_id, None)
        if new_id != op.doc_id:
            self._alias[op.doc_id] = new_id
        self._docs.pop(new_id, None)
        return DeleteDocument(op.doc_id), Changes(documents=frozenset({new_id}), added=frozenset({new_id}),
                                                  structural=True)

    def _document_of_year(self, unit_code: str, year: int) -> int | None:
        with self.store.read_session() as sess:
            return sess.scalars(select(Document.id).join(Document.unit)
                                .where(Unit.code == unit_code, Document.year == year)).first()

    def _apply_CarryOver(self, op: CarryOver) -> tuple[Op, Changes]:  # noqa: N802
        src = self.document(op.doc_id)
        if op.year == src.year:
            raise PerfGoalsError("目标年度与当前年度相同")
        target_id = self._document_of_year(src.unit.code, op.year)
        created = target_id is None
        if target_id is None:
            target_id = create_document(self.store, src.unit.code, src.unit.name, op.year)
        try:
            target = self.document(target_id)
            ops: list[Op] = []
            if op.projects is None and not target.has_part1 and src.has_part1:
                ops.append(SetFields(tuple(FieldValue(Ref(target_id), f, getattr(src, f)) for f in PART1_FIELDS)))
                subgoals, measures = carry_part1(src)
                ops += [InsertRow(Ref(target_id, "subgoals", n), row_snapshot(s)) for n, s in enumerate(subgoals)]
                ops += [InsertRow(Ref(target_id, "measures", n), row_snapshot(m)) for n, m in enumerate(measures)]
            picked = range(len(src.projects)) if op.projects is None else op.projects
            start = len(target.projects)
            ops += [InsertRow(Ref(target_id, "projects", start + k), row_snapshot(carry_project(src.projects[i])))
                    for k, i in enumerate(picked)]
            inverse, changes = self.apply(Batch(tuple(ops)))
        except Exception:
            if created:
                self.apply(DeleteDocument(target_id))
            raise
        if created:
            inverse = Batch((inverse, DeleteDocument(target_id)))
            changes |= Changes(added=frozenset({target_id}), structural=True)
        return inverse, changes | Changes(structural=True)

    def _before(self, doc_ids: Any) -> dict[int, tuple[dict[str, Any], dict[str, Any] | None]]:
        """Stored documents as they are now (content, and the bureau's versions and status)."""
        return {doc_id: (document_to_dict(self.opened(doc_id) or load_document(self.store, doc_id)),
                         bureau_records(self.store, doc_id)) for doc_id in doc_ids}

    def _undo_stored(self, doc_ids: list[int], before: dict[int, tuple[dict[str, Any], dict[str, Any] | None]]) -> Op:
        """The op putting back what storing ``doc_ids`` replaced (and deleting what it created)."""
        inverses: list[Op] = []
        for doc_id in dict.fromkeys(doc_ids):
            self._docs.pop(doc_id, None)
            if doc_id in before:
                data, records = before[doc_id]
                inverses.append(Batch((DeleteDocument(doc_id), RestoreDocument(doc_id, data, records))))
            else:
                inverses.append(DeleteDocument(doc_id))
        return Batch(tuple(reversed(inverses)))

    def _apply_TakeIn(self, op: TakeIn) -> tuple[Op, Changes]:  # noqa: N802
        held = {self._document_of_year(d.unit_code, d.year) for f in op.preview.accepted for d in f.documents}
        before = self._before(sorted(i for i in held if i is not None))
        report = commit_intake(self.store, op.preview, OnConflict(op.policy), op.progress)
        op.outcome.append(report)
        ids = frozenset(report.document_ids)
        return self._undo_stored(report.document_ids, before), Changes(documents=ids, added=ids, structural=True)

    def _apply_ImportDocuments(self, op: ImportDocuments) -> tuple[Op, Changes]:  # noqa: N802
        units: dict[str, Unit] = {}
        docs = [document_from_dict(d, units) for d in op.documents]
        held = {self._document_of_year(d.unit.code, d.year) for d in docs}
        before = self._before(sorted(i for i in held if i is not None))
        result = commit_documents(self.store, docs, OnConflict(op.on_conflict) if op.on_conflict else None,
                                  source=op.source, backup=op.backup)
        ids = frozenset(result.document_ids)
        return self._undo_stored(result.document_ids, before), Changes(documents=ids, added=ids, structural=True)
