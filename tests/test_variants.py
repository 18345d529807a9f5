"""Every variant of FORMAT.md gives the same records as seed.docx."""

from __future__ import annotations

import openpyxl
import pytest

from app.services.formats.file_io import read_file
from tests.compare import records
from tests.variants import DOCX_VARIANTS, XLSX_VARIANTS, build_docx, build_xlsx


@pytest.fixture(scope="module")
def seed_records():
    from tests.conftest import FIXTURES

    docs = read_file(FIXTURES / "seed.docx").documents
    return records(docs[0]), records(docs[0], True)


@pytest.mark.parametrize("name", sorted(DOCX_VARIANTS))
def test_docx_variant_same_records(name, seed_docx, tmp_path, seed_records) -> None:
    path = build_docx(seed_docx, tmp_path, name)
    res = read_file(path)
    assert res.notes == []
    assert len(res.documents) == 1
    exact, _ = seed_records
    assert records(res.documents[0]) == exact


def test_docx_only_projects(seed_docx, tmp_path, seed_records) -> None:
    res = read_file(build_docx(seed_docx, tmp_path, "only_projects"))
    got = records(res.documents[0])
    exact, _ = seed_records
    assert not got["has_part1"] and got["subgoals"] == [] and got["measures"] == []
    assert got["projects"] == exact["projects"] and got["unit"] == exact["unit"] and got["year"] == 2024


def test_docx_only_part1(seed_docx, tmp_path, seed_records) -> None:
    src = build_docx(seed_docx, tmp_path, "only_part1")
    # Part 1 alone names no unit: the bureau's file names carry it.
    path = src.rename(tmp_path / "422001曹妃甸区市场监督管理局2024年.docx")
    res = read_file(path)
    got = records(res.documents[0])
    exact, _ = seed_records
    assert got["unit"]["code"] == "422001" and got["year"] == 2024 and got["projects"] == []
    for key in ("has_part1", "overall_label", "overall_text", "subgoals_label", "measures_label",
                "subgoals", "measures"):
        assert got[key] == exact[key], key
    assert any("文件名" in n for n in res.notes)


def test_docx_only_part1_without_unit_is_refused(seed_docx, tmp_path) -> None:
    from app.services.errors import InputError

    path = build_docx(seed_docx, tmp_path, "only_part1")
    with pytest.raises(InputError, match="单位"):
        read_file(path)


@pytest.mark.parametrize("name", XLSX_VARIANTS)
def test_xlsx_variant_same_records(name, seed_xlsx, tmp_path, seed_records) -> None:
    path = build_xlsx(seed_xlsx, tmp_path, name)
    res = read_file(path)
    assert len(res.documents) == 1
    _, blank = seed_records
    assert records(res.documents[0], True) == blank
    if name == "hidden_helper_sheet":
        assert res.notes == ["隐藏的工作表“Lists”已跳过"]
    elif name == "formulas_uncached":
        assert len(res.notes) == 22 and all("已按公式计算" in n for n in res.notes)
    else:
        assert res.notes == []


def test_formula_that_cannot_be_evaluated_is_reported(seed_xlsx, tmp_path) -> None:
    wb = openpyxl.load_workbook(seed_xlsx)
    wb.worksheets[1]["E11"] = '=VLOOKUP("x",A1:B2,2,FALSE)'
    path = tmp_path / "vlookup.xlsx"
    wb.save(path)
    res = read_file(path)
    assert res.notes == [] and len(res.errors) == 1
    error = res.errors[0]
    assert "E11" in error and "无法计算" in error and wb.worksheets[1].title in error
    assert res.documents[0].projects[0].indicators[0].value_raw is None
