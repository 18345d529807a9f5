"""Undo commands shared by every editor. Each one calls an editing service and notifies.

Every command commits to the database when it runs (redo) and when it is undone, so the
undo stack never holds unsaved work. ``notify(obj)`` tells the window what changed, so it
can refresh views and revalidate the project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.models.document import Base
from app.services.storage.store import Store
from app.services.workspace import editing
from app.ui.conflicts import guard_conflicts

Notify = Callable[[Base], None]

_MERGE_ID = 0x5047  # consecutive typing in one field merges into one undo step


@guard_conflicts
class SetFieldsCommand(QUndoCommand):
    """Set one or more fields (one cell, or a whole pasted block as one step)."""

    def __init__(
        self, store: Store, changes: Sequence[tuple[Base, str, Any]], notify: Notify, text: str = "编辑",
        merge_key: object | None = None,
    ) -> None:
        super().__init__(text)
        self.store = store
        self.changes = changes
        self.olds: list[Any] = [getattr(o, f) for o, f, _ in changes]
        self.notify = notify
        # Commands with the same merge_key (one typing session in one form field) merge into
        # one undo step; None never merges.
        self.merge_key = merge_key

    def id(self) -> int:
        return _MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldsCommand) or other.merge_key != self.merge_key:
            return False
        mine = [(id(o), f) for o, f, _ in self.changes]
        if mine != [(id(o), f) for o, f, _ in other.changes]:
            return False
        self.changes = other.changes
        return True

    def redo(self) -> None:
        editing.set_fields(self.store, self.changes)
        self._notify()

    def undo(self) -> None:
        editing.set_fields(self.store, [(o, f, old) for (o, f, _), old in zip(self.changes, self.olds, strict=True)])
        self._notify()

    def _notify(self) -> None:
        for obj in {id(o): o for o, _, _ in self.changes}.values():
            self.notify(obj)


@guard_conflicts
class InsertChildCommand(QUndoCommand):
    """Insert a row into an ordered list (projects, indicators, 分项, 措施)."""

    def __init__(
        self, store: Store, parent: Base, rel: str, index: int, values: dict[str, Any] | Base,
        notify: Notify, text: str = "插入",
    ) -> None:
        super().__init__(text)
        self.store, self.parent, self.rel, self.index = store, parent, rel, index
        self.values = values
        self.notify = notify
        # The inserted detached row: kept so a redo brings back the same object, which
        # later commands on the stack may hold.
        self.obj: Base | None = None
        self.waivers: list[editing.RemovedWaiver] = []  # written on the row before this undo

    def redo(self) -> None:
        if self.obj is None:
            self.obj = editing.insert_child(self.store, self.parent, self.rel, self.index, self.values)
        else:
            editing.restore_child(self.store, self.parent, self.rel, self.index, self.obj, self.waivers)
        self.notify(self.parent)

    def undo(self) -> None:
        self.values, self.waivers = editing.remove_child_with_waivers(self.store, self.parent, self.rel, self.index)
        self.notify(self.parent)


@guard_conflicts
class RemoveChildCommand(QUndoCommand):
    """Delete a row; undo puts an equal row back at the same place."""

    def __init__(self, store: Store, parent: Base, rel: str, index: int, notify: Notify, text: str = "删除") -> None:
        super().__init__(text)
        self.store, self.parent, self.rel, self.index = store, parent, rel, index
        self.snapshot: Base | None = None
        # The removed detached row itself: undo puts this very object back (with a new id),
        # so earlier commands holding it (an edit of that row) still act on the shown row.
        self.victim: Base | None = None
        self.waivers: list[editing.RemovedWaiver] = []  # 出错说明 that went with the row
        self.notify = notify

    def redo(self) -> None:
        self.victim = getattr(self.parent, self.rel)[self.index]
        self.snapshot, self.waivers = editing.remove_child_with_waivers(self.store, self.parent, self.rel, self.index)
        self.notify(self.parent)

    def undo(self) -> None:
        assert self.victim is not None
        editing.restore_child(self.store, self.parent, self.rel, self.index, self.victim, self.waivers)
        self.notify(self.parent)


@guard_conflicts
class MoveChildCommand(QUndoCommand):
    """Move a row within its list."""

    def __init__(self, store: Store, parent: Base, rel: str, src: int, dst: int, notify: Notify, text: str = "移动") -> None:
        super().__init__(text)
        self.store, self.parent, self.rel, self.src, self.dst = store, parent, rel, src, dst
        self.notify = notify

    def redo(self) -> None:
        editing.move_child(self.store, self.parent, self.rel, self.src, self.dst)
        self.notify(self.parent)

    def undo(self) -> None:
        editing.move_child(self.store, self.parent, self.rel, self.dst, self.src)
        self.notify(self.parent)
