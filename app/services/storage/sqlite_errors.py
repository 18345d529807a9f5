"""SQLite's failures told as what they are: disk full, read-only, locked, damaged.

SQLite reports storage trouble as ``sqlite3.OperationalError``/``DatabaseError`` (SQLAlchemy
wraps them in ``DBAPIError``) and the OS as ``OSError``; without this they reached the user
as "内部错误" with exit 1. :func:`storage_error` gives each its own Chinese message as a
:class:`StorageError` (exit 3).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app.services.errors import StorageError

# The exceptions a database operation can raise because of the file or the disk.
DB_ERRORS = (sqlite3.Error, DBAPIError)


class DiskFullError(StorageError):
    """No space left for the database, its journal or a backup."""


class ReadOnlyError(StorageError):
    """The database file (or its folder) cannot be written."""


class LockedError(StorageError):
    """Another program holds the database's write lock."""


class CorruptError(StorageError):
    """The file is damaged or not a database."""


def is_storage_failure(exc: BaseException) -> bool:
    """True for the file's and the disk's failures; False for a violated constraint or a
    misuse of the API (bugs, or rules the caller checks and reports itself)."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    return isinstance(orig, (sqlite3.OperationalError, sqlite3.DatabaseError, OSError)) and not isinstance(
        orig, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.DataError)
    )


def storage_error(exc: BaseException, path: Path | str) -> StorageError:
    """The user's message for a failure of the database at ``path``."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(orig).lower()
    code = getattr(orig, "sqlite_errorcode", None)
    code = code & 0xFF if isinstance(code, int) else None  # primary code of an extended one
    if code == 13 or "disk is full" in text or (isinstance(orig, OSError) and orig.errno == errno.ENOSPC):
        return DiskFullError(f"磁盘空间不足，数据库“{path}”无法写入；请清理磁盘后重试（本次修改未保存）")
    if code == 8 or "readonly" in text or "read-only" in text or (
        isinstance(orig, OSError) and orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    ):
        return ReadOnlyError(f"数据库“{path}”是只读的（文件或文件夹不可写），只能查看、校验和导出，无法保存修改")
    if code in (5, 6) or "locked" in text or "busy" in text:
        return LockedError(f"数据库“{path}”正被另一程序使用（已锁定），请关闭其他窗口或稍后重试")
    if code == 26 or "not a database" in text:
        return CorruptError(f"文件“{path}”不是有效的数据库文件或已损坏；请选择绩效目标编报的数据库，或从备份文件夹中恢复")
    if code == 11 or "malformed" in text or "corrupt" in text:
        return CorruptError(f"数据库“{path}”已损坏，无法读取；请从备份文件夹中恢复最近的备份")
    if code == 14 or "unable to open" in text:
        return StorageError(f"无法打开数据库“{path}”（文件夹不存在或无权访问）")
    return StorageError(f"数据库“{path}”读写失败：{orig}")
