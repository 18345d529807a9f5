"""Atomic file writes: temporary file in the target folder, fsync, then rename.

A USB stick pulled mid-export leaves at most a ``.part`` file, never a truncated file under
the real name, and an existing file is replaced only once the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.services.errors import PerfGoalsError, file_error
from app.services.leftovers import register


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` if the block succeeds.

    Raises:
        PerfGoalsError: the target folder does not exist or cannot be written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise file_error(path, "的目标文件夹不存在", PerfGoalsError)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise file_error(path, f"无法写入：{exc.strerror or exc}", PerfGoalsError) from exc
    os.close(fd)
    # mkstemp creates the file 0600; an export is an ordinary document, so give it the
    # permissions any new file would get under the user's umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_name, 0o666 & ~umask)
    tmp = Path(tmp_name)
    register(tmp)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise file_error(path, f"写入失败：{exc.strerror or exc}", PerfGoalsError) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_with(path: str | Path, writer: Callable[[Path], None]) -> None:
    """Let ``writer`` produce the file at a temporary path, then move it into place."""
    with atomic_path(path) as tmp:
        writer(tmp)
