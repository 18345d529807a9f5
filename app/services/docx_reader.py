"""docx import: the safe package, the logical grid, then the shared layout parser."""

from __future__ import annotations

from pathlib import Path

from app.services.errors import file_error
from app.services.file_io import ReadResult
from app.services.grid import docx_body_lines
from app.services.layout_parser import parse_lines
from app.services.ooxml import SafePackage


def read_docx(path: Path) -> ReadResult:
    """Read a docx file in the province's layout into transient documents.

    Raises:
        InputError: the file is damaged, unsafe, or holds no performance-target tables.
    """
    path = Path(path)
    with SafePackage(path) as pkg:
        # The body streams element by element: a bureau file of 3,000 tables never sits in
        # memory as one XML tree.
        lines = docx_body_lines(pkg.iter_body("word/document.xml"))
    try:
        parsed = parse_lines(lines, path.name, "docx")
    except ValueError as exc:
        raise file_error(path, str(exc)) from exc
    except (RecursionError, MemoryError, KeyError, IndexError, TypeError, AttributeError) as exc:
        # Not expected for any file seen so far; still one line for the user, not a traceback.
        raise file_error(path, f"的内容无法解析（{type(exc).__name__}）") from exc
    if not parsed.documents:
        raise file_error(path, "中没有找到部门整体绩效目标或项目绩效目标表")
    return ReadResult(path, "docx", parsed.documents, parsed.notes)
