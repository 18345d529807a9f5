"""Long work shows a Chinese progress dialog with 取消, and a cancelled export writes nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog, QPushButton

from app.services.errors import PerfGoalsError
from app.services.storage.store import Store
from app.ui import busy
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _visible_progress() -> QProgressDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QProgressDialog) and widget.isVisible():
            return widget
    return None


def _press_cancel_when_shown(qtbot, seen: list[str]) -> None:  # noqa: ANN001
    """Once the dialog is up, note its texts and press its 取消 like a user."""
    def poll() -> None:
        dialog = _visible_progress()
        if dialog is None:
            QTimer.singleShot(50, poll)
            return
        button = dialog.findChild(QPushButton)
        seen.extend([dialog.labelText(), button.text(), dialog.objectName()])
        button.click()
    QTimer.singleShot(50, poll)


def test_short_work_shows_no_dialog_and_returns_its_result(qtbot) -> None:
    assert busy.run_cancellable(None, "正在导出…", lambda: 42) == 42
    assert _visible_progress() is None


def test_errors_of_the_work_reach_the_caller(qtbot) -> None:
    def fail() -> None:
        raise PerfGoalsError("文件“x”无法写入")
    with pytest.raises(PerfGoalsError, match="无法写入"):
        busy.run_cancellable(None, "正在导出…", fail)


def test_cancel_stops_waiting_and_discards_what_was_made(qtbot, tmp_path: Path) -> None:
    release = threading.Event()
    discarded = threading.Event()
    seen: list[str] = []
    _press_cancel_when_shown(qtbot, seen)
    started = time.monotonic()
    with pytest.raises(busy.Cancelled):
        busy.run_cancellable(None, "正在导出…", lambda: release.wait(60), discarded.set)
    assert time.monotonic() - started < 30  # did not wait for the work
    assert seen == ["正在导出…", "取消", "progressDialog"]
    assert not discarded.is_set()  # the work is still running
    release.set()
    assert discarded.wait(20)  # and its leftovers go when it ends


def test_cancelled_write_leaves_the_target_untouched(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "导出.docx"
    out.write_bytes(b"old")
    release = threading.Event()

    def write(scratch: Path) -> None:
        scratch.write_bytes(b"half")
        release.wait(60)

    _press_cancel_when_shown(qtbot, [])
    with pytest.raises(busy.Cancelled):
        busy.write_cancellable(None, "正在导出…", out, write)
    release.set()
    qtbot.waitUntil(lambda: sorted(p.name for p in tmp_path.iterdir()) == ["导出.docx"], timeout=20000)
    assert out.read_bytes() == b"old"


def test_finished_write_moves_the_file_into_place(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    assert busy.write_cancellable(None, "正在导出…", out, lambda p: p.write_text("{}")) == out
    assert out.read_text() == "{}" and [p.name for p in tmp_path.iterdir()] == ["a.json"]
    with pytest.raises(PerfGoalsError, match="目标文件夹不存在"):
        busy.write_cancellable(None, "正在导出…", tmp_path / "no" / "b.json", lambda p: None)


def test_loop_progress_reports_counts_and_stops_on_cancel(qtbot) -> None:
    names: list[str] = []
    with busy.progress(None, "正在导入…") as step:
        for n in range(1000):
            if not step(n, 1000, f"第{n}个.docx"):
                break
            names.append(f"{n}")
            time.sleep(0.002)
            dialog = _visible_progress()
            if dialog is not None:
                assert dialog.labelText().startswith("正在导入…\n") and "/1000" in dialog.labelText()
                dialog.cancel()
    assert 0 < len(names) < 1000


def test_window_export_cancelled_writes_nothing(qtbot, store: Store, monkeypatch, tmp_path: Path) -> None:
    from app.services.formats import file_io

    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.files.open_sample()
    out = tmp_path / "usb" / "单位.docx"
    out.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr("app.ui.dialogs.ExportScopeDialog.ask", lambda options, parent=None: "unit")
    real = file_io.export_documents
    release = threading.Event()

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        path = real(*args, **kwargs)
        release.wait(60)
        return path

    monkeypatch.setattr(file_io, "export_documents", slow)
    _press_cancel_when_shown(qtbot, [])
    assert w.files.export_as("docx") is None
    assert "已取消" in w.statusBar().currentMessage()
    release.set()
    qtbot.waitUntil(lambda: not list(out.parent.iterdir()), timeout=20000)  # scratch folder gone too
