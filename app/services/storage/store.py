"""The database: opening, pragmas, migrations, backups and sessions.

By default one local SQLite file holds every unit and year; a bureau may instead share one
PostgreSQL server database (:mod:`app.services.storage.postgres`), opened by the same
:meth:`Store.open` from a ``postgresql+psycopg://`` URL. Each edit runs in its own committed transaction
(:meth:`Store.session`). The schema version lives in ``PRAGMA user_version``; numbered SQL
migrations in ``resources/migrations`` bring an older file up to date after a backup made
with SQLite's backup API (a file copy of a WAL database can miss committed data).
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import shutil
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app import APP_NAME
from app.resources import resource_path
from app.services.errors import StorageError
from app.services.leftovers import clean_registered
from app.services.storage.location import DbLocation, parse_location
from app.services.storage.lock import WriterLock
from app.services.storage.sqlite_errors import (
    DB_ERRORS,
    CorruptError,
    DiskFullError,
    ReadOnlyError,
    is_storage_failure,
    storage_error,
)

log = logging.getLogger(__name__)

# "PGOL" — marks a file as ours so that a random SQLite file is never migrated by mistake.
APPLICATION_ID = 0x50474F4C
BACKUPS_KEPT = 10  # per reason (import, migration …); README "Backups"
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another writer before "locked"
BACKUP_MARGIN = 16 * 1024 * 1024  # free space beyond the database's size for a backup
_MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def default_db_path() -> Path:
    """The per-user database file (``%LOCALAPPDATA%\\PerfGoals\\perfgoals.db`` on Windows)."""
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False)) / "perfgoals.db"


def migrations() -> list[tuple[int, Path]]:
    """The numbered migration scripts, in order."""
    found = []
    for path in resource_path("migrations").iterdir():
        m = _MIGRATION_RE.match(path.name)
        if m:
            found.append((int(m.group(1)), path))
    found.sort()
    # Numbers may skip (branches reserve numbers ahead of merging) but never repeat.
    numbers = [n for n, _ in found]
    if len(set(numbers)) != len(numbers):  # pragma: no cover - a packaging mistake
        raise RuntimeError(f"migration numbers repeat: {numbers}")
    return found


def latest_version() -> int:
    """The schema version this program writes (the highest migration number)."""
    return max((n for n, _ in migrations()), default=0)


def is_local_path(path: Path) -> bool:
    """False for network shares and removable drives, where SQLite's locking is unsafe."""
    text = str(path.resolve())
    if text.startswith("\\\\"):
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(text)[0] + "\\"
        drive_type = ctypes.windll.kernel32.GetDriveTypeW(drive)
        return drive_type not in (2, 4)  # DRIVE_REMOVABLE, DRIVE_REMOTE
    return True


