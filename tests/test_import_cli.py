"""``python -m app import`` on seed.docx: report, dry run, conflicts — on SQLite and PostgreSQL."""

from __future__ import annotations

from app.cli import main
from app.services.storage.documents import load_documents
from app.services.storage.store import Store


def test_import_seed_docx(seed_docx, backend, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(backend)]) == 0
    out = capsys.readouterr().out
    assert "422001" in out and "项目11个" in out
    store = Store.open(backend)
    try:
        docs = load_documents(store)
    finally:
        store.close()
    assert len(docs) == 1 and len(docs[0].projects) == 11
    assert docs[0].projects[0].budget_other_raw == " "


def test_import_dry_run_stores_nothing(seed_docx, backend, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(backend), "--dry-run"]) == 0
    store = Store.open(backend)
    try:
        assert load_documents(store) == []
    finally:
        store.close()


def test_conflict_without_choice_exits_5(seed_docx, backend, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(backend)]) == 0
    assert main(["import", str(seed_docx), "--db", str(backend)]) == 5
    err = capsys.readouterr().err
    assert "已存在" in err
    assert main(["import", str(seed_docx), "--db", str(backend), "--on-conflict", "replace"]) == 0


def test_report_lists_projects_notes_and_conflicts(seed_docx, seed_xlsx, backend, capsys, tmp_path) -> None:
    from tests.variants import build_xlsx

    assert main(["import", str(seed_docx), "--db", str(backend)]) == 0
    capsys.readouterr()
    hidden = build_xlsx(seed_xlsx, tmp_path, "hidden_helper_sheet")
    assert main(["import", str(hidden), "--db", str(backend), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "（xlsx）" in out
    assert "部门整体绩效目标有（分项10项，保障措施7项）" in out and "指标96条" in out
    assert "1. 13020923P00062810002D 2023年食品药品安全协管员补贴资金：指标9条（编码已存在）" in out
    assert "注意：隐藏的工作表“Lists”已跳过" in out
    assert out.count("冲突：") == 11
    assert "预览模式" in out


def test_conflict_across_files_in_one_batch_changes_nothing(seed_docx, seed_xlsx, backend, capsys) -> None:
    assert main(["import", str(seed_docx), str(seed_xlsx), "--db", str(backend)]) == 5
    assert "seed.xlsx" in capsys.readouterr().err
    store = Store.open(backend)
    try:
        assert load_documents(store) == []
    finally:
        store.close()


def test_on_conflict_keep_and_copy(seed_docx, backend, capsys) -> None:
    assert main(["import", str(seed_docx), "--db", str(backend)]) == 0
    assert main(["import", str(seed_docx), "--db", str(backend), "--on-conflict", "keep"]) == 0
    assert "保留原有11个" in capsys.readouterr().out
    assert main(["import", str(seed_docx), "--db", str(backend), "--on-conflict", "copy"]) == 0
    store = Store.open(backend)
    try:
        docs = load_documents(store)
    finally:
        store.close()
    assert len(docs[0].projects) == 22
    assert docs[0].projects[11].name.endswith("（副本）")


def test_preview_service_for_the_dialog(seed_docx, store) -> None:
    from app.services.formats.import_preview import commit_preview, preview_import, report_lines
    from app.services.formats.importing import ConflictError, OnConflict

    pv = preview_import(store, seed_docx)
    assert pv.conflicts == [] and load_documents(store) == []
    assert pv.documents[0].unit_code == "422001" and len(pv.documents[0].projects) == 11
    assert pv.documents[0].indicators == 96
    assert report_lines(pv)[0].startswith("文件：")
    commit_preview(store, pv)
    again = preview_import(store, seed_docx)
    assert len(again.conflicts) == 11 and all(p.conflict for p in again.documents[0].projects)
    import pytest

    with pytest.raises(ConflictError):
        commit_preview(store, again)
    r = commit_preview(store, again, OnConflict.REPLACE)
    assert r.projects_replaced == 11


def test_export_docx_and_xlsx_via_cli(seed_docx, backend, tmp_path, capsys) -> None:
    from app.services.formats.file_io import read_file
    from tests.compare import records

    assert main(["import", str(seed_docx), "--db", str(backend)]) == 0
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        assert main(["export", "--db", str(backend), "--format", fmt, "--out", str(out), "--unit", "422001"]) == 0
        back = read_file(out).documents
        assert records(back[0], True) == records(read_file(seed_docx).documents[0], True)
    assert not list(tmp_path.glob("*.part"))
