"""docx import (arrives with the formats issue)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.services.errors import UnsupportedFormatError

if TYPE_CHECKING:
    from app.services.file_io import ReadResult


def read_docx(path: Path) -> ReadResult:
    """Not yet available."""
    raise UnsupportedFormatError(f"文件“{path}”：本版本尚不支持导入docx")
