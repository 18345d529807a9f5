"""Where a database is: a SQLite file path, or a PostgreSQL server given as a SQLAlchemy URL.

``--db`` and 文件 → 连接服务器数据库 accept either ``D:\\绩效\\perfgoals.db`` or
``postgresql+psycopg://user@host[:port]/dbname``. A password is never taken from the URL
(it would end up in shell history, process lists and the recent-databases setting): libpq
reads ``PGPASSFILE`` / ``~/.pgpass`` itself, and otherwise the program asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.services.errors import StorageError

SERVER_DRIVER = "postgresql+psycopg"
_SERVER_SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")


@dataclass(frozen=True, slots=True)
class DbLocation:
    """A parsed ``--db``: exactly one of ``path`` and ``url`` is set."""

    path: Path | None = None
    url: URL | None = None

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def display_name(self) -> str:
        """How the database is named to the user (title bar, status bar, messages)."""
        if self.url is not None:
            return server_display_name(self.url)
        return str(self.path)


    @property
    def address(self) -> str:
        """What reopens this database (the recent-databases menu): path or URL, never a password."""
        if self.url is not None:
            return self.url.render_as_string(hide_password=True)
        return str(self.path)


def server_display_name(url: URL) -> str:
    """``user@host:port/db`` without driver or password."""
    port = f":{url.port}" if url.port else ""
    user = f"{url.username}@" if url.username else ""
    return f"{user}{url.host or 'localhost'}{port}/{url.database}"


def looks_like_url(text: str) -> bool:
    """A ``scheme://`` prefix: a URL, never a file name (Windows paths have ``C:\\``)."""
    head, sep, _ = text.partition("://")
    return bool(sep) and head.replace("+", "").isalnum() and len(head) > 1


def parse_location(text: str | Path | None) -> DbLocation | None:
    """Parse ``--db``; None means the default per-user file.

    Raises:
        StorageError: a URL of another database kind, a malformed URL, or one with a password.
    """
    if text is None or text == "":
        return None
    if isinstance(text, Path) or not looks_like_url(text):
        return DbLocation(path=Path(text))
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StorageError(f"数据库地址“{text}”格式不正确，应为 postgresql+psycopg://用户@主机/数据库") from exc
    if url.drivername not in _SERVER_SCHEMES:
        raise StorageError(
            f"数据库地址“{text}”不受支持：只能使用 PostgreSQL（postgresql+psycopg://用户@主机/数据库）或数据库文件"
        )
    if url.password is not None:
        raise StorageError(
            "数据库地址中不能包含密码（会留在命令历史和设置中）；请去掉密码，"
            "程序会提示输入，或使用 PGPASSFILE 密码文件"
        )
    if not url.database:
        raise StorageError(f"数据库地址“{text}”缺少数据库名，应为 postgresql+psycopg://用户@主机/数据库")
    return DbLocation(url=url.set(drivername=SERVER_DRIVER))
