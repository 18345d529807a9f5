"""Every file dialog goes through app/ui/file_dialogs.py (last folder per purpose, USB drives
first, 打开所在文件夹): no other UI module calls QFileDialog itself."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "app" / "ui"


def test_only_file_dialogs_calls_qfiledialog() -> None:
    home = UI / "file_dialogs.py"
    assert "QFileDialog.get" in home.read_text(encoding="utf-8")  # the check looks for the right thing
    offenders = [
        f"{path.relative_to(UI)}:{n}"
        for path in sorted(UI.rglob("*.py")) if path != home
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bQFileDialog\b", line)
    ]
    assert offenders == [], "call app.ui.file_dialogs instead of QFileDialog: " + ", ".join(offenders)
