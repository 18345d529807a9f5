"""The main window driven as a user: import, tree, forms, live validation, undo, restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.ui import dialogs
from app.ui.dialogs import ImportPreviewDialog
from app.ui.live import LiveValidation
from app.ui.main_window import MainWindow
from tests.ui_helpers import WAIT_MS, FakeValidator, click_tree

pytestmark = pytest.mark.gui


@pytest.fixture
def fake_validation(monkeypatch):
    validators: list[FakeValidator] = []

    def factory(doc):  # noqa: ANN001, ANN202
        validators.append(FakeValidator())
        return validators[-1]

    monkeypatch.setattr(LiveValidation, "factory", staticmethod(factory))
    return validators


@pytest.fixture
def previews(monkeypatch):
    seen: list[tuple[str, list[str]]] = []

    def ask(cls, report, conflicts, parent=None):  # noqa: ANN001, ANN202
        seen.append((report, conflicts))
        return True, ("replace" if conflicts else None)

    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(ask))
    return seen


def _window(qtbot, store: Store) -> MainWindow:
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    return w


def _open_project(qtbot, w: MainWindow, number: int) -> None:
    doc = w.current_document()
    idx = w.tree.tree_model.find(doc.id, doc.projects[number - 1].id)
    click_tree(qtbot, w.tree, idx)
    assert w.current_project is doc.projects[number - 1]


def _problems(w: MainWindow) -> list[tuple[str, int | None, int | None]]:
    return [(f.rule, f.project, f.row) for f in w.problems.model.findings]


def test_import_edit_undo_paste_restart(qtbot, backend: str, both_backends: Store, seed_docx, fake_validation,
                                        previews) -> None:
    # The same on a SQLite file and on a PostgreSQL server database.
    store = both_backends
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    report, conflicts = previews[0]
    assert "项目11个，指标" in report and conflicts == []
    assert w.findChild(QWidget, "projectTree").isVisible()
    doc = w.current_document()
    assert doc is not None and len(doc.projects) == 11

    _open_project(qtbot, w, 5)
    assert w.project_form.fields["name"].editor.text() == "食品安全监管"
    assert ("G04", 5, 3) in _problems(w) and ("G13", 5, 8) in _problems(w)
    unit_node = w.tree.tree_model.unit_node(doc.id)
    assert unit_node.children[5].errors == 2 and unit_node.children[5].warnings == 1  # badge of project 5

    # Fix G04 by typing a date into 指标值 of row 3 (the editor's model is what the delegate writes to).
    editor = w.indicator_editor
    from app.ui.editors.indicator_model import COL_VALUE

    steps = w.undo_stack.count()
    editor.model.setData(editor.model.index(2, COL_VALUE), "2024年12月31日前", Qt.ItemDataRole.EditRole)
    assert ("G04", 5, 3) not in _problems(w)
    assert unit_node.children[5].errors == 1
    assert fake_validation[-1].calls[-1] == "project"  # revalidated incrementally
    assert w.undo_stack.count() == steps + 1
    assert "错误" in w.counts_label.text()

    # Undo brings the finding (and the stored value) back.
    w.action_undo.trigger()
    assert ("G04", 5, 3) in _problems(w)
    assert load_documents(store)[0].projects[4].indicators[2].value_raw == "资金拨付完成时限"
    w.action_redo.trigger()
    assert ("G04", 5, 3) not in _problems(w)

    # Paste a TSV block (二级/三级 … over rows 8–9 and one new row) as one undo step.
    from app.ui.editors.indicator_model import COL_LEVEL3

    QApplication.clipboard().setText("影响年限\t项目效益持续年限\t≥3年\n服务对象满意度\t问卷调查\t≥90%\n"
                                     "投诉处理率\t按时处理投诉比例\t＝100%\n")
    editor.view.setCurrentIndex(editor.model.index(7, COL_LEVEL3))
    steps = w.undo_stack.count()
    editor.paste()
    assert w.undo_stack.count() == steps + 1
    p5 = w.current_document().projects[4]
    assert [i.value_raw for i in p5.indicators[7:]] == ["≥3年", "≥90%", "＝100%"]
    assert ("G13", 5, 8) not in _problems(w) and ("G09", 5, 9) not in _problems(w)
    assert unit_node.children[5].errors == 0
    w.action_undo.trigger()
    assert [i.value_raw for i in w.current_document().projects[4].indicators[7:]] == ["≥100%", "≥100%"]
    w.action_redo.trigger()

    # A form edit: 资金用途 emptied → C04 marker (colour + icon + tooltip) on the field.
    purpose = w.project_form.fields["purpose"]
    purpose.editor.setFocus()
    purpose.editor.setPlainText("")
    w.project_form.commit_pending()
    assert ("C04", 5, None) in _problems(w)
    assert purpose.severity == "error" and purpose.icon.pixmap() is not None and not purpose.icon.pixmap().isNull()
    assert "资金用途不能为空" in purpose.editor.toolTip()
    w.action_undo.trigger()
    assert ("C04", 5, None) not in _problems(w) and purpose.severity is None
    assert purpose.editor.toPlainText().startswith(p5.purpose[:5])

    # Jump from the problems panel to the project and cell.
    _open_project(qtbot, w, 1)
    w.problems.project_box.setCurrentIndex(w.problems.project_box.findData(6))
    assert 0 < w.problems.proxy.rowCount() < w.problems.model.rowCount()
    shown = [w.problems.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(w.problems.proxy.rowCount())]
    assert {f.project for f in shown} == {6}
    target = next(f for f in shown if f.row)
    w.problems.select_row(shown.index(target))
    w.problems.view.clicked.emit(w.problems.view.currentIndex())
    assert w.current_project is w.current_document().projects[5]
    assert editor.view.currentIndex().row() == target.row - 1
    w.close()

    # Restart on the same database: a new Store and a new window find everything as left.
    store.close()
    again = Store.open(backend)
    try:
        w2 = _window(qtbot, again)
        doc2 = w2.current_document()
        assert doc2 is not None and len(doc2.projects) == 11
        assert w2.current_project is doc2.projects[5]  # reopened where the user left off
        assert w2.indicator_editor.model.rowCount() == len(doc2.projects[5].indicators)
        p5 = doc2.projects[4]
        assert p5.indicators[2].value_raw == "2024年12月31日前"
        assert [i.value_raw for i in p5.indicators[7:]] == ["≥3年", "≥90%", "＝100%"]
        assert p5.purpose  # the emptied purpose was undone
        w2.close()
    finally:
        again.close()


def test_tree_operations_and_undo(qtbot, both_backends: Store, seed_docx, fake_validation, previews,
                                  monkeypatch) -> None:
    store = both_backends
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    _open_project(qtbot, w, 2)
    second = doc.projects[1]

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "改名后的项目")
    monkeypatch.setattr("app.ui.controllers.tree_actions.ask_text", lambda *a, **k: "改名后的项目")
    w.tree_ops.rename_project()
    assert second.name == "改名后的项目"
    assert w.tree.tree_model.unit_node(doc.id).children[2].label == "2. 改名后的项目"

    w.tree_ops.duplicate_project()
    assert len(doc.projects) == 12 and doc.projects[2].name == "改名后的项目（副本）"
    assert w.current_project is doc.projects[2]
    w.tree_ops.move_project(-1)
    assert doc.projects[1].name == "改名后的项目（副本）"
    assert w.tree.tree_model.unit_node(doc.id).children[2].label == "2. 改名后的项目（副本）"

    monkeypatch.setattr("app.ui.controllers.tree_actions.confirm", lambda *a, **k: False)
    w.tree_ops.delete_project()
    assert len(doc.projects) == 12  # not confirmed: nothing happens
    monkeypatch.setattr("app.ui.controllers.tree_actions.confirm", lambda *a, **k: True)
    w.tree_ops.delete_project()
    assert len(doc.projects) == 11
    assert len(load_documents(store)[0].projects) == 11
    w.action_undo.trigger()  # undo delete
    assert len(doc.projects) == 12 and len(load_documents(store)[0].projects) == 12
    for _ in range(3):  # undo move, duplicate, rename
        w.action_undo.trigger()
    stored = load_documents(store)[0]
    assert len(stored.projects) == 11 and stored.projects[1].name == second.name != "改名后的项目"
    assert w.tree.tree_model.unit_node(doc.id).children[2].label.endswith(second.name)

    w.tree_ops.new_project()
    assert w.current_project.name == "新项目"
    assert len(load_documents(store)[0].projects) == 12
    # It starts with the framework's rows (一级/二级 filled), stored and shown in the table.
    frame = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("产出指标", "成本指标"),
             ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")]
    new = next(p for p in load_documents(store)[0].projects if p.name == "新项目")
    assert [(i.level1, i.level2) for i in new.indicators] == frame
    assert w.indicator_editor.model.rowCount() == 6


def test_carry_over_project_and_unit(qtbot, both_backends: Store, seed_docx, previews, monkeypatch) -> None:
    store = both_backends
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    _open_project(qtbot, w, 1)
    monkeypatch.setattr("app.ui.controllers.tree_actions.ask_year", lambda *a, **k: 2025)
    w.tree_ops.carry_project_over()
    target = w.current_document()
    assert target.year == 2025 and len(target.projects) == 1
    assert target.projects[0].code == doc.projects[0].code
    # Real validator: the year-dependent text is flagged by its rule Y01 (延续内容待核实).
    flags = [f for f in w.live.findings[target.id] if f.rule == "Y01"]
    assert flags and all(f.severity == "hint" for f in flags)
    assert any("2023年" in f.message or "2024年" in f.message for f in flags)
    assert (1, None, "purpose") in {(f.project, f.row, f.field) for f in w.problems.model.findings if f.rule == "Y01"}
    assert "处含年度的文字已标记" in w.statusBar().currentMessage()
    # Correcting the text (as typed into the form) clears its flag; undo brings it back.
    assert w.current_project is target.projects[0]
    purpose = w.project_form.fields["purpose"].editor
    purpose.setFocus()
    purpose.setPlainText("主要用于我区2025年食品药品安全协管员的补贴")
    w.project_form.commit_pending()
    assert (1, None, "purpose") not in {(f.project, f.row, f.field) for f in w.problems.model.findings
                                        if f.rule == "Y01"}
    w.action_undo.trigger()
    assert (1, None, "purpose") in {(f.project, f.row, f.field) for f in w.problems.model.findings if f.rule == "Y01"}
    assert [n.label for n in w.tree.tree_model.root.children] == ["2024年度", "2025年度"]
    w.action_undo.trigger()
    # The 2025 document the carry-over created goes with its undo.
    assert [n.label for n in w.tree.tree_model.root.children] == ["2024年度"]
    assert load_documents(store, year=2025) == []

    # The whole unit, into a new 2025 document, as one undo step.
    w.tree.select_node(doc.id)
    steps = w.undo_stack.index()
    w.tree_ops.carry_unit_over()
    assert w.undo_stack.index() == steps + 1
    target = w.current_document()
    assert target.year == 2025 and len(target.projects) == 11 and target.has_part1 and len(target.subgoals) == len(doc.subgoals)
    stored = {d.year: d for d in load_documents(store)}
    assert len(stored[2025].projects) == 11 and stored[2025].overall_text == doc.overall_text
    w.action_undo.trigger()
    assert load_documents(store, year=2025) == []
    w.action_redo.trigger()
    assert len(load_documents(store, year=2025)[0].projects) == 11


def test_part1_form_commits_and_marks(qtbot, store: Store, seed_docx, previews) -> None:
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    w.tree.select_node(doc.id)
    form = w.part1_form
    assert form.isVisible() and form.fields["overall_text"].editor.toPlainText().startswith(doc.overall_text[:10])
    assert form.subgoals.table.rowCount() == len(doc.subgoals)
    edit = form.fields["overall_text"].editor
    edit.setFocus()
    edit.setPlainText("2023年度总体目标：做好食品安全监管。")
    form.commit_pending()
    assert load_documents(store)[0].overall_text == "2023年度总体目标：做好食品安全监管。"
    # 2023 is the previous year of the 2024 document: flagged for review.
    assert any(f.rule == "Y01" and f.field == "overall_text" for f in w.problems.model.findings)
    assert form.fields["overall_text"].severity == "hint"
    w.action_undo.trigger()
    assert edit.toPlainText() == doc.overall_text
    form.subgoals.table.item(0, 0).setText("新的分项名称")
    assert load_documents(store)[0].subgoals[0].title == "新的分项名称"
    w.action_undo.trigger()
    assert form.subgoals.table.item(0, 0).text() == doc.subgoals[0].title
    # Through the cell editor, as a user types (the table refreshes while the edit commits).
    from PySide6.QtWidgets import QLineEdit

    table = form.subgoals.table
    table.setCurrentCell(1, 0)
    table.editItem(table.item(1, 0))
    editor = table.viewport().findChild(QLineEdit) or table.findChild(QLineEdit)
    assert editor is not None and editor.isVisible(), (editor, table.state())
    editor.setText("编辑器中修改")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=WAIT_MS)  # Qt commits queued
    assert load_documents(store)[0].subgoals[1].title == "编辑器中修改"
    assert table.item(1, 0).text() == "编辑器中修改"
    form.subgoals._add()
    assert len(doc.subgoals) == len(load_documents(store)[0].subgoals) == table.rowCount()
    assert doc.subgoals[2].title == "新分项"


def test_models_pass_modeltester(qtbot, qtmodeltester, store: Store, seed_docx, fake_validation, previews) -> None:
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    qtmodeltester.check(w.tree.tree_model, force_py=True)
    qtmodeltester.check(w.tree.tree_model)
    _open_project(qtbot, w, 5)
    assert w.problems.model.rowCount() > 0
    qtmodeltester.check(w.problems.model, force_py=True)
    qtmodeltester.check(w.problems.proxy)


def test_menus_help_and_status(qtbot, store: Store, seed_docx, fake_validation, previews) -> None:
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    assert str(store.path) in w.db_label.text()
    dlg = w.show_guide()
    qtbot.addWidget(dlg)
    assert "绩效目标表填报指南" in dlg.browser.toPlainText() and "15个汉字" in dlg.browser.toPlainText()
    dlg.close()
    w.problems_dock.toggleViewAction().trigger()
    assert not w.problems_dock.isVisible()
    w.problems_dock.toggleViewAction().trigger()
    assert w.problems_dock.isVisible()


def test_export_current_project(qtbot, store: Store, seed_docx, fake_validation, previews, monkeypatch, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.services.formats.file_io import read_file
    from app.ui.dialogs import ExportScopeDialog

    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    _open_project(qtbot, w, 5)
    out = tmp_path / "p5.json"
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: options[0][0]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    assert w.files.export_as("json") == out
    (doc,) = read_file(out).documents
    assert [p.name for p in doc.projects] == ["食品安全监管"] and not doc.has_part1


def test_switch_database(qtbot, store: Store, seed_docx, tmp_path, fake_validation, previews) -> None:
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    assert w.files.open_database(tmp_path / "other.db")
    assert w.findChild(QWidget, "emptyState").isVisible()
    from app.ui.controllers.file_actions import recent_databases

    assert recent_databases()[0] == str(tmp_path / "other.db")
    assert w.files.open_database(store.path)
    assert w.current_document() is not None
    w.store.close() if w.store is not store else None


def test_reimport_asks_conflict_choice(qtbot, store: Store, seed_docx, fake_validation, monkeypatch) -> None:
    answers = iter([(True, None), (True, "copy")])
    seen: list[list[str]] = []

    def ask(cls, report, conflicts, parent=None):  # noqa: ANN001, ANN202
        seen.append(conflicts)
        return next(answers)

    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(ask))
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    w.import_paths([str(seed_docx)])
    assert seen[0] == [] and len(seen[1]) == 11
    doc = w.current_document()
    assert len(doc.projects) == 22 and doc.projects[-1].name.endswith("（副本）")
    assert len(w.tree.tree_model.unit_node(doc.id).children) == 23


def test_print_preview_uses_printing(qtbot, store: Store, seed_docx, fake_validation, previews, monkeypatch) -> None:
    from app.ui import printing
    from app.ui.dialogs import ExportScopeDialog

    calls: list[tuple[list, object]] = []
    monkeypatch.setattr(printing, "print_preview", lambda parent, docs, *a, **k: calls.append((docs, parent)))
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: "unit"))
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    w.action_print_preview.trigger()
    (docs, parent), = calls
    assert parent is w and len(docs[0].projects) == 11 and docs[0].has_part1


def test_badges_of_unopened_units_fill_in_background(qtbot, store: Store, fake_validation) -> None:
    from app.services.formats.importing import commit_documents
    from tests.factories import blank_document, full_document

    commit_documents(store, [full_document(), blank_document(year=2024)])
    w = _window(qtbot, store)
    opened = w.current_document()
    other = next(d for d in w.tree.tree_model._units if d != opened.id)
    node = w.tree.tree_model.unit_node(other)
    qtbot.waitUntil(lambda: node.errors == 1, timeout=WAIT_MS)  # C04 of the blank project
    assert node.children[1].errors == 1 and not w.workspace.is_open(other)  # not kept open


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_export_formats_from_window(qtbot, store: Store, seed_docx, fake_validation, previews, monkeypatch,
                                    tmp_path, fmt) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.ui.dialogs import ExportScopeDialog

    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    _open_project(qtbot, w, 5)
    out = tmp_path / f"out.{fmt}"
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(lambda cls, options, parent=None: "project"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    w.export_actions[fmt].trigger()
    assert out.exists() and out.stat().st_size > 1000
    if fmt != "pdf":
        from app.services.formats.file_io import read_file

        (doc,) = read_file(out).documents
        assert [p.code for p in doc.projects] == ["13020924P00070710002F"]


def test_export_tree_selection(qtbot, store: Store, seed_docx, fake_validation, previews, monkeypatch, tmp_path) -> None:
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QFileDialog

    from app.services.formats.file_io import read_file
    from app.ui.dialogs import ExportScopeDialog

    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    offered: list[list[str]] = []

    def ask(cls, options, parent=None):  # noqa: ANN001, ANN202
        offered.append([k for k, _ in options])
        return "selection"

    _open_project(qtbot, w, 2)
    idx = w.tree.tree_model.find(doc.id, doc.projects[6].id)
    w.tree.selectionModel().select(idx, QItemSelectionModel.SelectionFlag.Select)
    out = tmp_path / "sel.json"
    monkeypatch.setattr(ExportScopeDialog, "ask", classmethod(ask))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    w.files.export_as("json")
    assert offered == [["project", "selection", "unit"]]
    (got,) = read_file(out).documents
    assert [p.name for p in got.projects] == [doc.projects[1].name, doc.projects[6].name]


def test_tree_keyboard_shortcuts(qtbot, store: Store, seed_docx, fake_validation, previews, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr("app.ui.controllers.tree_actions.ask_text", lambda *a, **k: asked.append("rename") or None)
    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    _open_project(qtbot, w, 3)
    third = w.current_project
    w.activateWindow()  # shortcuts only reach the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT_MS)
    w.tree.setFocus()
    qtbot.keyClick(w.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert doc.projects[3] is third is w.current_project  # moved down one place, still current
    assert w.undo_stack.undoText() == "下移项目"
    action = w.tree_actions["重命名项目…"]
    assert action.isEnabled(), action.shortcut().toString()
    qtbot.keyClick(w.tree, Qt.Key.Key_F2)
    assert asked == ["rename"], (action.shortcut().toString(), w.focusWidget())
    w.indicator_editor.view.setFocus()
    qtbot.keyClick(w.indicator_editor.view, Qt.Key.Key_F2)
    assert asked == ["rename"]  # F2 belongs to the table there (edit the cell)


def test_undo_shows_the_project_it_changes(qtbot, store: Store, seed_docx, fake_validation, previews) -> None:
    from app.ui.editors.indicator_model import COL_VALUE

    w = _window(qtbot, store)
    w.import_paths([str(seed_docx)])
    _open_project(qtbot, w, 5)
    model = w.indicator_editor.model
    model.setData(model.index(2, COL_VALUE), "2024年12月31日前", Qt.ItemDataRole.EditRole)
    _open_project(qtbot, w, 1)
    w.action_undo.trigger()
    doc = w.current_document()
    assert w.current_project is doc.projects[4]
    assert doc.projects[4].indicators[2].value_raw == "资金拨付完成时限"
    assert w.indicator_editor.model.index(2, COL_VALUE).data() == "资金拨付完成时限"
    assert ("G04", 5, 3) in _problems(w)


def test_closing_the_window_stops_background_validation(qtbot, store: Store, fake_validation) -> None:
    from PySide6.QtCore import QTimer

    from app.services.formats.importing import commit_documents
    from tests.factories import blank_document, full_document

    commit_documents(store, [full_document(), blank_document(year=2024), blank_document(year=2025)])
    w = _window(qtbot, store)
    assert any(t.isActive() for t in w.documents.findChildren(QTimer))  # badges still to fill
    w.close()
    # Nothing keeps loading units of a database about to be closed.
    assert not any(t.isActive() for t in w.documents.findChildren(QTimer))
