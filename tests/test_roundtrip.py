"""Round trips: export(import(seed)) imports back identical, tables match cell for cell."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from app.services.formats.docx.writer import write_docx
from app.services.formats.file_io import export_documents, read_file
from app.services.formats.grid import W, docx_table_grid
from app.services.formats.ooxml import SafePackage
from app.services.formats.selection import select_documents
from app.services.formats.xlsx.reader import _resolve, _Workbook, sheet_lines
from app.services.formats.xlsx.writer import sheet_name, write_xlsx
from tests.compare import records
from tests.factories import blank_document, full_document


def docx_tables(path: Path) -> list:
    with SafePackage(path) as pkg:
        root = pkg.read_xml("word/document.xml")
    return [docx_table_grid(t).shape() for t in root.iter(f"{W}tbl")]


def xlsx_sheets(path: Path) -> list:
    """Each visible sheet's logical cells (row, col, rowspan, colspan, text, covered)."""
    wb = _Workbook(path)
    texts = _resolve(wb, [])
    return [
        [(c.row, c.col, c.rowspan, c.colspan, c.text, c.covered)
         for line in sheet_lines(s, texts[s.name], n) for c in line.cells]
        for n, s in enumerate(wb.sheets) if s.state == "visible"
    ]


def test_docx_round_trip_identical(seed_docx, tmp_path) -> None:
    first = read_file(seed_docx)
    out = tmp_path / "export.docx"
    export_documents(first.documents, "docx", out)
    again = read_file(out)
    assert again.notes == []
    assert [records(d) for d in again.documents] == [records(d) for d in first.documents]
    assert docx_tables(out) == docx_tables(seed_docx)


def test_xlsx_round_trip_identical(seed_xlsx, tmp_path) -> None:
    first = read_file(seed_xlsx)
    out = tmp_path / "export.xlsx"
    export_documents(first.documents, "xlsx", out)
    again = read_file(out)
    assert again.notes == []
    assert [records(d) for d in again.documents] == [records(d) for d in first.documents]
    assert xlsx_sheets(out) == xlsx_sheets(seed_xlsx)


def test_docx_to_xlsx_to_docx_keeps_every_value(seed_docx, tmp_path) -> None:
    original = read_file(seed_docx).documents
    write_xlsx(tmp_path / "a.xlsx", original)
    via_xlsx = read_file(tmp_path / "a.xlsx").documents
    write_docx(tmp_path / "b.docx", via_xlsx)
    back = read_file(tmp_path / "b.docx").documents
    assert [records(d, True) for d in back] == [records(d, True) for d in original]
    # The tables keep their layout too (blank cells aside).
    assert [[c[:4] for c in t] for t in docx_tables(tmp_path / "b.docx")] == [
        [c[:4] for c in t] for t in docx_tables(seed_docx)
    ]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_full_and_blank_documents_round_trip(fmt, tmp_path) -> None:
    docs = [full_document(), blank_document()]
    out = tmp_path / f"units.{fmt}"
    export_documents(docs, fmt, out)
    res = read_file(out)
    back = res.documents
    assert len(back) == 2
    # The blank document has no project code: the export states its year (the docx in the
    # projects title, the workbook in a defined name of each project sheet), so none is asked.
    assert res.year_doubts == []
    # Exact in both formats: a single space (" ") in an amount or plan cell comes back as " ".
    assert records(back[0]) == records(docs[0])
    blank = records(back[1], True)
    assert blank["unit"]["code"] == "999001"
    assert len(blank["projects"]) == 1 and len(blank["projects"][0]["indicators"]) == 1


def test_export_one_project_or_one_unit(seed_docx, tmp_path) -> None:
    docs = read_file(seed_docx).documents
    for n, p in enumerate(docs[0].projects):
        p.id = 100 + n  # as when loaded from the database
    chosen = select_documents(docs, project_ids={102})
    assert len(chosen) == 1 and not chosen[0].has_part1
    assert [p.code for p in chosen[0].projects] == ["13020924P00071710002N"]
    write_docx(tmp_path / "one.docx", chosen)
    back = read_file(tmp_path / "one.docx").documents
    assert len(back[0].projects) == 1 and back[0].projects[0].seq == 3 and not back[0].has_part1
    assert select_documents(docs, unit_code="999999") == []
    assert select_documents(docs, unit_code="422001") == docs
    part1_only = select_documents(docs, project_ids=set(), include_part1=True)
    write_xlsx(tmp_path / "p1.xlsx", part1_only)
    back = read_file(tmp_path / "p1.xlsx").documents
    assert back[0].has_part1 and back[0].projects == [] and back[0].unit.code == "422001"
    assert records(back[0])["measures"] == records(docs[0])["measures"]


