"""Batch intake of a folder: preview, refusals, one backup, resubmissions as new versions."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.cli import main
from app.services.bureau.intake import collect_files, commit_intake, preview_intake
from app.services.bureau.versions import find_document_id, list_versions, load_version
from app.services.formats.json_format import write_json
from app.services.storage.documents import load_documents
from app.services.storage.store import Store, backup_dir
from tests.factories import full_document


def _stick(tmp_path: Path, seed_docx: Path) -> Path:
    """A USB stick: units in nested folders, a lock file, a damaged file."""
    root = tmp_path / "stick"
    (root / "A" / "deep").mkdir(parents=True)
    shutil.copy(seed_docx, root / "A" / "seed.docx")
    write_json(root / "A" / "deep" / "u2.json", [full_document("422002")])
    write_json(root / "u3.json", [full_document("422003")])
    (root / "A" / "~$seed.docx").write_bytes(b"lock")
    (root / "broken.xlsx").write_bytes(b"PK\x03\x04garbage")
    (root / "notes.txt").write_text("ignored", encoding="utf-8")
    return root


def test_collect_files_recurses_and_skips_lock_files(tmp_path: Path, seed_docx: Path) -> None:
    root = _stick(tmp_path, seed_docx)
    names = [p.relative_to(root).as_posix() for p in collect_files([root])]
    assert names == ["A/deep/u2.json", "A/seed.docx", "broken.xlsx", "u3.json"]


def test_preview_lists_every_file_and_refuses_the_damaged(store: Store, tmp_path: Path, seed_docx: Path) -> None:
    preview = preview_intake(store, [_stick(tmp_path, seed_docx)])
    assert [f.path.name for f in preview.refused] == ["broken.xlsx"]
    assert "broken.xlsx" in (preview.refused[0].refusal or "")
    seed = next(f for f in preview.accepted if f.path.name == "seed.docx")
    d = seed.documents[0]
    assert (d.unit_code, d.year, d.projects, d.version) == ("422001", 2024, 11, 1)
    assert d.indicators == 96 and d.counts.errors + d.counts.warnings + d.counts.hints > 0
    assert load_documents(store) == []  # a preview stores nothing


def test_cli_import_folder_stores_good_files_and_exits_2(tmp_path: Path, seed_docx: Path, db_path: Path, capsys) -> None:
    root = _stick(tmp_path, seed_docx)
    assert main(["import", str(root), "--db", str(db_path)]) == 2
    captured = capsys.readouterr()
    assert "broken.xlsx" in captured.err and "拒收" in captured.out
    assert "共导入3个文件，未导入1个" in captured.out
    store = Store.open(db_path)
    try:
        assert sorted(d.unit.code for d in load_documents(store)) == ["422001", "422002", "422003"]
        doc_id = find_document_id(store, "422002", 2024)
        assert doc_id is not None
        assert [v.number for v in list_versions(store, doc_id)] == [1]
    finally:
        store.close()


def test_resubmission_becomes_a_new_version_with_one_backup(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "in1"
    first.mkdir()
    write_json(first / "a.json", [full_document("422002")])
    write_json(first / "b.json", [full_document("422003")])
    commit_intake(store, preview_intake(store, [first]))
    assert list(backup_dir(store.path).glob("*.db")) == []  # empty database: nothing to back up

    second = tmp_path / "in2"
    second.mkdir()
    changed = full_document("422002")
    changed.projects[0].name = "食品安全监管（修改后）"
    changed.projects[0].indicators.pop()
    write_json(second / "a.json", [changed])
    write_json(second / "b.json", [full_document("422003")])
    preview = preview_intake(store, [second])
    assert [d.version for f in preview.files for d in f.documents] == [2, 2]
    report = commit_intake(store, preview)
    assert [v for _p, v in report.stored] == [[2], [2]]
    assert len(list(backup_dir(store.path).glob("test-import-*.db"))) == 1

    doc = load_documents(store, "422002")[0]
    assert doc.projects[0].name == "食品安全监管（修改后）" and len(doc.projects[0].indicators) == 2
    assert len(doc.waivers) == 2  # the resubmission's waivers, not twice
    old = load_version(store, "422002", 2024, 1)
    assert old.projects[0].name == "食品安全监管" and len(old.projects[0].indicators) == 3
    assert load_version(store, "422002", 2024).projects[0].name == "食品安全监管（修改后）"


def test_cancel_stops_before_the_next_file(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for code in ("422002", "422003", "422004"):
        write_json(root / f"{code}.json", [full_document(code)])
    preview = preview_intake(store, [root])
    report = commit_intake(store, preview, progress=lambda done, total, name: done < 1)
    assert report.cancelled and len(report.stored) == 1
    assert [d.unit.code for d in load_documents(store)] == ["422002"]
