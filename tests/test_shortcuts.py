"""One table of shortcuts: no key shared by two actions active together; Excel/WPS keys work."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from app.services.storage.store import Store
from app.ui.editors.indicator_delegates import editor_line
from app.ui.main_window import MainWindow
from app.ui.shortcuts import SHORTCUTS, conflicts, keys
from tests.ui_helpers import wait_shown

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:  # noqa: ANN001
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 698)
    w.show()
    wait_shown(qtbot, w)
    w.files.open_sample()
    doc = w.current_document()
    w.documents.select_project(doc, doc.projects[0])
    w.activateWindow()
    QApplication.processEvents()
    return w


def test_no_two_active_actions_share_a_key(window: MainWindow) -> None:
    assert conflicts(window) == []
    # The check is real: a window-wide Ctrl+I (导入 as it was) collides with 下方插入行.
    clash = QAction("导入（旧）", window)
    clash.setShortcut(QKeySequence("Ctrl+I"))
    window.addAction(clash)
    assert ("Ctrl+I", "下方插入行", "导入（旧）") in conflicts(window)


def test_table_names_every_key_once() -> None:
    seen: dict[tuple[str, str], str] = {}
    for name, (context, _keys) in SHORTCUTS.items():
        for k in keys(name):
            for other_context in {context, "window"} if context != "window" else set(ctx for ctx, _ in SHORTCUTS.values()):
                clash = seen.get((other_context, k.toString()))
                assert clash is None, f"{name} and {clash} share {k.toString()}"
            seen[(context, k.toString())] = name
    assert window_key("import") == "Ctrl+Shift+O"


def window_key(name: str) -> str:
    return keys(name)[0].toString()


def test_ctrl_i_inserts_a_row_in_the_table(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    view = window.indicator_editor.view
    view.setFocus()
    n = view.model().rowCount()
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert view.model().rowCount() == n + 1
    assert window.action_import.shortcut().toString() == "Ctrl+Shift+O"


def test_excel_keys_in_the_table(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    editor = window.indicator_editor
    view, model = editor.view, editor.model
    view.setFocus()
    # Ctrl+; puts today's date in the current cell.
    view.setCurrentIndex(model.index(0, 3))
    qtbot.keyClick(view, Qt.Key.Key_Semicolon, Qt.KeyboardModifier.ControlModifier)
    today = date.today()
    assert model.raw(0, 3) == f"{today.year}年{today.month}月{today.day}日"
    # Delete clears it; Ctrl+Z brings it back.
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert model.raw(0, 3) == ""
    window.action_undo.trigger()
    assert model.raw(0, 3).endswith("日")
    # Ctrl+Enter while typing fills every selected cell, as one undo step.
    before = [model.raw(r, 3) for r in range(3)]
    view.setCurrentIndex(model.index(0, 3))
    view.select_block(0, 3, 2, 3)
    view.edit(model.index(0, 3))
    QApplication.processEvents()
    cell = editor.delegate.active_editor
    assert cell is not None
    typed = editor_line(cell)
    if isinstance(typed, QPlainTextEdit):
        typed.setPlainText("统一描述")
    else:
        typed.setText("统一描述")  # type: ignore[attr-defined]
    qtbot.keyClick(typed, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [model.raw(r, 3) for r in range(3)] == ["统一描述"] * 3
    window.action_undo.trigger()
    assert [model.raw(r, 3) for r in range(3)] == before
    # Ctrl+D fills down from the row above.
    view.setCurrentIndex(model.index(1, 2))
    view.select_block(1, 2, 1, 2)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert model.raw(1, 2) == model.raw(0, 2)


def test_f2_edits_a_cell_and_renames_in_the_tree(qtbot, window: MainWindow, monkeypatch) -> None:  # noqa: ANN001
    from app.ui.controllers import tree_actions

    view = window.indicator_editor.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 2))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.state() == view.State.EditingState
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    asked: list[str] = []
    monkeypatch.setattr(tree_actions, "ask_text", lambda *a: asked.append(a[1]) or None)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_F2)
    assert asked == ["重命名项目"]
