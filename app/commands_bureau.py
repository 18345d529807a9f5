"""The finance bureau's verbs: batch intake, 汇总, review files and opinions, comparison."""

from __future__ import annotations

import sys
from pathlib import Path

from app.commands import say
from app.services.formats.importing import OnConflict
from app.services.storage.store import Store


def _progress(done: int, total: int, name: str) -> bool:
    # On stderr so that stdout stays the report; a terminal shows one updating line.
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{done}/{total} {name[:40]:<40}")
        if done == total:
            sys.stderr.write("\n")
    return True


def cmd_intake(paths: list[Path], db: str | None, dry_run: bool, on_conflict: str | None) -> int:
    """Take in folders (recursively) and files: preview, one backup, one transaction per file.

    Unreadable files are refused with one line each and the others are stored; the exit code
    is then 2 (0 when every file was stored).
    """
    from app.services.bureau.intake import commit_intake, preview_intake, preview_lines

    store = Store.open(db)
    try:
        preview = preview_intake(store, paths, _progress)
        for line in preview_lines(preview):
            say(line)
        if dry_run:
            say("预览模式（--dry-run）：未写入数据库")
            return 2 if preview.refused else 0
        policy = OnConflict(on_conflict) if on_conflict else OnConflict.VERSION
        report = commit_intake(store, preview, policy, _progress)
    finally:
        store.close()
    for path, versions in report.stored:
        say(f"已导入“{path.name}”" + (f"：第{'、'.join(map(str, versions))}版" if versions else ""))
    for line in report.failed:
        sys.stderr.write(line + "\n")
    for f in preview.refused:
        sys.stderr.write(f"{f.refusal}\n")
    say(f"共导入{len(report.stored)}个文件，未导入{len(report.failed) + len(preview.refused)}个"
        + (f"；导入前已备份到“{report.backup}”" if report.backup else ""))
    return 2 if report.failed or preview.refused else 0


def cmd_summary(db: str | None, out: Path, year: int | None) -> int:
    """Write the 汇总 workbook of a database (or one year)."""
    from app.commands import open_existing
    from app.services.bureau.summary import write_summary

    store = open_existing(db)
    try:
        write_summary(store, out, year)
    finally:
        store.close()
    say(f"已生成汇总表“{out}”")
    return 0
