"""Databases written by every older schema version open, migrate with a backup, keep every row.

The fixtures ``tests/fixtures/schema/perfgoals-vN.db`` are files as schema version N wrote
them (built by ``tests/fixtures/schema/build.py`` from the frozen migration scripts and the
seed documents, with 出错说明 and 执行数); they are never rebuilt, only added.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.services.formats.file_io import read_file
from app.services.storage.documents import list_documents, load_document
from app.services.storage.store import Store, backup_dir, latest_version, migrations
from app.services.validation import check_documents

SCHEMA = Path(__file__).resolve().parent / "fixtures" / "schema"
VERSIONS = [n for n, _ in migrations()]


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in id order."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            quoted = ", ".join(f'"{c}"' for c in columns)
            out[table] = [tuple(r) for r in conn.execute(f"SELECT {quoted} FROM {table} ORDER BY rowid")]
        return out


def _version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_every_schema_version_has_a_fixture() -> None:
    """Adding a migration N means committing the file version N writes (build.py N)."""
    assert VERSIONS[-1] == latest_version()
    for version in VERSIONS:
        path = SCHEMA / f"perfgoals-v{version}.db"
        assert path.is_file(), f"missing {path.name}: run python -m tests.fixtures.schema.build {version}"
        assert _version(path) == version


@pytest.mark.parametrize("version", VERSIONS)
def test_old_database_migrates_with_backup_and_keeps_every_row(tmp_path: Path, version: int) -> None:
    path = tmp_path / "perfgoals.db"
    shutil.copyfile(SCHEMA / f"perfgoals-v{version}.db", path)
    before = _rows(path)
    assert before["project"] and before["indicator"] and before["waiver"]

    store = Store.open(path)
    try:
        assert store.schema_version() == latest_version()
        docs = [load_document(store, s.id) for s in list_documents(store)]
    finally:
        store.close()

    after = _rows(path)
    assert set(before) <= set(after)
    for table, rows in before.items():
        # Columns a later version adds come after the old ones: the old part is unchanged.
        assert [r[: len(rows[0])] for r in after[table]] == rows, table
    backups = sorted(backup_dir(path).glob(f"perfgoals-v{version}-*.db"))
    if version < latest_version():
        assert len(backups) == 1 and _rows(backups[0]) == before and _version(backups[0]) == version
    else:
        assert backups == []  # nothing to migrate, nothing to back up

    # The rows are the seed document again: the same projects and indicators as read from file.
    (seed,) = read_file(SCHEMA.parent / "seed.docx").documents
    (doc,) = docs
    seed_projects = [(p.code, p.name, p.budget_total_raw, len(p.indicators)) for p in seed.projects]
    assert [(p.code, p.name, p.budget_total_raw, len(p.indicators)) for p in doc.projects[: len(seed_projects)]] \
        == seed_projects
    assert len(doc.waivers) == len(before["waiver"])
    assert sum(len(p.executions) for p in doc.projects) == len(before.get("execution", []))
    # Every 出错说明 still accepts its finding after the migration.
    report = check_documents(docs)
    waived = {f["key"] for f in report.findings if f["waived"]}
    assert {w.location for w in doc.waivers} <= waived

