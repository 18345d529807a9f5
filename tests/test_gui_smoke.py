"""The main window opens offscreen on its empty state."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenuBar, QWidget

from app.services.storage.store import Store
from app.ui.main import install_font
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_window_opens_on_empty_state(qtbot, store: Store, qapp) -> None:
    assert install_font(qapp) is not None
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    empty = window.findChild(QWidget, "emptyState")
    assert empty is not None and empty.isVisible()
    menus = [a.text() for a in window.findChild(QMenuBar).actions()]
    assert [m.split("(")[0] for m in menus] == ["文件", "编辑", "视图", "帮助"]
    assert window.findChild(QWidget, "emptyImportButton").isVisible()
    assert window.findChild(QWidget, "emptySampleButton").isVisible()
    assert window.findChild(QWidget, "emptyNewUnitButton").isVisible()


def test_new_unit_leaves_empty_state(qtbot, store: Store, monkeypatch) -> None:
    from app.ui.dialogs import NewUnitDialog

    monkeypatch.setattr(NewUnitDialog, "ask", classmethod(lambda cls, parent=None: ("422009", "测试局", 2025)))
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.findChild(QWidget, "emptyNewUnitButton").click()
    assert not window.findChild(QWidget, "emptyState").isVisible()
