"""Command line: ``python -m app`` opens the window; verbs do the same work headless.

Verbs and exit codes are an interface (the bureau's batches and the tests use them):

* ``import FILE... [--db DB] [--dry-run] [--on-conflict replace|keep|copy]``
* ``export --db DB --format docx|xlsx|pdf|json --out PATH [--unit CODE] [--year YEAR]``
* ``check (FILE | --db DB) [--json] [--pdf PATH]``

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
from app.services.errors import PerfGoalsError


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

    p_imp = sub.add_parser("import", help="导入 docx/xlsx/json 文件到数据库")
    p_imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p_imp.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    p_imp.add_argument("--i-have-a-backup", dest="backup_sub", action="store_true", help=argparse.SUPPRESS)
    p_imp.add_argument("--dry-run", action="store_true", help="只显示导入报告，不写入数据库")
    p_imp.add_argument("--on-conflict", choices=["replace", "keep", "copy"],
                       help="项目编码已存在时：替换 / 保留 / 作为副本导入")

    p_exp = sub.add_parser("export", help="从数据库导出 docx/xlsx/pdf/json")
    p_exp.add_argument("--db", dest="db_sub", help="数据库文件或服务器数据库地址")
    p_exp.add_argument("--i-have-a-backup", dest="backup_sub", action="store_true", help=argparse.SUPPRESS)
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
    p_chk.add_argument("--i-have-a-backup", dest="backup_sub", action="store_true", help=argparse.SUPPRESS)
    p_chk.add_argument("--json", action="store_true", help="以JSON输出结果")
    p_chk.add_argument("--unit", help="只校验该单位编码")
    p_chk.add_argument("--year", type=int, help="只校验该预算年度")
    p_chk.add_argument("--pdf", type=Path, metavar="PATH", help="另存审核报告为PDF")
    return parser


def _db_arg(args: argparse.Namespace) -> str | None:
    return getattr(args, "db_sub", None) or args.db


def _backup_arg(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "backup_sub", False) or args.i_have_a_backup)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m app``; returns the exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.self_test:
        from app.selftest import run_self_test

        return run_self_test()
    if args.verb is None:
        from app.ui.main import run_gui

        return run_gui(args.db, i_have_a_backup=args.i_have_a_backup)
    try:
        if args.verb == "import":
            from app.commands import cmd_import

            return cmd_import(args.files, _db_arg(args), args.dry_run, args.on_conflict,
                              i_have_a_backup=_backup_arg(args))
        if args.verb == "export":
            from app.commands import cmd_export

            return cmd_export(_db_arg(args), args.format, args.out, args.unit, args.year,
                              args.font, args.with_calendar, i_have_a_backup=_backup_arg(args))
        if args.verb == "check":
            from app.commands import cmd_check

            return cmd_check(args.file, _db_arg(args), args.json, args.unit, args.year,
                             pdf=args.pdf, i_have_a_backup=_backup_arg(args))
    except PerfGoalsError as exc:
        sys.stderr.write(f"{exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of ours. Point stdout at
        # devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets one line, the log the rest
        logging.getLogger(__name__).debug("unexpected", exc_info=True)
        sys.stderr.write(f"内部错误：{type(exc).__name__}: {exc}\n")
        return 1
    return 1  # pragma: no cover - argparse restricts the verbs


def run() -> None:
    """Console-script wrapper."""
    sys.exit(main())
