"""What one fuzz case runs: the whole path a file takes from a USB stick into the database.

Read it, import it into an empty database, import it again as copies (the merge
path), then load and check what was stored. Success and the program's own refusal (a
:class:`PerfGoalsError` with one Chinese line naming the file) are fine; anything else is a
finding.
"""

from __future__ import annotations

import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from app.services.errors import PerfGoalsError


@dataclass(slots=True)
class Outcome:
    """How one case ended: ``ok``, ``refused`` or ``crash`` (with the traceback)."""

    status: str
    detail: str = ""


def run_file(path: Path) -> Outcome:
    """Run one file through read, import (twice) and check of the stored result."""
    from app.services.formats.file_io import read_file
    from app.services.formats.import_preview import commit_preview, preview_result
    from app.services.formats.importing import OnConflict
    from app.services.storage.documents import load_documents
    from app.services.storage.store import Store
    from app.services.validation import check_documents

    try:
        result = read_file(path)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "fuzz.db")
            try:
                commit_preview(store, preview_result(store, result), OnConflict.COPY)
                again = read_file(path)
                commit_preview(store, preview_result(store, again), OnConflict.COPY)
                check_documents(load_documents(store, None, None))
            finally:
                store.close()
    except PerfGoalsError as exc:
        msg = exc.message
        if "\n" in msg or "Traceback" in msg or not msg.strip():
            return Outcome("crash", f"message not one clean line: {msg!r}")
        return Outcome("refused", msg)
    except Exception:  # noqa: BLE001 - the fuzzer's job is to catch exactly these
        return Outcome("crash", traceback.format_exc(limit=12))
    return Outcome("ok")
