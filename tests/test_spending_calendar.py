"""The spending calendar driven as a user would: edit, undo/redo, markers, chart, 执行数."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QIcon, QUndoStack
from PySide6.QtWidgets import QLineEdit, QListWidget, QToolTip, QWidget

from app.services.documents import load_documents
from app.services.importing import commit_documents
from app.services.storage import Store
from app.ui.main import install_font
from app.ui.spending_calendar import ProjectSpendingEditor, SpendingCalendar
from app.ui.spending_models import BAND_ROLE, FINDINGS_ROLE, KIND_ROLE, LAG_ROLE
from tests.factories import spending_document

pytestmark = pytest.mark.gui
DISPLAY = Qt.ItemDataRole.DisplayRole


@dataclass
class FakeFinding:
    """What the validator reports (same attribute names as validation.Finding)."""

    rule: str
    severity: str
    message: str
    project: int | None
    field: str | None = None


@pytest.fixture
def calendar(qtbot, qapp, store: Store):
    install_font(qapp)
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    stack = QUndoStack()
    notified: list = []
    widget = SpendingCalendar(store, stack, notified.append)
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
    calendar.set_findings([FakeFinding("D01", "warning", "资金支出计划“3月底”未填写", 2, "plan_mar"),
                           FakeFinding("D05", "hint", "资金全部集中在年底支出", 2, None)])
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
    assert calendar.notified and calendar.notified[-1] is calendar.doc.projects[0]
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
        FakeFinding("D01", "warning", "资金支出计划“3月底”未填写", 2, "plan_mar"),
        FakeFinding("D05", "hint", "资金全部集中在年底支出，建议按实施进度分解", 2, None),
        FakeFinding("D04", "error", "12月底累计支出计划应为100%", 3, "plan_dec"),
        FakeFinding("C04", "error", "资金用途不能为空", 1, "purpose"),  # not ours
    ]
    calendar.set_findings(findings)
    m = calendar.plan_model
    cell = calendar.plan_index(1, 3)
    assert m.data(cell, FINDINGS_ROLE) == ["D01"]
    assert isinstance(m.data(cell, Qt.ItemDataRole.DecorationRole), QIcon)
    assert m.data(cell, Qt.ItemDataRole.BackgroundRole).color().name() == "#ffe9b0"
    assert "D01：资金支出计划“3月底”未填写" in m.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert m.data(m.index(1, 0), FINDINGS_ROLE) == ["D05"]
    assert m.data(calendar.plan_index(2, 12), Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d0d3"
    assert m.data(m.index(0, 0), FINDINGS_ROLE) == []
    problems = calendar.findChild(QListWidget, "spendingProblems")
    assert problems.count() == 3
    assert "特种设备安全监管" in problems.item(0).text() and "D01" in problems.item(0).text()
    calendar.tabs.setCurrentIndex(1)
    problems.itemActivated.emit(problems.item(2))
    assert calendar.tabs.currentIndex() == 0
    assert calendar.plan_view.currentIndex() == calendar.plan_index(2, 12)
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
    stack = QUndoStack()
    editor = ProjectSpendingEditor(store, stack, lambda obj: None)
    qtbot.addWidget(editor)
    editor.set_project(doc, doc.projects[2])
    editor.set_findings([FakeFinding("D01", "warning", "资金支出计划“6月底”未填写", 3, "plan_jun"),
                         FakeFinding("D01", "warning", "资金支出计划“3月底”未填写", 2, "plan_mar")])
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
    widget = SpendingCalendar(store, QUndoStack(), lambda obj: None)
    qtbot.addWidget(widget)
    widget.set_document(None)
    assert widget.plan_model.rowCount() == 0 and widget.exec_model.rowCount() == 0
    widget.show()
    widget.chart.grab()
