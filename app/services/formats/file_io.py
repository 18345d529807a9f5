"""Reading and writing document files, dispatched by content and by format name.

Readers return transient documents and a report; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from app.models import Document
from app.services.errors import UnsupportedFormatError, file_error
from app.services.formats.budget_year import YearDoubt

EXPORT_FORMATS = ("docx", "xlsx", "pdf", "json")


@dataclass(slots=True)
class ReadResult:
    """Documents read from one file and what the reader noticed on the way."""

    path: Path
    kind: str
    documents: list[Document]
    notes: list[str] = field(default_factory=list)  # skipped content, repaired oddities
    # What was lost: a value not computed, a table or rows with values not understood. An
    # import with errors is partial; the CLI refuses it unless --allow-partial.
    errors: list[str] = field(default_factory=list)
    # Documents whose budget year the file leaves in doubt: the preview says so, the window
    # asks, the CLI needs --year (see budget_year).
    year_doubts: list[YearDoubt] = field(default_factory=list)

    def set_year(self, year: int) -> None:
        """Give every document of the file this budget year (the user's answer to a doubt)."""
        for doc in self.documents:
            doc.year = year
        self.year_doubts.clear()
        self.notes.append(f"预算年度按指定设为{year}年")


def sniff(path: Path) -> str:
    """The kind of a file by its content, not its name: json, docx, xlsx, zip, ole or unknown."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise file_error(path, f"无法读取：{exc.strerror or exc}") from exc
    if not head:
        raise file_error(path, "是空文件")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        from app.services.formats.ooxml import zip_kind

        return zip_kind(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte order mark (Notepad's "Unicode")
        text = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be", errors="replace")
        return "json" if text.lstrip(" \t\r\n").startswith(("{", "[")) else "unknown"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return "json"
    return "unknown"


def read_file(path: str | Path) -> ReadResult:
    """Read a json, docx or xlsx file into transient documents.

    Raises:
        InputError: the file is unreadable, of an unknown type, or damaged.
    """
    path = Path(path)
    if not path.exists():
        raise file_error(path, "不存在")
    if path.is_dir():
        raise file_error(path, "是文件夹，不是文件")
    kind = sniff(path)
    if kind == "json":
        from app.services.formats.json_format import read_json

        return ReadResult(path, kind, read_json(path))
    if kind == "docx":
        from app.services.formats.docx.reader import read_docx

        return read_docx(path)
    if kind == "xlsx":
        from app.services.formats.xlsx.reader import read_xlsx

        return read_xlsx(path)
    if kind == "ole":
        raise file_error(
            path, "是加密的Office文件或旧版.doc/.xls格式，请在Word/Excel/WPS中取消密码并另存为.docx或.xlsx后再导入"
        )
    raise file_error(path, "不是可识别的docx、xlsx或json文件")


def export_documents(
    docs: list[Document],
    fmt: str,
    out: str | Path,
    project_ids: Collection[int] | None = None,
    unit_code: str | None = None,
    font: str | None = None,
    with_calendar: bool = False,
) -> Path:
    """Write documents to ``out`` in format ``fmt`` (atomically).

    Args:
        docs: the documents (stored or transient).
        fmt: docx, xlsx, pdf or json.
        out: the target file.
        project_ids: export only these projects (``Project.id``), without part 1.
        unit_code: export only this unit.
        font: PDF only: a key from :func:`app.services.paper.fonts.available_fonts`
            (None = bundled font).
        with_calendar: PDF only: add each unit's 资金支出计划 calendar page.

    Raises:
        UnsupportedFormatError: the format is unknown.
        PerfGoalsError: the file cannot be written.
    """
    out = Path(out)
    if project_ids is not None or unit_code is not None:
        from app.services.formats.selection import select_documents

        docs = select_documents(docs, project_ids, unit_code)
    if fmt == "json":
        from app.services.formats.json_format import write_json

        write_json(out, docs)
    elif fmt == "docx":
        from app.services.formats.docx.writer import write_docx

        write_docx(out, docs)
    elif fmt == "xlsx":
        from app.services.formats.xlsx.writer import write_xlsx

        write_xlsx(out, docs)
    elif fmt == "pdf":
        from app.services.paper.writer import write_pdf

        write_pdf(out, docs, font=font, with_calendar=with_calendar)
    else:
        raise UnsupportedFormatError(f"不支持的导出格式“{fmt}”（可用：{'、'.join(EXPORT_FORMATS)}）")
    return out
