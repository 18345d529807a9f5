"""Hostile files, run on demand: ``python -m bench.bench_hostile [NAME ...]``.

Target (issue 17): any file imports or is refused in under 20 s and 1 GiB on the 2-core
machine, with one line on stderr. Each hand-made file of ``tests/fuzz/hostile_files.py`` goes
through ``python -m app import FILE --db NEW.db`` and ``check FILE`` in a fresh process;
the table shows wall time, that process's peak memory (max RSS), exit code and the message.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.hostile_files import BUILDERS, build  # noqa: E402

_RUN = """
import resource, sys
from app.cli import main
code = main(sys.argv[1:])
peak = next(ln.split()[1] for ln in open("/proc/self/status") if ln.startswith("VmHWM"))
sys.stderr.write(f"\\npeak_kb={peak}\\n")
sys.exit(code)
"""


def run(args: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak MiB, exit code and first stderr line of ``python -m app ARGS``."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUN, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    seconds = time.perf_counter() - t
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    peak = next((int(ln.split("=")[1]) / 1024 for ln in lines if ln.startswith("peak_kb=")), 0.0)
    message = next((ln for ln in lines if not ln.startswith("peak_kb=")), "")
    return seconds, peak, proc.returncode, message


def main(names: list[str]) -> int:
    """Print one row per hostile file and verb."""
    print(f"{'file':28} {'size':>9} {'verb':6} {'seconds':>8} {'MiB':>6} exit  message")
    worst = 0.0
    over = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in names or list(BUILDERS):
            path = build(name, folder)
            size = f"{path.stat().st_size / 1024:.0f} KB"
            for verb, args in (("import", ["import", str(path), "--db", str(folder / f"{name}.db")]),
                               ("check", ["check", str(path)])):
                seconds, peak, code, message = run(args)
                worst = max(worst, seconds)
                over |= seconds > 20 or peak > 1024
                print(f"{name:28} {size:>9} {verb:6} {seconds:8.2f} {peak:6.0f} {code:>4}  {message[:90]}")
                sys.stdout.flush()
    print(f"slowest {worst:.1f} s; target < 20 s and < 1024 MiB per file: {'MISSED' if over else 'met'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
