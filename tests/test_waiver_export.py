"""Waivers (出错说明) in the docx, xlsx and PDF exports, and read back by the importers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from app.models import Document, Indicator, Project, Waiver
from app.services.formats.docx.reader import read_docx
from app.services.formats.docx.writer import write_docx
from app.services.formats.import_preview import preview_import, report_lines
from app.services.formats.importing import commit_documents
from app.services.formats.layout import WAIVER_HEADERS
from app.services.formats.selection import select_documents
from app.services.formats.waiver_table import WaiverEntry, attach_waivers
from app.services.formats.xlsx.reader import read_xlsx
from app.services.formats.xlsx.writer import write_xlsx
from app.services.paper.writer import write_pdf
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.validation import Finding, validate
from tests.factories import full_document

EXPLANATIONS = {
    "A04": "本单位分项目标按上级口径填写",
    "A06": "项目名称沿用财政批复名称",
    "G30": "按上级文件口径填写，无法量化",
    "F05": "本项目为一次性采购，无时效要求",
}


def _finding(doc: Document, rule: str) -> Finding:
    return next(f for f in validate(doc) if f.rule == rule)


def waived_document(code: str = "422001") -> Document:
    """full_document() with real waivers: part 1, a project field, an indicator row, a project."""
    doc = full_document(code)
    doc.waivers = []
    p = doc.projects[0]
    for rule, text in EXPLANATIONS.items():
        f = _finding(doc, rule)
        indicator = p.indicators[f.row - 1] if f.row else None
        doc.waivers.append(Waiver(rule_id=rule, project=p if f.project else None, indicator=indicator,
                                  field=f.field, location=f.key, explanation=text))
    return doc


def _summary(doc: Document) -> list[tuple]:
    """(rule, project number, row number, field, location, explanation), sorted."""
    out = []
    for w in doc.waivers:
        n = doc.projects.index(w.project) + 1 if w.project is not None else None
        row = list(w.project.indicators).index(w.indicator) + 1 if w.indicator is not None else None
        out.append((w.rule_id, n, row, w.field, w.location, w.explanation))
    return sorted(out, key=str)


def _waived_rules(doc: Document) -> set[str]:
    return {f.rule for f in validate(doc) if f.waived}


def test_the_document_under_test_waives_its_findings() -> None:
    assert _waived_rules(waived_document()) == set(EXPLANATIONS)


# -- export -----------------------------------------------------------------------------------


def test_docx_export_appends_the_waiver_table_on_a_new_page(tmp_path: Path) -> None:
    out = tmp_path / "w.docx"
    write_docx(out, [waived_document()])
    d = docx.Document(str(out))
    heading = next(p for p in d.paragraphs if p.text == "出错说明")
    assert heading.style.name.startswith("Heading 1") or heading.style.style_id == "Heading1"
    assert heading.paragraph_format.page_break_before
    table = d.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert tuple(rows[0]) == WAIVER_HEADERS
    assert rows[1][:2] == ["部门整体绩效目标", "第2项 分项绩效目标"] and rows[1][3] == EXPLANATIONS["A04"]
    assert rows[1][2].startswith("A04 ")
    by_rule = {r[2].split()[0]: r for r in rows[1:]}
    assert by_rule["G30"][0] == "1.食品安全监管" and by_rule["G30"][1] == "第2行 指标值"
    assert by_rule["A06"][1] == "项目名称"
    assert by_rule["F05"][4] == "F05|P:13020924P00070710002F|X:时效指标"
    assert all(len(r[2].split()) >= 2 for r in rows[1:])  # id and the rule's title


def test_xlsx_export_adds_a_waiver_sheet(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    write_xlsx(out, [waived_document()])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-1] == "出错说明"
    ws = wb["出错说明"]
    assert ws["A1"].value == "出错说明"
    assert tuple(c.value for c in ws[2]) == WAIVER_HEADERS
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert len(values) == 4
    assert values[0][0] == "部门整体绩效目标" and values[0][3] == EXPLANATIONS["A04"]
    g30 = next(r for r in values if r[2].startswith("G30"))
    assert g30[:2] == ["1.食品安全监管", "第2行 指标值"] and g30[4].startswith("G30|P:")
    assert ws.column_dimensions["E"].hidden  # the location key is for the importer


def test_pdf_export_prints_the_waivers(tmp_path: Path) -> None:
    out = tmp_path / "w.pdf"
    write_pdf(out, [waived_document()])
    reader = PdfReader(str(out))
    last = reader.pages[-1].extract_text()
    assert "出错说明" in last
    for rule, text in EXPLANATIONS.items():
        assert rule in last and text in last
    assert "第2行 指标值" in last


def test_pdf_of_selected_projects_leaves_out_part1_waivers(tmp_path: Path) -> None:
    doc = waived_document()
    out = tmp_path / "p.pdf"
    write_pdf(out, [doc], project_ids=[doc.projects[0]])
    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert EXPLANATIONS["G30"] in text and EXPLANATIONS["A04"] not in text


def test_without_waivers_nothing_is_added(tmp_path: Path) -> None:
    doc = full_document()
    doc.waivers = []
    write_docx(tmp_path / "n.docx", [doc])
    write_xlsx(tmp_path / "n.xlsx", [doc])
    write_pdf(tmp_path / "n.pdf", [doc])
    with zipfile.ZipFile(tmp_path / "n.docx") as z:
        assert "出错说明" not in z.read("word/document.xml").decode()
    assert "出错说明" not in openpyxl.load_workbook(tmp_path / "n.xlsx").sheetnames
    text = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "n.pdf")).pages)
    assert "出错说明" not in text


# -- import -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("writer", "reader", "name"), [
    (write_docx, read_docx, "w.docx"), (write_xlsx, read_xlsx, "w.xlsx"),
])
def test_waivers_survive_a_round_trip(tmp_path: Path, writer, reader, name: str) -> None:
    doc = waived_document()
    writer(tmp_path / name, [doc])
    result = reader(tmp_path / name)
    (back,) = result.documents
    assert not [n for n in result.notes if "出错说明" in n]
    assert len(back.projects) == 1 and back.has_part1  # the table is no project and no part 1
    assert _summary(back) == _summary(doc)
    assert _waived_rules(back) == set(EXPLANATIONS)


@pytest.mark.parametrize(("writer", "reader", "name"), [
    (write_docx, read_docx, "w.docx"), (write_xlsx, read_xlsx, "w.xlsx"),
])
def test_waivers_go_to_their_own_unit_in_a_bureau_file(tmp_path: Path, writer, reader, name: str) -> None:
    first, second = waived_document("422001"), waived_document("422002")
    second.projects[0].code = "13020925P00070710009F"
    second.waivers = second.waivers[2:3]  # G30 only
    second.waivers[0].location = second.waivers[0].location.replace("24P000707100", "25P000707100")
    second.waivers[0].location = second.waivers[0].location.replace("0002F", "0009F")
    writer(tmp_path / name, [first, second])
    docs = {d.unit.code: d for d in reader(tmp_path / name).documents}
    assert _summary(docs["422001"]) == _summary(first)
    assert _summary(docs["422002"]) == _summary(second)


def test_waivers_survive_docx_to_database_to_docx(tmp_path: Path, store) -> None:
    write_docx(tmp_path / "a.docx", [waived_document()])
    commit_documents(store, read_docx(tmp_path / "a.docx").documents, on_conflict="replace", source="a.docx")
    (stored,) = load_documents(store)
    assert _waived_rules(stored) == set(EXPLANATIONS)
    write_docx(tmp_path / "b.docx", [stored])
    (again,) = read_docx(tmp_path / "b.docx").documents
    assert _summary(again) == _summary(waived_document())


def test_part1_only_document_keeps_its_waivers(tmp_path: Path) -> None:
    doc = waived_document()
    doc.waivers = [w for w in doc.waivers if w.project is None]
    doc.projects = []
    for writer, reader, name in ((write_docx, read_docx, "p.docx"), (write_xlsx, read_xlsx, "p.xlsx")):
        writer(tmp_path / name, [doc])
        (back,) = reader(tmp_path / name).documents
        assert back.overall_text == doc.overall_text
        assert [(w.rule_id, w.location, w.explanation) for w in back.waivers] == [
            ("A04", "A04|S:2|F:subgoal", EXPLANATIONS["A04"])]


def test_rows_that_point_nowhere_are_skipped_with_a_note() -> None:
    doc = full_document()
    doc.waivers = []
    notes: list[str] = []
    attach_waivers(doc, [
        WaiverEntry("G30", 5, None, None, "x", "", "工作表“出错说明”第3行"),
        WaiverEntry("G30", 1, 9, "value", "y", "", "工作表“出错说明”第4行"),
        WaiverEntry("G30", 1, 2, "value", "z", "", "工作表“出错说明”第5行"),
    ], notes)
    assert [w.explanation for w in doc.waivers] == ["z"]
    assert "第5个项目不存在" in notes[0] and "第9行指标不存在" in notes[1]


def test_unknown_rule_in_an_edited_sheet_is_skipped(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    write_xlsx(out, [waived_document()])
    wb = openpyxl.load_workbook(out)
    ws = wb["出错说明"]
    ws["C3"] = "Z99 自编规则"
    ws["D4"] = None
    wb.save(out)
    result = read_xlsx(out)
    (back,) = result.documents
    assert len(back.waivers) == 2
    assert any("Z99" in n and "无法识别" in n for n in result.notes)
    assert any("没有说明文字" in n for n in result.notes)


def test_a_selection_exports_the_waivers_of_its_projects(tmp_path: Path) -> None:
    doc = waived_document()
    doc.projects[0].id = 1
    other = Project(id=2, position=1, seq=2, code="X2", name="第二个项目")
    other.indicators = [Indicator(position=0, level1="产出指标", level3="唯一指标")]
    doc.projects.append(other)
    (only_first,) = select_documents([doc], project_ids={1})
    assert [w.rule_id for w in only_first.waivers] == ["A06", "G30", "F05"]  # no part-1 waiver
    g30 = only_first.waivers[1]
    assert g30.project is only_first.projects[0] and g30.indicator is only_first.projects[0].indicators[1]
    (only_second,) = select_documents([doc], project_ids={2})
    assert only_second.waivers == []
    write_docx(tmp_path / "sel.docx", [only_first])
    (back,) = read_docx(tmp_path / "sel.docx").documents
    assert _summary(back) == _summary(only_first)
    assert {"G30", "F05"} <= _waived_rules(back)  # (A06 compares with part 1, not exported)


def test_import_report_counts_the_waivers(tmp_path: Path, store) -> None:
    write_xlsx(tmp_path / "w.xlsx", [waived_document()])
    lines = report_lines(preview_import(store, tmp_path / "w.xlsx"))
    assert "项目1个，指标3条，出错说明4条" in lines[1]


def test_an_explanation_longer_than_a_page_continues_on_the_next(tmp_path: Path) -> None:
    doc = waived_document()
    doc.waivers[0].explanation = "说明文字很长，" * 285  # 1,995 characters (the limit is 2,000)
    out = write_pdf(tmp_path / "long.pdf", [doc])
    pages = ["".join(p.extract_text().split()) for p in PdfReader(str(out)).pages]
    waiver_pages = pages[3:]
    assert len(waiver_pages) >= 3 and all(p.startswith(("出错说明", "项目位置规则说明")) for p in waiver_pages)
    assert "".join(waiver_pages).count("说明文字很长，") == 285
    assert EXPLANATIONS["G30"] in waiver_pages[-1]


def test_a_waiver_title_without_its_table_is_noted(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    write_xlsx(out, [waived_document()])
    wb = openpyxl.load_workbook(out)
    wb["出错说明"]["C2"] = "备注"
    wb["出错说明"]["D2"] = "其他"
    wb.save(out)
    result = read_xlsx(out)
    (back,) = result.documents
    assert back.waivers == [] and len(back.projects) == 1
    assert any("“出错说明”下没有可识别的表格" in n for n in result.notes)


@pytest.fixture
def store(both_backends: Store) -> Store:
    """These tests run on SQLite and on PostgreSQL (tests/pg.py)."""
    return both_backends
