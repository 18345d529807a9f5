"""The problems panel keeps its rows (and the user's selection) when findings do not change."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from app.ui.panels.problems import ProblemsPanel
from tests.ui_helpers import FakeFinding

pytestmark = pytest.mark.gui


def _finding(rule: str, row: int, message: str = "问题") -> FakeFinding:
    return FakeFinding(rule, "warning", message, "适当性", "422001", 2024, 1, "P1", row, "value",
                       f"{rule}|P:P1|R:{row}|F:value")


def test_unchanged_findings_keep_selection_changed_ones_refresh(qtbot) -> None:
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.show()
    first = [_finding("G09", 1), _finding("G13", 2)]
    panel.set_findings(first)
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    panel.select_row(1)
    selected = panel.view.currentIndex().row()
    again = [dataclasses.replace(f) for f in reversed(first)]  # equal findings, new objects
    panel.set_findings(again)
    assert resets == [] and panel.view.currentIndex().row() == selected == 1
    assert all(any(f is g for g in again) for f in panel.model.findings)  # the new objects are used
    changed: list[tuple[int, int]] = []
    panel.model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    panel.set_findings([_finding("G09", 1), _finding("G13", 2, "另一个问题")])
    assert resets == [] and changed == [(1, 1)]  # only the changed row is touched
    assert panel.model.findings[1].message == "另一个问题"
    assert panel.proxy.index(1, 3).data() == "另一个问题"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(st.sampled_from(["error", "warning", "hint"]), st.integers(1, 3),
                                   st.integers(1, 4), st.sampled_from(["甲", "乙"])), max_size=12),
                min_size=1, max_size=5),
       st.sampled_from([None, "warning"]))
def test_incremental_updates_show_exactly_the_findings(qtbot, updates, severity) -> None:  # noqa: ANN001
    """Whatever the sequence of refreshes, the rows are the findings (ordered) and the proxy
    shows exactly those its filter accepts, with no model reset."""
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.severity_box.setCurrentIndex(panel.severity_box.findData(severity))
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    for rows in updates:
        found = [FakeFinding(f"R{n}", sev, msg, "适当性", "422001", 2024, project, f"P{project}", row,
                             "value", f"R{n}|P:P{project}|R:{row}") for n, (sev, project, row, msg) in enumerate(rows)]
        panel.set_findings(found)
        shown = [panel.model.findings[r] for r in range(panel.model.rowCount())]
        assert sorted(map(id, shown)) == sorted(map(id, found))
        assert [(f.project, f.row) for f in shown] == sorted((f.project, f.row) for f in shown)
        visible = [panel.proxy.index(r, 3).data() for r in range(panel.proxy.rowCount())]
        assert sorted(visible) == sorted(f.message for f in found if severity in (None, f.severity))
    assert resets == []


def _sev(rule: str, severity: str, project: int, row: int, waived: bool = False) -> FakeFinding:
    return FakeFinding(rule, severity, f"{rule}问题", "适当性", "422001", 2024, project, f"P{project}", row,
                       "value", f"{rule}|P:P{project}|R:{row}|F:value", waived, "理由" if waived else None)


def _rules(panel: ProblemsPanel) -> list[str]:
    return [panel.proxy.index(r, 1).data() for r in range(panel.proxy.rowCount())]


def test_counts_follow_filters_and_columns_sort(qtbot) -> None:
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.show()
    found = [_sev("B01", "error", 1, 1), _sev("G09", "warning", 1, 2), _sev("H02", "hint", 2, 1),
             _sev("G13", "warning", 2, 2, waived=True)]
    panel.set_findings(found, ["项目一", "项目二"])
    assert panel.summary.text() == "错误 1　警告 1　提示 1　已豁免 1"
    panel.project_box.setCurrentIndex(panel.project_box.findData(2))
    assert panel.summary.text() == "筛选后：错误 0　警告 0　提示 1　已豁免 1"
    panel.project_box.setCurrentIndex(0)
    # 级别 sorts by rank (error, warning, hint, then waived), not by the Chinese text.
    panel.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert _rules(panel) == ["B01", "G09", "H02", "G13"]
    panel.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert _rules(panel) == ["H02", "G13", "G09", "B01"]
    # The whole 级别 text shows.
    text = panel.proxy.index(_rules(panel).index("G13"), 0).data()
    assert text == "警告（已豁免）"
    assert panel.view.columnWidth(0) >= panel.view.fontMetrics().horizontalAdvance(text) + 20


def test_selection_kept_after_waiving_and_filters_reset_on_another_unit(qtbot) -> None:
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.show()
    found = [_sev("G09", "warning", 1, 1), _sev("H02", "hint", 1, 2), _sev("H03", "hint", 2, 1)]
    panel.set_findings(found, ["项目一", "项目二"], scope=1)
    panel.select_row(1)
    waived = [found[0], _sev("H02", "hint", 1, 2, waived=True), found[2]]
    panel.set_findings(waived, ["项目一", "项目二"], scope=1)
    assert panel.selected_finding().key == found[1].key and panel.selected_finding().waived
    panel.project_box.setCurrentIndex(panel.project_box.findData(2))
    panel.set_findings(found, ["项目一", "项目二"], scope=1)
    assert panel.proxy.rowCount() == 1  # same unit: the filter stays
    panel.set_findings(found, ["甲", "乙"], scope=2)
    assert panel.project_box.currentIndex() == 0 and panel.proxy.rowCount() == 3


def test_blank_explanation_is_refused_with_a_message(qtbot) -> None:
    from app.ui.dialogs import WaiveDialog

    dlg = WaiveDialog("G09 满意度目标值设为100%不切实际")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.text.setPlainText("   ")
    dlg.accept()
    assert dlg.isVisible() and dlg.result() != dlg.DialogCode.Accepted
    assert "不能为空" in dlg.refusal.text()
    dlg.text.setPlainText("按上级文件口径填写")
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted


def test_counts_are_not_clipped_beside_the_tree(qtbot) -> None:
    """At 1366×768 the panel sits beside the tree, about 340 px wide: the counts get a line."""
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    found = [_sev("B01", "error", 1, r) for r in range(43)] + [_sev("G09", "warning", 1, r) for r in range(104)]
    found += [_sev("H02", "hint", 2, r) for r in range(178)] + [_sev("G13", "warning", 2, 1, waived=True)]
    panel.set_findings(found, ["项目一", "项目二"])
    panel.setMinimumSize(1, 1)  # as in its dock, which goes by the panel's minimumSizeHint
    panel.show()
    panel.resize(340, 300)
    qtbot.waitUntil(lambda: panel.width() == 340 and panel.summary.width() <= 340, timeout=20000)
    summary = panel.summary
    needed = summary.fontMetrics().horizontalAdvance(summary.text())
    assert summary.width() >= needed or summary.wordWrap() and summary.height() >= summary.heightForWidth(summary.width())
    # nothing overlaps it: the buttons sit below the counts
    assert panel.waive_button.geometry().top() >= summary.geometry().bottom()
    # and wide again, one line
    panel.resize(1200, 300)
    qtbot.waitUntil(lambda: panel.waive_button.geometry().top() < summary.geometry().bottom(), timeout=20000)
