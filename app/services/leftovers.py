"""``.part`` files of exports that were killed mid-write, removed at the next start.

:func:`app.services.atomic.atomic_path` writes beside the target and renames at the end; a
killed process leaves its ``.part`` in a folder nothing else looks at. Each ``.part`` is
noted in a small list in the user's data folder when it is created; at the next start
(:meth:`Store.open`) the ones still there and no longer being written are removed.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from platformdirs import user_data_dir

from app import APP_NAME

log = logging.getLogger(__name__)
STALE_SECONDS = 60  # a .part untouched this long belongs to no running export


def registry_path() -> Path:
    """The list of ``.part`` files in progress (``PERFGOALS_DATA_DIR`` overrides the folder)."""
    folder = os.environ.get("PERFGOALS_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False, roaming=False)
    return Path(folder) / "pending-parts.txt"


def register(part: Path) -> None:
    """Note a ``.part`` being written (best effort: an export never fails because of it)."""
    try:
        path = registry_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{part.resolve()}\n")
    except OSError:
        log.debug("cannot note %s", part, exc_info=True)


def clean_registered() -> list[Path]:
    """Remove the noted ``.part`` files that are stale; keep noting the fresh ones."""
    path = registry_path()
    try:
        entries = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    removed, keep = [], []
    cutoff = time.time() - STALE_SECONDS
    for line in dict.fromkeys(e for e in entries if e.endswith(".part")):
        part = Path(line)
        try:
            if part.stat().st_mtime >= cutoff:
                keep.append(line)
                continue
            part.unlink()
            removed.append(part)
        except OSError:
            continue  # already renamed into place or removed
    try:
        path.write_text("".join(f"{k}\n" for k in keep), encoding="utf-8")
    except OSError:
        log.debug("cannot rewrite %s", path, exc_info=True)
    return removed
