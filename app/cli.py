"""Command line: ``python -m app`` opens the window; verbs do the same work headless.

Verbs and exit codes are an interface (the bureau's batches and the tests use them):

* ``import FILE... [--db DB] [--dry-run] [--on-conflict replace|keep|copy] [--allow-partial] [--year YYYY]``
* ``export --db DB --format docx|xlsx|pdf|json --out PATH [--unit CODE] [--year YEAR]``
* ``check (FILE | --db DB) [--json] [--pdf PATH]``
* ``summary --db DB --out 汇总.xlsx [--year YEAR]``
* ``diff OLD NEW [--db DB] [--json]``
* ``review export|import|add|status|list|answer …``

Exit codes: 0 success; 1 failure (for ``check``: the document has an error); 2 an input
cannot be read; 3 the database cannot be opened or written; 4 unsupported format;
5 import conflict without a choice. Failures print one Chinese line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app import APP_TITLE_ZH, __version__
from app.models.review import STATUSES
from app.services.errors import PerfGoalsError
from app.services.storage.sqlite_errors import DB_ERRORS, is_storage_failure, storage_error


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors and our exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"参数错误：{message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every verb."""
    parser = _Parser(prog="python -m app", description=f"{APP_TITLE_ZH} {__version__}")
    parser.add_argument("--db", help="数据库文件（默认：用户数据文件夹中的 perfgoals.db），"
                        "或服务器数据库 postgresql+psycopg://用户@主机/数据库")
    parser.add_argument("--i-have-a-backup", action="store_true",
                        help="服务器数据库需要升级结构时：确认已用 pg_dump 备份")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--self-test", action="store_true", help="自检：打开示例、校验、导出后退出")
    sub = parser.add_subparsers(dest="verb", parser_class=_Parser)

    p_imp = sub.add_parser("import", help="导入 docx/xlsx/json 文件（或整个文件夹）到数据库")
    p_imp.add_argument("files", nargs="+", type=Path, metavar="FILE|DIR")
    p_imp.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    p_imp.add_argument("--dry-run", action="store_true", help="只显示导入报告，不写入数据库")
    p_imp.add_argument("--on-conflict", choices=["replace", "keep", "copy", "version"],
                       help="项目编码已存在时：替换 / 保留 / 作为副本导入 / 整个文件作为该单位的新版本"
                            "（导入文件夹时默认 version）")
    p_imp.add_argument("--allow-partial", action="store_true",
                       help="文件中有无法导入的内容（报告中的“错误”）时仍导入其余部分（默认拒绝，退出码4）")
    p_imp.add_argument("--year", type=int, metavar="YYYY",
                       help="指定导入文档的预算年度（文件中的年度不一致或无法确定时需要）")

    p_exp = sub.add_parser("export", help="从数据库导出 docx/xlsx/pdf/json")
    p_exp.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    p_exp.add_argument("--format", required=True, choices=["docx", "xlsx", "pdf", "json"])
    p_exp.add_argument("--out", required=True, type=Path)
    p_exp.add_argument("--unit", help="只导出该单位编码")
    p_exp.add_argument("--year", type=int, help="只导出该预算年度")
    p_exp.add_argument("--font", help="PDF字体：wqy（内置，默认）、simsun（宋体）、simfang（仿宋），后两者需系统已安装")
    p_exp.add_argument("--with-calendar", action="store_true",
                       help="PDF：每个单位后附资金支出计划日历页（省格式之外的附页）")

    p_chk = sub.add_parser("check", help="校验文件或数据库")
    p_chk.add_argument("file", nargs="?", type=Path, metavar="FILE")
    p_chk.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    p_chk.add_argument("--json", action="store_true", help="以JSON输出结果")
    p_chk.add_argument("--unit", help="只校验该单位编码")
    p_chk.add_argument("--year", type=int, help="只校验该预算年度")
    p_chk.add_argument("--pdf", type=Path, metavar="PATH", help="另存审核报告为PDF")
    _bureau_verbs(sub)
    _add_backup_flag(parser)
    return parser


