"""The headless verbs behind the CLI, on the same services as the window."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.services.errors import InputError, PerfGoalsError, UnsupportedFormatError, file_error
from app.services.formats.file_io import export_documents, read_file
from app.services.formats.importing import OnConflict
from app.services.storage.location import parse_location
from app.services.storage.postgres import PasswordRequired
from app.services.storage.store import Store

# ``--i-have-a-backup``: set once per command line by app.cli (a server database's migration).
_backup_confirmed = False


def confirm_backup(confirmed: bool) -> None:
    """Whether the user said a pg_dump backup of the server database exists."""
    global _backup_confirmed
    _backup_confirmed = confirmed


def open_store(db: str | None, *, must_exist: bool = False, writer: str | None = None) -> Store:
    """Open ``--db``: a file (the default one when None) or a server URL.

    A server asking for a password gets one from a prompt on a terminal (never from the
    command line); without a terminal, libpq's PGPASSFILE is the way.
    """
    location = parse_location(db)
    if location is None or location.path is not None:
        if must_exist:
            if db is None:
                raise InputError("请用 --db 指定数据库文件")
            if not Path(db).is_file():
                raise InputError(f"数据库文件“{db}”不存在")
        return Store.open(location, writer=writer)
    try:
        return Store.open(location, i_have_a_backup=_backup_confirmed)
    except PasswordRequired:
        if not sys.stdin.isatty():
            raise
        import getpass

        password = getpass.getpass(f"服务器数据库“{location.display_name}”的密码：")
        return Store.open(location, password=password, i_have_a_backup=_backup_confirmed)


def say(text: str) -> None:
    """One line of a verb's report on stdout."""
    sys.stdout.write(text + "\n")


def cmd_import(files: list[Path], db: str | None, dry_run: bool, on_conflict: str | None,
               allow_partial: bool = False, year: int | None = None) -> int:
    """Read each file, print its report, and store it (one transaction per file).

    Every file is read and checked for conflicts before anything is stored, so a bad file, a
    partial import (values the reader would lose; exit 4 unless ``allow_partial``) or an
    unresolved conflict in a batch stops the batch with the database unchanged. ``year`` sets
    the budget year of every document read; without it a file whose year is in doubt (see
    :mod:`app.services.formats.budget_year`) stops the batch (exit 2). With a folder among
    ``files`` it is the bureau's batch intake instead (see ``cmd_intake``).
    """
    for f in files:
        if f.is_dir() and f.suffix.lower() in (".docx", ".xlsx", ".json"):
            # A folder named like a document is not a batch of files someone meant to send.
            raise file_error(f, "是文件夹，不是docx/xlsx/json文件")
    if any(f.is_dir() for f in files):
        from app.commands_bureau import cmd_intake

        return cmd_intake(files, db, dry_run, on_conflict)
    from app.services.formats.import_preview import (
        check_conflicts,
        commit_preview,
        preview_result,
        report_lines,
    )

    if year is not None and not 2000 <= year <= 2099:
        raise InputError(f"参数 --year {year} 不是有效的预算年度（应为2000–2099）")
    results = [read_file(f) for f in files]
    if year is not None:
        for result in results:
            result.set_year(year)
    # An import writes: it takes the writer lock, refused while a window has the database.
    store = open_store(db, writer=None if dry_run else "import")
    try:
        previews = [preview_result(store, r) for r in results]
        for pv in previews:
            for line in report_lines(pv):
                say(line)
        doubtful = [pv for pv in previews if pv.result.year_doubts]
        if doubtful:
            first = doubtful[0]
            raise InputError(f"文件“{first.path}”的预算年度无法确定（{first.result.year_doubts[0].reason}），"
                             "未写入数据库；请用 --year 指定年度")
        partial = [pv for pv in previews if pv.errors]
        if partial and not allow_partial:
            first = partial[0]
            raise UnsupportedFormatError(
                f"文件“{first.path}”有{len(first.errors)}处内容无法导入（见上方“错误”），"
                "未写入数据库；确认只导入可识别的部分请加 --allow-partial"
            )
        if dry_run:
            say("预览模式（--dry-run）：未写入数据库")
            return 0
        policy = OnConflict(on_conflict) if on_conflict else None
        check_conflicts(previews, policy)
        for pv in previews:
            r = commit_preview(store, pv, policy)
            say(
                f"已导入“{pv.path.name}”：新增项目{r.projects_added}个，替换{r.projects_replaced}个，"
                f"保留原有{r.projects_kept}个，副本{r.projects_copied}个"
                + (f"，记为第{'、'.join(map(str, r.versions))}版" if r.versions else "")
            )
        return 0
    finally:
        store.close()


def open_existing(db: str | None) -> Store:
    """Open a database that must already exist (the verbs that only read or review)."""
    return open_store(db, must_exist=True)


def cmd_export(db: str | None, fmt: str, out: Path, unit: str | None, year: int | None,
               font: str | None = None, with_calendar: bool = False) -> int:
    """Export documents of the database to one file (font and calendar page: PDF only)."""
    from app.services.storage.documents import load_documents

    store = open_existing(db)
    try:
        docs = load_documents(store, unit, year)
    finally:
        store.close()
    if not docs:
        raise PerfGoalsError("数据库中没有符合条件的文档（请检查 --unit / --year）")
    export_documents(docs, fmt, out, font=font, with_calendar=with_calendar)
    say(f"已导出{len(docs)}个文档到“{out}”")
    if fmt in ("docx", "xlsx"):
        from app.services.formats.xml_text import export_note

        note = export_note(docs)
        if note:
            say(note)
    return 0


def cmd_check(file: Path | None, db: str | None, as_json: bool, unit: str | None, year: int | None,
              pdf: Path | None = None) -> int:
    """Validate a file or a database; exit 1 when an unwaived error remains.

    With ``pdf`` the report is also written there as a PDF for the supervisor.
    """
    from app.services.validation import check_documents, format_report

    if (file is None) == (db is None):
        raise InputError("请指定要校验的文件，或用 --db 指定数据库（二者选一）")
    if file is not None:
        docs = read_file(file).documents
    else:
        from app.services.storage.documents import load_documents

        store = open_existing(db)
        try:
            docs = load_documents(store, unit, year)
        finally:
            store.close()
    report = check_documents(docs)
    if pdf is not None:
        from app.services.paper.report import write_report_pdf

        write_report_pdf(pdf, docs, report)
    if as_json:
        say(json.dumps({"findings": report.findings, "summary": report.summary},
                        ensure_ascii=False, indent=1))
    else:
        say(format_report(report))
    return 1 if report.has_errors else 0
