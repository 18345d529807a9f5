"""A bureau's shared PostgreSQL database: addresses, schema, bad input, several writers."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main
from app.models import Indicator
from app.models.clone import clone_project
from app.services.errors import StorageError
from app.services.formats.importing import commit_documents
from app.services.formats.json_format import document_to_dict, write_json
from app.services.storage import postgres
from app.services.storage.changes import current_seq, poll_changes
from app.services.storage.conflicts import EditConflictError
from app.services.storage.documents import load_document, load_documents
from app.services.storage.location import parse_location
from app.services.storage.store import Store, latest_version
from tests.factories import blank_document, full_document
from tests.pg import PG_PASSWORD, PG_PASSWORD_USER, PgCluster
from tests.workspace_helpers import insert_child, remove_child, set_field

# --- addresses (no server needed) ---------------------------------------------------------


def test_paths_and_urls_are_told_apart(tmp_path: Path) -> None:
    assert parse_location(None) is None
    assert parse_location(str(tmp_path / "a.db")).path == tmp_path / "a.db"  # type: ignore[union-attr]
    assert parse_location(r"C:\绩效\perfgoals.db").path is not None  # type: ignore[union-attr]
    loc = parse_location("postgresql://reviewer@10.0.0.5:5433/perfgoals")
    assert loc is not None and loc.is_server
    assert loc.url is not None and loc.url.drivername == "postgresql+psycopg"
    assert loc.display_name == "reviewer@10.0.0.5:5433/perfgoals"


@pytest.mark.parametrize(("url", "needle"), [
    ("postgresql+psycopg://u:secret@host/db", "不能包含密码"),
    ("mysql://u@host/db", "不受支持"),
    ("postgresql+psycopg://u@host/", "缺少数据库名"),
])
def test_bad_addresses_exit_3_with_one_line(url: str, needle: str, tmp_path: Path, capsys) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    assert main(["import", str(src), "--db", url]) == 3
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
    assert "secret" not in err


def test_unreachable_server_exits_3(capsys) -> None:
    assert main(["check", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/perfgoals"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "无法连接服务器数据库" in err and "nobody@127.0.0.1:1/perfgoals" in err


# --- schema, version, refusals --------------------------------------------------------------


def test_new_server_database_gets_schema_and_version(pg_url: str) -> None:
    store = Store.open(pg_url)
    try:
        assert store.is_server and store.path is None
        assert store.schema_version() == latest_version()
        with store.engine.connect() as conn:
            meta = dict(conn.execute(text("select key, value from perfgoals_meta")).all())
        assert meta == {"application": "PerfGoals", "schema_version": str(latest_version())}
        assert store.backup("import") is None  # no file to copy: pg_dump is the administrator's
    finally:
        store.close()


def test_another_programs_database_is_refused(pg_cluster: PgCluster, capsys) -> None:
    name = pg_cluster.new_database()
    pg_cluster.sql("create table customers (id int)", name)
    assert main(["check", "--db", pg_cluster.url(name)]) == 3
    assert "不是绩效目标编报的数据库" in capsys.readouterr().err
    with Store.open(pg_cluster.url(pg_cluster.new_database())).engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1
    import psycopg

    with psycopg.connect(host=pg_cluster.socket_dir, dbname=name, user="postgres") as raw:
        tables = [r[0] for r in raw.execute("select tablename from pg_tables where schemaname='public'")]
    assert tables == ["customers"]  # nothing written


def test_too_old_server_is_refused(pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(postgres, "MIN_SERVER_VERSION", (99,))
    assert main(["check", "--db", pg_url]) == 3
    err = capsys.readouterr().err
    assert "过旧" in err and "99" in err


def test_newer_schema_is_refused(pg_url: str) -> None:
    Store.open(pg_url).close()
    store = Store.open(pg_url)
    with store.engine.begin() as conn:
        conn.execute(text("update perfgoals_meta set value='99' where key='schema_version'"))
    store.close()
    with pytest.raises(StorageError, match="更新版本"):
        Store.open(pg_url)


def test_migration_needs_a_backup_and_uses_the_postgresql_variant(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from app.services.storage import store as storage

    Store.open(pg_url).close()
    extra = tmp_path / "migrations"
    extra.mkdir()
    for _n, p in storage.migrations():
        (extra / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    nxt = f"{latest_version() + 1:04d}_test_note"
    (extra / f"{nxt}.sql").write_text("ALTER TABLE unit ADD COLUMN sqlite_note TEXT;", encoding="utf-8")
    (extra / f"{nxt}.postgresql.sql").write_text("ALTER TABLE unit ADD COLUMN pg_note VARCHAR(10);",
                                                encoding="utf-8")
    monkeypatch.setattr(storage, "resource_path", lambda *parts: extra)
    assert main(["check", "--db", pg_url]) == 3
    err = capsys.readouterr().err
    assert "pg_dump" in err and "--i-have-a-backup" in err and err.count("\n") == 1
    assert main(["check", "--db", pg_url, "--i-have-a-backup"]) == 0
    store = Store.open(pg_url)
    try:
        assert store.schema_version() == latest_version()
        with store.engine.connect() as conn:
            cols = {r[0] for r in conn.execute(text(
                "select column_name from information_schema.columns where table_name='unit'"))}
        assert "pg_note" in cols and "sqlite_note" not in cols
    finally:
        store.close()


# --- logins ---------------------------------------------------------------------------------


def test_refused_login_and_password_from_pgpassfile(
    pg_cluster: PgCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url = pg_cluster.url(pg_cluster.new_database(), user=PG_PASSWORD_USER)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    assert main(["check", "--db", url]) == 3  # no terminal to ask on: one line, exit 3
    assert "需要密码" in capsys.readouterr().err
    with pytest.raises(StorageError, match="拒绝登录"):
        Store.open(url, password="wrong")
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:{PG_PASSWORD_USER}:{PG_PASSWORD}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    assert main(["import", str(src), "--db", url]) == 0
    store = Store.open(url, password=PG_PASSWORD)
    try:
        assert len(load_documents(store)) == 1
        assert store.user_label.startswith(PG_PASSWORD_USER)
    finally:
        store.close()


# --- the same program on both backends ---------------------------------------------------------


def test_every_field_through_the_database(both_backends: Store) -> None:
    original = document_to_dict(full_document())
    commit_documents(both_backends, [full_document(), blank_document()])
    loaded = load_documents(both_backends)
    assert document_to_dict(loaded[0]) == original
    assert document_to_dict(loaded[1]) == document_to_dict(blank_document())


def test_large_import_keeps_order_and_later_inserts_get_new_ids(both_backends: Store) -> None:
    # Big enough that a server takes the ids from its sequences before the flush.
    doc = full_document()
    for n in range(1, postgres.PREFETCH_IDS_FROM + 5):
        twin = clone_project(doc.projects[0])
        twin.code, twin.name, twin.position = f"1302092400{n:03d}", f"项目{n}", n
        twin.indicators = [clone_project(doc.projects[0]).indicators[0] for _ in range(3)]
        for i, ind in enumerate(twin.indicators):
            ind.position, ind.value_raw = i, f"≥{n * 10 + i}批次"
        doc.projects.append(twin)
    original = document_to_dict(doc)
    commit_documents(both_backends, [doc])
    loaded = load_documents(both_backends)[0]
    assert document_to_dict(loaded) == original
    ids = [ind.id for p in loaded.projects for ind in p.indicators]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)  # ids follow the file's order
    commit_documents(both_backends, [blank_document()])  # the sequences moved past the taken ids
    assert len(load_documents(both_backends)) == 2


def test_delete_cascades_on_both(both_backends: Store) -> None:
    commit_documents(both_backends, [full_document()])
    with both_backends.session() as sess:
        sess.execute(text("delete from document"))
    with both_backends.engine.connect() as conn:
        for table in ("project", "indicator", "subgoal", "measure", "waiver"):
            assert conn.execute(text(f"select count(*) from {table}")).scalar() == 0


def test_import_export_check_agree_between_backends(
    pg_url: str, tmp_path: Path, seed_docx: Path, capsys
) -> None:
    sqlite_db = str(tmp_path / "a.db")
    outputs = []
    for db in (sqlite_db, pg_url):
        assert main(["import", str(seed_docx), "--db", db]) == 0
        out = tmp_path / f"out{len(outputs)}.json"
        assert main(["export", "--db", db, "--format", "json", "--out", str(out)]) == 0
        capsys.readouterr()
        code = main(["check", "--db", db, "--json"])
        checked = json.loads(capsys.readouterr().out)
        outputs.append((json.loads(out.read_text("utf-8"))["documents"], code, checked))
    assert outputs[0] == outputs[1]
    assert outputs[0][0][0]["projects"]  # something real was compared


# --- several writers ----------------------------------------------------------------------------


def _two_projects():
    doc = full_document()
    second = clone_project(doc.projects[0])
    second.code, second.name, second.position = "13020924P00070710003F", "第二个项目", 1
    doc.projects.append(second)
    return doc


@pytest.fixture
def two_writers(backend: str):
    """Two stores on one database, as two windows on two PCs."""
    a = Store.open(backend)
    b = Store.open(backend)
    a.user_label, b.user_label = "张会计@PC1", "李审核@PC2"
    commit_documents(a, [_two_projects()])
    yield a, b
    a.close()
    b.close()


def test_same_field_second_save_refused_naming_who(two_writers) -> None:
    a, b = two_writers
    doc_a, doc_b = load_documents(a)[0], load_documents(b)[0]
    set_field(a, doc_a.projects[0], "name", "甲改的名称")
    with pytest.raises(EditConflictError) as info:
        set_field(b, doc_b.projects[0], "name", "乙改的名称")
    msg = info.value.message
    assert "张会计@PC1" in msg and "项目名称" in msg and "甲改的名称" in msg and "乙改的名称" in msg
    assert load_documents(a)[0].projects[0].name == "甲改的名称"  # nothing lost


def test_different_fields_and_projects_never_conflict(two_writers) -> None:
    a, b = two_writers
    doc_a, doc_b = load_documents(a)[0], load_documents(b)[0]
    set_field(a, doc_a.projects[0], "name", "新名称")
    set_field(b, doc_b.projects[0], "purpose", "新用途")  # same project, other field
    set_field(b, doc_b.projects[0].indicators[0], "value_raw", "≥99%")
    set_field(a, doc_a.projects[0].indicators[1], "value_raw", "≤3天")
    stored = load_documents(a)[0].projects[0]
    assert (stored.name, stored.purpose) == ("新名称", "新用途")
    assert [i.value_raw for i in stored.indicators[:2]] == ["≥99%", "≤3天"]
    assert stored.changed_by in ("张会计@PC1", "李审核@PC2") and stored.version > 1


def test_edit_of_a_row_deleted_by_another_is_refused(two_writers) -> None:
    a, b = two_writers
    doc_a, doc_b = load_documents(a)[0], load_documents(b)[0]
    remove_child(a, doc_a.projects[0], "indicators", 0)
    with pytest.raises(EditConflictError, match="已被其他用户删除"):
        set_field(b, doc_b.projects[0].indicators[0], "value_raw", "≥1个")
    # Inserting next to rows another writer changed still works (positions renumbered).
    insert_child(b, doc_b.projects[0], "indicators", 0, {"level1": "产出指标"})
    stored = load_documents(a)[0].projects[0].indicators
    assert [i.position for i in stored] == list(range(len(stored)))


def test_others_see_changes_but_not_their_own(two_writers) -> None:
    a, b = two_writers
    seen_a, seen_b = current_seq(a), current_seq(b)
    doc_a = load_documents(a)[0]
    set_field(a, doc_a.projects[1], "goal", "新目标")
    assert not poll_changes(a, seen_a)  # its own commit
    batch = poll_changes(b, seen_b)
    assert batch.documents == {doc_a.id} and batch.projects == {doc_a.projects[1].id}
    assert batch.by == {"张会计@PC1"}
    assert not poll_changes(b, batch.seq)


def test_concurrent_writers_on_different_projects_lose_nothing(backend: str) -> None:
    setup = Store.open(backend)
    commit_documents(setup, [_two_projects()])
    doc_id = load_documents(setup)[0].id
    setup.close()
    errors: list[BaseException] = []
    rounds = 15

    def writer(project_index: int) -> None:
        store = Store.open(backend)
        try:
            doc = load_document(store, doc_id)
            project = doc.projects[project_index]
            for n in range(rounds):
                set_field(store, project, "goal", f"第{n}次")
                set_field(store, project.indicators[0], "description", f"描述{n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    check = Store.open(backend)
    try:
        projects = load_document(check, doc_id).projects
        for p in projects[:2]:
            assert p.goal == f"第{rounds - 1}次" and p.indicators[0].description == f"描述{rounds - 1}"
        assert isinstance(projects[0].indicators[0], Indicator)
    finally:
        check.close()
