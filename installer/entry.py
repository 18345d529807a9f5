"""Entry script of the frozen program: the same as ``python -m app``."""

from __future__ import annotations

import os
import sys


def _usable_text_streams() -> None:
    """Give the CLI streams it can write Chinese to.

    A windowed exe on Windows has no console: ``sys.stdout``/``sys.stderr`` are None and any
    write would raise. A console whose code page cannot encode Chinese (an English Windows,
    a CI runner) would raise UnicodeEncodeError: there we switch to UTF-8. On a Chinese
    Windows (code page 936) output stays in the console's own encoding, unless
    PYTHONIOENCODING asks for another (the build scripts set utf-8 to read the output).
    """
    wanted = os.environ.get("PYTHONIOENCODING", "").split(":")[0]  # the frozen interpreter ignores it
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            continue
        if wanted:
            try:
                stream.reconfigure(encoding=wanted)
                continue
            except LookupError:
                pass
        try:
            "绩效目标".encode(stream.encoding or "ascii")
        except (UnicodeEncodeError, LookupError):
            stream.reconfigure(encoding="utf-8")


if __name__ == "__main__":
    _usable_text_streams()
    from app.cli import main

    sys.exit(main())
