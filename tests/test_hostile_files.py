"""Hand-made hostile docx/xlsx/json (tests/fuzz/hostile_files.py): each gives one Chinese
line naming the file and exit 2, or imports cleanly, and leaves the database checkable."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.services.errors import InputError
from app.services.formats.file_io import read_file
from tests.fuzz.hostile_files import build

REFUSED = {
    "corrupt_deflate": "读取word/document.xml失败",
    "version_needed": "已损坏",
    "paragraph_40mb": "超过16 MB",
    "table_200k_rows": "超过",
    "table_200k_empty_rows": "超过20000行",
    "dtd_after_comment": "DTD",
    "entity_without_dtd": "不是有效的XML",
    "deep_json": "嵌套",
    "sheet_10mb": "超过10000行",
    "sheet_7mb_33k_rows": "超过10000行",
    # What a hostile sender tries next (issue 17 item 6).
    "huge_shared_strings": "共享字符串表超过",
    "nested_tables": "嵌套过深",
    "document_in_subfolder": "word/document.xml",
    "json_nan": "NaN",
    "json_infinity": "Infinity",
    "duplicate_entries": "重复的部件",
    "encrypted_xlsx": "加密",
    "doc_as_docx": "旧版.doc",
    "empty_docx": "空文件",
    "empty_json": "空文件",
    "directory_docx": "文件夹",
}
# Unusual but well-formed: imported as they are.
ACCEPTED = ["styles_bomb", "sheets_5000", "number_1e999", "json_utf16", "xml_bom", "xml_utf16", "zip64"]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_with_one_line(name: str, tmp_path: Path, db_path: Path, capsys) -> None:
    path = build(name, tmp_path)
    with pytest.raises(InputError) as err:
        read_file(path)
    assert f"“{path}”" in err.value.message and REFUSED[name] in err.value.message, err.value.message
    assert main(["import", str(path), "--db", str(db_path)]) == 2
    out = capsys.readouterr().err
    assert out.count("\n") == 1 and path.name in out and "内部错误" not in out


def test_huge_numbers_in_cells_stay_text(tmp_path: Path) -> None:
    from tests.fuzz.target import run_file

    path = build("huge_numbers", tmp_path)
    outcome = run_file(path)
    assert outcome.status in ("ok", "refused"), outcome.detail


def test_sheet_listed_many_times_is_parsed_once(tmp_path: Path) -> None:
    result = read_file(build("sheet_listed_3000_times", tmp_path))
    assert result.documents
    assert sum("同一内容" in n for n in result.notes) == 2999


def test_regression_fixtures_never_escape(tmp_path: Path) -> None:
    """Every input the fuzzer ever broke the program with (tests/fixtures/hostile)."""
    from tests.fuzz.target import run_file

    folder = Path(__file__).resolve().parent / "fixtures" / "hostile"
    files = sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".xlsx", ".json"))
    assert files
    for path in files:
        outcome = run_file(path)
        assert outcome.status in ("ok", "refused"), f"{path.name}: {outcome.detail}"


@pytest.mark.parametrize("name", ACCEPTED)
def test_unusual_but_valid_file_imports(name: str, tmp_path: Path, db_path: Path, capsys) -> None:
    path = build(name, tmp_path)
    assert read_file(path).documents
    assert main(["import", str(path), "--db", str(db_path)]) == 0
    assert "内部错误" not in capsys.readouterr().err


def _dump(db: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return [line for line in conn.iterdump() if "change_log" not in line]
    finally:
        conn.close()


@pytest.mark.parametrize("name", ["huge_shared_strings", "nested_tables", "duplicate_entries", "json_nan",
                                  "encrypted_xlsx", "directory_docx"])
def test_refused_file_leaves_the_database_unchanged(name: str, tmp_path: Path, db_path: Path, capsys) -> None:
    from tests.fuzz.hostile_files import GOOD_JSON

    assert main(["import", str(GOOD_JSON), "--db", str(db_path)]) == 0
    before = _dump(db_path)
    assert main(["import", str(build(name, tmp_path)), "--db", str(db_path)]) == 2
    assert _dump(db_path) == before
    assert main(["check", "--db", str(db_path)]) in (0, 1)
