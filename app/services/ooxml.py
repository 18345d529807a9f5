"""Safe opening of OOXML (zip) packages from untrusted sources.

Placeholder of the foundation: recognises docx and xlsx by their content types. The formats
issue adds the size, ratio and entity checks.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from app.services.errors import file_error


def zip_kind(path: Path) -> str:
    """docx, xlsx or zip, by the parts the package holds."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise file_error(path, "已损坏或不完整（不是有效的压缩包）") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"
