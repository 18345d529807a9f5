"""Finance-bureau benchmark, run on demand: ``python bench/bench_bureau.py [--units N] [--format docx|xlsx|json]``.

Targets (issue 15): intake of 100 units × 30 projects from a folder under 60 s (progress
shown); dashboard rows under 2 s; ``summary`` under 10 s; ``diff`` of two versions of a
30-project document under 0.5 s. The folder of unit files is built once into bench/out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def build_stick(units: int, fmt: str) -> Path:
    """One file per unit in nested folders, as a USB stick would hold them."""
    from app.services.formats.file_io import export_documents
    from bench.workload import make_workload

    stick = OUT / f"stick_{units}u_{fmt}"
    if stick.is_dir() and len(list(stick.rglob(f"*.{fmt}"))) == units:
        return stick
    t = time.perf_counter()
    for n, doc in enumerate(make_workload(units)):
        folder = stick / f"批次{n // 25 + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        export_documents([doc], fmt, folder / f"{doc.unit.code}.{fmt}")
    print(f"built {stick.name} in {time.perf_counter() - t:.1f} s")
    return stick


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--format", default="docx", choices=["docx", "xlsx", "json"])
    args = parser.parse_args()
    stick = build_stick(args.units, args.format)

    from app.services.bureau.dashboard import dashboard_rows
    from app.services.bureau.diff import diff_documents
    from app.services.bureau.intake import commit_intake, preview_intake
    from app.services.bureau.summary import write_summary
    from app.services.storage.documents import load_documents
    from app.services.storage.store import Store

    shown = []

    def progress(done: int, total: int, name: str) -> bool:
        shown.append(done)
        return True

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bureau.db")
        t = time.perf_counter()
        preview = preview_intake(store, [stick], progress)
        t_preview = time.perf_counter() - t
        report = commit_intake(store, preview, progress=progress)
        t_intake = time.perf_counter() - t
        rows = sum(d.indicators for f in preview.accepted for d in f.documents)
        print(f"intake {len(report.stored)} files ({rows} indicator rows, {args.format}): "
              f"{t_intake:.1f} s (preview {t_preview:.1f} s, store {t_intake - t_preview:.1f} s; "
              f"{len(shown)} progress calls)  target < 60 s")

        t = time.perf_counter()
        dash = dashboard_rows(store)
        print(f"dashboard rows ({len(dash)} units): {time.perf_counter() - t:.3f} s  target < 2 s")

        t = time.perf_counter()
        write_summary(store, Path(tmp) / "汇总.xlsx")
        print(f"summary: {time.perf_counter() - t:.1f} s  target < 10 s")

        (old,) = load_documents(store, dash[0].unit_code)
        (new,) = load_documents(store, dash[0].unit_code)
        new.projects[3].name = "改名"
        new.projects[5].indicators[2].value_raw = "≥99%"
        del new.projects[7]
        times = []
        for _ in range(5):
            t = time.perf_counter()
            d = diff_documents(old, new)
            times.append(time.perf_counter() - t)
        print(f"diff of a {len(old.projects)}-project document: median {sorted(times)[2]:.3f} s, "
              f"max {max(times):.3f} s ({len(d.changes)} changes)  target < 0.5 s")
        store.close()


if __name__ == "__main__":
    main()
