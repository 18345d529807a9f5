"""Find and replace across a unit: every change previewed, applied as one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.workspace.find_replace import plan_replace
from app.ui.find_replace import open_find_replace
from app.ui.main_window import MainWindow
from tests.validation_helpers import good_doc


def test_plan_lists_every_text_that_changes() -> None:
    doc = good_doc()
    doc.projects[1].indicators[0].basis = "2024年工作计划；2024年预算"
    doc.overall_text = "2024年度目标"
    plan = plan_replace(doc, "2024年", "2025年")
    basis = next(r for r in plan if r.project == 2 and r.row == 1 and r.attr == "basis")
    assert basis.after == "2025年工作计划；2025年预算" and basis.count == 2
    assert basis.where == "项目2 第1行 指标值确定依据" and basis.field == "basis"
    assert any(r.project is None and r.attr == "overall_text" for r in plan)
    only = plan_replace(doc, "2024年", "2025年", projects=[doc.projects[1]])
    assert only and all(r.project == 2 for r in only)
    assert plan_replace(doc, "", "x") == []
    # Nothing is changed by planning.
    assert doc.overall_text == "2024年度目标"


@pytest.mark.gui
def test_replace_in_the_window_is_one_undo_step(qtbot, store: Store) -> None:  # noqa: ANN001
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.files.open_sample()
    doc = w.current_document()
    w.select_project(doc, doc.projects[0])
    dialog = open_find_replace(w, replace=True)
    dialog.find_edit.setText("2023年")
    dialog.replace_edit.setText("2025年")
    dialog.preview()
    n = len(dialog.plan)
    assert n > 3 and dialog.table.rowCount() == n
    # Untick one change: it is left as it was.
    dialog.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    kept = dialog.plan[0]
    assert dialog.replace_all() == n - 1
    stored = load_documents(store)[0]
    texts = [p.name or "" for p in stored.projects] + [i.basis or "" for p in stored.projects for i in p.indicators]
    assert sum("2023年" in t for t in texts) <= 1 and getattr(kept.obj, kept.attr) == kept.before
    # The shown table follows.
    model = w.indicator_editor.model
    assert "2023年" not in "".join(model.raw(r, 5) for r in range(model.rowCount()))
    w.action_undo.trigger()
    again = load_documents(store)[0]
    assert [p.name for p in again.projects] == [p.name for p in doc.projects]
    assert sum("2023年" in (i.basis or "") for p in again.projects for i in p.indicators) > 3
    assert w.action_find.shortcut().toString() == "Ctrl+F"
    dialog.close()
