"""Quitting: from the main window closing to the process gone (issue 13 target: under 0.5 s).

    python -m bench.bench_quit [--runs 3]

Each run starts ``python -m app`` on a database holding the sample document with
``PERFGOALS_CLOSE_AFTER_SHOW=1``: the window opens a project, then closes itself as a user
would and prints ``closing=<epoch seconds>``; the time until the process has exited is the
figure. Runs offscreen without a display.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_database(path: Path) -> None:
    from app.resources import sample_document
    from app.services.formats.import_preview import commit_preview, preview_import
    from app.services.storage.store import Store

    store = Store.open(path)
    try:
        commit_preview(store, preview_import(store, str(sample_document())), None)
    finally:
        store.close()


def measure(runs: int) -> list[float]:
    env = {**os.environ, "PERFGOALS_CLOSE_AFTER_SHOW": "1"}
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and sys.platform.startswith("linux"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "quit.db"
        make_database(db)
        env["HOME"] = tmp  # the window's settings stay in the throw-away folder
        for _ in range(runs):
            proc = subprocess.Popen([sys.executable, "-m", "app", "--db", str(db)], env=env, cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            closing = None
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("closing="):
                    closing = float(line.split("=", 1)[1])
            proc.wait(timeout=120)
            gone = time.time()
            if closing is None:
                raise SystemExit("the window did not report closing")
            out.append(gone - closing)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    quits = measure(args.runs)
    print(f"window closed to process exit, {args.runs} runs (sample document, a project open)")
    print(f"  median {statistics.median(quits):.3f} s, best {min(quits):.3f} s, worst {max(quits):.3f} s")


if __name__ == "__main__":
    main()
