"""新建单位 and 删除单位 in the main window are undo steps (pytest-qt, real database)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.storage.documents import list_documents
from app.services.storage.store import Store
from app.services.workspace.projects import find_document
from app.services.workspace.waivers import list_waivers, load_waivers
from app.ui.dialogs import ImportPreviewDialog, NewUnitDialog
from app.ui.editors.indicator_model import COL_VALUE
from app.ui.main_window import MainWindow
from tests.ui_helpers import click_tree

pytestmark = pytest.mark.gui


def _window(qtbot, store: Store) -> MainWindow:
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    return w


def test_new_unit_is_undoable(qtbot, store: Store, monkeypatch) -> None:
    monkeypatch.setattr(NewUnitDialog, "ask", classmethod(lambda cls, parent=None: ("422009", "测试局", 2025)))
    w = _window(qtbot, store)
    w.action_new_unit.trigger()
    doc_id = find_document(store, "422009", 2025)
    assert doc_id is not None and w.current_doc_id == doc_id
    w.action_undo.trigger()
    assert find_document(store, "422009", 2025) is None and list_documents(store) == []
    assert w.findChild(QWidget, "emptyState").isVisible()
    w.action_redo.trigger()
    assert find_document(store, "422009", 2025) is not None
    assert w.current_document().unit.name == "测试局"


def test_new_year_of_existing_unit_undo_keeps_the_unit(qtbot, store: Store, seed_docx, monkeypatch) -> None:
    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(lambda cls, r, c, parent=None: (True, None)))
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    code = w.current_document().unit.code
    monkeypatch.setattr(NewUnitDialog, "ask", classmethod(lambda cls, parent=None: (code, "", 2026)))
    w.tree_ops.new_unit()
    assert find_document(store, code, 2026) is not None
    w.action_undo.trigger()
    assert find_document(store, code, 2026) is None
    assert [d.unit_code for d in list_documents(store)] == [code]  # the unit and its 2025 stay
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    year = w.current_document().year
    monkeypatch.setattr(NewUnitDialog, "ask", classmethod(lambda cls, parent=None: (code, "", year)))
    count = w.undo_stack.count()
    w.tree_ops.new_unit()  # that year exists: told, nothing stored, no undo step
    assert warned and w.undo_stack.count() == count


def test_delete_unit_from_tree_and_undo(qtbot, store: Store, seed_docx, monkeypatch) -> None:
    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(lambda cls, r, c, parent=None: (True, None)))
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, doc.projects[4].id))
    # An edit, then a waiver, then the deletion: undo walks back through all three.
    model = w.indicator_editor.model
    model.setData(model.index(0, COL_VALUE), "≥99%")
    finding = next(f for f in w.problems.model.findings
                   if f.severity == "warning" and f.project is not None and f.row is not None)
    from app.ui.dialogs import WaiveDialog

    monkeypatch.setattr(WaiveDialog, "ask", classmethod(lambda cls, message, parent=None: "说明"))
    w.validation.waive(finding)
    action = w.tree_actions["删除单位（本年度）…"]
    assert action in w.tree.actions() and action.isEnabled()
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text) or answer[0])
    action.trigger()
    assert asked and "11个项目" in asked[0] and "单位也将一并删除" in asked[0]
    assert len(list_documents(store)) == 1  # said no
    answer[0] = QMessageBox.StandardButton.Yes
    action.trigger()
    assert list_documents(store) == [] and w.findChild(QWidget, "emptyState").isVisible()
    w.action_undo.trigger()
    (summary,) = list_documents(store)
    assert summary.id == doc.id and summary.projects == 11
    assert w.current_doc_id == doc.id
    doc = w.current_document()  # a graph loaded anew: undo never relies on the old objects
    assert len(w.tree.tree_model.unit_node(doc.id).children) == 12
    assert w.tree.tree_model.unit_node(doc.id).errors > 0 and w.problems.model.findings  # validated again
    (waiver,) = load_waivers(store, doc.id)
    project = doc.projects[finding.project - 1]
    assert waiver.project_id == project.id  # links kept, not only the key
    assert waiver.indicator_id == project.indicators[finding.row - 1].id
    w.action_undo.trigger()  # the waiver
    assert list_waivers(store, doc.id) == []
    w.action_undo.trigger()  # the edit, on the restored rows
    from app.services.storage.documents import load_document

    assert load_document(store, doc.id).projects[4].indicators[0].value_raw != "≥99%"
    for _ in range(3):
        w.action_redo.trigger()
    assert list_documents(store) == []
