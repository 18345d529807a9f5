"""A PerfGoals database on a PostgreSQL server (a bureau's shared database).

The schema is built from the ORM metadata (the same declarations the SQLite migration
scripts are checked against), and the schema version lives in a ``perfgoals_meta`` table,
which also marks the database as ours. Later numbered migrations run on the server too, from
``NNNN_name.postgresql.sql`` where the SQL differs from SQLite's, else from ``NNNN_name.sql``,
all in one transaction (PostgreSQL's DDL is transactional). The program cannot copy a server
database, so it refuses to migrate one until the user says a ``pg_dump`` backup exists.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.base import instance_state

from app import APP_NAME
from app.models import Base, ChangeCounter
from app.services.errors import StorageError
from app.services.storage.location import DbLocation, server_display_name

log = logging.getLogger(__name__)

# Oldest server accepted: 12 is the oldest with upstream support when this was written, and
# what the openGauss / KingbaseES compatibility modes report at least.
MIN_SERVER_VERSION: tuple[int, ...] = (12,)
CONNECT_TIMEOUT_S = 5

_meta = MetaData()
META_TABLE = Table(
    "perfgoals_meta", _meta,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


class PasswordRequired(StorageError):
    """The server asks for a password and none was given (the caller may prompt and retry)."""


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def connect_error(url: URL, exc: BaseException) -> StorageError:
    """One Chinese line for a failed connection, by what the server or network said."""
    name = server_display_name(url)
    text = str(getattr(exc, "orig", exc))
    low = text.lower()
    if "no password supplied" in low or "password is required" in low:
        return PasswordRequired(f"服务器数据库“{name}”需要密码：请输入密码或设置 PGPASSFILE 密码文件")
    if "password authentication failed" in low or "pg_hba.conf" in low or "authentication failed" in low:
        return StorageError(f"服务器数据库“{name}”拒绝登录：用户名或密码不正确，或该用户无权从本机连接")
    if "does not exist" in low and "database" in low:
        return StorageError(f"服务器上没有数据库“{url.database}”（{name}），请检查数据库名")
    if "does not exist" in low and "role" in low:
        return StorageError(f"服务器数据库“{name}”拒绝登录：没有用户“{url.username}”")
    if "translate host name" in low or "name or service not known" in low:
        return StorageError(f"无法连接服务器数据库“{name}”：找不到主机“{url.host}”")
    if "refused" in low or "timeout" in low or "timed out" in low or "no route" in low:
        return StorageError(f"无法连接服务器数据库“{name}”：服务器没有响应（请检查地址、端口和网络）")
    return StorageError(f"无法连接服务器数据库“{name}”：{_reason(exc)}")


def server_failure(exc: BaseException, location: DbLocation) -> StorageError | None:
    """A lost connection or a refused write as one Chinese line; None for a bug (constraint…)."""
    if location.url is None or not isinstance(exc, OperationalError):
        return None
    return connect_error(location.url, exc)


def create_server_engine(url: URL, password: str | None = None) -> Engine:
    """An engine for ``url`` (psycopg 3); the password, if any, only in memory."""
    if password:
        url = url.set(password=password)
    try:
        import psycopg  # noqa: F401 - the driver; a build without it says so in one line
    except ImportError as exc:
        raise StorageError(f"本程序未包含 PostgreSQL 驱动（psycopg），无法连接服务器数据库（{_reason(exc)}）") from exc
    return create_engine(
        url,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": APP_NAME},
        pool_pre_ping=True,
    )


def _migration_script(path: Path) -> Path:
    """The PostgreSQL variant of a migration where one exists."""
    variant = path.with_name(path.name.removesuffix(".sql") + ".postgresql.sql")
    return variant if variant.exists() else path


def _read_meta(conn: Connection) -> dict[str, str]:
    rows = conn.execute(select(META_TABLE.c.key, META_TABLE.c.value)).all()
    return {k: v for k, v in rows}


def _create_schema(conn: Connection, version: int) -> None:
    Base.metadata.create_all(conn)
    _meta.create_all(conn)
    conn.execute(META_TABLE.insert(), [
        {"key": "application", "value": APP_NAME},
        {"key": "schema_version", "value": str(version)},
    ])
    conn.execute(insert(ChangeCounter).values(id=1, value=0))


def _split(script: str) -> list[str]:
    from app.services.storage.store import _split_sql

    return _split_sql(script)


def prepare_server(engine: Engine, url: URL, i_have_a_backup: bool = False) -> int:
    """Check the server and create or migrate the schema; return the version it had (0 = new).

    Raises:
        StorageError: cannot connect, the server is too old, the database belongs to another
            program or a newer PerfGoals, or it needs a migration and no backup was confirmed.
    """
    from app.services.storage.store import latest_version, migrations

    name = server_display_name(url)
    latest = latest_version()
    try:
        with engine.connect() as conn:
            server = conn.dialect.server_version_info or (0,)
            if tuple(server) < MIN_SERVER_VERSION:
                shown = ".".join(str(n) for n in server)
                need = ".".join(str(n) for n in MIN_SERVER_VERSION)
                raise StorageError(
                    f"服务器数据库“{name}”的 PostgreSQL 版本 {shown} 过旧，本程序需要 {need} 或更新版本；未作任何修改"
                )
            tables = set(inspect(conn).get_table_names())
            if not tables:
                _create_schema(conn, latest)
                conn.commit()
                log.info("created the PerfGoals schema %d on %s", latest, name)
                return 0
            if META_TABLE.name not in tables:
                raise StorageError(f"服务器数据库“{name}”不是绩效目标编报的数据库（已有其他表），未作任何修改")
            meta = _read_meta(conn)
            if meta.get("application") != APP_NAME:
                raise StorageError(f"服务器数据库“{name}”不是绩效目标编报的数据库，未作任何修改")
            version = int(meta.get("schema_version", "0"))
            if version > latest:
                raise StorageError(
                    f"服务器数据库“{name}”由更新版本的绩效目标编报创建（结构版本{version}），"
                    f"本程序只支持到版本{latest}，请升级程序后再连接；数据库未作任何修改"
                )
            if version == latest:
                return version
            if not i_have_a_backup:
                raise StorageError(
                    f"服务器数据库“{name}”需要从结构版本{version}升级到{latest}；程序无法备份服务器数据库，"
                    f"请先备份（例如 pg_dump -h {url.host or 'localhost'} -U {url.username or '用户'} -Fc "
                    f"-f perfgoals-v{version}.dump {url.database}），再加 --i-have-a-backup 重新运行；"
                    "数据库未作任何修改"
                )
            # One transaction (the connection's, begun by the reads above): all or nothing.
            for number, script in migrations():
                if number <= version:
                    continue
                for stmt in _split(_migration_script(script).read_text(encoding="utf-8")):
                    conn.exec_driver_sql(stmt)
                conn.execute(
                    META_TABLE.update().where(META_TABLE.c.key == "schema_version").values(value=str(number))
                )
            conn.commit()
            log.info("migrated %s from schema %d to %d", name, version, latest)
            return version
    except StorageError:
        raise
    except OperationalError as exc:
        raise connect_error(url, exc) from exc
    except DBAPIError as exc:
        raise StorageError(f"服务器数据库“{name}”无法使用：{_reason(exc)}；未作任何修改") from exc


def server_schema_version(conn: Connection) -> int:
    """The schema version recorded in ``perfgoals_meta``."""
    return int(_read_meta(conn).get("schema_version", "0"))


# A flush inserting this many rows of one table takes their ids from the sequence first.
PREFETCH_IDS_FROM = 20


def _prefetch_ids(sess: Session, _ctx: Any, _instances: Any) -> None:
    """Give new rows their ids before a large flush, in one query per table.

    Without ids the ORM inserts with RETURNING through "insertmanyvalues": statements of
    thousands of placeholders, each parsed in Python by psycopg (uncached above 4 kB) —
    most of an import's extra time on a server. With ids set, the ORM sends one short
    INSERT as a psycopg executemany (pipelined, parsed once).
    """
    new: dict[Table, list[Any]] = {}
    for obj in sess.new:
        table = getattr(obj, "__table__", None)
        if table is not None and getattr(obj, "id", 0) is None and "id" in table.c:
            new.setdefault(table, []).append(obj)
    for table, objs in new.items():
        if len(objs) < PREFETCH_IDS_FROM or not table.c.id.autoincrement:
            continue
        # In the order the ORM would insert them, so ids still follow insertion.
        objs.sort(key=lambda o: instance_state(o).insert_order or 0)
        ids = sess.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": len(objs)},
        ).scalars().all()
        for obj, new_id in zip(objs, ids, strict=True):
            obj.id = new_id


def install_id_prefetch(sessions: sessionmaker[Session]) -> None:
    """Large inserts on a server skip RETURNING (see :func:`_prefetch_ids`)."""
    event.listen(sessions, "before_flush", _prefetch_ids)
