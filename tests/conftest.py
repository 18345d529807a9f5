"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "zh_CN.UTF-8")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.services.storage.store import Store  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def seed_docx() -> Path:
    """The reference document (a copy kept in tests/fixtures so a clone is self-contained)."""
    return FIXTURES / "seed.docx"


@pytest.fixture
def seed_xlsx() -> Path:
    return FIXTURES / "seed.xlsx"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """The list of export .part files in progress lives in the user's data folder: keep tests'
    own."""
    monkeypatch.setenv("PERFGOALS_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path_factory):
    """The window remembers recent databases and positions in QSettings: keep tests' own."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    yield


# PostgreSQL: a throw-away cluster, and stores parametrised over both backends (tests/pg.py).
from tests.pg import backend, both_backends, pg_cluster, pg_url  # noqa: E402, F401
