"""Tables as other offices and editors leave them: the same values, or a loud error.

Header variants (aliases, required marks, 计算符号 / 计量单位 columns) come from the layout
specification; split label cells, page breaks, repeated header rows and tracked row deletions
read the same as the seed; what cannot be read is an error, and the CLI refuses it (exit 4).
"""

from __future__ import annotations

import copy

import openpyxl
import pytest
from lxml import etree

from app.cli import main
from app.services.errors import InputError
from app.services.formats.file_io import read_file
from tests.compare import records
from tests.variants import W, _basic_tables, _transform_docx, _w


@pytest.fixture(scope="module")
def seed_docs():
    from tests.conftest import FIXTURES

    return read_file(FIXTURES / "seed.docx").documents, read_file(FIXTURES / "seed.xlsx").documents


def _indicator_rows(ws) -> range:  # noqa: ANN001
    return range(11, ws.max_row + 1)


def test_header_aliases_marks_and_value_columns(seed_xlsx, tmp_path, seed_docs) -> None:
    """＊指标名称, *指标值：, 计算符号 and 计量单位 columns: combined into 指标值 as the row reads."""
    wb = openpyxl.load_workbook(seed_xlsx)
    ws = wb.worksheets[1]
    ws["C10"], ws["E10"], ws["H10"], ws["I10"] = "＊指标名称", "*指标值：", "计量单位", "计算符号"
    split = 0
    for r in _indicator_rows(ws):
        value = ws.cell(r, 5).value
        if isinstance(value, str) and value[:1] in "≥≤" and value.endswith("%"):
            ws.cell(r, 5).value, ws.cell(r, 8).value, ws.cell(r, 9).value = value[1:-1], "%", value[0]
            split += 1
    assert split >= 5
    wb.save(tmp_path / "v.xlsx")
    res = read_file(tmp_path / "v.xlsx")
    assert res.errors == []
    assert records(res.documents[0], True) == records(seed_docs[1][0], True)


def test_national_headers_are_aliases(seed_xlsx, tmp_path, seed_docs) -> None:
    wb = openpyxl.load_workbook(seed_xlsx)
    for ws in wb.worksheets[1:]:
        ws["C10"], ws["D10"], ws["F10"] = "指标内容", "指标解释", "备注"
    wb.save(tmp_path / "n.xlsx")
    res = read_file(tmp_path / "n.xlsx")
    assert res.errors == []
    assert records(res.documents[0], True) == records(seed_docs[1][0], True)


def test_unknown_column_with_values_is_an_error_and_the_cli_exits_4(seed_xlsx, tmp_path, capsys) -> None:
    wb = openpyxl.load_workbook(seed_xlsx)
    ws = wb.worksheets[1]
    ws["H10"], ws["H11"], ws["H12"] = "优", "≥95%", "≥90%"
    wb.save(tmp_path / "u.xlsx")
    res = read_file(tmp_path / "u.xlsx")
    assert len(res.errors) == 1 and "“优”" in res.errors[0] and "2行" in res.errors[0]
    assert f"工作表“{ws.title}”第10行" in res.errors[0]
    assert main(["import", str(tmp_path / "u.xlsx"), "--db", str(tmp_path / "t.db")]) == 4
    assert "错误：" in capsys.readouterr().out


def test_unrecognised_indicator_table_is_an_error(seed_xlsx, tmp_path) -> None:
    wb = openpyxl.load_workbook(seed_xlsx)
    wb.worksheets[3]["A10"] = "指标"  # not 一级指标: the table is not recognised
    wb.save(tmp_path / "h.xlsx")
    res = read_file(tmp_path / "h.xlsx")
    project = res.documents[0].projects[2]
    assert project.indicators == []
    assert any("没有可识别的指标表" in e and "一级指标 | 二级指标" in e for e in res.errors)
    assert any("无法识别的内容未导入" in e for e in res.errors)


def test_foreign_layout_names_what_was_expected_and_found(tmp_path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "项目", "金额"])
    wb.active.append([1, "办公费", 12.5])
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError) as exc:
        read_file(tmp_path / "f.xlsx")
    message = exc.value.message
    assert "项目编码" in message and "指标值确定依据" in message and "序号 | 项目 | 金额" in message


# --- docx as people edit it ---------------------------------------------------------------


def split_label_cells(body) -> None:  # noqa: ANN001
    """拆分单元格: the vertical merges of 预算规模及资金用途 / 资金支出计划（%） removed."""
    for tbl in _basic_tables(body):
        for vm in list(tbl.iter(f"{W}vMerge")):
            vm.getparent().remove(vm)


def page_and_column_breaks(body) -> None:  # noqa: ANN001
    """LibreOffice/WPS re-saves: page breaks as <w:br w:type="page"/> runs inside cells."""
    for tbl in _basic_tables(body):
        for tc in tbl.iter(f"{W}tc"):
            p = tc.find(f"{W}p")
            r = _w("r")
            r.append(_w("br", type="page"))
            p.append(r)
            r2 = _w("r")
            r2.append(_w("br", type="column"))
            p.insert(len(p) - 1, r2)


def repeated_header_and_deleted_row(body) -> None:  # noqa: ANN001
    """The indicator header row repeated mid-table; a row deleted with track changes."""
    tables = [t for t in body.findall(f"{W}tbl") if "一级指标" in "".join(x.text or "" for x in t.iter(f"{W}t"))]
    for tbl in tables[:3]:
        rows = tbl.findall(f"{W}tr")
        rows[2].addprevious(copy.deepcopy(rows[0]))
        gone = copy.deepcopy(rows[1])
        trpr = gone.find(f"{W}trPr")
        trpr.append(_w("del", id="5", author="x"))
        rows[-1].addnext(gone)


def fields_and_hyperlinks(body) -> None:  # noqa: ANN001
    """Values inside a hyperlink and inside a complex field (instruction text is not a value)."""
    for tbl in _basic_tables(body):
        runs = [r for r in tbl.iter(f"{W}r") if r.find(f"{W}t") is not None]
        link = _w("hyperlink")
        runs[1].addprevious(link)
        link.append(runs[1])
        first = runs[3]
        for kind, instr in (("begin", None), (None, " MERGEFIELD 名称 "), ("separate", None)):
            r = _w("r")
            if kind:
                r.append(_w("fldChar", fldCharType=kind))
            else:
                etree.SubElement(r, f"{W}instrText").text = instr
            first.addprevious(r)
        end = _w("r")
        end.append(_w("fldChar", fldCharType="end"))
        first.addnext(end)


@pytest.mark.parametrize("change", [split_label_cells, page_and_column_breaks, repeated_header_and_deleted_row,
                                    fields_and_hyperlinks])
def test_docx_edits_read_the_same(change, seed_docx, tmp_path, seed_docs) -> None:
    path = _transform_docx(seed_docx, tmp_path / f"{change.__name__}.docx", change)
    res = read_file(path)
    assert res.errors == [] and res.notes == []
    assert records(res.documents[0]) == records(seed_docs[0][0])


def test_split_label_cells_in_xlsx(seed_xlsx, tmp_path, seed_docs) -> None:
    wb = openpyxl.load_workbook(seed_xlsx)
    for ws in wb.worksheets[1:]:
        for rng in [r for r in ws.merged_cells.ranges if r.min_col == 1 and r.max_row > r.min_row]:
            if rng.min_row < 10:
                ws.unmerge_cells(str(rng))
    wb.save(tmp_path / "s.xlsx")
    res = read_file(tmp_path / "s.xlsx")
    assert res.errors == []
    assert records(res.documents[0], True) == records(seed_docs[1][0], True)
