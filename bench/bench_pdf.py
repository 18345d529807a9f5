"""PDF benchmark, run on demand: ``python bench/bench_pdf.py [--units N] [--repeat R]``.

Prints wall time (and CPU time, which other load on the machine does not inflate) and peak
memory (max RSS) for:

* the seed document (tests/fixtures/seed.docx) to PDF in a fresh process — "cold", the
  figure a user waits for the first time (imports and font loading included), target < 1 s;
* the same again in the same process — "warm" (second and later exports in the app);
* the validation report of the seed as a PDF;
* optionally ``--units N`` documents of the bench workload (100 units = the bureau's batch).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "tests" / "fixtures" / "seed.docx"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=0, help="also export N workload units")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs of the seed")
    args = parser.parse_args()

    t0 = time.perf_counter()
    from app.services.formats.file_io import read_file

    docs = read_file(SEED).documents
    t_read = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "seed.pdf"
        t, c = time.perf_counter(), time.process_time()
        from app.services.paper.writer import write_pdf  # reportlab import counts as cold

        write_pdf(out, docs)
        cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
        print(f"seed.docx read (imports included)   {t_read:6.3f} s")
        print(f"seed -> PDF, first export (cold)    {cold:6.3f} s   (CPU {cold_cpu:.3f} s)   "
              f"{_pages(out)} pages, {out.stat().st_size / 1024:.0f} KB   target < 1 s")
        warm, warm_cpu = [], []
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            write_pdf(out, docs)
            warm.append(time.perf_counter() - t)
            warm_cpu.append(time.process_time() - c)
        print(f"seed -> PDF, warm (best of {args.repeat})        {min(warm):6.3f} s   "
              f"(CPU {min(warm_cpu):.3f} s)")

        from app.services.paper.report import write_report_pdf
        from app.services.validation import check_documents

        report = check_documents(docs)
        t = time.perf_counter()
        rep = Path(tmp) / "report.pdf"
        write_report_pdf(rep, docs, report)
        print(f"seed validation report -> PDF       {time.perf_counter() - t:6.3f} s   "
              f"{len(report.findings)} findings, {_pages(rep)} pages")

        if args.units:
            from bench.workload import make_workload

            work = make_workload(args.units)
            big = Path(tmp) / "workload.pdf"
            t = time.perf_counter()
            write_pdf(big, work)
            n_proj = sum(len(d.projects) for d in work)
            print(f"{args.units} units ({n_proj} projects) -> PDF  {time.perf_counter() - t:6.3f} s   "
                  f"{_pages(big)} pages, {big.stat().st_size / 1024 / 1024:.1f} MB")
    print(f"peak memory                         {_peak_mb():6.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
