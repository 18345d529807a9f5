"""Benchmark of the validation engine (run on demand: ``python -m bench.bench_validation``).

Targets (issue 4): one project of the seed revalidated in < 5 ms, the whole seed document in
< 150 ms, the 100-unit bench workload in < 10 s.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

from app.services.formats.file_io import read_file
from app.services.validation import Validator, check_documents, load_profile
from bench.workload import make_workload

SEED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "seed.docx"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(units: int = 100) -> int:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    load_profile("hebei2015")  # profiles are loaded once per process; not part of a check
    doc = read_file(SEED).documents[0]

    v = Validator()
    t0 = time.perf_counter()
    findings = v.validate_document(doc)
    first = time.perf_counter() - t0
    runs = []
    for _ in range(20):
        t0 = time.perf_counter()
        v.validate_document(doc)
        runs.append(time.perf_counter() - t0)
    print(f"seed document ({len(doc.projects)} projects, {len(findings)} findings): "
          f"first {_ms(first)}, median {_ms(statistics.median(runs))} (target < 150 ms)")

    per_project = []
    for _ in range(10):
        for project in doc.projects:
            project.indicators[0].value_raw = project.indicators[0].value_raw  # an "edit"
            t0 = time.perf_counter()
            v.revalidate_project(doc, project)
            per_project.append(time.perf_counter() - t0)
    print(f"revalidate_project on the seed: median {_ms(statistics.median(per_project))}, "
          f"max {_ms(max(per_project))} (target < 5 ms)")

    docs = make_workload(units)
    n_proj = sum(len(d.projects) for d in docs)
    n_ind = sum(len(p.indicators) for d in docs for p in d.projects)
    t0, c0 = time.perf_counter(), time.process_time()
    report = check_documents(docs)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # Wall time depends on what else runs on the machine; CPU time is this process alone.
    print(f"workload {units} units / {n_proj} projects / {n_ind} indicators: {elapsed:.2f} s wall, "
          f"{cpu:.2f} s CPU, "
          f"{len(report.findings)} findings (target < 10 s); process peak RSS {peak:.0f} MB")

    big = docs[0]
    v2 = Validator()
    v2.validate_document(big)
    times = []
    for project in big.projects:
        t0 = time.perf_counter()
        v2.revalidate_project(big, project)
        times.append(time.perf_counter() - t0)
    print(f"revalidate_project in a 30-project workload document: median "
          f"{_ms(statistics.median(times))}, max {_ms(max(times))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
