"""The calendar inside the main window: seed.docx, edit a checkpoint, live D rules, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.storage.store import Store
from app.ui.dialogs import ImportPreviewDialog
from app.ui.editors.spending_models import FINDINGS_ROLE
from app.ui.main_window import MainWindow
from tests.ui_helpers import click_tree

pytestmark = pytest.mark.gui


def _d_rules(w: MainWindow, project: int) -> set[str]:
    return {f.rule for f in w.problems.model.findings
            if f.project == project and f.rule.startswith("D") and not f.waived}


@pytest.fixture
def window(qtbot, store: Store, seed_docx, monkeypatch) -> MainWindow:
    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(lambda cls, r, c, parent=None: (True, None)))
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.resize(1366, 860)
    w.show()
    w.import_paths([str(seed_docx)])
    return w


def test_project_spending_editor_edits_with_live_rules_and_undo(window: MainWindow, qtbot, store: Store) -> None:
    w = window
    doc = w.current_document()
    project = doc.projects[1]  # 公众开放日试剂补贴: 6月底 left blank in the seed
    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, project.id))
    editor = w.project_spending
    assert editor.plan_model.projects == [project]
    assert "D01" in _d_rules(w, 2)
    assert editor.plan_model.data(editor.plan_index(0, 6), FINDINGS_ROLE) == ["D01"]
    assert editor.plan_model.setData(editor.plan_index(0, 6), "50")
    assert project.plan_jun_raw == "50%"
    assert "D01" not in _d_rules(w, 2)
    assert editor.plan_model.data(editor.plan_index(0, 6), FINDINGS_ROLE) == []
    from app.services.storage.documents import load_documents

    assert load_documents(store)[0].projects[1].plan_jun_raw == "50%"
    w.action_undo.trigger()
    assert project.plan_jun_raw == " " and "D01" in _d_rules(w, 2)  # the seed's one-space cell is back
    assert editor.plan_model.data(editor.plan_index(0, 6), FINDINGS_ROLE) == ["D01"]


def test_unit_calendar_shows_every_project_and_follows_edits(window: MainWindow, qtbot, tmp_path) -> None:
    w = window
    doc = w.current_document()
    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, None))
    w.unit_tabs.setCurrentWidget(w.spending_calendar)
    cal = w.spending_calendar
    assert cal.isVisible() and cal.objectName() == "spendingCalendar"
    assert cal.plan_model.rowCount() == len(doc.projects) + 1
    assert cal.plan_model.data(cal.plan_index(0, 3), FINDINGS_ROLE) == ["D01"]
    before = cal.chart.plan.at(3).amount
    assert cal.plan_model.setData(cal.plan_index(0, 3), "50%")  # 1.74 × 50% = 0.87
    assert cal.plan_model.data(cal.plan_index(0, 3), FINDINGS_ROLE) == []
    assert cal.chart.plan.at(3).amount != before  # the chart follows the edit
    assert cal.exec_model.setData(cal.execution_index(0, 3), "0.9")
    assert doc.projects[0].executions[0].amount_raw == "0.9"
    w.action_undo.trigger()
    w.action_undo.trigger()
    assert doc.projects[0].executions == [] and doc.projects[0].plan_mar_raw == " "
    cal.grab().save(str(tmp_path / "calendar_in_window.png"))


def test_hidden_unit_calendar_catches_up_when_shown(window: MainWindow, qtbot) -> None:
    """The unit calendar is not recomputed behind the project page, but is right once shown."""
    w = window
    doc = w.current_document()
    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, None))
    w.unit_tabs.setCurrentWidget(w.spending_calendar)
    cal = w.spending_calendar
    before = cal.chart.plan.at(3).amount
    assert cal.plan_model.setData(cal.plan_index(0, 3), "50%")
    assert w.current_project is None and cal.isVisible()  # a new edit on the calendar stays there
    edited = cal.chart.plan.at(3).amount
    assert edited != before

    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, doc.projects[0].id))
    w.project_tabs.setCurrentIndex(1)
    editor = w.project_spending
    assert editor.plan_model.setData(editor.plan_index(0, 3), "100%")
    assert not cal.isVisible() and cal._stale  # not recomputed while hidden
    assert cal.chart.plan.at(3).amount == edited

    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, None))
    assert cal.isVisible() and not cal._stale
    assert cal.chart.plan.at(3).amount != edited
    assert cal.plan_model.data(cal.plan_index(0, 3), Qt.ItemDataRole.DisplayRole) == \
        editor.plan_model.data(editor.plan_index(0, 3), Qt.ItemDataRole.DisplayRole)
    w.action_undo.trigger()  # an undo shows the project it changes
    assert doc.projects[0].plan_mar_raw == "50%" and w.current_project is doc.projects[0]
    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, None))
    assert cal.chart.plan.at(3).amount == edited
