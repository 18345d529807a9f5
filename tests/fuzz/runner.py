"""Run the fuzzer: a worker process under resource limits, watched for time and memory.

``python -m tests.fuzz.runner --cases 20000 --seed 7 [--save DIR]`` runs a long campaign on
demand; ``tests/test_fuzz.py`` runs a fixed short one. Case ``n`` of seed ``s`` is always the
same file, so a finding is replayed with ``--only n``.

A case fails when it raises anything but the program's own error, runs over
:data:`CASE_SECONDS`, or lifts the worker's peak memory over :data:`CASE_BYTES`. The worker
runs with an address-space limit so that a runaway case cannot take the machine down; after
a hang or a memory failure it is restarted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = {"docx": FIXTURES / "seed.docx", "xlsx": FIXTURES / "seed.xlsx", "json": FIXTURES / "good_document.json"}
CASE_SECONDS = 20.0
CASE_BYTES = 1024 * 1024 * 1024
ADDRESS_LIMIT = 3 * 1024 * 1024 * 1024
FRESH_WORKER_EVERY = 500  # cases per worker process, so its peak memory stays a case's own


def make_case(seed: int, n: int) -> tuple[str, str, bytes]:
    """Case ``n`` of campaign ``seed``: (kind, mutator name, file bytes)."""
    from tests.fuzz.mutators import mutate

    rng = random.Random(seed * 1_000_003 + n)
    kind = rng.choice(sorted(SEEDS))
    name, data = mutate(kind, SEEDS[kind].read_bytes(), rng)
    return kind, name, data


def _worker() -> None:
    """Read ``seed n`` lines on stdin, answer one JSON line per case on stdout."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))
    from tests.fuzz.target import Outcome, run_file

    tmp = Path(tempfile.mkdtemp(prefix="fuzz-"))
    for line in sys.stdin:
        seed, n = map(int, line.split())
        kind, name, data = make_case(seed, n)
        path = tmp / f"case{n}.{kind}"
        path.write_bytes(data)
        start, cpu_start = time.monotonic(), time.process_time()
        try:
            outcome = run_file(path)
        except MemoryError:
            outcome = Outcome("crash", "MemoryError escaped")
        path.unlink()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps({"n": n, "kind": kind, "mutator": name, "status": outcome.status,
                          "detail": outcome.detail[-3000:], "seconds": time.monotonic() - start,
                          "cpu_seconds": time.process_time() - cpu_start, "peak": peak}), flush=True)


@dataclass
class Report:
    """What a campaign found."""

    cases: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, object]] = field(default_factory=list)
    slowest: float = 0.0
    peak: int = 0


class _Worker:
    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.runner", "--worker"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )

    def ask(self, seed: int, n: int, timeout: float) -> dict[str, object] | None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{seed} {n}\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else {"n": n, "status": "crash", "detail": "worker died"}

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        # Closed here, not by the garbage collector: an unclosed pipe is a ResourceWarning,
        # which the test configuration turns into an error.
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


def run_campaign(seed: int, cases: range, save: Path | None = None) -> Report:
    """Run ``cases`` of campaign ``seed``; failing inputs are written to ``save``."""
    report = Report()
    worker = _Worker()
    try:
        for i, n in enumerate(cases):
            if i and i % FRESH_WORKER_EVERY == 0:
                # ru_maxrss is the worker's lifetime high-water mark: after thousands of cases
                # it read 1025 MiB on a json case whose own peak, replayed, is 52 MiB.
                worker.stop()
                worker = _Worker()
            res = worker.ask(seed, n, CASE_SECONDS + 40)  # + start-up and imports of a new worker
            failed = None
            if res is None:
                worker.stop()
                worker = _Worker()
                failed = {"n": n, "status": "hang", "detail": f"over {CASE_SECONDS} s"}
            else:
                if res["status"] == "crash":
                    failed = res
                # The budget is what the file costs (CPU time): wall time on a loaded 2-core CI
                # machine once read 28 s for a case that takes 1 s. A real hang still trips the
                # wall-clock timeout above.
                elif float(res["cpu_seconds"]) > CASE_SECONDS:  # type: ignore[arg-type]
                    failed = {**res, "status": "slow"}
                elif int(res["peak"]) > CASE_BYTES:  # type: ignore[call-overload]
                    failed = {**res, "status": "memory"}
                report.slowest = max(report.slowest, float(res.get("seconds", 0)))  # type: ignore[arg-type]
                report.peak = max(report.peak, int(res.get("peak", 0)))  # type: ignore[call-overload]
                if res["detail"] == "worker died" or failed and failed["status"] == "memory":
                    worker.stop()
                    worker = _Worker()
            status = str(failed["status"] if failed else res["status"])  # type: ignore[index]
            report.counts[status] = report.counts.get(status, 0) + 1
            report.cases += 1
            if failed:
                report.failures.append(failed)
                if save is not None:
                    kind, name, data = make_case(seed, n)
                    save.mkdir(parents=True, exist_ok=True)
                    (save / f"fuzz-s{seed}-n{n}-{name}.{kind}").write_bytes(data)
    finally:
        worker.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line of the on-demand campaign."""
    parser = argparse.ArgumentParser(description="Mutation fuzzer of the docx/xlsx/json readers and import")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--only", type=int, help="replay one case")
    parser.add_argument("--save", type=Path, help="write failing inputs to this folder")
    args = parser.parse_args(argv)
    if args.worker:
        _worker()
        return 0
    cases = range(args.only, args.only + 1) if args.only is not None else range(args.start, args.start + args.cases)
    started = time.monotonic()
    report = run_campaign(args.seed, cases, args.save)
    for f in report.failures:
        print(f"--- case {f['n']} {f.get('kind', '')} {f.get('mutator', '')}: {f['status']}\n{f.get('detail', '')}")
    print(f"{report.cases} cases in {time.monotonic() - started:.0f} s: {report.counts}; "
          f"slowest {report.slowest:.2f} s, peak {report.peak / 2**20:.0f} MiB")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
