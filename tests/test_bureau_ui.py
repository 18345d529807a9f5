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
