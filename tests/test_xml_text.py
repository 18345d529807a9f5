"""Characters XML 1.0 forbids never make an export unreadable: VT/FF become line breaks,
the rest are removed, in every writer; export → import gives the text back as mapped."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.services.formats.file_io import export_documents, read_file
from app.services.formats.xml_text import xml_safe
from app.services.spending.xlsx import write_spending_xlsx
from tests.factories import full_document

# Text the way it arrives from the clipboard: CJK, ASCII and control characters mixed.
TEXT = st.text(
    alphabet=st.sampled_from([*"预算资金项目ABCxyz0129（）%", "\x0b", "\x0c", "\x01", "\x08", "\x1f", "\x00", "\ufffe"]),
    min_size=1, max_size=30,
).map(lambda t: f"名称{t}结束")


def test_xml_safe_maps_and_removes() -> None:
    assert xml_safe("预算\x0b200.00万元") == "预算\n200.00万元"
    assert xml_safe("a\x0cb\x01c\x00d\ufffe\ud800e") == "a\nbcde"
    assert xml_safe("\t\n\r普通") == "\t\n\r普通"


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, level3=TEXT)
def test_export_then_import_gives_the_mapped_text(fmt: str, name: str, level3: str) -> None:
    doc = full_document()
    doc.unit.name = f"单位{name}"
    doc.projects[0].name = name
    doc.projects[0].indicators[0].level3 = level3
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"out.{fmt}"
        export_documents([doc], fmt, out)
        (back,) = read_file(out).documents
    assert back.projects[0].name == xml_safe(name)
    assert back.projects[0].indicators[0].level3 == xml_safe(level3)


def test_spending_workbook_with_control_characters_opens(tmp_path: Path) -> None:
    from tests.factories import spending_document

    doc = spending_document()
    doc.unit.name = "单位\x0b名称\x01"
    doc.projects[0].name = "食品\x0b监管"
    out = tmp_path / "spending.xlsx"
    write_spending_xlsx(out, doc)
    values = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    assert any(isinstance(v, str) and "食品\n监管" in v for v in values)


def test_cli_export_notes_the_mapped_characters(tmp_path: Path, db_path: Path, capsys) -> None:
    from app.services.formats.importing import commit_documents
    from app.services.storage.store import Store

    doc = full_document()
    doc.projects[0].name = "食品\x0b监管"
    store = Store.open(db_path)
    try:
        commit_documents(store, [doc], source="x")
    finally:
        store.close()
    out = tmp_path / "out.xlsx"
    assert main(["export", "--db", str(db_path), "--format", "xlsx", "--out", str(out)]) == 0
    assert "1处文字含有XML不允许的控制字符" in capsys.readouterr().out
    assert "食品\n监管" in [p.name for p in read_file(out).documents[0].projects]
