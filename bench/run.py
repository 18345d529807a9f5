"""Benchmarks, run on demand: ``python bench/run.py [--units N]``.

Each measurement runs in its own process so that its peak memory (max RSS) is its own.
Prints one line per operation: wall time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def op_make_json(units: int) -> float:
    from app.services.formats.json_format import write_json
    from bench.workload import make_workload

    docs = make_workload(units)
    t = time.perf_counter()
    write_json(OUT / f"workload-{units}.json", docs)
    return time.perf_counter() - t


def op_json_import(units: int) -> float:
    from app.services.formats.importing import commit_documents
    from app.services.formats.json_format import read_json
    from app.services.storage.store import Store

    db = OUT / f"workload-{units}.db"
    for p in OUT.glob(f"workload-{units}.db*"):
        p.unlink()
    t = time.perf_counter()
    store = Store.open(db)
    commit_documents(store, read_json(OUT / f"workload-{units}.json"), backup=False)
    store.close()
    return time.perf_counter() - t


def op_json_export(units: int) -> float:
    from app.services.formats.json_format import write_json
    from app.services.storage.documents import load_documents
    from app.services.storage.store import Store

    t = time.perf_counter()
    store = Store.open(OUT / f"workload-{units}.db")
    write_json(OUT / f"export-{units}.json", load_documents(store))
    store.close()
    return time.perf_counter() - t


def op_open_db(units: int) -> float:
    from app.services.storage.documents import list_documents
    from app.services.storage.store import Store

    t = time.perf_counter()
    store = Store.open(OUT / f"workload-{units}.db")
    list_documents(store)
    store.close()
    return time.perf_counter() - t


def op_load_all(units: int) -> float:
    from app.services.storage.documents import load_documents
    from app.services.storage.store import Store

    t = time.perf_counter()
    store = Store.open(OUT / f"workload-{units}.db")
    load_documents(store)
    store.close()
    return time.perf_counter() - t


OPS = {
    "generate+write workload json": op_make_json,
    "json import (read + store)": op_json_import,
    "json export (load + write)": op_json_export,
    "open database + list documents": op_open_db,
    "open database + load everything": op_load_all,
}
EXTRA_OPS: dict[str, str] = {}  # name -> "module:function", added by later benchmarks


def _child(name: str, units: int) -> None:
    fn = OPS.get(name)
    if fn is None:
        module, func = EXTRA_OPS[name].split(":")
        fn = getattr(__import__(module, fromlist=[func]), func)
    seconds = fn(units)
    print(json.dumps({"seconds": seconds, "peak_mb": _peak_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--only", help="substring of the operation names to run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.child:
        _child(args.child, args.units)
        return
    print(f"workload: {args.units} units x 30 projects x 10-25 indicators")
    for name in [*OPS, *EXTRA_OPS]:
        if args.only and args.only not in name:
            continue
        res = subprocess.run([sys.executable, __file__, "--units", str(args.units), "--child", name],
                             cwd=ROOT, capture_output=True, text=True)
        if res.returncode:
            print(f"{name:40s} FAILED: {res.stderr.strip().splitlines()[-1:]}")
            continue
        data = json.loads(res.stdout.strip().splitlines()[-1])
        print(f"{name:40s} {data['seconds']:8.2f} s   peak {data['peak_mb']:7.1f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
