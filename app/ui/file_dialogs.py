"""File dialogs for work on USB sticks: start where the user was, or on the stick.

Each purpose (import, export, database, spending workbook, report, the bureau's intake
folder and its exports) remembers its own last
folder per user; the first time a dialog opens on a removable drive when one is plugged in,
else in 文档 — never in the program's folder. After a file is written the user is offered
“打开所在文件夹”. Qt's own labels are Chinese through the qtbase translation that
app/ui/main.py installs. The one place that calls QFileDialog (tests/test_file_dialogs_only.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QStorageInfo, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

KEY = "dialogs/lastFolder/"


def removable_drives() -> list[Path]:
    """Mounted removable drives (USB sticks), the most likely place of a file to exchange."""
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        mask = kernel.GetLogicalDrives()
        drives = [f"{chr(65 + n)}:\\" for n in range(26) if mask & (1 << n)]
        return [Path(d) for d in drives if kernel.GetDriveTypeW(d) == 2]  # DRIVE_REMOVABLE
    roots = [Path(v.rootPath()) for v in QStorageInfo.mountedVolumes() if v.isValid() and v.isReady()]
    return [r for r in roots if r.parts[1:2] == ("media",) or r.parts[1:3] == ("run", "media")]


def start_folder(purpose: str) -> str:
    """Where a dialog for ``purpose`` opens: last folder, else a USB stick, else 文档."""
    last = QSettings().value(KEY + purpose)
    if isinstance(last, str) and last and Path(last).is_dir():
        return last
    drives = removable_drives()
    if drives:
        return str(drives[0])
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return docs if docs and Path(docs).is_dir() else str(Path.home())


def remember(purpose: str, path: str | Path) -> None:
    """Remember the folder of ``path`` for the next dialog of ``purpose``."""
    p = Path(path)
    QSettings().setValue(KEY + purpose, str(p if p.is_dir() else p.parent))


def ask_open_files(parent: QWidget | None, purpose: str, title: str, filters: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, start_folder(purpose), filters)
    if paths:
        remember(purpose, paths[0])
    return list(paths)


def ask_open_file(parent: QWidget | None, purpose: str, title: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, start_folder(purpose), filters)
    if path:
        remember(purpose, path)
    return path


def ask_folder(parent: QWidget | None, purpose: str, title: str) -> str:
    """A folder (e.g. a USB stick of submissions to take in), starting where ``purpose`` was."""
    path = QFileDialog.getExistingDirectory(parent, title, start_folder(purpose))
    if path:
        remember(purpose, path)
    return path


def ask_save_file(parent: QWidget | None, purpose: str, title: str, suggested: str, filters: str) -> str:
    """A save dialog in the remembered folder, with ``suggested`` as the file name."""
    name = Path(suggested).name
    path, _ = QFileDialog.getSaveFileName(parent, title, os.path.join(start_folder(purpose), name), filters)
    if path:
        remember(purpose, path)
    return path


def open_folder(path: str | Path) -> None:
    """Show ``path`` in the file manager (selected on Windows)."""
    p = Path(path)
    if sys.platform == "win32" and p.is_file():
        subprocess.Popen(["explorer", "/select,", str(p)])  # noqa: S603, S607 - fixed program
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(p if p.is_dir() else p.parent)))


def offer_open_folder(parent: QWidget | None, path: str | Path, what: str = "文件") -> QMessageBox:
    """Tell where the file went, with a button “打开所在文件夹” (non-modal)."""
    box = QMessageBox(QMessageBox.Icon.Information, "已保存", f"{what}已保存到：\n{path}", parent=parent)
    box.setObjectName("savedBox")
    button = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    button.setObjectName("openFolderButton")
    box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    button.clicked.connect(lambda: open_folder(path))
    box.setModal(False)
    box.open()
    return box