def _split_sql(script: str) -> list[str]:
    lines = [ln for ln in script.splitlines() if not ln.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _read_header(conn: sqlite3.Connection, path: Path) -> tuple[int, int, int]:
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise storage_error(exc, path) from exc
    return version, app_id, tables


def backup_database(src: Path, dest: Path) -> Path:
    """Copy a live database consistently with SQLite's online backup API."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        with closing(sqlite3.connect(src)) as source, closing(sqlite3.connect(tmp)) as target:
            source.backup(target)
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise storage_error(exc, src) from exc
    return dest


def migrate(path: Path, read_only: bool = False) -> int:
    """Bring the database at ``path`` to the latest schema; return the version it had.

    Raises:
        StorageError: the file is not ours, is damaged, or comes from a newer program.
    """
    latest = latest_version()
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if read_only:
            uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from exc
    with closing(conn):
        version, app_id, tables = _read_header(conn, path)
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables and version == 0):
            raise StorageError(f"文件“{path}”不是绩效目标编报的数据库，未作任何修改")
        if version > latest:
            raise StorageError(
                f"数据库“{path}”由更新版本的绩效目标编报创建（结构版本{version}），"
                f"本程序只支持到版本{latest}，请升级程序后再打开；数据库未作任何修改"
            )
        if version == latest:
            return version
        if read_only:
            raise ReadOnlyError(f"数据库“{path}”需要升级到新的结构版本，但它是只读的；请复制到可写的位置后再打开")
        if version > 0:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup_database(path, backup_dir(path) / f"{path.stem}-v{version}-{stamp}.db")
        # Foreign keys off while migrating: SQLite's table rebuilds would otherwise cascade
        # deletes into child rows (PITFALLS 6.4). It cannot change inside a transaction.
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for number, script in migrations():
                if number <= version:
                    continue
                for stmt in _split_sql(script.read_text(encoding="utf-8")):
                    conn.execute(stmt)
                conn.execute(f"PRAGMA user_version={number}")
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StorageError(f"数据库“{path}”升级后外键检查失败：{problems[:3]}")
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise storage_error(exc, path) from exc
        except Exception:
            conn.execute("ROLLBACK")
            raise
        log.info("migrated %s from schema %d to %d", path, version, latest)
        return version


def is_writable(path: Path) -> bool:
    """Whether ``path`` and its folder (journal, WAL) can be written by this process."""
    try:
        with open(path, "r+b"):
            pass
    except OSError:
        return False
    return os.access(path.parent, os.W_OK)


def clean_leftovers(db_path: Path) -> list[Path]:
    """Remove ``.part`` files of backups a killed or failed run left beside the database.

    Backups are written only by the process holding the database (imports, migrations);
    at open, any ``.part`` older than a minute belongs to no running backup.
    """
    removed = []
    folder = backup_dir(db_path)
    cutoff = time.time() - 60
    for part in folder.glob("*.part") if folder.is_dir() else ():
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed.append(part)
        except OSError:
            continue
    return removed


def backup_dir(db_path: Path) -> Path:
    """Where backups of ``db_path`` are kept (a ``backups`` folder beside it)."""
    return db_path.parent / "backups"


def _user_label() -> str:
    """Who is editing, as shown to other writers: ``user@computer``."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a service account): still editable
        user = "?"
    return f"{user}@{socket.gethostname()}"


class Store:
    """An open PerfGoals database (a SQLite file, or a PostgreSQL database when ``path`` is None)."""

    def __init__(self, path: Path | None, engine: Engine, local: bool, read_only: bool = False,
                 location: DbLocation | None = None) -> None:
        self.path = path
        self.location = location or DbLocation(path=path)
        self.engine = engine
        self.is_local = local
        self.read_only = read_only  # opened for viewing, checking and exporting only
        self.lock: WriterLock | None = None  # held by the window and writing commands
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Who and which connection make changes (other windows skip their own, conflicts name them).
        self.origin = uuid.uuid4().hex
        self.user_label = _user_label()
        if self.location.url is not None and self.location.url.username:
            self.user_label = f"{self.location.url.username}（{self.user_label}）"
        self.own_seqs: set[int] = set()
        from app.services.storage.changes import install_change_tracking

        install_change_tracking(self, self._sessions)
        if self.is_server:
            from app.services.storage.postgres import install_id_prefetch

            install_id_prefetch(self._sessions)

    @property
    def is_server(self) -> bool:
        """A shared server database (several writers; no file, no file backups, no file lock)."""
        return self.location.is_server

    @property
    def display_name(self) -> str:
        """The database as named to the user: the file path or ``user@host/db``."""
        return self.location.display_name

    @classmethod
    def open(cls, path: str | Path | DbLocation | None = None, writer: str | None = None, *,
             password: str | None = None, i_have_a_backup: bool = False) -> Store:
        """Open (creating and migrating as needed) the database at ``path`` or the default.

        Args:
            path: a file path, a ``postgresql+psycopg://user@host/db`` URL, or None (default file).
            writer: ``"window"`` or ``"import"`` to take the file's writer lock (held until
                :meth:`close`); None for reading commands and in-process helpers. A server
                database has no such lock: several writers are its point.
            password: the server password (never part of the URL); libpq's PGPASSFILE otherwise.
            i_have_a_backup: the user confirmed a pg_dump backup, so a server database may be migrated.

        Raises:
            LockedError: ``writer`` was asked for and another window or command holds it.
            StorageError: the database cannot be opened (see :mod:`sqlite_errors`, :mod:`postgres`).
        """
        location = path if isinstance(path, DbLocation) else parse_location(path)
        if location is not None and location.url is not None:
            return cls._open_server(location, password, i_have_a_backup)
        db_path = location.path if location is not None and location.path else default_db_path()
        if db_path.exists() and db_path.is_dir():
            raise StorageError(f"“{db_path}”是文件夹，不是数据库文件")
        read_only = db_path.exists() and not is_writable(db_path)
        if read_only:
            return cls._open_read_only(db_path)
        lock = None
        if writer is not None:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            lock = WriterLock(db_path)
            lock.acquire(writer)
        try:
            store = cls._open_writable(db_path)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        store.lock = lock
        return store

    @classmethod
    def _open_writable(cls, db_path: Path) -> Store:
        migrate(db_path)
        clean_leftovers(db_path)
        clean_registered()
        local = is_local_path(db_path)
        engine = create_engine(f"sqlite:///{db_path}")

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # WAL only on a local disk: it needs shared memory that shares and sticks lack.
            cur.execute(f"PRAGMA journal_mode={'WAL' if local else 'DELETE'}")
            cur.execute(f"PRAGMA synchronous={'NORMAL' if local else 'FULL'}")
            cur.close()

        store = cls(db_path, engine, local)
        from app.services.storage.changes import prune_change_log

        prune_change_log(store)
        return store

    @classmethod
    def _open_server(cls, location: DbLocation, password: str | None, i_have_a_backup: bool) -> Store:
        from app.services.storage.postgres import create_server_engine, prepare_server

        assert location.url is not None
        engine = create_server_engine(location.url, password)
        try:
            prepare_server(engine, location.url, i_have_a_backup)
        except Exception:
            engine.dispose()
            raise
        store = cls(None, engine, True, location=location)
        from app.services.storage.changes import prune_change_log

        prune_change_log(store)
        return store

    @classmethod
    def _open_read_only(cls, db_path: Path) -> Store:
        """A database the user cannot write (read-only file, folder or medium): open it for
        viewing, checking and exporting. ``immutable`` lets SQLite read a WAL file without
        creating its -shm/-wal beside it, which a read-only folder would refuse."""
        migrate(db_path, read_only=True)
        uri = f"file:{quote(str(db_path.resolve()))}?mode=ro&immutable=1"

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(uri, uri=True, check_same_thread=False)

        engine = create_engine("sqlite://", creator=connect)
        return cls(db_path, engine, is_local_path(db_path), read_only=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed on leaving the block, rolled back on error.

        Raises:
            StorageError: the database cannot be written (disk full, read-only, locked,
                damaged), with the reason in the message; nothing of the block is stored.
        """
        if self.read_only:
            raise ReadOnlyError(f"数据库“{self.display_name}”是只读的（文件或文件夹不可写），只能查看、校验和导出，无法保存修改")
        with self._sessions() as sess:
            try:
                yield sess
                sess.commit()
            except DB_ERRORS as exc:
                sess.rollback()
                if self.is_server:
                    from app.services.storage.postgres import server_failure

                    failure = server_failure(exc, self.location)
                    if failure is None:
                        raise
                    raise failure from exc
                if not is_storage_failure(exc):
                    raise
                raise storage_error(exc, self.display_name) from exc
            except Exception:
                sess.rollback()
                raise

    def read_session(self) -> Session:
        """A session for reading only; the caller closes it."""
        return self._sessions()

    def backup(self, reason: str) -> Path | None:
        """Back the database up before a risky operation (an import, a migration).

        A server database is not copied (None): its imports run in one transaction each, and
        its administrators back it up with pg_dump.

        Raises:
            DiskFullError: the backup does not fit (checked before anything is written).
            StorageError: the backup could not be written; no ``.part`` is left behind.
        """
        if self.path is None:
            log.info("no file backup of server database %s before %s", self.display_name, reason)
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        dest = backup_dir(self.path) / f"{self.path.stem}-{reason}-{stamp}.db"
        tmp = dest.with_name(dest.name + ".part")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.check_backup_space()
            with self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                with closing(sqlite3.connect(tmp)) as target:
                    raw.backup(target)  # type: ignore[union-attr]
            os.replace(tmp, dest)
        except (OSError, sqlite3.Error, DBAPIError) as exc:
            tmp.unlink(missing_ok=True)
            raise storage_error(exc, self.path) from exc
        self._prune_backups(reason)
        return dest

    def check_backup_space(self) -> None:
        """Refuse, before an import starts, a backup that would not fit on the disk.

        Raises:
            DiskFullError: free space is below the database's size plus a margin.
        """
        if self.path is None:
            return  # a server database: no file backup is made
        folder = backup_dir(self.path)
        folder.mkdir(parents=True, exist_ok=True)
        need = self.path.stat().st_size + BACKUP_MARGIN
        free = shutil.disk_usage(folder).free
        if free < need:
            raise DiskFullError(
                f"磁盘空间不足：导入前需要备份数据库（约{need // 2**20 + 1} MB），"
                f"“{folder}”所在磁盘只剩{free // 2**20} MB；请清理磁盘后重试，未导入任何内容"
            )

    def check_integrity(self) -> None:
        """``PRAGMA integrity_check`` (before an import writes into an existing database).

        Raises:
            CorruptError: the database is damaged; nothing has been written.
        """
        if self.is_server:
            return  # the server checks its own pages; PRAGMA is SQLite's
        try:
            with self.engine.connect() as conn:
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        except DB_ERRORS as exc:
            raise storage_error(exc, self.display_name) from exc
        if rows != ["ok"]:
            log.warning("integrity_check of %s: %s", self.path, rows[:5])
            raise CorruptError(
                f"数据库“{self.path}”已损坏（完整性检查未通过），为免损坏扩大未导入任何内容；"
                "请从备份文件夹中恢复最近的备份"
            )

    def _prune_backups(self, reason: str) -> None:
        """Keep the last :data:`BACKUPS_KEPT` backups of each reason (README "Backups")."""
        assert self.path is not None
        pattern = f"{self.path.stem}-{reason}-*.db"
        old = sorted(backup_dir(self.path).glob(pattern))[:-BACKUPS_KEPT]
        for path in old:
            path.unlink(missing_ok=True)

    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        with self.engine.connect() as conn:
            if self.is_server:
                from app.services.storage.postgres import server_schema_version

                return server_schema_version(conn)
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    def close(self) -> None:
        """Checkpoint the WAL into the main file and release the file (and the writer lock)."""
        self._close_engine()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _close_engine(self) -> None:
        if self.read_only or self.is_server:
            self.engine.dispose()
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # pragma: no cover - closing must not raise
            log.exception("checkpoint on close failed")
        self.engine.dispose()
