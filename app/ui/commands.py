"""The one undo history of the window: ops of the workspace behind one QUndoCommand adapter.

Editors, the tree, the problems panel and the spending views take an :class:`Edits`, turn
what the user did into an op (:mod:`app.services.workspace.ops`) and push it. The op is
applied at once (committed to the database); undo applies its inverse. Whatever changed is
announced by the ``changed`` signal with a :class:`Changes`, from which views refresh; a
refused op reaches ``failed`` as one Chinese line and leaves nothing on the stack; the values a
refused write carried stay in :attr:`Edits.unsaved` (shown in their cells) until saved or abandoned.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.models import Document, Project
from app.models.document import Base
from app.services.errors import PerfGoalsError, StorageError
from app.services.storage.conflicts import EditConflictError
from app.services.storage.store import Store
from app.services.validation import waivable
from app.services.workspace.changes import Changes
from app.services.workspace.ops import (
    Batch,
    DeleteRow,
    FieldValue,
    InsertRow,
    MoveRow,
    Op,
    Ref,
    SetExecution,
    SetFields,
    SetWaiver,
)
from app.services.workspace.workspace import Workspace, row_snapshot
from app.ui.conflicts import conflict_relay
from app.ui.unsaved import UnsavedEdits

log = logging.getLogger(__name__)

UNSAVED_HINT = "输入的内容仍留在单元格中（橙色，标为未保存）；右键可“重试保存”或“放弃未保存的修改”。"
_MERGE_ID = 0x5047  # consecutive typing in one field merges into one undo step


class OpCommand(QUndoCommand):
    """An applied op on the undo stack: undo applies its inverse, redo the op again."""

    def __init__(self, edits: Edits, op: Op, inverse: Op, text: str, merge_key: object | None = None) -> None:
        super().__init__(text)
        self.edits, self.op, self.inverse = edits, op, inverse
        # Commands with the same merge_key (one typing session in one form field) merge into
        # one undo step; None never merges.
        self.merge_key = merge_key
        self._applied = True  # pushed after it was applied: the first redo() does nothing

    def id(self) -> int:
        return _MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, OpCommand) or other.merge_key != self.merge_key:
            return False
        if not (isinstance(self.op, SetFields) and isinstance(other.op, SetFields)):
            return False
        if [(i.ref, i.field) for i in self.op.items] != [(i.ref, i.field) for i in other.op.items]:
            return False
        self.op = other.op  # the inverse keeps the values from before the first keystroke
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        result = self.edits.run(self.op)
        if result is not None:
            self.inverse = result

    def undo(self) -> None:
        result = self.edits.run(self.inverse)
        if result is not None:
            self.op = result


class Edits(QObject):
    """The undo stack of the workspace and the signals views refresh from."""

    changed = Signal(object)  # Changes
    failed = Signal(str)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.stack = QUndoStack(self)
        self.pushing = False  # True while a new edit (not an undo or redo) is applied
        self.unsaved = UnsavedEdits(self)  # typed values a refused write did not store

    @property
    def store(self) -> Store:
        return self.workspace.store

    def set_workspace(self, workspace: Workspace) -> None:
        """Work on another database: the history of the old one is dropped."""
        self.stack.clear()
        self.unsaved.abandon()
        self.workspace = workspace

    # ------------------------------------------------------------------ running ops
    def run(self, op: Op) -> Op | None:
        """Apply ``op`` (from the stack: undo or redo); the inverse, or None when refused."""
        try:
            inverse, changes = self.workspace.apply(op)
        except (PerfGoalsError, LookupError, ValueError) as exc:
            log.warning("undo/redo failed: %s", exc)
            # The history no longer matches what is stored: start it afresh.
            QTimer.singleShot(0, self.stack.clear)
            if isinstance(exc, EditConflictError):
                conflict_relay.report(self.store, exc)  # the window tells who, and reloads
                return None
            self.failed.emit(exc.message if isinstance(exc, PerfGoalsError) else f"无法撤销或重做：{exc}")
            return None
        self.changed.emit(changes)
        return inverse

    def push(self, op: Op, text: str, merge_key: object | None = None) -> Changes | None:
        """Apply a new op and put it on the stack; what changed, or None when refused.

        When the write itself fails (locked, disk full, read-only, or another writer changed
        the field first), the values the op carried are kept in :attr:`unsaved`: the cells
        show them as unsaved until a retry stores them or the user abandons them.
        """
        self.pushing = True
        try:
            inverse, changes = self.workspace.apply(op)
            self.unsaved.written(self.workspace, op)
            # Views follow before the stack moves: the window flushes on indexChanged.
            self.changed.emit(changes)
            self.stack.push(OpCommand(self, op, inverse, text, merge_key))
        except EditConflictError as exc:
            self.unsaved.keep(self.workspace, op, exc.message)
            # Another writer changed it first: the window tells who and reloads the project.
            conflict_relay.report(self.store, exc)
            return None
        except StorageError as exc:
            kept = self.unsaved.keep(self.workspace, op, exc.message)
            self.failed.emit(f"{exc.message}\n\n{UNSAVED_HINT}" if kept else exc.message)
            return None
        except PerfGoalsError as exc:
            self.failed.emit(exc.message)
            return None
        finally:
            self.pushing = False
        return changes

    def retry_unsaved(self) -> Changes | None:
        """Write every unsaved value again, as one undo step; what changed, or None."""
        op = self.unsaved.retry_op(self.workspace)
        if op is None:
            self.unsaved.changed.emit()
            return None
        return self.push(op, "保存未保存的修改")

    # ------------------------------------------------------------------ ops from objects
    def set_fields(self, changes: Sequence[tuple[Base, str, Any]], text: str = "编辑",
                   merge_key: object | None = None) -> Changes | None:
        """Set fields of rows of open documents ((object, field, value) triples) as one step."""
        ref_of = self.workspace.ref_of
        return self.push(SetFields(tuple(FieldValue(ref_of(o), f, v) for o, f, v in changes)), text, merge_key)

    def insert_ops(self, parent: Base, rel: str, index: int, values: dict[str, Any] | Base) -> InsertRow:
        """The op inserting ``values`` (column values or a transient row) at ``parent.<rel>[index]``."""
        return InsertRow(self._child_ref(parent, rel, index), row_snapshot(values))

    def insert_row(self, parent: Base, rel: str, index: int, values: dict[str, Any] | Base,
                   text: str = "插入") -> Changes | None:
        return self.push(self.insert_ops(parent, rel, index, values), text)

    def delete_rows(self, parent: Base, rel: str, indexes: list[int], text: str = "删除") -> Changes | None:
        """Delete rows of ``parent.<rel>`` as one step (from the last, so positions hold)."""
        ops = tuple(DeleteRow(self._child_ref(parent, rel, i)) for i in sorted(set(indexes), reverse=True))
        return self.push(ops[0] if len(ops) == 1 else Batch(ops), text) if ops else None

    def move_row(self, parent: Base, rel: str, src: int, dst: int, text: str = "移动") -> Changes | None:
        return self.push(MoveRow(self._child_ref(parent, rel, src), dst), text)

    def set_executions(self, items: list[tuple[Project, int, str | None]], text: str = "录入执行数") -> Changes | None:
        """Record 执行数 ((project, month, text) triples) as one step, all or nothing."""
        ops = tuple(SetExecution(self.workspace.ref_of(p), m, t) for p, m, t in items)
        return self.push(ops[0] if len(ops) == 1 else Batch(ops), text) if ops else None

    def waive(self, doc: Document, finding: Any, explanation: str | None) -> Changes | None:
        """Write (or with None withdraw) the 出错说明 of a finding; errors cannot be waived."""
        rule = getattr(finding, "rule", "")
        if explanation is not None and not waivable(finding):
            self.failed.emit(f"错误（{rule}）不能通过出错说明豁免，请修改数据")
            return None
        op = SetWaiver(self.workspace.ref_of(doc).doc_id, finding.key, rule, getattr(finding, "field", None),
                       getattr(finding, "project", None), getattr(finding, "row", None), explanation)
        return self.push(op, f"豁免{rule}" if explanation is not None else f"取消豁免{rule}")

    def _child_ref(self, parent: Base, rel: str, index: int) -> Ref:
        return self.workspace.child_ref(parent, rel, index)
