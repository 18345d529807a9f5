"""The database: every field stored and read back, blanks, Decimals, migrations, FKs."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.models import Indicator
from app.services.errors import StorageError
from app.services.formats.importing import commit_documents
from app.services.formats.json_format import document_to_dict
from app.services.storage.documents import create_document, list_documents, load_documents
from app.services.storage.store import APPLICATION_ID, Store, backup_dir, latest_version
from tests.factories import blank_document, full_document


def test_every_field_through_the_database(store: Store) -> None:
    original = document_to_dict(full_document())
    commit_documents(store, [full_document()])
    (loaded,) = load_documents(store)
    assert document_to_dict(loaded) == original


def test_blank_fields_stay_blank(store: Store) -> None:
    commit_documents(store, [blank_document()])
    (loaded,) = load_documents(store)
    p = loaded.projects[0]
    assert p.budget_total_raw is None and p.budget_total is None
    assert p.plan_mar_raw is None and p.plan_mar is None
    assert loaded.projects[0].indicators[0].value_raw is None
    assert document_to_dict(loaded) == document_to_dict(blank_document())


def test_blank_is_distinct_from_zero(store: Store) -> None:
    doc = full_document()
    p = doc.projects[0]
    p.budget_other_raw = " "  # the seed's blank 其他资金 cell holds one space
    p.plan_mar_raw = "0%"
    p.plan_jun_raw = " "
    commit_documents(store, [doc])
    (loaded,) = load_documents(store)
    q = loaded.projects[0]
    assert q.budget_other_raw == " " and q.budget_other is None
    assert q.plan_mar == Decimal("0") and q.plan_mar_raw == "0%"
    assert q.plan_jun is None and q.plan_jun_raw == " "


def test_decimal_is_exact(store: Store, db_path: Path) -> None:
    doc = full_document()
    doc.projects[0].budget_fiscal_raw = "0.1"
    doc.projects[0].budget_other_raw = "0.2"
    doc.projects[0].budget_total_raw = "0.30"
    commit_documents(store, [doc])
    (loaded,) = load_documents(store)
    p = loaded.projects[0]
    assert isinstance(p.budget_total, Decimal)
    assert p.budget_fiscal + p.budget_other == p.budget_total  # exact, not 0.30000000000000004
    assert str(p.budget_total) == "0.30"  # trailing zero kept
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("select budget_total from project").fetchone()[0] == "0.30"


def test_float_is_refused(store: Store) -> None:
    doc = full_document()
    doc.projects[0].budget_total = 1.5  # type: ignore[assignment]
    with pytest.raises(Exception, match="Decimal"):
        commit_documents(store, [doc])
    assert list_documents(store) == []


def test_foreign_keys_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.session() as sess:
        sess.add(Indicator(project_id=9999, position=0, value_raw="≥1个"))
    with store.read_session() as sess:
        assert sess.query(Indicator).count() == 0


def test_delete_cascades_to_children(store: Store) -> None:
    commit_documents(store, [full_document()])
    with store.session() as sess:
        sess.execute(__import__("sqlalchemy").text("delete from document"))
    with sqlite3.connect(store.path) as raw:
        for table in ("project", "indicator", "subgoal", "measure", "waiver"):
            assert raw.execute(f"select count(*) from {table}").fetchone()[0] == 0


def test_pragmas_on_every_connection(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_schema_version_recorded(store: Store, db_path: Path) -> None:
    assert store.schema_version() == latest_version()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def _make_old_schema(path: Path, version: int) -> None:
    """An empty database of an older schema version, written with the migration scripts."""
    from app.services.storage.store import _split_sql, migrations

    with sqlite3.connect(path) as raw:
        for number, script in migrations():
            if number > version:
                break
            for stmt in _split_sql(script.read_text(encoding="utf-8")):
                raw.execute(stmt)
        raw.execute(f"PRAGMA user_version={version}")
        raw.execute(f"PRAGMA application_id={APPLICATION_ID}")


def test_migrating_an_empty_older_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _make_old_schema(path, 0)
    # version 0 with our id: the very first schema was never applied
    s = Store.open(path)
    assert s.schema_version() == latest_version()
    s.close()


def test_migration_backs_up_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend a version 2 exists: a version-1 file is backed up, then migrated."""
    from app.services.storage import store as storage

    path = tmp_path / "v1.db"
    old_version = latest_version()
    s = Store.open(path)
    create_document(s, "422001", "测试单位", 2024)
    s.close()
    extra = tmp_path / "migrations"
    extra.mkdir()
    for _n, p in storage.migrations():
        (extra / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (extra / f"{latest_version() + 1:04d}_test_column.sql").write_text(
        "ALTER TABLE unit ADD COLUMN test_note TEXT;", encoding="utf-8"
    )
    monkeypatch.setattr(storage, "resource_path", lambda *parts: extra)
    storage.migrate(path)
    backups = list(backup_dir(path).glob("v1-v*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == old_version
        assert raw.execute("select count(*) from document").fetchone()[0] == 1
    with sqlite3.connect(path) as raw:
        cols = [r[1] for r in raw.execute("PRAGMA table_info(unit)")]
        assert "test_note" in cols
        assert raw.execute("select count(*) from document").fetchone()[0] == 1


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    s = Store.open(path)
    s.close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version={latest_version() + 5}")
    before = path.read_bytes()
    with pytest.raises(StorageError, match="更新版本"):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("create table t (x)")
    with pytest.raises(StorageError, match="不是绩效目标编报的数据库"):
        Store.open(path)


def test_garbage_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="不是有效的数据库"):
        Store.open(path)


def test_schema_matches_the_model(tmp_path: Path) -> None:
    """The migration scripts build exactly the tables and columns the ORM declares."""
    from app.models import Base

    s = Store.open(tmp_path / "m.db")
    with sqlite3.connect(s.path) as raw:
        for table in Base.metadata.sorted_tables:
            cols = {r[1] for r in raw.execute(f"PRAGMA table_info({table.name})")}
            assert cols == {c.name for c in table.columns}, table.name
    s.close()


def test_import_backs_up_existing_data(store: Store) -> None:
    commit_documents(store, [full_document()])
    commit_documents(store, [full_document(code="422002")])
    assert len(list(backup_dir(store.path).glob("test-import-*.db"))) == 1
