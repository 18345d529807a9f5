"""docx import: the safe package, the logical grid, then the shared layout parser."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from app.services.errors import file_error
from app.services.formats.file_io import ReadResult
from app.services.formats.grid import TooLargeError, docx_body_lines
from app.services.formats.layout_parser import read_lines
from app.services.formats.ooxml import SafePackage


def read_docx(path: Path) -> ReadResult:
    """Read a docx file in the province's layout into transient documents.

    Raises:
        InputError: the file is damaged, unsafe, or holds no performance-target tables.
    """
    path = Path(path)
    with SafePackage(path) as pkg:
        # The body streams element by element: a bureau file of 3,000 tables never sits in
        # memory as one XML tree.
        # closing(): a refusal part-way must close the part's stream now, not at collection.
        try:
            with closing(pkg.iter_body("word/document.xml")) as body:
                lines = docx_body_lines(body)
        except TooLargeError as exc:
            raise file_error(path, str(exc)) from exc
    return read_lines(path, lines, "docx")
