"""The finance bureau's verbs: batch intake, 汇总, review files and opinions, comparison."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from app.commands import say
from app.models import Document, Opinion
from app.services.formats.importing import OnConflict


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
    from app.commands import open_store
    from app.services.bureau.intake import commit_intake, preview_intake, preview_lines

    store = open_store(db, writer=None if dry_run else "import")
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


_SPEC_RE = re.compile(r"^([^:]+):(\d{4})(?::[vV]?(\d+))?$")


def _load_side(spec: str, db: str | None) -> Document:
    """A document to compare: a file, or ``CODE:YEAR[:N]`` of the database (N: version)."""
    from app.commands import open_existing
    from app.services.bureau.versions import load_version
    from app.services.errors import InputError
    from app.services.formats.file_io import read_file
    from app.services.storage.documents import load_documents

    m = _SPEC_RE.match(spec)
    if m is None or Path(spec).exists():
        docs = read_file(spec).documents
        if len(docs) != 1:
            raise InputError(f"文件“{spec}”含{len(docs)}个单位年度的文档，比较需要只含一个的文件")
        return docs[0]
    if db is None:
        raise InputError(f"“{spec}”不是文件；比较数据库中的版本请用 --db 指定数据库")
    code, year, number = m.group(1), int(m.group(2)), m.group(3)
    store = open_existing(db)
    try:
        if number is not None:
            return load_version(store, code, year, int(number))
        docs = load_documents(store, code, year)
    finally:
        store.close()
    if not docs:
        raise InputError(f"数据库中没有单位{code}的{year}年度文档")
    return docs[0]


def cmd_diff(old: str, new: str, db: str | None, as_json: bool) -> int:
    """Compare two versions of one unit's document (files or database versions)."""
    from app.services.bureau.diff import diff_documents, diff_lines
    from app.services.errors import InputError

    a, b = _load_side(old, db), _load_side(new, db)
    if (a.unit.code, a.year) != (b.unit.code, b.year):
        raise InputError(f"两个版本不是同一单位同一年度（{a.unit.code} {a.year}年度 与 "
                         f"{b.unit.code} {b.year}年度），无法比较")
    d = diff_documents(a, b)
    if as_json:
        say(json.dumps(d.to_dict(), ensure_ascii=False, indent=1))
    else:
        for line in diff_lines(d):
            say(line)
    return 0


def cmd_review(args: argparse.Namespace, db: str | None) -> int:
    """``review export|import|add|status|list|answer``."""
    from app.commands import open_store
    from app.services.bureau import opinions, review

    # The actions that write take the file's writer lock like import (refused while a window
    # or another command writes); export, list and a status query only read beside it.
    writes = args.action in ("import", "answer", "add") or (args.action == "status" and args.status)
    store = open_store(db, must_exist=True, writer="review" if writes else None)
    try:
        if args.action == "import":
            r = review.import_review(store, args.file)
            say(f"已导入审核意见：单位{r.unit_code} {r.year}年度，状态{r.status}，新增意见{r.added}条，共{r.total}条")
            return 0
        if args.action == "answer":
            opinions.answer_opinion(store, args.opinion, args.reply, True if args.resolved else None)
            say(f"已回复审核意见{args.opinion}")
            return 0
        doc_id = review.document_id(store, args.unit, args.year)
        if args.action == "export":
            review.export_review(store, doc_id, args.out, font=args.font)
            say(f"已导出审核意见文件“{args.out}”")
        elif args.action == "add":
            place = opinions.OpinionPlace(args.project, args.row, args.field)
            o = opinions.add_opinion(store, doc_id, args.text, place, rule_id=args.rule, author=args.author)
            say(f"已添加审核意见{o.id}（{opinions.place_label(o)}）")
        elif args.action == "status":
            if args.status:
                review.set_status(store, doc_id, args.status)
            say(review.get_status(store, doc_id))
        else:
            _list_opinions(opinions.list_opinions(store, doc_id), args.json)
        return 0
    finally:
        store.close()


def _list_opinions(items: list[Opinion], as_json: bool) -> None:
    from app.services.bureau.opinions import place_label
    from app.services.formats.json_format import opinion_to_dict
    from app.services.formats.opinion_table import opinion_state

    if as_json:
        say(json.dumps([{"id": o.id, **opinion_to_dict(o)} for o in items], ensure_ascii=False, indent=1))
        return
    for o in items:
        say(f"{o.id}\t{place_label(o)}\t{opinion_state(o)}\t{o.text}" + (f"\t回复：{o.reply}" if o.reply else ""))