def _bureau_verbs(sub: argparse._SubParsersAction) -> None:
    """The finance bureau's verbs: summary, diff, review."""
    p_sum = sub.add_parser("summary", help="生成汇总表（xlsx）")
    p_sum.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    p_sum.add_argument("--out", required=True, type=Path, help="汇总表文件，如 汇总.xlsx")
    p_sum.add_argument("--year", type=int, help="只汇总该预算年度")

    p_diff = sub.add_parser("diff", help="比较同一单位文档的两个版本（文件或数据库中的版本）")
    p_diff.add_argument("old", metavar="OLD", help="旧版本：文件，或（配合 --db）单位编码:年度[:版本号]")
    p_diff.add_argument("new", metavar="NEW", help="新版本：文件，或（配合 --db）单位编码:年度[:版本号]")
    p_diff.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    p_diff.add_argument("--json", action="store_true", help="以JSON输出结果")

    p_rev = sub.add_parser("review", help="审核：状态、审核意见、审核意见文件")
    rsub = p_rev.add_subparsers(dest="action", required=True, parser_class=_Parser)
    r_exp = rsub.add_parser("export", help="导出一个单位的审核意见文件（.json / .docx / .pdf）")
    r_imp = rsub.add_parser("import", help="导入审核意见文件（单位端）")
    r_imp.add_argument("file", type=Path, metavar="FILE")
    r_add = rsub.add_parser("add", help="添加审核意见")
    r_add.add_argument("text", metavar="TEXT", help="意见内容")
    r_add.add_argument("--project", help="项目编码（不填：单位整体）")
    r_add.add_argument("--row", type=int, help="指标表第几行（从1起）")
    r_add.add_argument("--field", help="字段，如 value、level3、budget_total")
    r_add.add_argument("--rule", help="所指的审核规则，如 G09")
    r_add.add_argument("--author", help="审核人")
    r_st = rsub.add_parser("status", help="查看或设置审核状态")
    r_st.add_argument("status", nargs="?", choices=list(STATUSES), help="新状态（不填：只显示）")
    r_ls = rsub.add_parser("list", help="列出审核意见")
    r_ls.add_argument("--json", action="store_true", help="以JSON输出结果")
    r_ans = rsub.add_parser("answer", help="回复审核意见（单位端）")
    r_ans.add_argument("opinion", type=int, metavar="ID", help="意见编号（review list 显示）")
    r_ans.add_argument("--reply", help="回复内容")
    r_ans.add_argument("--resolved", action="store_true", help="标记为已处理")
    for r in (r_exp, r_imp, r_add, r_st, r_ls, r_ans):
        r.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    for r in (r_exp, r_add, r_st, r_ls):
        r.add_argument("--unit", required=True, help="单位编码")
        r.add_argument("--year", required=True, type=int, help="预算年度")
    r_exp.add_argument("--out", required=True, type=Path, help="审核意见文件（.json / .docx / .pdf）")
    r_exp.add_argument("--font", help="PDF字体：wqy（内置，默认）、simsun、simfang")


def _db_arg(args: argparse.Namespace) -> str | None:
    return getattr(args, "db_sub", None) or args.db


def _add_backup_flag(parser: argparse.ArgumentParser) -> None:
    """``--i-have-a-backup`` after the verb too (like ``--db``), on every verb and action."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                sub.add_argument("--i-have-a-backup", dest="backup_sub", action="store_true",
                                 help=argparse.SUPPRESS)
                _add_backup_flag(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m app``; returns the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.self_test:
        from app.selftest import run_self_test

        return run_self_test()
    if args.verb is None:
        from app.ui.main import exit_now, run_gui

        exit_now(run_gui(args.db, i_have_a_backup=args.i_have_a_backup))  # window and database closed: skip the teardown
    from app.commands import confirm_backup

    confirm_backup(bool(getattr(args, "backup_sub", False) or args.i_have_a_backup))
    try:
        if args.verb == "import":
            from app.commands import cmd_import

            return cmd_import(args.files, _db_arg(args), args.dry_run, args.on_conflict,
                              args.allow_partial, args.year)
        if args.verb == "export":
            from app.commands import cmd_export

            return cmd_export(_db_arg(args), args.format, args.out, args.unit, args.year,
                              args.font, args.with_calendar)
        if args.verb == "check":
            from app.commands import cmd_check

            return cmd_check(args.file, _db_arg(args), args.json, args.unit, args.year,
                             pdf=args.pdf)
        if args.verb == "summary":
            from app.commands_bureau import cmd_summary

            return cmd_summary(_db_arg(args), args.out, args.year)
        if args.verb == "diff":
            from app.commands_bureau import cmd_diff

            return cmd_diff(args.old, args.new, _db_arg(args), args.json)
        if args.verb == "review":
            from app.commands_bureau import cmd_review

            return cmd_review(args, _db_arg(args))
    except PerfGoalsError as exc:
        sys.stderr.write(f"{exc.message}\n")
        return exc.exit_code
    except DB_ERRORS as exc:
        if not is_storage_failure(exc):
            return _internal_error(exc)
        # A read that hit a damaged, locked or vanished database (writes are mapped in
        # Store.session): the storage message and exit 3, not "内部错误".
        from app.services.storage.store import default_db_path

        err = storage_error(exc, _db_arg(args) or default_db_path())
        sys.stderr.write(f"{err.message}\n")
        return err.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of ours. Point stdout at
        # devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets one line, the log the rest
        return _internal_error(exc)
    return 1  # pragma: no cover - argparse restricts the verbs


def _internal_error(exc: BaseException) -> int:
    logging.getLogger(__name__).debug("unexpected", exc_info=True)
    sys.stderr.write(f"内部错误：{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}\n")
    return 1


def run() -> None:
    """Console-script wrapper."""
    sys.exit(main())
