"""Start-up time: process creation to the main window shown (issue 8 target: under 2 s frozen).

    python -m bench.bench_startup                      # from source (python -m app)
    python -m bench.bench_startup --exe build/linux/dist/PerfGoals/perfgoals-cli   # frozen

Each run starts a fresh process with ``PERFGOALS_EXIT_AFTER_SHOW=1``: the app prints
``startup_seconds=`` (measured by the OS from process creation, app/procinfo.py) right after
the main window is shown, and quits. Runs offscreen without a display.
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


def measure(cmd: list[str], runs: int) -> tuple[list[float], list[float]]:
    """(in-app start-up seconds, wall seconds incl. shutdown) per run."""
    env = {**os.environ, "PERFGOALS_EXIT_AFTER_SHOW": "1"}
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and sys.platform.startswith("linux"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    starts, walls = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            t0 = time.perf_counter()
            out = subprocess.run([*cmd, "--db", str(Path(tmp) / f"s{i}.db")], env=env, check=True,
                                 capture_output=True, text=True, timeout=120).stdout
            walls.append(time.perf_counter() - t0)
            line = next(ln for ln in out.splitlines() if ln.startswith("startup_seconds="))
            starts.append(float(line.split("=", 1)[1]))
    return starts, walls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", help="frozen program (perfgoals-cli); default: python -m app")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cmd = [args.exe] if args.exe else [sys.executable, "-m", "app"]
    starts, walls = measure(cmd, args.runs)
    print(f"{'frozen' if args.exe else 'source'} start-up to shown window, {args.runs} runs "
          f"(first run creates the database)")
    print(f"  median {statistics.median(starts):.3f} s, best {min(starts):.3f} s, worst {max(starts):.3f} s")
    print(f"  wall incl. shutdown: median {statistics.median(walls):.3f} s")
    print(f"  load average: {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "")


if __name__ == "__main__":
    main()
