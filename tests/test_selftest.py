"""``--self-test`` (run by the build scripts on the frozen program) and the start-up probe."""

from __future__ import annotations

import io
import re

import pytest
from PySide6.QtCore import QEventLoop, QTimer

from app import selftest
from app.cli import main
from app.procinfo import process_age


def _run(qapp) -> tuple[int, str, str]:  # noqa: ARG001 - qapp: Qt offscreen is up
    out, err = io.StringIO(), io.StringIO()
    code = selftest.run_self_test(out, err)
    return code, out.getvalue(), err.getvalue()


def test_self_test_passes_from_source(qapp):
    code, out, err = _run(qapp)
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("绩效目标编报 ") and "源码版" in lines[0]
    for step in ("资源文件", "临时数据库", "写入并读回数据库", "校验", "导出json", "界面（Qt）"):
        assert any(line.startswith(f"[通过] {step}") for line in lines), step
    qt_line = next(line for line in lines if "界面（Qt）" in line)
    assert "中文翻译已加载" in qt_line and "WenQuanYi Micro Hei" in qt_line
    assert re.search(r"打印[1-9]\d*页", qt_line)  # the exported PDF went through PDFium
    assert "打印支持（插件）可用，打印机" in qt_line
    assert lines[-1].startswith("自检通过：")
    # every export is either checked or (until its issue lands) reported as skipped
    for fmt in selftest.EXPORT_CHECKS:
        assert any(line.startswith((f"[通过] 导出{fmt}", f"[跳过] 导出{fmt}")) for line in lines), fmt


def test_print_support_is_checked_as_the_platform_needs_it(qapp, tmp_path, monkeypatch):
    """Windows has no printsupport folder (built into Qt6PrintSupport); Linux needs CUPS's plugin."""
    import sys

    from app.ui.selftest_qt import print_support

    (tmp_path / "printsupport").mkdir()
    monkeypatch.setattr(sys, "platform", "win32")
    assert print_support(tmp_path, frozen=True).startswith("打印支持（Qt6PrintSupport内置）可用")
    monkeypatch.setattr(sys, "platform", "linux")
    assert print_support(tmp_path, frozen=False).startswith("打印支持（插件）可用")
    missing = print_support(tmp_path, frozen=True)
    assert missing.startswith("缺少打印插件") and "cupsprintersupport" in missing
    (tmp_path / "printsupport" / "libcupsprintersupport.so").write_bytes(b"")
    assert print_support(tmp_path, frozen=True).startswith("打印支持（插件）可用")


def test_release_self_test_fails_when_a_format_is_missing():
    assert selftest.SKIPS_ARE_FAILURES is True  # every format has landed


def test_a_missing_format_is_skipped_or_fails_as_configured(qapp, monkeypatch):
    monkeypatch.setattr(selftest, "EXPORT_CHECKS", ("json", "odt"))
    monkeypatch.setattr(selftest, "SKIPS_ARE_FAILURES", False)
    code, out, err = _run(qapp)
    assert code == 0
    assert "[跳过] 导出odt：不支持的导出格式“odt”" in out
    skipped = sum(line.startswith("[跳过]") for line in out.splitlines())
    assert f"{skipped}项跳过" in out.splitlines()[-1]

    monkeypatch.setattr(selftest, "SKIPS_ARE_FAILURES", True)
    code, out, err = _run(qapp)
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("自检失败：") and "导出odt：本版本缺少该格式" in err


def test_a_failing_step_gives_one_line_and_exit_1(qapp, monkeypatch):
    import app.services.validation as validation

    def broken(docs):
        raise RuntimeError("规则文件损坏")

    monkeypatch.setattr(validation, "check_documents", broken)
    code, out, err = _run(qapp)
    assert code == 1
    assert "[失败] 校验：RuntimeError: 规则文件损坏" in out
    assert err.splitlines() == [err.strip()]
    assert err.startswith("自检失败：校验：RuntimeError: 规则文件损坏（")
    # the other steps still ran and were reported
    assert "[通过] 导出json" in out


def test_unreadable_sample_falls_back_to_a_built_in_document(qapp, monkeypatch):
    from app.services.errors import UnsupportedFormatError

    def no_reader():
        raise UnsupportedFormatError("文件“sample.docx”：本版本尚不支持导入docx")

    monkeypatch.setattr(selftest, "_read_sample", no_reader)
    monkeypatch.setattr(selftest, "SKIPS_ARE_FAILURES", False)
    code, out, _err = _run(qapp)
    assert code == 0
    assert "[跳过] 读取示例文档" in out and "改用内置的最小文档继续自检" in out
    assert "[通过] 写入并读回数据库：写入并读回1个文档" in out


def test_cli_flag_runs_the_self_test(qapp, capsys):
    assert main(["--self-test"]) == 0
    assert "自检通过" in capsys.readouterr().out


def test_process_age_counts_from_process_creation():
    age = process_age()
    if age is None:
        pytest.skip("process age not available on this platform")
    assert 0 < age < 24 * 3600


def test_exit_after_show_prints_start_up_time(qapp, monkeypatch, capsys, tmp_path):
    from app.ui.main import run_gui

    monkeypatch.setenv("PERFGOALS_EXIT_AFTER_SHOW", "1")
    assert run_gui(str(tmp_path / "start.db")) == 0
    out = capsys.readouterr().out
    assert out.startswith("startup_seconds=")
    float(out.split("=", 1)[1])
    # The closed windows are deleted by the next event loop, and deleting the last one quits
    # the application for good: every later QEventLoop (qtbot.wait, waitUntil in other test
    # files) would then return at once. Let that happen here, with quitting turned off.
    qapp.setQuitOnLastWindowClosed(False)
    try:
        for w in qapp.topLevelWidgets():
            w.close()
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    finally:
        qapp.setQuitOnLastWindowClosed(True)
