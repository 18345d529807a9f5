"""The bureau in the window: batch import of a folder, the 审核总览 dock, 汇总 export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from app.services.formats.json_format import write_json
from app.services.storage.store import Store
from app.ui.dialogs import ImportPreviewDialog
from app.ui.main_window import MainWindow
from tests.factories import full_document


@pytest.fixture
def previews(monkeypatch):
    seen: list[str] = []

    def ask(cls, report, conflicts, parent=None):  # noqa: ANN001, ANN202
        seen.append(report)
        return True, None

    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(ask))
    return seen


def _stick(tmp_path: Path, seed_docx: Path) -> Path:
    root = tmp_path / "U盘"
    (root / "二批").mkdir(parents=True)
    shutil.copy(seed_docx, root / "seed.docx")
    write_json(root / "二批" / "u2.json", [full_document("422002")])
    (root / "坏.xlsx").write_bytes(b"PK\x03\x04broken")
    return root


def test_batch_import_fills_the_dashboard_and_opens_a_unit(qtbot, store: Store, tmp_path: Path, seed_docx: Path,
                                                           previews, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    file_menu = w.findChild(QMenu, "menuFile")
    names = [a.objectName() for a in file_menu.actions()]
    assert "actionBatchImport" in names and "actionExportSummary" in names

    ids = w.bureau.batch_import(str(_stick(tmp_path, seed_docx)))
    assert len(ids) == 2
    assert "拒收" in previews[0] and "坏.xlsx" in warnings[0]
    dock = w.findChild(type(w.bureau.dock), "reviewDock")
    assert dock is not None and dock.isVisible()
    dash = w.findChild(type(w.bureau.dashboard), "reviewDashboard")
    table = dash.table
    assert table.model().rowCount() == 2
    header = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(table.model().columnCount())]
    assert header[:3] == ["单位编码", "单位名称", "年度"] and "意见数" in header
    row0 = [table.model().index(0, c).data() for c in range(len(header))]
    assert row0[0] == "422001" and row0[3] == "11" and row0[9] == "未审" and row0[10] == "1"

    # sort by 项目数 descending, filter by text and status
    table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert table.model().index(0, 0).data() == "422001"
    dash.search.setText("422002")
    assert table.model().rowCount() == 1
    dash.search.setText("")
    w.bureau.set_status(dash.document_at(0), "已退回")
    dash.status.setCurrentText("已退回")
    assert table.model().rowCount() == 1 and table.model().index(0, 9).data() == "已退回"
    dash.status.setCurrentText("全部")
    # the status is one undoable step; the dashboard follows undo and redo
    w.undo_stack.undo()
    dash.status.setCurrentText("已退回")
    assert table.model().rowCount() == 0
    w.undo_stack.redo()
    assert table.model().rowCount() == 1
    dash.status.setCurrentText("全部")

    # double-click opens the unit in the tree and the forms
    target = dash.document_at(1)
    rect = table.visualRect(table.model().index(1, 1))
    # a real double-click: press and release first (the view checks the pressed index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.current_doc_id == target and w.current_project is None

    out = w.bureau.export_summary(str(tmp_path / "汇总.xlsx"))
    assert out is not None
    assert load_workbook(out)["单位"].max_row == 4  # title, header, two units


def test_opinions_in_the_problems_panel_can_be_answered(qtbot, store: Store, tmp_path: Path, monkeypatch) -> None:
    from app.models import Opinion
    from app.services.formats.importing import commit_documents
    from app.services.storage.documents import load_documents
    from app.ui import bureau_actions

    doc = full_document()
    doc.opinions = [Opinion(uid="u1", project_code="13020924P00070710002F", row=2, field="value",
                            text="指标值须量化", resolved=False),
                    Opinion(uid="u2", text="补充总体目标", resolved=False)]
    commit_documents(store, [doc])
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.tree.select_node(load_documents(store)[0].id)
    panel = w.problems
    rows = [(r, panel.view.model().index(r, 0).data(), panel.view.model().index(r, 3).data())
            for r in range(panel.view.model().rowCount())]
    opinion_rows = [r for r in rows if r[1] == "审核意见"]
    assert [r[2] for r in opinion_rows] == ["补充总体目标", "指标值须量化"]
    assert panel.reply_button.isVisible() and not panel.reply_button.isEnabled()
    assert "审核意见 2（未处理 2）" in panel.summary.text()

    # select the project's opinion: the waive button stays off, reply and 已处理 are on
    row = opinion_rows[1][0]
    panel.view.setCurrentIndex(panel.view.model().index(row, 0))
    assert panel.reply_button.isEnabled() and panel.resolve_button.isEnabled()
    assert not panel.waive_button.isEnabled()
    monkeypatch.setattr(bureau_actions, "ask_text", lambda *a: "已改为≥92%")
    qtbot.mouseClick(panel.reply_button, Qt.MouseButton.LeftButton)
    texts = [panel.view.model().index(r, 3).data() for r in range(panel.view.model().rowCount())]
    assert "指标值须量化（回复：已改为≥92%）" in texts
    row = texts.index("指标值须量化（回复：已改为≥92%）")
    panel.view.setCurrentIndex(panel.view.model().index(row, 0))
    qtbot.mouseClick(panel.resolve_button, Qt.MouseButton.LeftButton)
    assert "审核意见 2（未处理 1）" in panel.summary.text()
    (stored,) = load_documents(store)
    answered = next(o for o in stored.opinions if o.uid == "u1")
    assert answered.reply == "已改为≥92%" and answered.resolved and answered.replied_at is not None

    # Each answer is one step of the window's one undo history.
    assert w.undo_stack.undoText() == "标记审核意见已处理"
    w.undo_stack.undo()
    assert "审核意见 2（未处理 2）" in panel.summary.text()
    w.undo_stack.undo()
    texts = [panel.view.model().index(r, 3).data() for r in range(panel.view.model().rowCount())]
    assert "指标值须量化" in texts and not any("回复" in (t or "") for t in texts)
    (stored,) = load_documents(store)
    assert next(o for o in stored.opinions if o.uid == "u1").reply is None
    w.undo_stack.redo()
    (stored,) = load_documents(store)
    assert next(o for o in stored.opinions if o.uid == "u1").reply == "已改为≥92%"


def test_dashboard_shows_what_changed_since_the_reviewed_version(qtbot, store: Store, tmp_path: Path,
                                                                 monkeypatch) -> None:
    from app.services.bureau import review
    from app.services.formats.importing import OnConflict, commit_documents
    from app.ui import dialogs

    commit_documents(store, [full_document()], OnConflict.VERSION)
    doc_id = review.document_id(store, "422001", 2024)
    review.set_status(store, doc_id, "已退回")
    changed = full_document()
    changed.projects[0].indicators[2].value_raw = "≥95%"
    commit_documents(store, [changed], OnConflict.VERSION)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_text", lambda parent, title, text: shown.append(text))
    w = MainWindow(store)
    qtbot.addWidget(w)
    text = w.bureau.show_changes(doc_id)
    assert shown == [text]
    assert text.startswith("第1版 → 第2版") and "“≥90%” → “≥95%”" in text

    # ...and marked in place: the changed cell, with the old value in its tooltip.
    from app.ui.editors.indicator_model import COL_VALUE

    doc = w.documents.current_document()
    assert doc is not None and doc.id == doc_id
    w.tree.select_node(doc_id, doc.projects[0].id)
    model = w.indicator_editor.model
    assert "changed" in [f.severity for f in model.cell_findings(2, COL_VALUE)]
    assert "修改：指标值原为“≥90%”" in model.index(2, COL_VALUE).data(Qt.ItemDataRole.ToolTipRole)
    assert all(f.severity != "changed" for r in range(model.rowCount()) if r != 2
               for f in model.cell_findings(r, COL_VALUE))
    # Inserting a row moves the rows the marks point at: they go.
    w.edits.insert_row(doc.projects[0], "indicators", 0, {"level1": "产出指标"})
    assert all(f.severity != "changed" for r in range(model.rowCount()) for c in range(6)
               for f in model.cell_findings(r, c))


def test_open_opinions_mark_their_place_in_the_tree_and_the_table(qtbot, store: Store, monkeypatch) -> None:
    from app.models import Opinion
    from app.services.formats.importing import commit_documents
    from app.services.storage.documents import load_documents
    from app.ui.controllers import documents as documents_controller
    from app.ui.editors.indicator_model import COL_VALUE

    built: list[int] = []
    real = documents_controller.opinion_findings
    monkeypatch.setattr(documents_controller, "opinion_findings", lambda doc: built.append(doc.id) or real(doc))
    doc = full_document()
    code = doc.projects[0].code
    doc.opinions = [Opinion(uid="u1", project_code=code, row=2, field="value", text="指标值须量化", resolved=False),
                    Opinion(uid="u2", project_code=code, field="budget_total", text="预算数请核对", resolved=False),
                    Opinion(uid="u3", text="补充总体目标", resolved=False),
                    Opinion(uid="u4", text="已解决的意见", resolved=True)]
    commit_documents(store, [doc])
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    doc_id = load_documents(store)[0].id
    tree = w.tree.tree_model
    unit = tree.unit_node(doc_id)
    assert (unit.opinions, unit.children[0].opinions, unit.children[1].opinions) == (3, 1, 2)
    index = tree.find(doc_id, unit.children[1].project_id)
    assert "未处理的审核意见 2 条" in index.data(Qt.ItemDataRole.ToolTipRole)

    opened = w.documents.document(doc_id)
    w.tree.select_node(doc_id, opened.projects[0].id)
    model = w.indicator_editor.model
    assert "opinion" in [f.severity for f in model.cell_findings(1, COL_VALUE)]
    cell = model.index(1, COL_VALUE)
    assert "审核意见：指标值须量化" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.DecorationRole) is not None
    budget = w.project_form.fields["budget_total"]
    assert budget.severity in ("opinion", "error", "warning", "hint")
    assert any("【审核意见】预算数请核对" in m for m in budget.messages)

    # The opinion rows are built once per change of opinions, not on every push of the views.
    before = len(built)
    w.edits.set_fields([(opened.projects[0].indicators[0], "basis", "依据已更新")])
    assert len(built) == before
    held = next(o for o in opened.opinions if o.uid == "u1")
    w.bureau._answer(next(f for f in w.documents.opinion_rows(opened) if f.opinion_id == held.id), "已改", True)
    assert len(built) == before + 1
    assert "opinion" not in [f.severity for f in model.cell_findings(1, COL_VALUE)]
    assert unit.children[1].opinions == 1
    w.undo_stack.undo()
    assert "opinion" in [f.severity for f in model.cell_findings(1, COL_VALUE)] and unit.opinions == 3


def test_batch_import_is_one_undoable_step(qtbot, store: Store, tmp_path: Path, seed_docx: Path, previews,
                                           monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.services.bureau import review
    from app.services.bureau.versions import list_versions
    from app.services.formats.importing import OnConflict, commit_documents
    from app.services.storage.documents import list_documents, load_document

    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    held = full_document("422002")
    held.projects[0].name = "已收到的第一版"
    [held_id] = commit_documents(store, [held], OnConflict.VERSION).document_ids
    review.set_status(store, held_id, "已退回")
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    ids = w.bureau.batch_import(str(_stick(tmp_path, seed_docx)))  # seed.docx (new) and 422002 (version 2)
    assert len(ids) == 2 and held_id in ids
    assert len(list_versions(store, held_id)) == 2
    assert w.undo_stack.count() == 1 and w.undo_stack.undoText().startswith("批量导入")

    w.undo_stack.undo()
    assert [d.id for d in list_documents(store)] == [held_id]  # the new unit is gone
    assert load_document(store, held_id).projects[0].name == "已收到的第一版"
    assert len(list_versions(store, held_id)) == 1 and review.get_status(store, held_id) == "已退回"
    assert w.tree.tree_model.unit_node(held_id) is not None
    assert w.bureau.dashboard.table.model().rowCount() == 1

    w.undo_stack.redo()
    assert len(list_documents(store)) == 2 and len(list_versions(store, held_id)) == 2
    assert load_document(store, held_id).projects[0].name != "已收到的第一版"


def test_the_reviewer_adds_opinions_at_a_project_a_cell_and_a_finding(qtbot, store: Store, monkeypatch) -> None:
    from app.services.bureau.opinions import list_opinions
    from app.services.formats.importing import commit_documents
    from app.ui import bureau_actions

    [doc_id] = commit_documents(store, [full_document()]).document_ids
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    asked: list[str] = []
    monkeypatch.setattr(bureau_actions, "ask_text", lambda parent, title, label: asked.append(label) or "请核实")
    doc = w.documents.document(doc_id)
    project = doc.projects[0]

    w.tree.select_node(doc_id, project.id)  # a project row of the tree
    assert w.bureau.action_opinion_tree in w.tree.actions()
    w.bureau.action_opinion_tree.trigger()
    assert asked[-1].startswith(f"项目 {project.code}")

    editor = w.indicator_editor  # an indicator cell (row 2, 指标值)
    assert w.bureau.action_opinion_cell in editor.extra_actions
    editor.view.setCurrentIndex(editor.model.index(1, 4))
    w.bureau.action_opinion_cell.trigger()
    assert asked[-1].startswith(f"项目 {project.code} 第2行 指标值")

    panel = w.problems  # a finding: the opinion refers to its rule and key
    row = next(r for r in range(panel.view.model().rowCount())
               if panel.view.model().index(r, 0).data() in ("错误", "警告", "提示"))
    panel.view.setCurrentIndex(panel.view.model().index(row, 0))
    finding = panel.selected_finding()
    assert w.bureau.action_opinion_finding in panel.view.actions()
    w.bureau.action_opinion_finding.trigger()

    held = list_opinions(store, doc_id)
    assert [(o.project_code, o.row, o.field) for o in held[:2]] == [(project.code, None, None),
                                                                    (project.code, 2, "value")]
    assert (held[2].rule_id, held[2].finding_key, held[2].row) == (finding.rule, finding.key, finding.row)
    assert w.undo_stack.undoText() == "添加审核意见"
    w.undo_stack.undo()
    assert len(list_opinions(store, doc_id)) == 2
