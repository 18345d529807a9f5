"""``--self-test``: prove that a build works, step by step, in Chinese.

Opens a temporary database, imports the bundled sample, validates it, exports every format
to a temporary folder and checks each file, then starts Qt (offscreen when there is no
display) and builds the main window without showing it. Each step prints one line; the run
ends with ``自检通过`` (exit 0) or one ``自检失败：<step>：<reason>`` line on stderr (exit 1).
The frozen program runs it after every build (installer/build_*.{sh,ps1}).
"""

from __future__ import annotations

import functools
import os
import platform
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from app import APP_TITLE_ZH, __version__
from app.models import Document
from app.services.errors import PerfGoalsError, UnsupportedFormatError

#: A step whose format raises UnsupportedFormatError is reported as 跳过 and counted. While the
#: readers and writers were being built this was False (skips allowed). Every format has landed
#: (branches formats, pdf), so a build missing one now FAILS its self-test.
SKIPS_ARE_FAILURES = True

EXPORT_CHECKS = ("json", "docx", "xlsx", "pdf")


class StepFailed(Exception):
    """A check inside a step found something wrong (message is Chinese)."""


@dataclass
class SelfTest:
    """Runs steps, prints one line each, and remembers what passed, was skipped or failed."""

    out: TextIO
    passed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def step(self, title: str, fn: Callable[[], tuple[str, Any]]) -> Any:
        """Run ``fn`` (returns ``(detail, value)``); print the outcome; return value or None."""
        try:
            detail, value = fn()
        except UnsupportedFormatError as exc:
            self.skipped.append(title)
            self._line("跳过", title, exc.message)
            return None
        except (PerfGoalsError, StepFailed) as exc:
            self.failures.append((title, str(exc)))
            self._line("失败", title, str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - the self-test reports, never crashes
            reason = f"{type(exc).__name__}: {exc}"
            self.failures.append((title, reason))
            self._line("失败", title, reason)
            return None
        self.passed.append(title)
        self._line("通过", title, detail)
        return value

    def note(self, text: str) -> None:
        self.out.write(f"       {text}\n")
        self.out.flush()

    def _line(self, outcome: str, title: str, detail: str) -> None:
        self.out.write(f"[{outcome}] {title}" + (f"：{detail}" if detail else "") + "\n")
        self.out.flush()

    def exit_code(self, err: TextIO) -> int:
        """Print the summary; 0 when nothing failed (and, if so configured, nothing skipped)."""
        failures = list(self.failures)
        if SKIPS_ARE_FAILURES and self.skipped:
            failures.append(("、".join(self.skipped), "本版本缺少该格式"))
        failed = len(self.failures) + (len(self.skipped) if SKIPS_ARE_FAILURES else 0)
        counts = f"{len(self.passed)}项通过，{len(self.skipped)}项跳过，{failed}项失败"
        if failures:
            title, reason = failures[0]
            err.write(f"自检失败：{title}：{reason}（{counts}）\n")
            return 1
        self.out.write(f"自检通过：{counts}\n")
        return 0


def run_self_test(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step; return the exit code (0 all good, 1 a step failed)."""
    out = out or sys.stdout
    err = err or sys.stderr
    frozen = "打包版" if getattr(sys, "frozen", False) else "源码版"
    out.write(f"{APP_TITLE_ZH} {__version__} 自检（{frozen}，Python {platform.python_version()}，"
              f"{platform.system()} {platform.release()} {platform.machine()}）\n")
    st = SelfTest(out)
    with tempfile.TemporaryDirectory(prefix="perfgoals-selftest-") as tmp:
        tmpdir = Path(tmp)
        st.step("资源文件", _check_resources)
        store = st.step("临时数据库", lambda: _open_store(tmpdir))
        if store is None:
            return st.exit_code(err)
        try:
            docs = st.step("读取示例文档", _read_sample)
            if docs is None:
                st.note("改用内置的最小文档继续自检")
                docs = [_minimal_document()]
            # Later steps work on what the database gives back, as the program does.
            docs = st.step("写入并读回数据库", lambda: _store_roundtrip(store, docs))
            if docs is None:
                return st.exit_code(err)
            st.step("校验", lambda: _validate(docs))
            for fmt in EXPORT_CHECKS:
                st.step(f"导出{fmt}", functools.partial(_export, docs, fmt, tmpdir))
            st.step("服务器数据库驱动", _check_server_driver)
            st.step("界面（Qt）", lambda: _check_qt(store, tmpdir / "自检导出.pdf"))
        finally:
            store.close()
    return st.exit_code(err)


def _check_resources() -> tuple[str, None]:
    from app.resources import font_path, icon_path, resource_path, sample_document
    from app.services.storage.store import migrations

    wanted = {"字体": font_path(), "窗口图标": icon_path("png"), "Windows图标": icon_path("ico"),
              "示例文档": sample_document()}
    missing = [f"{name}（{path}）" for name, path in wanted.items() if not path.is_file()]
    if missing:
        raise StepFailed("缺少" + "、".join(missing))
    count = len(migrations())
    if count == 0:
        raise StepFailed(f"缺少数据库迁移脚本（{resource_path('migrations')}）")
    profiles = resource_path("profiles")
    n_profiles = len([p for p in profiles.iterdir() if p.is_file()]) if profiles.is_dir() else 0
    return f"字体、图标、示例文档、{count}个迁移脚本、{n_profiles}个规则配置（{resource_path()}）", None


def _open_store(tmpdir: Path) -> tuple[str, Any]:
    from app.services.storage.store import Store

    store = Store.open(tmpdir / "selftest.db")
    return f"结构版本{store.schema_version()}", store


def _read_sample() -> tuple[str, list[Document]]:
    from app.resources import sample_document
    from app.services.formats.file_io import read_file

    res = read_file(sample_document())
    if not res.documents:
        raise StepFailed(f"示例文档“{res.path.name}”中没有读到任何文档")
    projects = sum(len(d.projects) for d in res.documents)
    indicators = sum(len(p.indicators) for d in res.documents for p in d.projects)
    return f"{len(res.documents)}个文档，{projects}个项目，{indicators}条指标", res.documents


def _minimal_document() -> Document:
    """A small document built in code, so later steps still run when the sample is unreadable."""
    from app.models import Indicator, Project, Unit

    doc = Document(unit=Unit(code="999999", name="自检单位"), year=2024, unit_line="999999自检单位",
                   has_part1=True, overall_text="自检用的总体绩效目标。")
    project = Project(position=0, seq=1, heading="1.自检项目绩效目标表", code="999999SELFTEST01",
                      name="自检项目", budget_total_raw="10.00", budget_fiscal_raw="10.00",
                      plan_mar_raw="25%", plan_jun_raw="50%", plan_oct_raw="75%", plan_dec_raw="100%",
                      goal="完成自检。")
    project.indicators = [
        Indicator(position=0, level1="产出指标", level2="数量指标", level3="自检次数",
                  description="自检完成次数", value_raw="≥1次", basis="自检"),
        Indicator(position=1, level1="满意度指标", level2="服务对象满意度指标", level3="满意度",
                  description="问卷调查", value_raw="≥90%", basis="自检"),
    ]
    doc.projects = [project]
    return doc


def _store_roundtrip(store: Any, docs: list[Document]) -> tuple[str, list[Document]]:
    from app.services.formats.importing import commit_documents
    from app.services.storage.documents import load_documents

    commit_documents(store, docs, source="自检")
    loaded = load_documents(store)
    if len(loaded) != len(docs):
        raise StepFailed(f"写入{len(docs)}个文档，读回{len(loaded)}个")
    return f"写入并读回{len(loaded)}个文档", loaded


def _validate(docs: list[Document]) -> tuple[str, None]:
    from app.services.validation import check_documents, format_report

    report = check_documents(docs)
    first_line = format_report(report).splitlines()[0] if docs else ""
    return f"{len(report.findings)}条结果；{first_line}", None


def _export(docs: list[Document], fmt: str, tmpdir: Path) -> tuple[str, None]:
    from app.services.formats.file_io import export_documents, sniff

    out = export_documents(docs, fmt, tmpdir / f"自检导出.{fmt}")
    if not out.is_file() or out.stat().st_size == 0:
        raise StepFailed(f"没有写出文件“{out.name}”")
    size = out.stat().st_size
    if fmt == "pdf":
        with open(out, "rb") as fh:
            if not fh.read(5).startswith(b"%PDF-"):
                raise StepFailed(f"文件“{out.name}”不是PDF")
    else:
        kind = sniff(out)
        if kind != fmt:
            raise StepFailed(f"文件“{out.name}”的内容是{kind}，不是{fmt}")
        if fmt in ("docx", "xlsx"):
            with zipfile.ZipFile(out) as zf:
                bad = zf.testzip()
            if bad:
                raise StepFailed(f"文件“{out.name}”中的“{bad}”已损坏")
        if fmt == "json":
            from app.services.formats.file_io import read_file

            back = read_file(out).documents
            if len(back) != len(docs):
                raise StepFailed(f"导出{len(docs)}个文档，重新读入{len(back)}个")
    return f"{out.name}，{size:,}字节", None


def _check_server_driver() -> tuple[str, None]:
    """psycopg, its libpq and SQLAlchemy's dialect load (no server needed): a build without
    them could open SQLite files only (--db postgresql+psycopg://… would fail)."""
    from sqlalchemy.engine import make_url

    from app.services.storage.postgres import create_server_engine

    engine = create_server_engine(make_url("postgresql+psycopg://selftest@localhost/selftest"))
    try:
        from zoneinfo import ZoneInfo

        import psycopg

        # psycopg names the server's time zone with zoneinfo (Windows needs the tzdata package).
        ZoneInfo("Asia/Shanghai")
        libpq = psycopg.pq.version()
        impl = psycopg.pq.__impl__
        dialect = engine.dialect.name + "+" + engine.dialect.driver
    finally:
        engine.dispose()
    return f"psycopg {psycopg.__version__}（{impl}，libpq {libpq // 10000}.{libpq % 10000}），{dialect}", None


def _check_qt(store: Any, pdf: Path) -> tuple[str, None]:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.ui.selftest_qt import qt_report

    return qt_report(store, pdf if pdf.is_file() else None), None
