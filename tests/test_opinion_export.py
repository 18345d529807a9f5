"""审核意见 in the docx, xlsx and PDF exports of a document, read back by the importers: the
unit's answers travel back to the bureau in its next submission (merged by uid)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from app.models import Document, Opinion
from app.services.bureau.opinions import add_opinion, answer_opinion, list_opinions
from app.services.formats.docx.reader import read_docx
from app.services.formats.docx.writer import write_docx
from app.services.formats.file_io import read_file
from app.services.formats.importing import OnConflict, commit_documents
from app.services.formats.json_format import document_from_dict, document_to_dict
from app.services.formats.layout import OPINION_HEADERS, OPINION_KEY_HEADER, OPINION_TITLE
from app.services.formats.xlsx.reader import read_xlsx
from app.services.formats.xlsx.writer import write_xlsx
from app.services.paper.writer import write_pdf
from app.services.storage.documents import load_document
from app.services.storage.store import Store

WRITERS = {"docx": write_docx, "xlsx": write_xlsx}
READERS = {"docx": read_docx, "xlsx": read_xlsx}


def _seed(path: Path) -> Document:
    docs = read_file(path).documents
    assert len(docs) == 1
    return docs[0]


def with_opinions(doc: Document) -> Document:
    """The seed document with opinions on the unit, a project, a row and a field, two answered."""
    p = doc.projects[0]
    doc.opinions = [
        Opinion(uid="a" * 32, text="部门整体目标过于笼统，请细化", created_at=datetime(2026, 3, 1)),
        Opinion(uid="b" * 32, project_code=p.code, text="项目资金用途请写明具体内容",
                reply="已补充资金用途", resolved=True, created_at=datetime(2026, 3, 1)),
        Opinion(uid="c" * 32, project_code=p.code, row=2, field="value", rule_id="G09",
                text="指标值与描述不符", reply="已按批复口径修改", created_at=datetime(2026, 3, 1)),
        Opinion(uid="d" * 32, project_code=p.code, row=1, field="description",
                text="描述请量化", created_at=datetime(2026, 3, 1)),
    ]
    return doc


def _places(doc: Document) -> list[tuple]:
    return sorted((o.uid, o.project_code, o.row, o.field, o.rule_id, o.text, o.reply, bool(o.resolved))
                  for o in doc.opinions)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_opinions_survive_an_export_and_an_import(fmt: str, seed_docx: Path, seed_xlsx: Path, tmp_path: Path) -> None:
    doc = with_opinions(_seed(seed_docx if fmt == "docx" else seed_xlsx))
    expected = _places(doc)
    projects = [(p.code, p.name, len(p.indicators)) for p in doc.projects]
    out = tmp_path / f"answered.{fmt}"
    WRITERS[fmt](out, [doc])
    result = READERS[fmt](out)
    [back] = result.documents
    assert _places(back) == expected
    # The section is not project data: same projects, same rows, nothing skipped as unknown.
    assert [(p.code, p.name, len(p.indicators)) for p in back.projects] == projects
    assert not [n for n in result.notes if "未识别" in n or "审核意见" in n], result.notes


def test_docx_prints_the_section_with_place_answer_and_state(seed_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.docx"
    write_docx(out, [with_opinions(_seed(seed_docx))])
    d = docx.Document(str(out))
    heading = next(p for p in d.paragraphs if p.text == OPINION_TITLE)
    assert heading.style.style_id in ("1", "Heading1") or heading.style.name.startswith("Heading 1")
    table = d.tables[-1]
    assert tuple(c.text for c in table.rows[0].cells) == (*OPINION_HEADERS, OPINION_KEY_HEADER)
    rows = [tuple(c.text for c in r.cells) for r in table.rows[1:]]
    code = d.tables[0].rows[1].cells[1].text
    assert rows[0][1:] == ("单位整体", "部门整体目标过于笼统，请细化", "", "待处理", "a" * 32)
    assert rows[1][1:5] == (f"项目 {code}", "项目资金用途请写明具体内容", "已补充资金用途", "已处理")
    assert rows[2][1:5] == (f"项目 {code} 第2行 指标值", "指标值与描述不符（规则G09）", "已按批复口径修改", "已回复")
    assert rows[3][1] == f"项目 {code} 第1行 绩效指标描述"


def test_xlsx_sheet_hides_the_uid_column(seed_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    write_xlsx(out, [with_opinions(_seed(seed_xlsx))])
    wb = openpyxl.load_workbook(out)
    ws = wb[wb.sheetnames[-1]]
    assert ws.title == OPINION_TITLE
    assert ws["A1"].value == OPINION_TITLE
    assert [ws.cell(2, c).value for c in range(1, 7)] == [*OPINION_HEADERS, OPINION_KEY_HEADER]
    assert ws.column_dimensions["F"].hidden
    assert ws["E4"].value == "已处理" and ws["D4"].value == "已补充资金用途"


def test_pdf_export_lists_the_opinions(seed_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    write_pdf(out, [with_opinions(_seed(seed_docx))])
    text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert OPINION_TITLE in text and "部门整体目标过于笼统" in text and "已补充资金用途" in text


def test_a_section_without_uids_is_skipped_with_a_note(seed_docx: Path, tmp_path: Path) -> None:
    doc = with_opinions(_seed(seed_docx))
    for o in doc.opinions:
        o.uid = ""
    out = tmp_path / "nouid.docx"
    write_docx(out, [doc])
    result = read_docx(out)
    [back] = result.documents
    assert back.opinions == []
    assert sum("审核意见没有编号" in n for n in result.notes) == 4
    assert len(back.projects) == len(doc.projects)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_answers_travel_back_to_the_bureau(fmt: str, seed_docx: Path, tmp_path: Path) -> None:
    """Bureau: opinions on version 1. Unit: answers them, exports. Bureau: imports the
    resubmission; its opinions carry the answers, their text as the bureau wrote it."""
    bureau = Store.open(tmp_path / "bureau.db")
    unit = Store.open(tmp_path / "unit.db")
    try:
        [doc_id] = commit_documents(bureau, [_seed(seed_docx)], source="seed.docx").document_ids
        code = load_document(bureau, doc_id).projects[0].code
        from app.services.bureau.opinions import OpinionPlace
        op1 = add_opinion(bureau, doc_id, "请细化目标")
        op2 = add_opinion(bureau, doc_id, "第2行指标值不清", OpinionPlace(code, 2, "value"))
        # The unit takes the document with the opinions (a json review file in real life).
        sent = document_from_dict(document_to_dict(load_document(bureau, doc_id)))
        [unit_id] = commit_documents(unit, [sent], source="review.json").document_ids
        held = {o.uid: o for o in list_opinions(unit, unit_id)}
        answer_opinion(unit, held[op2.uid].id, "已改为≥95%", resolved=True)
        answer_opinion(unit, held[op1.uid].id, "已细化")
        out = tmp_path / f"resubmitted.{fmt}"
        WRITERS[fmt](out, [load_document(unit, unit_id)])
        [back] = READERS[fmt](out).documents
        commit_documents(bureau, [back], OnConflict.VERSION, source=out.name)
        got = {o.uid: o for o in list_opinions(bureau, doc_id)}
        assert len(got) == 2
        assert (got[op1.uid].text, got[op1.uid].reply, got[op1.uid].resolved) == ("请细化目标", "已细化", False)
        assert (got[op2.uid].reply, got[op2.uid].resolved, got[op2.uid].row) == ("已改为≥95%", True, 2)
    finally:
        bureau.close()
        unit.close()


def test_a_partial_export_carries_the_opinions_of_its_projects(seed_docx: Path) -> None:
    from app.services.formats.selection import select_documents

    doc = with_opinions(_seed(seed_docx))
    for n, p in enumerate(doc.projects):
        p.id = n + 1
    [part] = select_documents([doc], project_ids=[1])
    assert {o.uid for o in part.opinions} == {"b" * 32, "c" * 32, "d" * 32}  # not the unit's
    [other] = select_documents([doc], project_ids=[2])
    assert other.opinions == []


def test_places_that_do_not_fit_the_columns_are_skipped(seed_docx: Path, tmp_path: Path) -> None:
    """A hostile or mistyped 位置 (a 100-character code, a row number of 20 digits) is not
    stored (a server database would refuse it): the row is skipped with a note."""
    doc = with_opinions(_seed(seed_docx))
    doc.opinions[1].project_code = "A" * 100
    doc.opinions[2].row = 10 ** 20
    out = tmp_path / "long.docx"
    write_docx(out, [doc])
    result = read_docx(out)
    [back] = result.documents
    assert sorted(o.uid for o in back.opinions) == ["a" * 32, "d" * 32]
    assert sum("审核意见的位置" in n for n in result.notes) == 2
