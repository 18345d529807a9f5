"""One undo history in the window: deletes, imports and keys from any widget (pytest-qt, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.services.formats.json_format import document_to_dict, read_json, write_json
from app.services.storage.documents import load_document, load_documents
from app.services.storage.store import Store
from app.ui.dialogs import ExportScopeDialog, ImportPreviewDialog, WaiveDialog
from app.ui.editors.indicator_model import COL_BASIS
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def answers(monkeypatch):
    """The import preview answers 替换 (replace) when asked about conflicts."""
    monkeypatch.setattr(ImportPreviewDialog, "ask",
                        classmethod(lambda cls, report, conflicts, parent=None: (True, "replace" if conflicts else None)))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    return warned


def _window(qtbot, store: Store, seed_docx: Path) -> MainWindow:
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.import_paths([str(seed_docx)])
    return w


def _open_project(w: MainWindow, number: int) -> None:
    doc = w.current_document()
    assert doc is not None
    w.tree.select_node(doc.id, doc.projects[number - 1].id)
    assert w.current_project is doc.projects[number - 1]


def test_delete_project_with_execution_and_waiver_then_undo(qtbot, store: Store, seed_docx, answers,
                                                             monkeypatch, tmp_path) -> None:
    w = _window(qtbot, store, seed_docx)
    doc = w.current_document()
    finding = next(f for f in w.problems.model.findings if f.project and f.severity == "warning")
    number = finding.project
    _open_project(w, number)
    monkeypatch.setattr(WaiveDialog, "ask", classmethod(lambda cls, message, parent=None: "按上级文件口径"))
    w.validation.waive(finding)
    w.edits.set_executions([(w.current_project, 3, "12.5"), (w.current_project, 6, "30")])
    monkeypatch.setattr("app.ui.controllers.tree_actions.confirm", lambda *a, **k: True)
    w.tree_ops.delete_project()
    stored = load_document(store, doc.id)
    assert len(stored.projects) == len(doc.projects) and all(w_.location != finding.key for w_ in stored.waivers)
    w.action_undo.trigger()
    stored = load_document(store, doc.id)
    project = stored.projects[number - 1]
    assert [(e.month, e.amount_raw) for e in project.executions] == [(3, "12.5"), (6, "30")]
    (waiver,) = [x for x in stored.waivers if x.location == finding.key]
    assert waiver.explanation == "按上级文件口径" and waiver.project is project
    # The window's export (scope 整个单位) carries both again.
    out = tmp_path / "导出.json"
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: "unit"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    w.files.export_as("json")
    (exported,) = read_json(out)
    assert [(e.month, e.amount_raw) for e in exported.projects[number - 1].executions] == [(3, "12.5"), (6, "30")]
    assert "按上级文件口径" in {x.explanation for x in exported.waivers}
    # The open graph shows what is stored: the problems panel counts the waiver.
    assert any(f.key == finding.key and f.waived for f in w.problems.model.findings)


def test_replace_import_with_two_projects_sharing_a_code_is_refused(qtbot, store: Store, seed_docx, answers,
                                                                     tmp_path) -> None:
    w = _window(qtbot, store, seed_docx)
    doc = w.current_document()
    before = document_to_dict(load_document(store, doc.id))
    data = json.loads(json.dumps(before))
    first = data["projects"][0]
    data["projects"] = [dict(first, name="甲项目"), dict(first, name="乙项目")]
    data["waivers"] = []
    path = tmp_path / "两个同编码.json"
    (incoming,) = read_json_dicts([data])
    write_json(path, [incoming])
    steps = w.undo_stack.count()
    assert w.import_paths([str(path)]) == []
    assert answers and "同一项目编码" in answers[-1] and "两个同编码.json" in answers[-1]
    assert "未导入任何内容" in answers[-1]
    assert document_to_dict(load_document(store, doc.id)) == before
    assert w.undo_stack.count() == steps


def read_json_dicts(items: list[dict]) -> list:
    from app.services.formats.json_format import document_from_dict

    return [document_from_dict(d) for d in items]


def test_an_import_is_one_undoable_step(qtbot, store: Store, seed_docx, answers, tmp_path) -> None:
    w = _window(qtbot, store, seed_docx)
    doc = w.current_document()
    original = doc.projects[1].name
    _open_project(w, 2)
    w.edits.set_fields([(w.current_project, "name", "先改的名字")], "重命名项目")
    changed = load_document(store, doc.id)
    changed.projects[1].name = "文件里的名字"
    path = tmp_path / "更新.json"
    write_json(path, [changed])
    w.import_paths([str(path)])
    assert load_documents(store)[0].projects[1].name == "文件里的名字"
    assert w.undo_stack.undoText().startswith("导入")
    w.action_undo.trigger()  # the import
    assert load_documents(store)[0].projects[1].name == "先改的名字"
    assert w.current_document().projects[1].name == "先改的名字"
    w.action_undo.trigger()  # the rename before it, on the restored rows
    assert load_documents(store)[0].projects[1].name == original
    w.action_redo.trigger()
    w.action_redo.trigger()
    assert load_documents(store)[0].projects[1].name == "文件里的名字"


def test_ctrl_z_in_a_form_field_undoes_the_table_edit(qtbot, store: Store, seed_docx, answers) -> None:
    w = _window(qtbot, store, seed_docx)
    _open_project(w, 1)
    model = w.indicator_editor.model
    old = model.raw(0, COL_BASIS)
    model.setData(model.index(0, COL_BASIS), "表格里改的依据")
    field = w.project_form.fields["name"].editor
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.raw(0, COL_BASIS) == old
    assert load_documents(store)[0].projects[0].indicators[0].basis == old
    qtbot.keyClick(field, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert model.raw(0, COL_BASIS) == "表格里改的依据"
    # Typed text in the field is committed first, then undone as one step with Ctrl+Z.
    name = w.current_project.name
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.current_project.name == name and field.text() == (name or "")
    assert load_documents(store)[0].projects[0].name == name
