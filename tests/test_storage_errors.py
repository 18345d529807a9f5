"""Storage errors are storage errors: disk full, read-only, locked and damaged databases
each get their own Chinese line and exit 3; nothing is half-written; leftovers are cleaned."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections import namedtuple
from pathlib import Path

import pytest
from sqlalchemy import event

from app.cli import main
from app.services.formats.importing import commit_documents
from app.services.formats.json_format import write_json
from app.services.storage import store as store_module
from app.services.storage.sqlite_errors import DiskFullError
from app.services.storage.store import Store, backup_dir
from tests.factories import full_document


def _db_with_data(path: Path) -> bytes:
    s = Store.open(path)
    try:
        commit_documents(s, [full_document()])
    finally:
        s.close()
    return path.read_bytes()


def _import_file(tmp_path: Path) -> Path:
    out = tmp_path / "in.json"
    write_json(out, [full_document(code="422002")])
    return out


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "内部错误" not in err, err
    return err


def test_disk_full_while_writing(db_path: Path) -> None:
    _db_with_data(db_path)
    s = Store.open(db_path)
    try:
        with s.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        s.engine.dispose()

        @event.listens_for(s.engine, "connect")
        def _tiny_disk(dbapi_conn, _record) -> None:  # SQLite's own "disk full"
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

        big = full_document(code="422002")
        big.overall_text = "预算" * 200_000  # more pages than the "disk" has
        with pytest.raises(DiskFullError, match="磁盘空间不足") as err:
            commit_documents(s, [big], backup=False)
        assert err.value.exit_code == 3
    finally:
        s.close()
    s = Store.open(db_path)
    try:
        from app.services.storage.documents import load_documents

        assert [d.unit.code for d in load_documents(s, None, None)] == ["422001"]
    finally:
        s.close()


def test_backup_that_does_not_fit_is_reported_before_the_import(tmp_path, db_path, monkeypatch, capsys) -> None:
    before = _db_with_data(db_path)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(store_module.shutil, "disk_usage", lambda _p: usage(10**9, 10**9, 1024))
    assert main(["import", str(_import_file(tmp_path)), "--db", str(db_path)]) == 3
    assert "磁盘空间不足" in _one_line(capsys)
    assert db_path.read_bytes() == before
    assert not list(backup_dir(db_path).glob("*"))


def test_read_only_database_opens_for_check_and_export(tmp_path, db_path, monkeypatch, capsys) -> None:
    before = _db_with_data(db_path)
    monkeypatch.setattr(store_module, "is_writable", lambda _p: False)
    assert main(["check", "--db", str(db_path)]) in (0, 1)
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(db_path), "--format", "json", "--out", str(out)]) == 0
    assert out.exists()
    capsys.readouterr()
    assert main(["import", str(_import_file(tmp_path)), "--db", str(db_path)]) == 3
    err = _one_line(capsys)
    assert "只读" in err and "损坏" not in err
    assert db_path.read_bytes() == before


def test_locked_database(tmp_path, db_path, monkeypatch, capsys) -> None:
    _db_with_data(db_path)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        assert main(["import", str(_import_file(tmp_path)), "--db", str(db_path)]) == 3
        assert "已锁定" in _one_line(capsys)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_damaged_database_is_not_imported_into(tmp_path, db_path, capsys) -> None:
    _db_with_data(db_path)
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page:3 * page] = os.urandom(page)  # an interior page, not the header
    db_path.write_bytes(bytes(data))
    assert main(["import", str(_import_file(tmp_path)), "--db", str(db_path)]) == 3
    assert "损坏" in _one_line(capsys)
    assert db_path.read_bytes() == bytes(data)
    assert main(["check", "--db", str(db_path)]) in (1, 3)


def test_leftover_part_files_are_cleaned_on_start(db_path: Path) -> None:
    _db_with_data(db_path)
    folder = backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    old = folder / "test-import-20260101.db.part"
    fresh = folder / "test-import-20261231.db.part"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    Store.open(db_path).close()
    assert not old.exists() and fresh.exists()  # a fresh one may be another run's backup


def test_backups_are_rotated(db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(store_module, "BACKUPS_KEPT", 2)
    s = Store.open(db_path)
    try:
        for k in range(5):
            commit_documents(s, [full_document(code=f"42200{k}")])
        assert len(list(backup_dir(db_path).glob("test-import-*.db"))) == 2
    finally:
        s.close()


def test_killed_backup_leaves_no_part(db_path: Path, monkeypatch) -> None:
    _db_with_data(db_path)
    s = Store.open(db_path)

    def boom(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "replace", boom)
    try:
        with pytest.raises(DiskFullError):
            s.backup("import")
    finally:
        s.close()
    assert not list(backup_dir(db_path).glob("*.part"))
    shutil.rmtree(backup_dir(db_path))


def test_killed_export_part_is_cleaned_at_next_start(tmp_path: Path, db_path: Path) -> None:
    from app.services.atomic import atomic_path

    target = tmp_path / "exports" / "out.docx"
    target.parent.mkdir()

    writing = atomic_path(target)
    part = writing.__enter__()
    part.write_bytes(b"half")  # the process "dies" here: atomic_path's own cleanup never runs
    os.utime(part, (time.time() - 3600, time.time() - 3600))
    Store.open(db_path).close()
    assert not part.exists() and not target.exists()
