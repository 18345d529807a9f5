"""Typed values that could not be written: kept, shown as unsaved, until saved or abandoned.

A write can fail for reasons that are not the user's (another program holds the database
lock, the disk is full, the file turned read-only, another writer changed the same field).
The value the user typed is then not dropped: :class:`UnsavedEdits` keeps it per row and
field, the cell shows it with a distinct background and the tooltip 未保存：…, and it stays
until a later write of that field succeeds (a retry, or typing again) or the user abandons
it. Rows are keyed by their stored id, so the value survives the reload after a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.models.document import Base
from app.services.workspace.ops import Batch, FieldValue, Op, Ref, SetFields
from app.services.workspace.workspace import Workspace

Key = tuple[str, int, str]  # (row class name, stored id, field)

UNSAVED_BG = "#ffd8a8"  # orange: neither a finding's colour nor the selection's


@dataclass(frozen=True, slots=True)
class Unsaved:
    """One value typed into ``field`` of the row at ``ref`` that is not stored."""

    ref: Ref
    field: str
    value: Any
    reason: str

    @property
    def tooltip(self) -> str:
        return f"未保存：{self.reason}"


def _key(obj: Base, field: str) -> Key:
    return type(obj).__name__, int(obj.id), field  # type: ignore[attr-defined]


def field_items(op: Op) -> list[FieldValue]:
    """The field values an op sets (a paste is a Batch that may also insert rows)."""
    if isinstance(op, SetFields):
        return list(op.items)
    if isinstance(op, Batch):
        return [item for sub in op.ops for item in field_items(sub)]
    return []


class UnsavedEdits(QObject):
    """The values of one window that wait to be saved."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: dict[Key, Unsaved] = {}

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, obj: Base, field: str) -> Unsaved | None:
        """The unsaved value of ``obj.<field>``, if any (fast when there is none)."""
        if not self._items or getattr(obj, "id", None) is None:
            return None
        return self._items.get(_key(obj, field))

    def items(self) -> list[Unsaved]:
        return list(self._items.values())

    def keep(self, workspace: Workspace, op: Op, reason: str) -> bool:
        """Remember the values ``op`` failed to write; True when there were any."""
        kept = False
        for item in field_items(op):
            try:
                obj = workspace.resolve(item.ref)
            except (LookupError, ValueError):
                continue  # a row the same op was to insert: nothing to show it in
            if getattr(obj, "id", None) is None:
                continue
            self._items[_key(obj, item.field)] = Unsaved(item.ref, item.field, item.value, reason)
            kept = True
        if kept:
            self.changed.emit()
        return kept

    def written(self, workspace: Workspace, op: Op) -> None:
        """``op`` was stored: its fields are no longer unsaved."""
        if not self._items:
            return
        dropped = False
        for item in field_items(op):
            try:
                obj = workspace.resolve(item.ref)
            except (LookupError, ValueError):
                continue
            dropped |= self._items.pop(_key(obj, item.field), None) is not None
        if dropped:
            self.changed.emit()

    def abandon(self, obj: Base | None = None, field: str | None = None) -> None:
        """Forget the unsaved value of ``obj.<field>`` (all of them without arguments)."""
        if obj is None:
            gone = bool(self._items)
            self._items.clear()
        else:
            gone = self._items.pop(_key(obj, field or ""), None) is not None
        if gone:
            self.changed.emit()

    def retry_op(self, workspace: Workspace) -> SetFields | None:
        """One op writing every unsaved value to the rows where they are now.

        A row is found again by its stored id (another writer may have moved it); the values
        of rows that are gone are dropped.
        """
        items: list[FieldValue] = []
        for key, unsaved in list(self._items.items()):
            ref = self._where(workspace, key, unsaved.ref)
            if ref is None:
                del self._items[key]
                continue
            items.append(FieldValue(ref, unsaved.field, unsaved.value))
        return SetFields(tuple(items)) if items else None

    @staticmethod
    def _where(workspace: Workspace, key: Key, ref: Ref) -> Ref | None:
        cls_name, row_id, _field = key
        try:
            obj = workspace.resolve(ref)
            if type(obj).__name__ == cls_name and obj.id == row_id:
                return ref
            doc = workspace.document(ref.doc_id)
        except (LookupError, ValueError):
            return None
        rows: list[Base] = [doc]
        for project in doc.projects:
            rows.append(project)
            rows.extend(project.indicators)
        rows.extend(row for name in ("subgoals", "measures") for row in getattr(doc, name, ()))
        for row in rows:
            if type(row).__name__ == cls_name and getattr(row, "id", None) == row_id:
                return workspace.ref_of(row)
        return None
