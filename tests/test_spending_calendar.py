"""The spending calendar driven as a user would: edit, undo/redo, markers, chart, 执行数."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QIcon
from PySide6.QtWidgets import QLineEdit, QListWidget, QToolTip, QWidget

from app.services.formats.importing import commit_documents
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.validation import Finding
from app.services.workspace.ops import DeleteRow, InsertRow, MoveRow, Ref
from app.services.workspace.workspace import Workspace, row_snapshot
from app.ui.commands import Edits
from app.ui.editors.spending_calendar import ProjectSpendingEditor, SpendingCalendar
from app.ui.editors.spending_models import BAND_ROLE, FINDINGS_ROLE, KIND_ROLE, LAG_ROLE
from app.ui.main import install_font
from tests.factories import spending_document

pytestmark = pytest.mark.gui
DISPLAY = Qt.ItemDataRole.DisplayRole


def plan_finding(rule: str, severity: str, message: str, project: int | None, field: str | None = None,
                 waived: bool = False) -> Finding:
    """A finding of a D rule as the validator reports it."""
    return Finding(rule, severity, message, "可行性", "422001", 2024, project, None, None, field,
                   f"{rule}|P:#{project}|F:{field}", waived, "已说明" if waived else None)


@pytest.fixture
def calendar(qtbot, qapp, store: Store):
    install_font(qapp)
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    edits = Edits(Workspace(store))
    edits.workspace.adopt(doc)
    stack = edits.stack
    notified: list = []
    widget = SpendingCalendar(edits)
    edits.changed.connect(notified.append)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.set_document(doc)
    widget.show()
    widget.stack, widget.notified = stack, notified  # for the tests
    return widget


def _reload(store: Store):
    (doc,) = load_documents(store)
    return doc


def _text(model, index) -> str:
    return model.data(index, DISPLAY)


def test_models_pass_the_model_tester(calendar: SpendingCalendar, qtmodeltester) -> None:
    calendar.set_findings([plan_finding("D01", "warning", "资金支出计划“3月底”未填写", 2, "plan_mar"),
                           plan_finding("D05", "hint", "资金全部集中在年底支出", 2, None)])
    qtmodeltester.check(calendar.plan_model)
    qtmodeltester.check(calendar.exec_model)


def test_calendar_shows_projects_months_amounts_and_totals(calendar: SpendingCalendar) -> None:
    assert calendar.objectName() == "spendingCalendar"
    m = calendar.plan_model
    assert m.rowCount() == 4  # three projects + 单位合计
    assert _text(m, calendar.plan_index(0, 3)) == "25%"
    assert _text(m, calendar.plan_index(0, 3, amount=True)) == "50.00"
    assert _text(m, calendar.plan_index(0, 1)) == "8.33%"
    assert m.data(calendar.plan_index(0, 1), KIND_ROLE) == "interpolated"
    assert m.data(calendar.plan_index(0, 3), KIND_ROLE) == "entered"
    # interpolated months are lighter and italic
    assert m.data(calendar.plan_index(0, 1), Qt.ItemDataRole.FontRole).italic()
    assert m.data(calendar.plan_index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None
    assert m.data(calendar.plan_index(0, 3), Qt.ItemDataRole.ForegroundRole) is None
    # project 2 left 3月底 blank: interpolated across, editor starts empty
    assert _text(m, calendar.plan_index(1, 3)) == "25%"
    assert m.data(calendar.plan_index(1, 3), Qt.ItemDataRole.EditRole) == ""
    assert "未填写" in m.data(calendar.plan_index(1, 3), Qt.ItemDataRole.ToolTipRole)
    assert _text(m, m.index(3, 0)) == "单位合计"
    assert _text(m, calendar.plan_index(3, 3, amount=True)) == "78.73"
    assert _text(m, calendar.plan_index(3, 3)) == "25.2%"
    assert "食品安全监管：50.00万元，占63.51%" in m.data(calendar.plan_index(3, 3), Qt.ItemDataRole.ToolTipRole)
    assert not (m.flags(calendar.plan_index(0, 1)) & Qt.ItemFlag.ItemIsEditable)
    assert not (m.flags(calendar.plan_index(3, 3)) & Qt.ItemFlag.ItemIsEditable)
    assert m.flags(calendar.plan_index(0, 6)) & Qt.ItemFlag.ItemIsEditable


def test_edit_checkpoint_commits_updates_and_undoes(calendar: SpendingCalendar, store: Store) -> None:
    m = calendar.plan_model
    index = calendar.plan_index(0, 3)
    assert m.setData(index, "40")  # typed without %: stored as "40%"
    assert _reload(store).projects[0].plan_mar_raw == "40%"
    assert _text(m, index) == "40%"
    assert _text(m, calendar.plan_index(0, 3, amount=True)) == "80.00"
    assert _text(m, calendar.plan_index(0, 1)) == "13.33%"  # Jan follows the new March
    assert _text(m, calendar.plan_index(0, 4)) == "43.33%"
    assert _text(m, calendar.plan_index(3, 3, amount=True)) == "108.73"
    assert calendar.notified and calendar.notified[-1].projects == {(calendar.doc.id, calendar.doc.projects[0].id)}
    assert calendar.stack.undoText() == "修改3月底资金支出计划"
    calendar.stack.undo()
    assert _reload(store).projects[0].plan_mar_raw == "25%"
    assert _text(m, calendar.plan_index(0, 3, amount=True)) == "50.00"
    calendar.stack.redo()
    assert _reload(store).projects[0].plan_mar_raw == "40%"
    assert not m.setData(index, "40%")  # no change, no undo step
    assert calendar.stack.count() == 1


def test_edit_through_the_delegate(calendar: SpendingCalendar, qtbot, qapp, store: Store) -> None:
    view = calendar.plan_view
    index = calendar.plan_index(2, 6)  # 市场主体培育 left 6月底 blank
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.text() == ""
    editor.setText("60%")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qapp.processEvents()  # the delegate commits through a queued call
    p = _reload(store).projects[2]
    assert p.plan_jun_raw == "60%" and p.plan_jun == Decimal("60")
    assert calendar.plan_model.data(index, KIND_ROLE) == "entered"
    assert _text(calendar.plan_model, calendar.plan_index(2, 6, amount=True)) == "7.45"


def test_clearing_a_checkpoint_makes_it_interpolated(calendar: SpendingCalendar, store: Store) -> None:
    m = calendar.plan_model
    index = calendar.plan_index(0, 6)
    assert m.setData(index, "")
    assert _reload(store).projects[0].plan_jun_raw is None
    assert m.data(index, KIND_ROLE) == "interpolated"
    assert _text(m, index) == "46.64%"  # 25% + 50.5% × 3/7
    calendar.stack.undo()
    assert _reload(store).projects[0].plan_jun_raw == "50%"


def test_d_rule_markers_and_problems_panel(calendar: SpendingCalendar) -> None:
    findings = [
        plan_finding("D01", "warning", "资金支出计划“3月底”未填写", 2, "plan_mar"),
        plan_finding("D05", "hint", "资金全部集中在年底支出，建议按实施进度分解", 2, None),
        plan_finding("D04", "error", "12月底累计支出计划应为100%", 3, "plan_dec"),
        plan_finding("C04", "error", "资金用途不能为空", 1, "purpose"),  # not ours
    ]
    calendar.set_findings(findings)
    m = calendar.plan_model
    cell = calendar.plan_index(1, 3)
    assert m.data(cell, FINDINGS_ROLE) == ["D01"]
    assert isinstance(m.data(cell, Qt.ItemDataRole.DecorationRole), QIcon)
    assert m.data(cell, Qt.ItemDataRole.BackgroundRole).color().name() == "#fdefc3"
    assert "D01：资金支出计划“3月底”未填写" in m.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert m.data(m.index(1, 0), FINDINGS_ROLE) == ["D05"]
    assert m.data(calendar.plan_index(2, 12), Qt.ItemDataRole.BackgroundRole).color().name() == "#f9d6d5"
    assert m.data(m.index(0, 0), FINDINGS_ROLE) == []
    problems = calendar.findChild(QListWidget, "spendingProblems")
    assert problems.count() == 3
    assert "特种设备安全监管" in problems.item(0).text() and "D01" in problems.item(0).text()
    calendar.tabs.setCurrentIndex(1)
    problems.itemActivated.emit(problems.item(2))
    assert calendar.tabs.currentIndex() == 0
    assert calendar.plan_view.currentIndex() == calendar.plan_index(2, 12)
    calendar.set_findings([plan_finding("D01", "warning", "资金支出计划“3月底”未填写", 2, "plan_mar", waived=True)])
    assert m.data(cell, FINDINGS_ROLE) == []  # explained: no marker, still listed
    assert problems.count() == 1 and problems.item(0).text().endswith("（已说明）")
    calendar.set_findings([])
    assert m.data(cell, FINDINGS_ROLE) == [] and problems.count() == 0


def test_chart_tooltip_shows_each_projects_share(calendar: SpendingCalendar, qapp) -> None:
    chart = calendar.findChild(QWidget, "spendingChart")
    assert chart is calendar.chart
    rect = chart.month_rect(3)
    assert chart.month_at(rect.center()) == 3
    text = chart.tooltip_text(3)
    assert "3月底单位累计计划：78.73万元（占预算25.2%）" in text
    assert "特种设备安全监管：25.00万元，占31.75%" in text
    assert "已记录执行数合计：55.50万元" in text
    pos = rect.center().toPoint()
    qapp.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    assert "食品安全监管：50.00万元" in QToolTip.text()
    top, ticks = chart.axis()
    assert top == pytest.approx(312.42) and len(ticks) == 5
    assert chart.month_at(QPoint(2, 2)) is None


def test_execution_tab_records_rates_bands_and_lags(calendar: SpendingCalendar, store: Store) -> None:
    calendar.tabs.setCurrentIndex(1)
    m = calendar.exec_model
    assert calendar.findChild(QWidget, "spendingExecutionTable").isVisible()
    jan = calendar.execution_index(0, 1)
    assert _text(m, jan) == "10.00" and m.data(jan, BAND_ROLE) == "red"
    assert m.data(calendar.execution_index(0, 2), BAND_ROLE) == "yellow"
    assert m.data(calendar.execution_index(0, 3), BAND_ROLE) == "green"
    assert _text(m, calendar.execution_index(0, None, "rate")) == "111%"
    # project 2 spent nothing by March: red and lagging
    assert m.data(calendar.execution_index(1, None, "status"), DISPLAY) == "红色预警·滞后"
    assert "还需支出50.00万元" in m.data(m.index(1, 0), LAG_ROLE)
    lags = calendar.findChild(QListWidget, "spendingLagList")
    assert lags.count() == 1 and "特种设备安全监管" in lags.item(0).text()
    # the user records 22.00 by the end of March for project 2
    assert m.setData(calendar.execution_index(1, 3), "22")
    stored = _reload(store).projects[1].executions
    assert [(e.month, e.amount_raw) for e in stored] == [(3, "22")]
    assert m.data(calendar.execution_index(1, 3), BAND_ROLE) == "green"  # 22 / 25 = 88%
    assert _text(m, calendar.execution_index(1, None, "rate")) == "88%"
    assert m.data(m.index(1, 0), LAG_ROLE) is None
    assert lags.item(0).text() == "没有滞后于计划的项目"
    assert calendar.chart.plan.at(3).executed == Decimal("77.50")
    # bad text is refused with a message, nothing stored
    assert not m.setData(calendar.execution_index(1, 4), "很多")
    assert "不是有效的金额" in calendar.findChild(QWidget, "spendingMessage").text()
    assert [e.month for e in _reload(store).projects[1].executions] == [3]
    # undo puts the old 0 back; redo records 22 again; clearing deletes the month
    calendar.stack.undo()
    assert [(e.month, e.amount_raw) for e in _reload(store).projects[1].executions] == [(3, "0")]
    assert m.data(calendar.execution_index(1, 3), BAND_ROLE) == "red"
    calendar.stack.redo()
    assert m.setData(calendar.execution_index(1, 3), "")
    assert _reload(store).projects[1].executions == []
    calendar.stack.undo()
    assert _reload(store).projects[1].executions[0].amount_raw == "22"
    # unit totals: recorded amounts by month and the unit's rate at the latest month
    assert _text(m, calendar.execution_index(3, 3)) == "77.50"
    assert _text(m, calendar.execution_index(3, None, "rate")) == "103.33%"
    assert "正常" in calendar.legend.text() and "&lt;60%" in calendar.legend.text()


def test_one_project_editor_reuses_the_models(qtbot, store: Store, qtmodeltester) -> None:
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    edits = Edits(Workspace(store))
    stack = edits.stack
    editor = ProjectSpendingEditor(edits)
    qtbot.addWidget(editor)
    editor.set_project(doc, doc.projects[2])
    editor.set_findings([plan_finding("D01", "warning", "资金支出计划“6月底”未填写", 3, "plan_jun"),
                         plan_finding("D01", "warning", "资金支出计划“3月底”未填写", 2, "plan_mar")])
    editor.show()
    m = editor.plan_model
    assert editor.objectName() == "projectSpendingEditor"
    assert m.rowCount() == 1 and m.headerData(0, Qt.Orientation.Vertical) == "3"
    assert m.data(editor.plan_index(0, 6), FINDINGS_ROLE) == ["D01"]
    assert m.data(editor.plan_index(0, 3), FINDINGS_ROLE) == []
    assert editor.problems.count() == 1
    assert m.setData(editor.plan_index(0, 6), "55%")
    assert _reload(store).projects[2].plan_jun_raw == "55%"
    assert editor.chart.plan.at(6).amount == Decimal("6.83")
    assert editor.exec_model.setData(editor.execution_index(0, 6), "5")
    assert _reload(store).projects[2].executions[0].amount_raw == "5"
    qtmodeltester.check(m)
    qtmodeltester.check(editor.exec_model)
    stack.undo()
    stack.undo()
    assert _reload(store).projects[2].plan_jun_raw is None


def test_empty_document(qtbot, store: Store) -> None:
    widget = SpendingCalendar(Edits(Workspace(store)))
    qtbot.addWidget(widget)
    widget.set_document(None)
    assert widget.plan_model.rowCount() == 0 and widget.exec_model.rowCount() == 0
    widget.show()
    widget.chart.grab()


def test_markers_from_the_real_validator_follow_edits(qtbot, store: Store) -> None:
    from app.services.validation import Validator

    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    validator = Validator()
    calendar: SpendingCalendar | None = None

    def notify(changes) -> None:  # what the window does: revalidate the edited project
        for _doc_id, pid in changes.projects:
            calendar.set_findings(validator.revalidate_project(doc, next(p for p in doc.projects if p.id == pid)))

    edits = Edits(Workspace(store))
    calendar = SpendingCalendar(edits)
    edits.changed.connect(notify)
    qtbot.addWidget(calendar)
    calendar.set_document(doc)
    calendar.set_findings(validator.validate_document(doc))
    m = calendar.plan_model
    assert m.data(calendar.plan_index(1, 3), FINDINGS_ROLE) == ["D01"]  # 特种设备: only 12月底
    assert "D05" in m.data(calendar.plan_index(1, 12), FINDINGS_ROLE)
    assert m.data(calendar.plan_index(2, 6), FINDINGS_ROLE) == ["D01"]
    assert m.data(calendar.plan_index(0, 3), FINDINGS_ROLE) == []
    assert any("D01" in calendar.problems.item(i).text() for i in range(calendar.problems.count()))
    # filling 6月底 clears its marker; a falling value raises D03 on that cell
    m.setData(calendar.plan_index(2, 6), "50%")
    assert m.data(calendar.plan_index(2, 6), FINDINGS_ROLE) == []
    m.setData(calendar.plan_index(2, 10), "40%")
    assert m.data(calendar.plan_index(2, 10), FINDINGS_ROLE) == ["D03"]
    assert m.data(calendar.plan_index(2, 10), Qt.ItemDataRole.BackgroundRole).color().name() == "#f9d6d5"
    calendar.edits.stack.undo()
    assert m.data(calendar.plan_index(2, 10), FINDINGS_ROLE) == []
    m.setData(calendar.plan_index(0, 12), "90%")
    assert m.data(calendar.plan_index(0, 12), FINDINGS_ROLE) == ["D04"]


def test_export_button_writes_the_workbook(calendar: SpendingCalendar, monkeypatch, tmp_path) -> None:
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "计划"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    calendar.findChild(QWidget, "spendingExportButton").click()
    wb = load_workbook(tmp_path / "计划.xlsx")
    assert wb.sheetnames == ["资金支出计划", "执行情况"]
    missing = tmp_path / "nope" / "x.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(missing), "")))
    assert calendar.export_xlsx() is None
    assert "目标文件夹不存在" in calendar.message.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert calendar.export_xlsx() is None


def test_window_hooks_store_refresh_and_focus(calendar: SpendingCalendar, store: Store, tmp_path) -> None:
    doc = calendar.doc
    ws = calendar.edits.workspace
    # a project added elsewhere (the tree) appears on refresh
    ws.apply(InsertRow(Ref(doc.id, "projects", 3),
                       row_snapshot({"name": "新项目", "budget_total_raw": "10", "plan_dec_raw": "100%"})))
    calendar.refresh()
    assert calendar.plan_model.rowCount() == 5
    assert calendar.plan_model.data(calendar.plan_index(3, 12, amount=True), Qt.ItemDataRole.DisplayRole) == "10.00"
    ws.apply(DeleteRow(Ref(doc.id, "projects", 3)))
    calendar.refresh()
    assert calendar.plan_model.rowCount() == 4
    calendar.focus_field("plan_oct", 2)
    assert calendar.plan_view.currentIndex() == calendar.plan_index(2, 10)
    other = Store.open(tmp_path / "other.db")
    calendar.edits.set_workspace(Workspace(other))
    assert calendar.store is other
    other.close()


def test_project_editor_follows_moves_and_deletion(qtbot, store: Store) -> None:
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    ws = Workspace(store)
    editor = ProjectSpendingEditor(Edits(ws))
    qtbot.addWidget(editor)
    project = doc.projects[2]
    editor.set_project(doc, project)
    ws.adopt(doc)
    ws.apply(MoveRow(Ref(doc.id, "projects", 2), 0))
    editor.refresh()
    assert editor.plan_model.headerData(0, Qt.Orientation.Vertical) == "1"
    ws.apply(DeleteRow(Ref(doc.id, "projects", 0)))
    editor.refresh()
    assert editor.plan_model.rowCount() == 0


def test_delete_key_clears_a_cell(calendar: SpendingCalendar, qtbot, store: Store) -> None:
    view = calendar.plan_view
    view.setCurrentIndex(calendar.plan_index(0, 10))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert _reload(store).projects[0].plan_oct_raw is None
    view.setCurrentIndex(calendar.plan_index(0, 4))  # an interpolated month: nothing to clear
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert calendar.stack.count() == 1
    calendar.tabs.setCurrentIndex(1)
    calendar.exec_view.setCurrentIndex(calendar.execution_index(0, 2))
    qtbot.keyClick(calendar.exec_view, Qt.Key.Key_Backspace)
    assert [e.month for e in _reload(store).projects[0].executions] == [1, 3]
    calendar.stack.undo()
    assert [e.month for e in _reload(store).projects[0].executions] == [1, 2, 3]


def test_paste_a_row_of_checkpoints_from_a_spreadsheet(calendar: SpendingCalendar, store: Store) -> None:
    view = calendar.plan_view
    view.setCurrentIndex(calendar.plan_index(1, 3))  # 特种设备安全监管, 3月底
    # the four cells of the template's 资金支出计划 row, as Excel copies them
    assert view.paste_text("20%\t45%\t70%\t100%\r\n") == 3  # 12月底 already 100%
    p = _reload(store).projects[1]
    assert (p.plan_mar_raw, p.plan_jun_raw, p.plan_oct_raw, p.plan_dec_raw) == ("20%", "45%", "70%", "100%")
    assert calendar.stack.count() == 1 and calendar.stack.undoText() == "粘贴资金支出计划"
    calendar.stack.undo()
    assert _reload(store).projects[1].plan_mar_raw == " "
    # copy a block of the calendar as tab-separated text
    view.selectionModel().select(
        QItemSelection(calendar.plan_index(0, 3), calendar.plan_index(0, 3, amount=True)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert view.copy_selection() == "25%\t50.00"


def test_ctrl_v_pastes_from_the_clipboard(calendar: SpendingCalendar, qtbot, qapp, store: Store) -> None:
    view = calendar.plan_view
    view.setCurrentIndex(calendar.plan_index(2, 6))
    qapp.clipboard().setText("66%")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _reload(store).projects[2].plan_jun_raw == "66%"
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert qapp.clipboard().text() == "66%"


def test_paste_execution_block_is_one_step_and_all_or_nothing(calendar: SpendingCalendar, store: Store) -> None:
    view = calendar.exec_view
    calendar.tabs.setCurrentIndex(1)
    view.setCurrentIndex(calendar.execution_index(2, 1))  # 市场主体培育, 1月
    assert view.paste_text("1\t2\t3.5\n0.5\t0.6") == 3  # the second row lands on 合计: skipped
    assert [(e.month, e.amount_raw) for e in _reload(store).projects[2].executions] == [
        (1, "1"), (2, "2"), (3, "3.5")]
    assert calendar.stack.count() == 1
    calendar.stack.undo()
    assert _reload(store).projects[2].executions == []
    assert view.paste_text("1\t很多") == 0
    assert "不是有效的金额" in calendar.message.text() and _reload(store).projects[2].executions == []
