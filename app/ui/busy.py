"""Feedback for work that takes a while: a busy cursor and a status line while it runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


@contextmanager
def busy(parent: QWidget | None, message: str = "正在处理…") -> Iterator[None]:
    """Show a wait cursor (and ``message`` in the window's status bar) while the block runs."""
    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    window = parent.window() if parent is not None else None
    bar = window.statusBar() if isinstance(window, QMainWindow) else None
    if bar is not None:
        bar.showMessage(message)
    # Paint the cursor and the message before the work starts (no clicks meanwhile).
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
        if bar is not None and bar.currentMessage() == message:
            bar.clearMessage()
