"""An offline wheelhouse: every wheel the program (and optionally its tests and build) needs.

Made on a connected PC, copied to the offline build PC with the repository::

    python installer/wheelhouse.py build/wheelhouse-win --platform win_amd64 --python-version 3.12
    python installer/wheelhouse.py build/wheelhouse --check      # this platform; then a test install

then, offline: ``pip install --no-index --find-links <wheelhouse> -r <wheelhouse>/requirements.txt``
(or ``-e .[test,build]``: the wheelhouse also holds setuptools and wheel, the build backend).

Why not ``pip download -e .``: pip download has no ``-e``, and markers are evaluated for the
machine that downloads, so wheels fetched on Linux for Windows miss the Windows-only
dependencies; they are added here by name (:data:`WINDOWS_ONLY`). Only wheels are taken
(``--only-binary=:all:``): an offline PC has no compiler.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Dependencies behind ``sys_platform == "win32"`` markers, which pip evaluates for the
#: downloading machine: PyInstaller's pefile and pywin32-ctypes, SQLAlchemy's greenlet (it has
#: a Windows-only marker for x86-64), pytest's colorama, psycopg's tzdata (Windows has no
#: zoneinfo database).
WINDOWS_ONLY = ("pefile", "pywin32-ctypes", "greenlet", "colorama", "tzdata")
#: To install pip itself into a bare Python and to build the project (``pip install -e .``).
TOOLS = ("pip", "setuptools>=68", "wheel")


def requirements(extras: tuple[str, ...] = ("test", "build"), windows: bool = False) -> list[str]:
    """The requirement lines of pyproject.toml (dependencies plus ``extras``), plus tools."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise SystemExit(f"pyproject.toml has no extra “{extra}”")
        reqs += [r for r in optional[extra] if r not in reqs]
    if windows:
        reqs += WINDOWS_ONLY
    return reqs + list(TOOLS)


def download_command(dest: Path, reqs: list[str], platform: str | None,
                     python_version: str | None) -> list[str]:
    """The ``pip download`` command line (cross-platform when ``platform`` is given)."""
    cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
           "--only-binary=:all:", "-d", str(dest)]
    if platform:
        cmd += ["--platform", platform, "--implementation", "cp"]
    if python_version:
        cmd += ["--python-version", python_version]
    return cmd + reqs


def build(dest: Path, extras: tuple[str, ...], platform: str | None,
          python_version: str | None) -> Path:
    """Download the wheels into ``dest`` and write ``dest/requirements.txt``."""
    dest.mkdir(parents=True, exist_ok=True)
    reqs = requirements(extras, windows=bool(platform and platform.startswith("win")))
    subprocess.run(download_command(dest, reqs, platform, python_version), check=True)
    (dest / "requirements.txt").write_text("\n".join(reqs) + "\n", encoding="utf-8")
    return dest


def check(dest: Path) -> None:
    """Install the project with its extras from ``dest`` alone into a clean venv, then import it."""
    with tempfile.TemporaryDirectory(prefix="wheelhouse-check-") as tmp:
        venv.create(tmp, with_pip=True)
        py = Path(tmp) / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
        subprocess.run([str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q",
                        "--no-index", "--find-links", str(dest), "-r", str(dest / "requirements.txt")],
                       check=True)
        subprocess.run([str(py), "-c", "import PySide6.QtWidgets, pypdfium2, sqlalchemy, docx, "
                        "openpyxl, reportlab, PyInstaller; print('wheelhouse OK')"], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--platform", help="e.g. win_amd64 (default: this machine)")
    parser.add_argument("--python-version", help="e.g. 3.12 (default: this Python)")
    parser.add_argument("--extras", default="test,build", help="comma-separated extras")
    parser.add_argument("--check", action="store_true",
                        help="then install from the wheelhouse alone into a clean venv")
    args = parser.parse_args(argv)
    extras = tuple(e for e in args.extras.split(",") if e)
    dest = build(args.dest, extras, args.platform, args.python_version)
    count = len(list(dest.glob("*.whl")))
    print(f"wheelhouse {dest}: {count} wheels")
    if args.check:
        if args.platform:
            raise SystemExit("--check installs into this machine's Python: leave out --platform")
        check(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
