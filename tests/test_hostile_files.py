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
}


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
