"""Feedback for work that takes a while: a busy cursor, a progress dialog, cancelling.

* :func:`busy` — wait cursor and a status line around short work (well under a few seconds).
* :func:`progress` — a loop that reports ``step(done, total, name)`` and stops when it
  returns False (取消); the dialog appears only if the loop runs past :data:`SHOW_AFTER_MS`.
* :func:`run_cancellable` — one long call (an export, a report) run off the GUI thread with
  a 取消 button; cancelling drops its result. Callers write into a scratch folder and move the
  file into place only when not cancelled (:func:`write_cancellable`), so nothing half-written
  is left behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QProgressDialog, QWidget

from app.services.errors import PerfGoalsError, file_error

T = TypeVar("T")
SHOW_AFTER_MS = 500  # the threshold: anything longer shows its progress
Step = Callable[[int, int, str], bool]  # done, total, name → go on?


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


def progress_dialog(parent: QWidget | None, label: str, total: int = 0) -> QProgressDialog:
    """The one progress dialog: Chinese label, 取消, window-modal, shown after 0.5 s.

    ``total`` 0 shows a busy bar (no count known).
    """
    dialog = QProgressDialog(label, "取消", 0, total, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setValue(0)  # starts the 0.5 s clock
    return dialog


def _dispose(dialog: QProgressDialog) -> None:
    dialog.reset()
    dialog.hide()
    dialog.deleteLater()


@contextmanager
def progress(parent: QWidget | None, label: str) -> Iterator[Step]:
    """A progress callback for a loop: ``step(done, total, name)`` returns False once 取消.

    The wait cursor shows from the start; the dialog (“label  3/12 name”) once the loop has
    run for half a second.
    """
    dialog = progress_dialog(parent, label)

    def step(done: int, total: int, name: str = "") -> bool:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(f"{label}\n{done}/{total} {name}".rstrip())
        QApplication.processEvents()
        return not dialog.wasCanceled()

    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield step
    finally:
        QGuiApplication.restoreOverrideCursor()
        _dispose(dialog)


class Cancelled(Exception):  # noqa: N818 - reads as what happened
    """The user pressed 取消; whatever the work made has been or will be thrown away."""


def run_cancellable(parent: QWidget | None, label: str, work: Callable[[], T],
                    discard: Callable[[], None] | None = None) -> T:
    """Run ``work`` on a worker thread behind a progress dialog with 取消.

    The work must not touch Qt objects nor change the documents the window shows (it only
    reads them). On 取消 the dialog closes at once; the thread is left to finish and then
    ``discard`` runs (on that thread) to remove what it made.

    Raises:
        Cancelled: the user pressed 取消.
        Exception: whatever ``work`` raised.
    """
    outcome: dict[str, object] = {}
    lock = threading.Lock()
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the GUI thread
            outcome["error"] = exc
        with lock:
            done.set()
            abandoned = outcome.get("cancelled", False)
        if abandoned and discard is not None:
            discard()

    dialog = progress_dialog(parent, label)
    QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    worker = threading.Thread(target=run, name="perfgoals-work", daemon=True)
    try:
        worker.start()
        while not done.wait(0.02):
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if dialog.wasCanceled():
                with lock:
                    if not done.is_set():
                        outcome["cancelled"] = True
                        raise Cancelled
                break
    finally:
        QGuiApplication.restoreOverrideCursor()
        _dispose(dialog)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def write_cancellable(parent: QWidget | None, label: str, out: str | Path,
                      write: Callable[[Path], object]) -> Path:
    """Write ``out`` with ``write(scratch_path)`` behind a cancellable progress dialog.

    The file is written into a scratch folder beside ``out`` and moved into place only when
    the user did not cancel: a cancelled export leaves ``out`` as it was.

    Raises:
        Cancelled: the user pressed 取消 (``out`` untouched).
        Exception: whatever ``write`` raised (``out`` untouched).
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise file_error(out, "的目标文件夹不存在", PerfGoalsError)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=".perfgoals-", dir=out.parent))
    except OSError as exc:
        raise file_error(out, f"无法写入：{exc.strerror or exc}", PerfGoalsError) from exc
    target = scratch / out.name

    def discard() -> None:
        shutil.rmtree(scratch, ignore_errors=True)

    try:
        run_cancellable(parent, label, lambda: write(target), discard)
    except Cancelled:
        raise  # the worker removes the scratch folder when it ends
    except BaseException:
        discard()
        raise
    try:
        os.replace(target, out)
    except OSError as exc:
        raise file_error(out, f"写入失败：{exc.strerror or exc}", PerfGoalsError) from exc
    finally:
        discard()
    return out
