"""docx/xlsx benchmark, run on demand: ``python bench/bench_formats.py [--units N]``.

Targets (issue 3): seed.docx imports in under 0.3 s; the 100-unit workload (100 × 30 ×
10–25) exports and imports as docx and as xlsx in under 60 s each with peak memory under
500 MB. Each operation runs in its own process so its peak memory (max RSS, from
``resource.getrusage``) is its own. "import" = read the file + store it in a new database.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DOCX = ROOT / "tests" / "fixtures" / "seed.docx"
SEED_XLSX = ROOT / "tests" / "fixtures" / "seed.xlsx"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import(path: Path, db: Path) -> float:
    from app.services.formats.file_io import read_file
    from app.services.formats.importing import commit_documents
    from app.services.storage.store import Store

    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    t = time.perf_counter()
    docs = read_file(path).documents
    store = Store.open(db)
    commit_documents(store, docs, backup=False)
    store.close()
    return time.perf_counter() - t


def op_seed_import(fmt: str, work: Path) -> dict:
    """Best of 5 imports of seed.docx / seed.xlsx (read + store), after one warm-up."""
    from app.services.formats.file_io import read_file

    path = SEED_DOCX if fmt == "docx" else SEED_XLSX
    read_file(path)  # warm-up: imports and first-use costs are not what a user repeats
    times = [_import(path, work / f"seed-{fmt}.db") for _ in range(5)]
    t = time.perf_counter()
    read_file(path)
    read_only = time.perf_counter() - t
    return {"seconds": min(times), "read_only_seconds": read_only}


def op_export(fmt: str, units: int, work: Path) -> dict:
    from app.services.formats.file_io import export_documents
    from bench.workload import make_workload

    docs = make_workload(units)
    t = time.perf_counter()
    export_documents(docs, fmt, work / f"workload-{units}.{fmt}")
    seconds = time.perf_counter() - t
    size = (work / f"workload-{units}.{fmt}").stat().st_size
    return {"seconds": seconds, "file_mb": size / 1024 / 1024}


def op_import(fmt: str, units: int, work: Path) -> dict:
    from app.services.storage.documents import load_documents
    from app.services.storage.store import Store

    path = work / f"workload-{units}.{fmt}"
    seconds = _import(path, work / f"workload-{fmt}.db")
    store = Store.open(work / f"workload-{fmt}.db")
    docs = load_documents(store)
    store.close()
    projects = sum(len(d.projects) for d in docs)
    indicators = sum(len(p.indicators) for d in docs for p in d.projects)
    return {"seconds": seconds, "documents": len(docs), "projects": projects, "indicators": indicators}


def _child(op: str, fmt: str, units: int, work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    if op == "seed":
        result = op_seed_import(fmt, work)
    elif op == "export":
        result = op_export(fmt, units, work)
    else:
        result = op_import(fmt, units, work)
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--child", nargs=3, metavar=("OP", "FMT", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        op, fmt, work = args.child
        _child(op, fmt, args.units, Path(work))
        return 0
    with tempfile.TemporaryDirectory(prefix="perfgoals-bench-") as tmp:
        rows = [("seed", "docx", "seed.docx import (<0.3 s)"), ("seed", "xlsx", "seed.xlsx import")]
        for fmt in ("docx", "xlsx"):
            rows += [("export", fmt, f"{args.units}-unit {fmt} export (<60 s)"),
                     ("import", fmt, f"{args.units}-unit {fmt} import (<60 s)")]
        for op, fmt, label in rows:
            proc = subprocess.run(
                [sys.executable, __file__, "--units", str(args.units), "--child", op, fmt, tmp],
                capture_output=True, text=True, cwd=ROOT, check=False,
            )
            if proc.returncode != 0:
                print(f"{label}: FAILED\n{proc.stderr}")
                return 1
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            extra = ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                              for k, v in r.items() if k not in ("seconds", "peak_mb"))
            print(f"{label:34s} {r['seconds']:8.3f} s   peak {r['peak_mb']:7.1f} MB   {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
