"""执行数 (Execution): schema 2 migration, storage, cascade, JSON, copies for undo/import."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.models import Execution, Project
from app.models.clone import clone_project
from app.services.formats.importing import OnConflict, commit_documents
from app.services.formats.json_format import document_to_dict, read_json, write_json
from app.services.storage.documents import load_documents
from app.services.storage.store import (
    APPLICATION_ID,
    Store,
    _split_sql,
    backup_dir,
    latest_version,
    migrations,
)
from app.services.workspace.ops import DeleteRow, Ref
from app.services.workspace.workspace import Workspace
from tests.factories import full_document, spending_document


def test_amount_derived_from_raw_text() -> None:
    e = Execution(month=3, amount_raw="1,200.50")
    assert e.amount == Decimal("1200.50")
    e.amount_raw = " "
    assert e.amount is None


def test_executions_stored_and_loaded(store: Store) -> None:
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    p1 = doc.projects[0]
    assert [(e.month, e.amount_raw, e.amount) for e in p1.executions] == [
        (1, "10.00", Decimal("10.00")), (2, "20", Decimal("20")), (3, "55.5", Decimal("55.5")),
    ]
    assert document_to_dict(doc) == document_to_dict(spending_document())


def test_one_row_per_project_and_month(store: Store) -> None:
    commit_documents(store, [full_document()])
    (doc,) = load_documents(store)
    pid = doc.projects[0].id
    with pytest.raises(IntegrityError), store.session() as sess:
        sess.add_all([Execution(project_id=pid, month=3, amount_raw="1"),
                      Execution(project_id=pid, month=3, amount_raw="2")])
    with pytest.raises(IntegrityError), store.session() as sess:
        sess.add(Execution(project_id=pid, month=13, amount_raw="1"))


def test_deleting_a_project_deletes_its_executions(store: Store) -> None:
    commit_documents(store, [spending_document()])
    with store.session() as sess:
        sess.delete(sess.get(Project, 1))
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("select count(*) from execution where project_id=1").fetchone()[0] == 0
        assert raw.execute("select count(*) from execution").fetchone()[0] == 1


def test_undo_of_a_project_deletion_restores_executions(store: Store) -> None:
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    ws = Workspace(store)
    ws.adopt(doc)
    inverse, _ = ws.apply(DeleteRow(Ref(doc.id, "projects", 0)))
    ws.apply(inverse)
    twin = doc.projects[0]
    assert [e.amount_raw for e in twin.executions] == ["10.00", "20", "55.5"]
    assert all(e.id is not None for e in twin.executions)
    (again,) = load_documents(store)
    assert [e.month for e in again.projects[0].executions] == [1, 2, 3]


def test_clone_project_copies_executions() -> None:
    p = spending_document().projects[0]
    c = clone_project(p)
    assert [e.amount_raw for e in c.executions] == ["10.00", "20", "55.5"]
    assert c.executions[0] is not p.executions[0]
    assert clone_project(p, with_executions=False).executions == []


def test_duplicate_and_carry_over_start_without_executions() -> None:
    from app.services.workspace.carry_over import carry_project
    from app.services.workspace.projects import duplicate_of

    p = spending_document().projects[0]
    assert duplicate_of(p).executions == [] and len(duplicate_of(p).indicators) == 3
    assert carry_project(p).executions == []


def test_json_round_trip_keeps_executions(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    write_json(out, [spending_document()])
    data = json.loads(out.read_text(encoding="utf-8"))
    projects = data["documents"][0]["projects"]
    assert projects[0]["execution"] == [
        {"month": 1, "amount_raw": "10.00"}, {"month": 2, "amount_raw": "20"},
        {"month": 3, "amount_raw": "55.5"},
    ]
    assert projects[2]["execution"] == []
    s = Store.open(tmp_path / "a.db")
    commit_documents(s, read_json(out))
    (loaded,) = load_documents(s)
    assert document_to_dict(loaded) == document_to_dict(spending_document())
    # Replacing projects of a stored document keeps the incoming 执行数 too.
    commit_documents(s, read_json(out), on_conflict=OnConflict.REPLACE)
    (loaded,) = load_documents(s)
    assert [e.month for e in loaded.projects[0].executions] == [1, 2, 3]
    s.close()


def test_json_without_execution_key_still_reads(tmp_path: Path) -> None:
    out = tmp_path / "old.json"
    write_json(out, [full_document()])
    data = json.loads(out.read_text(encoding="utf-8"))
    del data["documents"][0]["projects"][0]["execution"]
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (doc,) = read_json(out)
    assert doc.projects[0].executions == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"month": 13, "amount_raw": "1"}, r"execution\[1\]\.month：数值13超出范围"),
        ({"month": "3", "amount_raw": "1"}, r"execution\[1\]\.month：应为整数"),
        ({"month": 3, "amount_raw": 12.5}, "本格式不使用的数字“12.5”"),
    ],
)
def test_bad_execution_entries(tmp_path: Path, entry: dict, message: str) -> None:
    from app.services.errors import InputError

    out = tmp_path / "bad.json"
    write_json(out, [full_document()])
    data = json.loads(out.read_text(encoding="utf-8"))
    data["documents"][0]["projects"][0]["execution"] = [entry]
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_json(out)


def _version1_database_with_data(path: Path) -> None:
    """A database exactly as schema 1 wrote it, holding one document with a project."""
    with sqlite3.connect(path) as raw:
        for number, script in migrations():
            if number > 1:
                break
            for stmt in _split_sql(script.read_text(encoding="utf-8")):
                raw.execute(stmt)
        raw.execute("insert into unit (id, code, name) values (1, '422001', '测试单位')")
        raw.execute("insert into document (id, unit_id, year, profile, has_part1) values (1, 1, 2024, 'hebei2015', 0)")
        raw.execute(
            "insert into project (id, document_id, position, name, budget_total_raw, budget_total,"
            " plan_dec_raw, plan_dec) values (1, 1, 0, '食品安全监管', '200.00', '200.00', '100%', '100')"
        )
        raw.execute("insert into indicator (id, project_id, position, value_kind) values (1, 1, 0, 'blank')")
        raw.execute("PRAGMA user_version=1")
        raw.execute(f"PRAGMA application_id={APPLICATION_ID}")


def test_version1_database_migrates_with_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _version1_database_with_data(path)
    s = Store.open(path)
    assert s.schema_version() == latest_version()
    backups = list(backup_dir(path).glob("old-v1-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        assert raw.execute("select count(*) from project").fetchone()[0] == 1
    (doc,) = load_documents(s)
    p = doc.projects[0]
    assert p.name == "食品安全监管" and p.plan_dec == Decimal("100") and p.executions == []
    assert len(p.indicators) == 1
    with s.session() as sess:
        sess.add(Execution(project_id=p.id, month=6, amount_raw="88.00"))
    (doc,) = load_documents(s)
    assert doc.projects[0].executions[0].amount == Decimal("88.00")
    s.close()
