"""A throw-away PostgreSQL cluster for the tests, and the ``both_backends`` store fixture.

The cluster lives in a temporary folder, listens only on a Unix socket there, runs as an
unprivileged user (``postgres`` via runuser when the tests run as root) and is stopped at
the end of the session. Local connections are trusted except for the role ``pgpw``, which
must give its password (for the login tests). Without PostgreSQL's server programs the
PostgreSQL tests skip with the reason — except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.services.storage.store import Store

PG_PASSWORD_USER = "pgpw"
PG_PASSWORD = "密码-secret-1"


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    return None


def unavailable(reason: str) -> None:
    """Skip, or fail under CI: CI must run the PostgreSQL tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@dataclass
class PgCluster:
    """A running throw-away cluster; :meth:`new_database` gives each test its own database."""

    bindir: Path
    folder: Path
    runas: list[str]
    _count: itertools.count = itertools.count(1)  # type: ignore[type-arg]  # noqa: RUF009

    @property
    def socket_dir(self) -> str:
        return str(self.folder)

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@/{database}?host={self.socket_dir}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=self.socket_dir, dbname=database, user="postgres", autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self) -> str:
        name = f"t{next(self._count)}_{os.getpid()}"
        self.sql(f'CREATE DATABASE "{name}"')
        self.sql(f'GRANT ALL ON SCHEMA public TO {PG_PASSWORD_USER}', name)
        return name


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)


def start_cluster(durable: bool = False) -> Iterator[PgCluster]:
    """Initialise, start, yield and finally stop a cluster (the fixture's body).

    Args:
        durable: keep fsync on (benchmarks compare with SQLite's synced commits); tests don't.
    """
    bindir = _bindir()
    if bindir is None:
        unavailable("initdb/pg_ctl not found (Debian: apt-get install postgresql)")
        return
    runas: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: use its own unprivileged account.
        if shutil.which("runuser") is None:
            unavailable("running as root without runuser")
        runas = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="perfgoals-pg-"))
    data = folder / "data"
    if runas:
        shutil.chown(folder, "postgres", "postgres")
    try:
        _run([*runas, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
              "--locale=C", "--auth=trust"])
        hba = data / "pg_hba.conf"
        hba.write_text(f"local all {PG_PASSWORD_USER} scram-sha-256\nlocal all all trust\n", encoding="utf-8")
        _run([*runas, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log.txt"),
              "-o", f"-c listen_addresses='' -k {folder}" + ("" if durable else " -c fsync=off -c full_page_writes=off"),
              "start"])
    except (subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", "") or exc
        shutil.rmtree(folder, ignore_errors=True)
        unavailable(f"the test cluster did not start: {detail}")
        return
    cluster = PgCluster(bindir, folder, runas)
    try:
        cluster.sql(f"CREATE ROLE {PG_PASSWORD_USER} LOGIN PASSWORD '{PG_PASSWORD}'")
        yield cluster
    finally:
        subprocess.run([*runas, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    yield from start_cluster()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    """The URL of a new, empty database on the test cluster."""
    return pg_cluster.url(pg_cluster.new_database())


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """``--db`` of a new database on each backend: a file path, then a server URL."""
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.url(cluster.new_database())


@pytest.fixture
def both_backends(backend: str) -> Iterator[Store]:
    """An open store, once on SQLite and once on PostgreSQL."""
    store = Store.open(backend)
    yield store
    store.close()
