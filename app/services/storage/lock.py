"""One writer per database file: an OS lock on ``<db>.lock`` beside the SQLite file.

The window, and every command that writes (import, intake, review import/add/answer/status),
holds the lock while the database is open; a second one is refused with a Chinese message naming who holds it. The
operating system releases the lock when its holder exits, however it exits, so a crashed
program never blocks the next start (the lock file itself may stay; it is only a handle).
Reading commands (check, export) take no lock: SQLite's WAL lets them read beside a writer.
SQLite files only; a server database has its own concurrency.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import IO

from app.services.storage.sqlite_errors import LockedError


def lock_path(db_path: Path) -> Path:
    """The lock file of ``db_path``."""
    return db_path.with_name(db_path.name + ".lock")


class WriterLock:
    """The exclusive right to write one database file, held until :meth:`release`."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._fh: IO[bytes] | None = None

    def acquire(self, purpose: str) -> None:
        """Take the lock or raise.

        Raises:
            LockedError: another window or command holds it (exit 3).
        """
        fh = open(self.path, "a+b")  # noqa: SIM115 - held while the database is open
        try:
            _lock(fh)
        except OSError as exc:
            holder = _holder(fh)
            fh.close()
            raise LockedError(
                f"数据库“{self.db_path}”正由{holder}使用，同一数据库同时只能由一个窗口或导入命令修改；"
                "请关闭该窗口（或等待导入结束）后重试"
            ) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose,
                             "since": datetime.now().isoformat(timespec="seconds")}).encode())
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        """Give the lock up (also done by the OS when the process ends)."""
        if self._fh is None:
            return
        try:
            self._fh.seek(0)
            self._fh.truncate()
            self._fh.flush()
            _unlock(self._fh)
        except OSError:
            pass
        self._fh.close()
        self._fh = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fh is not None


def _holder(fh: IO[bytes]) -> str:
    try:
        fh.seek(0)
        info = json.loads(fh.read() or b"{}")
        what = {"window": "另一个绩效目标编报窗口", "import": "正在运行的导入命令",
                "review": "正在运行的审核命令"}.get(info.get("purpose"), "另一程序")
        return f"{what}（进程{info.get('pid')}，自{str(info.get('since', ''))[11:16]}起）"
    except (OSError, ValueError, AttributeError, TypeError):
        return "另一程序"


if sys.platform == "win32":  # pragma: no cover - Windows only
    import msvcrt

    # A byte far past the text: Windows locks are mandatory, and the holder's pid must stay
    # readable for the refusal message.
    _LOCK_OFFSET = 1 << 20

    def _lock(fh: IO[bytes]) -> None:
        fh.seek(_LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[bytes]) -> None:
        fh.seek(_LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