def test_docx_export_layout(seed_docx, tmp_path) -> None:
    out = tmp_path / "e.docx"
    write_docx(out, read_file(seed_docx).documents)
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        assert "word/styles.xml" in z.namelist()
    sz = root.find(f".//{W}sectPr/{W}pgSz")
    assert (sz.get(f"{W}w"), sz.get(f"{W}h")) == ("11906", "16838")  # A4
    headers = root.findall(f".//{W}tblHeader")
    assert len(headers) == 11
    fonts = {f.get(f"{W}eastAsia") for f in root.iter(f"{W}rFonts")}
    assert fonts == {"宋体", "黑体"}
    h4 = [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading4']") is not None]
    assert len(h4) == 11
    assert all(p.find(f"{W}bookmarkStart") is not None for p in h4)
    assert sum(p.find(f"{W}pPr/{W}pageBreakBefore") is not None for p in h4) == 10


def test_xlsx_export_layout(seed_docx, tmp_path) -> None:
    out = tmp_path / "e.xlsx"
    write_xlsx(out, read_file(seed_docx).documents)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "部门整体绩效目标" and len(wb.sheetnames) == 12
    for name in wb.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    ws = wb.worksheets[2]  # 2.公众开放日试剂补贴
    assert ws["C4"].value == 20 and ws["C4"].number_format == "0.00"
    assert ws["B7"].value == pytest.approx(0.25) and ws["B7"].number_format == "0%"
    assert ws["D7"].value == " " and ws["D7"].number_format == "@"  # a single space as written, never 0%
    assert ws["G4"].value == " "
    assert ws.print_title_rows == "$10:$10"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert "A11:A14" in {str(r) for r in ws.merged_cells.ranges}


def test_sheet_names_are_valid_and_unique() -> None:
    used: set[str] = set()
    long = "12.一个名字非常非常长的项目[测试]/含有非法字符:*?以及更多的文字内容"
    a = sheet_name(long, used)
    b = sheet_name(long, used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set(a) & set("[]:*?/\\")


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_several_units_in_one_file(fmt, tmp_path) -> None:
    from bench.workload import make_workload

    docs = make_workload(3, projects=4)
    out = tmp_path / f"bureau.{fmt}"
    export_documents(docs, fmt, out)
    res = read_file(out)
    assert res.notes == []
    assert [d.unit.code for d in res.documents] == ["422001", "422002", "422003"]
    blank = fmt == "xlsx"
    assert [records(d, blank) for d in res.documents] == [records(d, blank) for d in docs]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_failed_export_leaves_the_old_file_and_no_part_file(fmt, seed_docx, tmp_path, monkeypatch) -> None:
    """A write that dies halfway (USB stick pulled) never leaves a half file under the real name."""
    docs = read_file(seed_docx).documents
    out = tmp_path / f"report.{fmt}"
    out.write_bytes(b"old content")

    class Pulled(OSError):
        pass

    def boom(*_a, **_k):
        raise Pulled(5, "I/O error")

    if fmt == "docx":
        monkeypatch.setattr("app.services.formats.docx.writer._Writer.indicator_table", boom)
    else:
        monkeypatch.setattr("app.services.formats.xlsx.writer._project_sheet", boom)
    from app.services.errors import PerfGoalsError

    with pytest.raises(PerfGoalsError):
        export_documents(docs, fmt, out)
    assert out.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("name", ["项目名称", "项目编码", "其中：财政资金"])
def test_header_word_as_a_project_name_round_trips(fmt, name, tmp_path) -> None:
    # The pairs row is read by the layout's positions (label, value, label, value): a value
    # that happens to be a label's text is still the value.
    doc = full_document()
    doc.projects[0].name = name
    out = tmp_path / f"named.{fmt}"
    export_documents([doc], fmt, out)
    (back,) = read_file(out).documents
    assert back.projects[0].name == name
    assert records(back) == records(doc)
