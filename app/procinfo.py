"""How long this process has existed, as the operating system counts it.

Used to measure start-up of the frozen program honestly: the count starts when the OS
created the process, so it includes the PyInstaller bootloader and Python's own start.
"""

from __future__ import annotations

import os
import sys


def process_age() -> float | None:
    """Seconds since the OS created this process, or None where that is unknown."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            return _process_age_windows()
        if sys.platform.startswith("linux"):
            return _process_age_linux()
    except (OSError, ValueError, AttributeError):
        return None
    return None


def _process_age_linux() -> float:
    with open("/proc/self/stat", encoding="ascii") as fh:
        stat = fh.read()
    # The command name (field 2) may contain spaces; the fields after it are numbers.
    fields = stat[stat.rindex(")") + 2:].split()
    start_ticks = int(fields[19])  # field 22 overall: starttime, clock ticks after boot
    with open("/proc/uptime", encoding="ascii") as fh:
        uptime = float(fh.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def _process_age_windows() -> float:  # pragma: no cover - Windows only
    if sys.platform != "win32":  # also tells the type checker that what follows is Windows
        raise OSError("Windows only")
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    # Declared prototypes: without them ctypes passes the pseudo-handle -1 as a 32-bit int.
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.GetCurrentProcess.argtypes = []
    pfiletime = ctypes.POINTER(wintypes.FILETIME)
    kernel32.GetProcessTimes.restype = wintypes.BOOL
    kernel32.GetProcessTimes.argtypes = [wintypes.HANDLE, pfiletime, pfiletime, pfiletime, pfiletime]
    kernel32.GetSystemTimePreciseAsFileTime.restype = None
    kernel32.GetSystemTimePreciseAsFileTime.argtypes = [pfiletime]

    creation, exited, kernel, user = (wintypes.FILETIME() for _ in range(4))
    if not kernel32.GetProcessTimes(kernel32.GetCurrentProcess(), ctypes.byref(creation),
                                    ctypes.byref(exited), ctypes.byref(kernel), ctypes.byref(user)):
        raise OSError(ctypes.get_last_error(), "GetProcessTimes failed")
    now = wintypes.FILETIME()
    kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

    def ticks(ft: wintypes.FILETIME) -> int:  # 100 ns units since 1601
        return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

    return (ticks(now) - ticks(creation)) / 1e7
