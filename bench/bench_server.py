"""PostgreSQL beside SQLite on the bureau workload: ``python -m bench.bench_server [--units N]``.

Starts a throw-away local cluster (tests/pg.py, fsync on, Unix socket) and prints, for both
backends: the import of the workload json through the CLI (``python -m app import``), ``check
--db`` of the whole database, and opening a project in the window (first open of a unit:
load + validate + forms); then two processes editing different projects of one unit 100
times each, with the conflicts they met and whether every last edit is there.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def _cli(*args: str) -> float:
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - t
    if res.returncode not in (0, 1):  # check exits 1 when the workload has errors
        raise SystemExit(f"{args[0]} failed: {res.stderr.strip()}")
    return seconds


def _open_projects(db: str, samples: int = 10) -> list[float]:
    """Milliseconds to show a project of a unit not opened yet (tree click → forms filled)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.services.storage.documents import list_documents
    from app.services.storage.store import Store
    from app.services.workspace.projects import list_project_titles
    from app.ui.main import create_app, settle_startup_heap
    from app.ui.main_window import MainWindow

    create_app()
    store = Store.open(db)
    settle_startup_heap()  # as run_gui does before the window opens
    window = MainWindow(store)
    window.show()
    window.watcher.timer.stop()
    times = []
    titles = list_project_titles(store)
    for summary in list_documents(store)[1: samples + 1]:
        project = titles[summary.id][0]
        t = time.perf_counter()
        window.tree.select_node(summary.id, project.project_id)
        QApplication.processEvents()
        times.append((time.perf_counter() - t) * 1000)
    window.close()
    store.close()
    return times


def _writer(db: str, doc_id: int, index: int, rounds: int) -> None:
    from app.services.storage.conflicts import EditConflictError
    from app.services.storage.documents import load_document
    from app.services.storage.store import Store
    from app.services.workspace.ops import FieldValue, SetFields
    from app.services.workspace.workspace import Workspace

    store = Store.open(db)
    workspace = Workspace(store)
    ref = workspace.ref_of(workspace.adopt(load_document(store, doc_id)).projects[index])
    conflicts = 0
    for n in range(rounds):
        try:
            workspace.apply(SetFields((FieldValue(ref, "goal", f"第{n}次"),)))
        except EditConflictError:
            conflicts += 1
    store.close()
    print(conflicts)


def _two_writers(db: str, rounds: int) -> str:
    from app.services.storage.documents import list_documents, load_document
    from app.services.storage.store import Store

    store = Store.open(db)
    doc_id = list_documents(store)[0].id
    store.close()
    procs = [subprocess.Popen([sys.executable, "-m", "bench.bench_server", "--writer", db, str(doc_id), str(i),
                               str(rounds)], cwd=ROOT, stdout=subprocess.PIPE, text=True) for i in (0, 1)]
    t = time.perf_counter()
    conflicts = [int(p.communicate()[0].strip() or -1) for p in procs]
    seconds = time.perf_counter() - t
    store = Store.open(db)
    goals = [p.goal for p in load_document(store, doc_id).projects[:2]]
    store.close()
    kept = all(g == f"第{rounds - 1}次" for g in goals)
    return f"{seconds:.2f} s, conflicts {conflicts}, every last edit kept: {kept}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--writer", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        db, doc_id, index, rounds = args.writer
        _writer(db, int(doc_id), int(index), int(rounds))
        return
    sys.path.insert(0, str(ROOT))
    from tests.pg import start_cluster

    OUT.mkdir(exist_ok=True)
    src = OUT / f"workload-{args.units}.json"
    if not src.exists():
        from app.services.formats.json_format import write_json
        from bench.workload import make_workload

        write_json(src, make_workload(args.units))
    cluster_run = start_cluster(durable=True)
    cluster = next(cluster_run)
    try:
        sqlite_db = OUT / "server-bench.db"
        for p in OUT.glob("server-bench.db*"):
            p.unlink()
        rows = []
        for label, db in (("SQLite", str(sqlite_db)), ("PostgreSQL", cluster.url(cluster.new_database()))):
            imp = _cli("import", str(src), "--db", db)
            chk = _cli("check", "--db", db, "--json")
            opens = _open_projects(db)
            writers = _two_writers(db, 100)
            rows.append((label, imp, chk, opens, writers))
        print(f"workload: {args.units} units x 30 projects; PostgreSQL {cluster.bindir.parent.name}, local socket, fsync on")
        for label, imp, chk, opens, writers in rows:
            print(f"{label:10s} import {imp:6.2f} s   check --db {chk:6.2f} s   open project median "
                  f"{statistics.median(opens):5.1f} ms max {max(opens):5.1f} ms")
            print(f"{'':10s} two processes x 100 edits of different projects: {writers}")
        (s_imp, s_chk), (p_imp, p_chk) = ((r[1], r[2]) for r in rows)
        print(f"ratio PostgreSQL/SQLite: import {p_imp / s_imp:.2f}x, check {p_chk / s_chk:.2f}x (target <= 1.5x)")
    finally:
        with contextlib.suppress(StopIteration):
            next(cluster_run)  # stops the cluster and removes its folder


if __name__ == "__main__":
    main()
