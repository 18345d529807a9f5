"""The headless verbs behind the CLI, on the same services as the window."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.services.errors import InputError, PerfGoalsError
from app.services.formats.file_io import export_documents, read_file
from app.services.formats.importing import OnConflict
from app.services.storage.location import parse_location
from app.services.storage.postgres import PasswordRequired
from app.services.storage.store import Store


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def open_store(db: str | None, *, must_exist: bool = False, i_have_a_backup: bool = False) -> Store:
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
        return Store.open(location, i_have_a_backup=i_have_a_backup)
    try:
        return Store.open(location, i_have_a_backup=i_have_a_backup)
    except PasswordRequired:
        if not sys.stdin.isatty():
            raise
        import getpass

        password = getpass.getpass(f"服务器数据库“{location.display_name}”的密码：")
        return Store.open(location, password=password, i_have_a_backup=i_have_a_backup)


def cmd_import(files: list[Path], db: str | None, dry_run: bool, on_conflict: str | None,
               i_have_a_backup: bool = False) -> int:
    """Read each file, print its report, and store it (one transaction per file).

    Every file is read and checked for conflicts before anything is stored, so a bad file or
    an unresolved conflict in a batch stops the batch with the database unchanged.
    """
    from app.services.formats.import_preview import (
        check_conflicts,
        commit_preview,
        preview_result,
        report_lines,
    )

    results = [read_file(f) for f in files]
    store = open_store(db, i_have_a_backup=i_have_a_backup)
    try:
        previews = [preview_result(store, r) for r in results]
        for pv in previews:
            for line in report_lines(pv):
                _out(line)
        if dry_run:
            _out("预览模式（--dry-run）：未写入数据库")
            return 0
        policy = OnConflict(on_conflict) if on_conflict else None
        check_conflicts(previews, policy)
        for pv in previews:
            r = commit_preview(store, pv, policy)
            _out(
                f"已导入“{pv.path.name}”：新增项目{r.projects_added}个，替换{r.projects_replaced}个，"
                f"保留原有{r.projects_kept}个，副本{r.projects_copied}个"
            )
        return 0
    finally:
        store.close()


def cmd_export(db: str | None, fmt: str, out: Path, unit: str | None, year: int | None,
               font: str | None = None, with_calendar: bool = False, i_have_a_backup: bool = False) -> int:
    """Export documents of the database to one file (font and calendar page: PDF only)."""
    from app.services.storage.documents import load_documents

    store = open_store(db, must_exist=True, i_have_a_backup=i_have_a_backup)
    try:
        docs = load_documents(store, unit, year)
    finally:
        store.close()
    if not docs:
        raise PerfGoalsError("数据库中没有符合条件的文档（请检查 --unit / --year）")
    export_documents(docs, fmt, out, font=font, with_calendar=with_calendar)
    _out(f"已导出{len(docs)}个文档到“{out}”")
    return 0


def cmd_check(file: Path | None, db: str | None, as_json: bool, unit: str | None, year: int | None,
              pdf: Path | None = None, i_have_a_backup: bool = False) -> int:
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

        store = open_store(db, must_exist=True, i_have_a_backup=i_have_a_backup)
        try:
            docs = load_documents(store, unit, year)
        finally:
            store.close()
    report = check_documents(docs)
    if pdf is not None:
        from app.services.paper.report import write_report_pdf

        write_report_pdf(pdf, docs, report)
    if as_json:
        _out(json.dumps({"findings": report.findings, "summary": report.summary},
                        ensure_ascii=False, indent=1))
    else:
        _out(format_report(report))
    return 1 if report.has_errors else 0
