"""docx export (arrives with a later issue)."""

from __future__ import annotations

from pathlib import Path

from app.models import Document
from app.services.errors import UnsupportedFormatError


def write_docx(out: Path, docs: list[Document]) -> None:
    """Not yet available."""
    raise UnsupportedFormatError(f"文件“{out}”：本版本尚不支持导出docx")
