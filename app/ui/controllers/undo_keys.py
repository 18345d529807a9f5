"""Ctrl+Z / Ctrl+Y in a form field reach the window's one undo history.

A line or text field would otherwise take the keys for its own, private undo of what was
typed in it, so after a table edit Ctrl+Z in a form field did nothing to the table. Here the
keys are taken from the field: what was typed is committed first (one step, as leaving the
field would), then the history is undone or redone as from the 编辑 menu.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

_REDO_Y = QKeySequence("Ctrl+Y")


def is_history_key(event: QKeyEvent) -> bool:
    """Undo or redo, as the window's 编辑 menu binds them."""
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    return QKeySequence(event.keyCombination()) == _REDO_Y


class UndoKeys(QObject):
    """Routes the undo keys of text fields to the window's actions.

    Args:
        commit_pending: commits what is typed but not yet stored (the forms' pending text).
        fields: the text fields to watch (the forms' editors).
        undo, redo: step the window's history.
    """

    def __init__(self, commit_pending: Callable[[], None], fields: Iterable[QWidget],
                 undo: Callable[[], None], redo: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._commit_pending, self._undo, self._redo = commit_pending, undo, redo
        for field in fields:
            if isinstance(field, (QLineEdit, QPlainTextEdit, QTextEdit)):
                field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(event, QKeyEvent) or not is_history_key(event):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes here as a key press, not to a window shortcut
            return True
        if event.type() == QEvent.Type.KeyPress:
            self._commit_pending()
            (self._undo if event.matches(QKeySequence.StandardKey.Undo) else self._redo)()
            return True
        return False
