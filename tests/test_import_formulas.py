"""Workbooks whose amounts are formulas without cached values (as scripts and some offices
write them): the import computes what Excel/LibreOffice compute, or imports the cell blank
with an error naming sheet and cell — never a made-up number."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from app.cli import main
from app.services.formats.file_io import read_file
from app.services.storage.documents import load_documents
from app.services.storage.store import Store


def formula_workbook(seed_xlsx: Path, out: Path) -> Path:
    """Seed with 预算数 / 财政资金 of project 1 computed from a hidden sheet (no cached values)."""
    wb = openpyxl.load_workbook(seed_xlsx)
    data = wb.create_sheet("数据")
    data["C5"], data["C6"], data["C7"] = 1.74, 0, "备注"
    data.sheet_state = "hidden"
    wb.defined_names["财政"] = DefinedName("财政", attr_text="数据!$C$5")
    ws = wb.worksheets[1]
    ws["E4"] = "='数据'!C5+0"
    ws["C4"] = "=E4+G4"
    ws["G7"] = "=ROUND(SUM(财政,数据!$C$6:$C$7)/$E$4,2)"  # 12月底 = 100%
    ws["B7"] = '=IF(数据!C6=0,"",数据!C5/数据!C6)'  # 3月底 blank, the division not taken
    wb.save(out)
    return out


def test_hidden_sheet_formulas_are_computed(seed_xlsx, tmp_path) -> None:
    res = read_file(formula_workbook(seed_xlsx, tmp_path / "f.xlsx"))
    p = res.documents[0].projects[0]
    assert (p.budget_total_raw, p.budget_fiscal_raw, p.plan_dec_raw) == ("1.74", "1.74", "100%")
    assert p.plan_mar_raw is None
    assert res.errors == []
    assert any("E4" in n and "1.74" in n for n in res.notes)


def test_uncomputable_formula_is_blank_with_an_error_and_the_cli_refuses(seed_xlsx, tmp_path, capsys) -> None:
    wb = openpyxl.load_workbook(formula_workbook(seed_xlsx, tmp_path / "f.xlsx"))
    sheet = wb.worksheets[1].title
    wb.worksheets[1]["E4"] = "=VLOOKUP(1,数据!C5:C7,1,FALSE)"
    wb.save(tmp_path / "bad.xlsx")
    res = read_file(tmp_path / "bad.xlsx")
    p = res.documents[0].projects[0]
    assert p.budget_fiscal_raw is None  # not 0, not 0.00
    # C4 = E4 + G4 depends on it: blank too, each named.
    assert p.budget_total_raw is None
    assert any(f"工作表“{sheet}”E4" in e and "VLOOKUP" in e for e in res.errors)
    assert any(f"工作表“{sheet}”C4" in e for e in res.errors)

    db = tmp_path / "t.db"
    assert main(["import", str(tmp_path / "bad.xlsx"), "--db", str(db)]) == 4
    out, err = capsys.readouterr()
    assert "错误：" in out and "--allow-partial" in err
    store = Store.open(db)
    assert load_documents(store) == []
    store.close()
    assert main(["import", str(tmp_path / "bad.xlsx"), "--db", str(db), "--allow-partial"]) == 0
    store = Store.open(db)
    assert load_documents(store)[0].projects[0].budget_fiscal_raw is None
    store.close()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_recalculation_is_the_oracle(seed_xlsx, tmp_path) -> None:
    """LibreOffice computes the same workbook (and stores cached values): same amounts."""
    src = formula_workbook(seed_xlsx, tmp_path / "f.xlsx")
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    ours = read_file(src).documents[0].projects[0]
    lo = read_file(out / "f.xlsx")
    assert not any("公式没有缓存值" in n for n in lo.notes)  # LibreOffice wrote cached values
    theirs = lo.documents[0].projects[0]
    for f in ("budget_total_raw", "budget_fiscal_raw", "plan_mar_raw", "plan_dec_raw"):
        assert getattr(ours, f) == getattr(theirs, f), f


def test_preview_dialog_names_the_errors(seed_xlsx, tmp_path, qtbot, store) -> None:
    from PySide6.QtWidgets import QLabel

    from app.services.formats.import_preview import preview_import, report_lines
    from app.ui.dialogs import ImportPreviewDialog

    wb = openpyxl.load_workbook(seed_xlsx)
    wb.worksheets[1]["E4"] = "=VLOOKUP(1,A1:B2,2,FALSE)"
    wb.save(tmp_path / "bad.xlsx")
    report = "\n".join(report_lines(preview_import(store, tmp_path / "bad.xlsx")))
    assert "错误：" in report and "E4" in report
    dlg = ImportPreviewDialog(report, [])
    qtbot.addWidget(dlg)
    label = dlg.findChild(QLabel, "importErrors")
    assert label is not None and "1处内容无法导入" in label.text()
