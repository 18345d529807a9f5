"""Several windows on one database (SQLite file or PostgreSQL): refresh and refused edits."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.formats.importing import commit_documents
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.ui.main_window import MainWindow
from tests.test_server_db import _two_projects
from tests.workspace_helpers import set_field

pytestmark = pytest.mark.gui


@pytest.fixture
def stores(backend: str):
    a, b = Store.open(backend), Store.open(backend)
    b.user_label = "李审核@PC2"
    commit_documents(a, [_two_projects()])
    yield a, b
    b.close()
    a.close()


def _window_on_project(qtbot, store: Store, number: int) -> MainWindow:
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    doc = w.current_document()
    assert doc is not None
    assert w.tree.select_node(doc.id, doc.projects[number].id)
    assert w.current_project is doc.projects[number]
    return w


def test_other_writers_change_shows_in_the_open_project(qtbot, stores) -> None:
    a, b = stores
    w = _window_on_project(qtbot, a, 0)
    # Polled every second while the window is open (the tick is called directly below:
    # speed lives in bench/, not in timed tests).
    assert w.watcher.timer.isActive() and w.watcher.timer.interval() <= 1000
    w.watcher.timer.stop()
    assert w.project_form.fields["name"].editor.text() != "乙改的名称"
    other = load_documents(b)[0]
    set_field(b, other.projects[0], "name", "乙改的名称")
    assert w.watcher.poll()
    assert w.project_form.fields["name"].editor.text() == "乙改的名称"
    assert w.current_project is not None and w.current_project.name == "乙改的名称"
    assert "李审核@PC2" in w.statusBar().currentMessage()
    # The tree shows it too, and the window's own later edits are not mistaken for others'.
    idx = w.tree.tree_model.find(w.current_doc_id, w.current_project.id)
    assert "乙改的名称" in idx.data()
    assert w.watcher.poll() is not None and not w.watcher.poll()


def test_same_field_edit_is_refused_and_project_reloaded(qtbot, stores) -> None:
    a, b = stores
    w = _window_on_project(qtbot, a, 1)
    w.watcher.timer.stop()  # the other writer's change is not seen before the user types
    set_field(b, load_documents(b)[0].projects[1], "purpose", "乙写的用途")
    editor = w.project_form.fields["purpose"].editor
    editor.setFocus()
    editor.setPlainText("甲写的用途")
    w.project_form.commit_pending()
    # Events processed directly: an earlier test's QApplication.quit() (run_gui's start-up
    # measurement) leaves new QEventLoops returning at once, so qtbot.wait would not.
    for _ in range(3):
        QApplication.processEvents()
    box = w.findChild(QMessageBox, "editConflictMessage")
    assert box is not None
    assert "李审核@PC2" in box.text() and "资金用途" in box.text() and "甲写的用途" in box.text()
    box.close()
    assert load_documents(a)[0].projects[1].purpose == "乙写的用途"  # the other's edit kept
    assert w.current_project is not None and w.current_project.purpose == "乙写的用途"
    # The refused value is not dropped: it stays in the field, marked 未保存 (app/ui/unsaved.py),
    # until the user saves it over the other's or abandons it.
    field = w.project_form.fields["purpose"]
    assert field.editor.toPlainText() == "甲写的用途" and field.unsaved is not None
    assert w.undo_stack.count() == 0  # the refused edit is not an undo step
    w.edits.unsaved.abandon()
    assert field.editor.toPlainText() == "乙写的用途" and field.unsaved is None


def test_connect_server_action(qtbot, stores, monkeypatch) -> None:
    from app.ui import server_db

    a, _b = stores
    w = MainWindow(a)
    qtbot.addWidget(w)
    action = w.findChild(type(w.action_connect_server), "actionConnectServer")
    assert action is not None and action.text().startswith("连接服务器数据库")
    dialog = server_db.ServerAddressDialog(w)
    dialog.address.setText("postgresql+psycopg://u:pw@host/db")
    dialog.accept()
    assert "不能包含密码" in dialog.error.text() and dialog.result() == 0
    dialog.address.setText("postgresql+psycopg://u@host/db")
    dialog.accept()
    assert dialog.result() == 1
