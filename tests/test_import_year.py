"""The budget year comes from what the document says, codes second; doubts are asked, never tie-broken."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.services.formats.budget_year import decide_year
from app.services.formats.file_io import read_file
from app.services.formats.import_preview import preview_import, report_lines
from app.services.storage.documents import list_documents
from app.services.storage.store import Store


def two_projects(seed_xlsx: Path, out: Path) -> Path:
    """Part 1 and two projects: one carried over (code year 23), one new (code year 24)."""
    wb = openpyxl.load_workbook(seed_xlsx)
    for ws in wb.worksheets[3:]:
        wb.remove(ws)
    codes = [wb.worksheets[k]["B3"].value[6:8] for k in (1, 2)]
    assert codes == ["23", "24"]
    wb.save(out)
    return out


@pytest.mark.parametrize(("statements", "codes", "year", "doubt"), [
    ([("标题", [2024])], ["13020923P1", "13020924P2"], 2024, False),  # the file
    ([], ["13020923P1", "13020924P2"], 2024, True),  # a tie: asked
    ([], ["13020923P1", "13020924P2", "13020924P3"], 2024, False),  # a clear majority
    ([("文件名", [2025])], ["13020924P1"], 2025, True),  # the statement wins, but no code says 2025
    ([("标题", [2024]), ("文件名", [2023])], [], 2024, True),  # statements disagree
    ([], [], None, True),
])
def test_decide_year(statements, codes, year, doubt) -> None:
    d = decide_year(statements, codes)
    assert d.year == year and (d.doubt is not None) == doubt


def test_title_year_beats_code_years(seed_xlsx, tmp_path) -> None:
    path = two_projects(seed_xlsx, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["A1"] = "2024年部门整体绩效目标"
    wb.save(path)
    res = read_file(path)
    assert [d.year for d in res.documents] == [2024] and res.year_doubts == []
    assert res.documents[0].has_part1  # the year prefix does not hide the part-1 title


def test_a_tie_is_asked_on_the_command_line(seed_xlsx, tmp_path, capsys) -> None:
    path = two_projects(seed_xlsx, tmp_path / "t.xlsx")
    db = tmp_path / "t.db"
    assert main(["import", str(path), "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    assert "年度待确认" in out and "2023年1个" in out and "--year" in err
    store = Store.open(db)
    assert list_documents(store) == []
    store.close()
    assert main(["import", str(path), "--db", str(db), "--year", "2024"]) == 0
    store = Store.open(db)
    assert [(d.unit_code, d.year) for d in list_documents(store)] == [("422001", 2024)]
    store.close()


def test_file_name_states_the_year(seed_xlsx, tmp_path, store) -> None:
    path = two_projects(seed_xlsx, tmp_path / "422001曹妃甸区市场监督管理局2024年.xlsx")
    pv = preview_import(store, path)
    assert pv.result.year_doubts == [] and pv.documents[0].year == 2024
    assert not any("年度待确认" in line for line in report_lines(pv))


@pytest.mark.gui
def test_the_window_asks_the_year(qtbot, store, seed_xlsx, tmp_path, monkeypatch) -> None:
    from app.ui.dialogs import ImportPreviewDialog, YearDialog
    from app.ui.main_window import MainWindow

    asked: list[tuple[str, list[int]]] = []

    def ask(cls, question, candidates, parent=None):  # noqa: ANN001, ANN202
        asked.append((question, candidates))
        return 2023

    monkeypatch.setattr(YearDialog, "ask", classmethod(ask))
    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(lambda cls, r, c, parent=None: (True, None)))
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.import_paths([str(two_projects(seed_xlsx, tmp_path / "t.xlsx"))])
    assert len(asked) == 1 and "各占一半" in asked[0][0] and asked[0][1] == [2024, 2023]
    assert [(d.unit_code, d.year) for d in list_documents(store)] == [("422001", 2023)]


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "json"])
def test_exports_state_the_year_of_carried_over_projects(fmt, tmp_path) -> None:
    from app.services.formats.file_io import export_documents
    from tests.factories import full_document

    # Every project code says 2024; the document is 2026's (the projects were carried over),
    # and a second unit of 2025 shares the file: each comes back with its own year, unasked.
    a, b = full_document(), full_document("422002")
    a.year, b.year = 2026, 2025
    assert all(p.code[6:8] == "24" for p in a.projects)
    out = tmp_path / f"carried.{fmt}"
    export_documents([a, b], fmt, out)
    res = read_file(out)
    assert sorted((d.unit.code, d.year) for d in res.documents) == [(a.unit.code, 2026), ("422002", 2025)]
    assert res.year_doubts == []
