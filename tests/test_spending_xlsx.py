"""The spending plan and execution exported to xlsx, read back with openpyxl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.services.errors import PerfGoalsError
from app.services.spending.xlsx import write_spending_xlsx
from tests.factories import blank_document, spending_document


def _rows(ws) -> dict[str, int]:
    return {ws.cell(row=r, column=3).value: r for r in range(5, ws.max_row + 1)}


def test_plan_sheet(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    write_spending_xlsx(out, spending_document())
    wb = load_workbook(out)
    assert wb.sheetnames == ["资金支出计划", "执行情况"]
    ws = wb["资金支出计划"]
    assert "2024年度 422001曹妃甸区市场监督管理局本级" in ws["A1"].value
    assert ws.cell(row=4, column=7).value == "3月底" and ws.cell(row=4, column=5).value == "1月"
    rows = _rows(ws)
    r = rows["食品安全监管"]
    assert ws.cell(row=r, column=2).value == "13020924P00070710002F"
    assert ws.cell(row=r, column=4).value == pytest.approx(200.0)
    assert ws.cell(row=r, column=4).number_format == "0.00"
    mar = ws.cell(row=r, column=7)  # 3月底 %: as entered, black
    assert mar.value == pytest.approx(0.25) and mar.number_format == "0%"
    assert not mar.font.italic
    oct_ = ws.cell(row=r, column=14)
    assert oct_.value == pytest.approx(0.755) and oct_.number_format == "0.00%"
    jan = ws.cell(row=r, column=5)  # interpolated: grey italic
    assert jan.value == pytest.approx(0.0833) and jan.font.italic and jan.font.color.rgb.endswith("8C8C8C")
    assert ws.cell(row=r, column=16 + 3).value == pytest.approx(50.0)  # 3月 万元
    assert ws.cell(row=r, column=16 + 3).number_format == "0.00"
    total = rows["单位合计"]
    assert ws.cell(row=total, column=4).value == pytest.approx(312.42)
    assert ws.cell(row=total, column=16 + 3).value == pytest.approx(78.73)
    assert ws.cell(row=total, column=16).value == pytest.approx(1.0)
    assert ws.freeze_panes == "E5"


def test_unknown_months_stay_blank(tmp_path: Path) -> None:
    doc = spending_document()
    doc.projects[2].plan_dec_raw = None
    out = tmp_path / "plan.xlsx"
    write_spending_xlsx(out, doc)
    ws = load_workbook(out)["资金支出计划"]
    r = _rows(ws)["市场主体培育"]
    assert ws.cell(row=r, column=4 + 11).value is None and ws.cell(row=r, column=4 + 12).value is None
    assert ws.cell(row=r, column=16 + 12).value is None


def test_execution_sheet(tmp_path: Path) -> None:
    out = tmp_path / "exec.xlsx"
    write_spending_xlsx(out, spending_document())
    ws = load_workbook(out)["执行情况"]
    rows = _rows(ws)
    r = rows["食品安全监管"]
    assert [ws.cell(row=r, column=4 + m).value for m in (1, 2, 3, 4)] == [
        pytest.approx(10.0), pytest.approx(20.0), pytest.approx(55.5), None]
    assert ws.cell(row=r, column=5).fill.fgColor.rgb.endswith("F4C7C3")  # Jan 59.99%: red
    assert ws.cell(row=r, column=6).fill.fgColor.rgb.endswith("FCE8B2")  # Feb: yellow
    assert ws.cell(row=r, column=17).value == "3月"
    assert ws.cell(row=r, column=20).value == pytest.approx(1.11)
    assert ws.cell(row=r, column=20).number_format == "0%"
    assert ws.cell(row=r, column=21).value == "正常"
    r2 = rows["特种设备安全监管"]
    assert ws.cell(row=r2, column=21).value == "红色预警"
    assert "6月底" in ws.cell(row=r2, column=22).value
    total = rows["单位合计"]
    assert ws.cell(row=total, column=7).value == pytest.approx(55.5)
    assert ws.cell(row=total, column=20).value == pytest.approx(0.74)
    assert ws.cell(row=total, column=21).value == "黄色提醒"


def test_blank_document_exports(tmp_path: Path) -> None:
    out = tmp_path / "blank.xlsx"
    write_spending_xlsx(out, blank_document())
    ws = load_workbook(out)["资金支出计划"]
    assert ws.cell(row=5, column=3).value == "项目1"
    assert all(ws.cell(row=5, column=c).value is None for c in range(5, 29))


def test_export_is_atomic(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"old")
    write_spending_xlsx(out, spending_document())
    assert load_workbook(out)["资金支出计划"] is not None
    assert not list(tmp_path.glob("*.part"))
    with pytest.raises(PerfGoalsError, match="目标文件夹不存在"):
        write_spending_xlsx(tmp_path / "missing" / "x.xlsx", spending_document())


def test_amounts_are_exact_decimals(tmp_path: Path) -> None:
    from app.services.spending.xlsx import spending_workbook

    ws = spending_workbook(spending_document())["资金支出计划"]
    assert isinstance(ws.cell(row=5, column=4).value, Decimal)
    assert ws.cell(row=7, column=16 + 3).value == Decimal("3.73")
