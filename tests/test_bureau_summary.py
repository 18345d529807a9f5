"""The 汇总 workbook: sheets, numbers, formats, frozen headers, autofilter, print setup."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.cli import main
from app.services.formats.importing import commit_documents
from app.services.storage.store import Store
from tests.factories import full_document


def _db(db_path: Path) -> None:
    store = Store.open(db_path)
    try:
        commit_documents(store, [full_document("422001"), full_document("422002", year=2025)])
    finally:
        store.close()


def test_summary_workbook_sheets_and_values(db_path: Path, tmp_path: Path, capsys) -> None:
    _db(db_path)
    out = tmp_path / "汇总.xlsx"
    assert main(["summary", "--db", str(db_path), "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["单位", "项目", "指标", "规则命中", "资金支出计划"]
    units = wb["单位"]
    assert [c.value for c in units[2]][:5] == ["单位编码", "单位名称", "年度", "项目数", "预算数合计（万元）"]
    assert [units.cell(3, c).value for c in (1, 3, 4)] == ["422001", 2024, 1]
    assert Decimal(str(units.cell(3, 5).value)) == Decimal("200")
    assert units.cell(3, 5).number_format == "0.00"
    assert units.cell(3, 10).value == "未审"
    for ws in wb.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("3")
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:")
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"
    projects = wb["项目"]
    assert projects.cell(3, 5).value == "13020924P00070710002F"
    assert projects.cell(3, 12).value == 0.755 and projects.cell(3, 12).number_format == "0.00%"
    assert projects.cell(3, 14).value == 3
    indicators = wb["指标"]
    table = {(r[0], r[1], r[2]): r[3:] for r in indicators.iter_rows(min_row=3, values_only=True)}
    assert table[(2024, "产出指标", "数量指标")] == (1, 0, 0, 0, 1)
    hits = wb["规则命中"]
    header = [c.value for c in hits[2]]
    assert header[-1] == "合计" and len(header) > 4
    assert hits.cell(3, len(header)).value == sum(
        v or 0 for v in [hits.cell(3, c).value for c in range(4, len(header))]
    )
    spending = wb["资金支出计划"]
    assert [c.value for c in spending[2]][4:16] == [f"{m}月" for m in range(1, 13)]
    assert Decimal(str(spending.cell(3, 16).value)) == Decimal("200")


def test_summary_one_year_and_empty_year(db_path: Path, tmp_path: Path, capsys) -> None:
    _db(db_path)
    out = tmp_path / "y.xlsx"
    assert main(["summary", "--db", str(db_path), "--out", str(out), "--year", "2025"]) == 0
    assert [r[0] for r in load_workbook(out)["单位"].iter_rows(min_row=3, values_only=True)] == ["422002"]
    assert main(["summary", "--db", str(db_path), "--out", str(tmp_path / "n.xlsx"), "--year", "2030"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2030年度" in err
    assert not (tmp_path / "n.xlsx").exists()


def test_summary_needs_an_existing_database(tmp_path: Path, capsys) -> None:
    assert main(["summary", "--db", str(tmp_path / "missing.db"), "--out", str(tmp_path / "o.xlsx")]) == 2
    assert "不存在" in capsys.readouterr().err
