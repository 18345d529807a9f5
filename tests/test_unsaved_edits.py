"""An edit the database refuses (another program holds its write lock) is never dropped: the
typed value stays in the cell marked 未保存 until a retry stores it or the user abandons it,
and no undo step is left behind (pytest-qt on the seed document, a real locked SQLite file)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import app.services.storage.store as store_module
from app.services.storage.documents import load_document
from app.services.storage.store import Store
from app.ui.dialogs import ImportPreviewDialog
from app.ui.editors.indicator_model import COL_BASIS, COL_VALUE
from app.ui.main_window import MainWindow
from app.ui.unsaved import UNSAVED_BG

pytestmark = pytest.mark.gui


@pytest.fixture
def warned(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    return shown


@pytest.fixture
def window(qtbot, db_path: Path, seed_docx: Path, monkeypatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)  # a lock wait fails at once
    monkeypatch.setattr(ImportPreviewDialog, "ask",
                        classmethod(lambda cls, report, conflicts, parent=None: (True, None)))
    store = Store.open(db_path)
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    assert doc is not None
    w.tree.select_node(doc.id, doc.projects[0].id)
    yield w
    store.close()


class _Lock:
    """Another program holding the database's write lock (an open exclusive transaction)."""

    def __init__(self, db_path: Path) -> None:
        self.conn = sqlite3.connect(db_path, isolation_level=None)
        self.conn.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def _stored_value(w: MainWindow, row: int, attr: str) -> str | None:
    doc = w.current_document()
    assert doc is not None and w.current_project is not None
    stored = load_document(w.edits.store, doc.id)
    project = next(p for p in stored.projects if p.id == w.current_project.id)
    return getattr(project.indicators[row], attr)  # type: ignore[no-any-return]


def test_locked_write_keeps_the_typed_value_until_retried(window: MainWindow, db_path: Path, warned) -> None:
    model = window.indicator_editor.model
    before = model.raw(0, COL_VALUE)
    steps = window.edits.stack.count()
    idx = model.index(0, COL_VALUE)
    lock = _Lock(db_path)
    try:
        assert model.setData(idx, "≥95%") is False
    finally:
        lock.release()
    # Told why, the value still in the cell, marked, and no undo step for a write that did not happen.
    assert len(warned) == 1 and "已锁定" in warned[0] and "未保存" in warned[0]
    assert model.data(idx, Qt.ItemDataRole.DisplayRole) == "≥95%"
    assert model.data(idx, Qt.ItemDataRole.EditRole) == "≥95%"
    assert model.data(idx, Qt.ItemDataRole.BackgroundRole).color().name() == UNSAVED_BG
    assert model.data(idx, Qt.ItemDataRole.ToolTipRole).startswith("未保存：")
    assert window.edits.stack.count() == steps
    assert _stored_value(window, 0, "value_raw") == before
    # The lock is gone: 重试保存 from the cell's context menu stores it, as one undo step.
    assert window.indicator_editor.act_retry_unsaved.objectName() == "retryUnsaved"
    window.indicator_editor.act_retry_unsaved.trigger()
    assert _stored_value(window, 0, "value_raw") == "≥95%"
    assert not window.edits.unsaved
    assert not str(model.data(idx, Qt.ItemDataRole.ToolTipRole) or "").startswith("未保存")
    assert window.edits.stack.count() == steps + 1
    window.action_undo.trigger()
    assert _stored_value(window, 0, "value_raw") == before


def test_abandoned_value_shows_the_stored_one_again(window: MainWindow, db_path: Path, warned) -> None:
    model = window.indicator_editor.model
    before = model.raw(1, COL_BASIS)
    idx = model.index(1, COL_BASIS)
    lock = _Lock(db_path)
    try:
        model.setData(idx, "年度工作计划（改）")
        assert model.data(idx, Qt.ItemDataRole.DisplayRole) == "年度工作计划（改）"
        # Still locked: a retry fails again and keeps the value (one more message, no step).
        steps = window.edits.stack.count()
        window.edits.retry_unsaved()
        assert len(warned) == 2 and window.edits.stack.count() == steps
        assert model.data(idx, Qt.ItemDataRole.DisplayRole) == "年度工作计划（改）"
    finally:
        lock.release()
    window.indicator_editor.act_abandon_unsaved.trigger()
    assert model.data(idx, Qt.ItemDataRole.DisplayRole) == before
    assert "未保存" not in str(model.data(idx, Qt.ItemDataRole.ToolTipRole) or "")
    assert _stored_value(window, 1, "basis") == before


def test_typing_again_after_the_lock_is_gone_saves_it(window: MainWindow, db_path: Path, warned) -> None:
    model = window.indicator_editor.model
    idx = model.index(0, COL_BASIS)
    lock = _Lock(db_path)
    try:
        model.setData(idx, "依据甲")
    finally:
        lock.release()
    assert window.edits.unsaved
    assert model.setData(idx, "依据乙") is True
    assert not window.edits.unsaved and _stored_value(window, 0, "basis") == "依据乙"


def test_project_form_field_keeps_a_refused_value(window: MainWindow, db_path: Path, warned) -> None:
    form = window.project_form
    name = form.fields["name"]
    before = window.current_project.name
    lock = _Lock(db_path)
    try:
        name.editor.setText("新名称")
        form._commit("name")
        form.refresh()  # what any later view update does: the refused value stays shown
    finally:
        lock.release()
    assert len(warned) == 1 and name.editor.text() == "新名称"
    assert name.unsaved is not None and name.editor.toolTip().startswith("未保存：")
    window.edits.unsaved.abandon()
    assert name.editor.text() == (before or "") and name.unsaved is None


def test_closing_with_an_unsaved_value_asks_first(qtbot, window: MainWindow, db_path: Path, warned) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox as Box

    lock = _Lock(db_path)
    try:
        assert window.indicator_editor.model.setData(window.indicator_editor.model.index(0, COL_VALUE), "≥77%") is False
    finally:
        lock.release()
    assert window.edits.unsaved
    window.close()
    box = window.findChild(Box, "unsavedOnClose")
    assert window.isVisible() and box is not None and box.isVisible()  # not closed, not dropped
    keep = next(b for b in box.buttons() if b.text() == "返回继续编辑")
    keep.click()
    assert window.isVisible() and window.edits.unsaved
    window.close()
    box = window.findChild(Box, "unsavedOnClose")
    discard = next(b for b in box.buttons() if b.text() == "放弃修改并关闭")
    discard.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert not window.edits.unsaved
