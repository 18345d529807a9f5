"""The menu bar is built from app/ui/menus.py's table: every row becomes one action that runs
its slot, with its key from app/ui/shortcuts.py."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenu

from app.services.storage.store import Store
from app.ui.main_window import MainWindow
from app.ui.menus import Item, menu_table
from app.ui.shortcuts import SHORTCUTS

pytestmark = pytest.mark.gui


def _texts(menu: QMenu) -> list[str]:
    out = []
    for action in menu.actions():
        out.append(action.text())
        if action.menu() is not None:
            out += _texts(action.menu())
    return out


def test_every_row_is_one_action_with_its_key(qtbot, store: Store, monkeypatch) -> None:
    w = MainWindow(store)
    qtbot.addWidget(w)
    texts = [t for a in w.menuBar().actions() for t in [a.text(), *_texts(a.menu())]]
    for title, name, entries in menu_table():
        assert w.findChild(QMenu, name).title() == title
        for item in (e for e in entries if isinstance(e, Item)):
            assert texts.count(item.text) == 1, item.text
            assert item.key is None or item.key in SHORTCUTS
            if item.attr:
                assert getattr(w, item.attr).text() == item.text
    assert w.action_import.shortcut().toString() == "Ctrl+Shift+O"
    # a row runs its slot on the window
    called: list[str] = []
    monkeypatch.setattr(w.layout_state, "reset", lambda: called.append("reset"))
    w.action_reset_layout.trigger()
    monkeypatch.setattr(w.tree_ops, "move_project", lambda step: called.append(f"move {step}"))
    w.tree_actions["下移项目"].setEnabled(True)
    w.tree_actions["下移项目"].trigger()
    assert called == ["reset", "move 1"]
