"""审核意见 and status: add, export a review file, import it at the unit's end, answer, and
the answers travel back with the next submission."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from app.cli import main
from app.models import Opinion
from app.services.bureau import opinions, review
from app.services.bureau.dashboard import dashboard_rows
from app.services.formats.importing import OnConflict, commit_documents
from app.services.formats.json_format import read_json, write_json
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from tests.factories import full_document

CODE = "13020924P00070710002F"


def _bureau(path: Path | str) -> Store:
    store = Store.open(path)
    commit_documents(store, [full_document("422001")], OnConflict.VERSION)
    return store


def test_opinions_round_trip_between_bureau_and_unit(tmp_path: Path, capsys, backend: str) -> None:
    # The bureau's database on SQLite and on a shared PostgreSQL server (tests/pg.py).
    bureau_db, unit_db = backend, tmp_path / "unit.db"
    _bureau(bureau_db).close()
    unit = Store.open(unit_db)
    commit_documents(unit, [full_document("422001")])
    unit.close()
    b = ["--db", str(bureau_db), "--unit", "422001", "--year", "2024"]
    assert main(["review", "add", "指标值偏低，请核实", "--project", CODE, "--row", "1", "--field", "value", *b]) == 0
    assert main(["review", "add", "补充工作保障措施", *b]) == 0
    assert main(["review", "status", "已退回", *b]) == 0
    out = tmp_path / "意见.json"
    assert main(["review", "export", "--out", str(out), *b]) == 0
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["status"] == "已退回" and payload["document_version"] == 1
    assert [o["text"] for o in payload["opinions"]] == ["指标值偏低，请核实", "补充工作保障措施"]
    assert payload["opinions"][0]["project"] == CODE and payload["opinions"][0]["row"] == 1

    # the unit's end
    assert main(["review", "import", str(out), "--db", str(unit_db)]) == 0
    assert main(["review", "import", str(out), "--db", str(unit_db)]) == 0  # again: nothing twice
    capsys.readouterr()
    assert main(["review", "list", "--json", "--db", str(unit_db), "--unit", "422001", "--year", "2024"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 2
    assert main(["review", "answer", str(listed[0]["id"]), "--reply", "已按历史数据调整", "--resolved",
                 "--db", str(unit_db)]) == 0
    resub = tmp_path / "resub.json"
    assert main(["export", "--db", str(unit_db), "--format", "json", "--out", str(resub)]) == 0
    (doc,) = read_json(resub)
    assert doc.opinions[0].reply == "已按历史数据调整" and doc.opinions[0].resolved

    # back at the bureau: the resubmission is version 2 and carries the answers
    assert main(["import", str(tmp_path / "resub.json"), "--db", str(bureau_db), "--on-conflict", "version"]) == 0
    store = Store.open(bureau_db)
    try:
        (held,) = load_documents(store)
        assert [(o.text, o.reply, o.resolved) for o in held.opinions] == [
            ("指标值偏低，请核实", "已按历史数据调整", True), ("补充工作保障措施", None, False)]
        (row,) = dashboard_rows(store)
        assert (row.version, row.status, row.opinions, row.open_opinions) == (2, "已退回", 2, 1)
    finally:
        store.close()


def test_review_file_for_another_unit_changes_nothing(tmp_path: Path, capsys) -> None:
    store = _bureau(tmp_path / "b.db")
    doc_id = review.document_id(store, "422001", 2024)
    opinions.add_opinion(store, doc_id, "意见")
    review.export_review(store, doc_id, tmp_path / "r.json")
    store.close()
    other = Store.open(tmp_path / "o.db")
    commit_documents(other, [full_document("422009")])
    other.close()
    before = (tmp_path / "o.db").read_bytes()
    assert main(["review", "import", str(tmp_path / "r.json"), "--db", str(tmp_path / "o.db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "422001" in err and "未作任何修改" in err
    assert (tmp_path / "o.db").read_bytes() == before


def test_damaged_review_file_and_bad_inputs(tmp_path: Path, capsys) -> None:
    _bureau(tmp_path / "b.db").close()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "perfgoals-review", "version": 1, "unit": {"code": "422001"}, "year": "x"}',
                   encoding="utf-8")
    db = ["--db", str(tmp_path / "b.db")]
    assert main(["review", "import", str(bad), *db]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert main(["review", "add", "x", "--project", "NOPE", "--unit", "422001", "--year", "2024", *db]) == 2
    assert "NOPE" in capsys.readouterr().err
    assert main(["review", "status", "--unit", "422001", "--year", "2030", *db]) == 2
    assert main(["review", "export", "--out", str(tmp_path / "r.odt"), "--unit", "422001", "--year", "2024", *db]) == 4


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_review_file_on_paper(tmp_path: Path, suffix: str) -> None:
    store = _bureau(tmp_path / "b.db")
    doc_id = review.document_id(store, "422001", 2024)
    opinions.add_opinion(store, doc_id, "三级指标过于笼统", opinions.OpinionPlace(CODE, 2, "level3"), rule_id="G09")
    out = review.export_review(store, doc_id, tmp_path / f"r{suffix}")
    store.close()
    if suffix == ".docx":
        text = "\n".join(c.text for t in DocxDocument(str(out)).tables for r in t.rows for c in r.cells)
    else:
        text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    text = "".join(text.split())  # PDF text extraction breaks lines inside cells
    assert "三级指标过于笼统" in text and "第2行" in text and "三级指标" in text and "待处理" in text


def test_json_format_keeps_opinions(tmp_path: Path) -> None:
    doc = full_document()
    doc.opinions = [Opinion(uid="u1", project_code=CODE, row=2, field="value", text="请核实", resolved=False)]
    write_json(tmp_path / "d.json", [doc])
    (back,) = read_json(tmp_path / "d.json")
    assert [(o.uid, o.project_code, o.row, o.field, o.text) for o in back.opinions] == [
        ("u1", CODE, 2, "value", "请核实")]


def test_pdf_export_has_an_opinion_section(tmp_path: Path) -> None:
    from app.services.formats.file_io import export_documents

    doc = full_document()
    doc.opinions = [Opinion(uid="u1", project_code=CODE, row=2, field="value", text="指标值须量化",
                            reply="已改为≥92%", resolved=True),
                    Opinion(uid="u2", text="补充单位整体目标", resolved=False)]
    out = export_documents([doc], "pdf", tmp_path / "d.pdf")
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(str(out)).pages)
    assert "审核意见" in text and "指标值须量化" in text and "已改为≥92%" in text and "已处理" in text
    assert "补充单位整体目标" in text and "待处理" in text
