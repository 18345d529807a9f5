"""The window with the real rule engine: seed.docx, project 5, fix a finding, waive a warning."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.storage.store import Store
from app.ui.dialogs import ImportPreviewDialog, WaiveDialog
from app.ui.main_window import MainWindow
from tests.ui_helpers import click_tree

pytestmark = pytest.mark.gui


def _rules(w: MainWindow, project: int, row: int | None) -> set[str]:
    return {f.rule for f in w.problems.model.findings if f.project == project and f.row == row and not f.waived}


@pytest.fixture
def window(qtbot, store: Store, seed_docx, monkeypatch) -> MainWindow:
    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(lambda cls, r, c, parent=None: (True, None)))
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.import_paths([str(seed_docx)])
    doc = w.current_document()
    click_tree(qtbot, w.tree, w.tree.tree_model.find(doc.id, doc.projects[4].id))
    return w


def test_fixing_a_value_clears_its_findings(window: MainWindow) -> None:
    w = window
    from app.ui.editors.indicator_model import COL_VALUE

    assert {"G04", "G20"} <= _rules(w, 5, 3)
    error_row = next(r for r in range(w.problems.proxy.rowCount())
                     if w.problems.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).severity == "error")
    w.problems.select_row(error_row)
    assert not w.problems.waive_button.isEnabled()  # errors cannot be waived
    node = w.tree.tree_model.unit_node(w.current_document().id).children[5]
    errors_before = node.errors
    w.indicator_editor.model.setData(w.indicator_editor.model.index(2, COL_VALUE), "2024年12月31日前",
                                     Qt.ItemDataRole.EditRole)
    assert not {"G04", "G20"} & _rules(w, 5, 3)
    assert node.errors == errors_before - 2
    w.action_undo.trigger()
    assert {"G04", "G20"} <= _rules(w, 5, 3)
    assert node.errors == errors_before


def test_waive_a_warning_survives_restart(window: MainWindow, qtbot, store: Store, db_path, monkeypatch) -> None:
    w = window
    monkeypatch.setattr(WaiveDialog, "ask", classmethod(lambda cls, message, parent=None: "按调查口径确定"))
    rows = [f for f in w.problems.model.findings if f.rule == "G09" and f.project == 5]
    assert rows and rows[0].severity == "warning"
    proxy_row = next(r for r in range(w.problems.proxy.rowCount())
                     if w.problems.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) is rows[0])
    w.problems.select_row(proxy_row)
    assert w.problems.waive_button.isEnabled()
    w.problems.waive_button.click()
    def g09():  # noqa: ANN202
        return next(f for f in w.problems.model.findings if f.rule == "G09" and f.project == 5)

    assert g09().waived and "按调查口径确定" in str(g09().waiver)
    assert "按调查口径确定" in w.problems.model.index(w.problems.model.findings.index(g09()), 5).data()
    warnings = w.tree.tree_model.unit_node(w.current_document().id).children[5].warnings
    w.action_undo.trigger()
    assert not g09().waived
    assert w.tree.tree_model.unit_node(w.current_document().id).children[5].warnings == warnings + 1
    w.action_redo.trigger()
    assert g09().waived
    # Withdraw and re-apply through the panel's buttons.
    row = next(r for r in range(w.problems.proxy.rowCount())
               if w.problems.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) is g09())
    w.problems.select_row(row)
    assert w.problems.unwaive_button.isEnabled() and not w.problems.waive_button.isEnabled()
    w.problems.unwaive_button.click()
    assert not g09().waived
    w.action_undo.trigger()
    assert g09().waived
    w.close()
    store.close()
    again = Store.open(db_path)
    try:
        w2 = MainWindow(again)
        qtbot.addWidget(w2)
        w2.show()
        assert w2.current_project is not None and w2.current_project.name == "食品安全监管"
        g09 = [f for f in w2.problems.model.findings if f.rule == "G09" and f.project == 5]
        assert g09 and g09[0].waived
        w2.close()
    finally:
        again.close()


def test_window_counts_equal_check(window: MainWindow, seed_docx) -> None:
    # One validation: the status bar and the problems panel show what `python -m app check` counts.
    from app.services.formats.file_io import read_file
    from app.services.validation import check_documents

    report = check_documents(read_file(seed_docx).documents)
    s = report.summary
    assert _status_counts(window) == (s["error"], s["warning"], s["hint"]) == (43, 104, 178)
    shown = sorted(f.key for f in window.problems.model.findings)
    assert shown == sorted(f.key for f in report.objects)


def _status_counts(w: MainWindow) -> tuple[int, int, int]:
    import re

    m = re.fullmatch(r"错误 (\d+)　警告 (\d+)　提示 (\d+)", w.counts_label.text())
    assert m, w.counts_label.text()
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def test_y01_hint_is_waivable_in_the_window(window: MainWindow, monkeypatch) -> None:
    w = window
    monkeypatch.setattr(WaiveDialog, "ask", classmethod(lambda cls, message, parent=None: "依据文件本年度未更新"))

    def y01():  # noqa: ANN202
        return next(f for f in w.problems.model.findings if f.rule == "Y01" and f.field == "purpose")

    hints = _status_counts(w)[2]
    row = next(r for r in range(w.problems.proxy.rowCount())
               if w.problems.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) is y01())
    w.problems.select_row(row)
    assert w.problems.waive_button.isEnabled()
    w.problems.waive_button.click()
    assert y01().waived and _status_counts(w)[2] == hints - 1


def test_undo_of_a_row_delete_brings_its_waiver_back(window: MainWindow, store: Store, monkeypatch) -> None:
    from app.services.workspace.waivers import list_waivers

    w = window
    doc = w.current_document()
    monkeypatch.setattr(WaiveDialog, "ask", classmethod(lambda cls, message, parent=None: "按调查口径确定"))
    (finding,) = [f for f in w.problems.model.findings if f.rule == "G09" and f.project == 5]
    w.validation.waive(finding)
    row = finding.row

    def g09() -> list:
        return [f for f in w.problems.model.findings if f.rule == "G09" and f.project == 5]

    assert g09()[0].waived and len(list_waivers(store, doc.id)) == 1
    editor = w.indicator_editor
    editor.view.select_block(row - 1, 0, row - 1, 0)
    editor.delete_rows()
    assert g09() == [] and list_waivers(store, doc.id) == []
    w.action_undo.trigger()
    assert g09() and g09()[0].waived and g09()[0].waiver == "按调查口径确定"
    (stored,) = list_waivers(store, doc.id)
    assert stored.explanation == "按调查口径确定" and stored.location == finding.key
    w.action_redo.trigger()
    assert g09() == [] and list_waivers(store, doc.id) == []
    w.action_undo.trigger()
    assert g09()[0].waived and len(list_waivers(store, doc.id)) == 1
