"""One writer per database file: a second window or a CLI import while a window is open is
refused with a Chinese line (exit 3); the lock goes with its holder, even after a crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.cli import main
from app.services.formats.json_format import write_json
from app.services.storage.sqlite_errors import LockedError
from app.services.storage.store import Store
from tests.factories import full_document

ROOT = Path(__file__).resolve().parents[1]


def test_second_writer_is_refused_and_the_lock_is_released_on_close(db_path: Path) -> None:
    first = Store.open(db_path, writer="window")
    try:
        with pytest.raises(LockedError, match="另一个绩效目标编报窗口") as err:
            Store.open(db_path, writer="window")
        assert err.value.exit_code == 3
        reader = Store.open(db_path)  # check and export read beside the window
        reader.close()
    finally:
        first.close()
    Store.open(db_path, writer="window").close()


def test_cli_import_while_a_window_is_open_is_refused(tmp_path: Path, db_path: Path, capsys) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    window = Store.open(db_path, writer="window")
    try:
        assert main(["import", str(src), "--db", str(db_path)]) == 3
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "窗口" in err and "内部错误" not in err
        assert main(["import", str(src), "--db", str(db_path), "--dry-run"]) == 0
    finally:
        window.close()
    assert main(["import", str(src), "--db", str(db_path)]) == 0


def test_lock_of_a_killed_process_is_recovered(db_path: Path) -> None:
    code = textwrap.dedent(f"""
        import os, sys
        from app.services.storage.store import Store
        store = Store.open({str(db_path)!r}, writer="window")
        print("held", flush=True)
        sys.stdin.readline()
        os._exit(9)  # no close, no cleanup: as if killed
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        with pytest.raises(LockedError, match=r"进程\d+"):
            Store.open(db_path, writer="window")
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
    assert db_path.with_name(db_path.name + ".lock").exists()  # the file stays; the lock does not
    Store.open(db_path, writer="window").close()


def test_second_gui_start_is_refused_with_a_message(db_path: Path, monkeypatch, qtbot) -> None:
    from PySide6.QtWidgets import QMessageBox

    import app.ui.main as gui

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    holder = Store.open(db_path, writer="window")
    try:
        assert gui.run_gui(str(db_path)) == 3
    finally:
        holder.close()
    assert shown and "另一个绩效目标编报窗口" in shown[0]


def test_failed_write_in_the_window_is_shown_not_dropped(monkeypatch, qtbot) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from app.services.storage.sqlite_errors import DiskFullError
    from app.ui.main import storage_error_hook

    shown: list[str] = []
    passed: list[BaseException] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    window = QWidget()
    qtbot.addWidget(window)
    hook = storage_error_hook(window, lambda _k, exc, _tb: passed.append(exc))
    err = DiskFullError("磁盘空间不足，数据库“x.db”无法写入")
    hook(type(err), err, None)
    bug = RuntimeError("bug")
    hook(type(bug), bug, None)
    assert shown == ["磁盘空间不足，数据库“x.db”无法写入\n\n这次修改没有保存。"]
    assert passed == [bug]


def test_review_writers_are_refused_while_a_window_is_open(tmp_path: Path, db_path: Path, capsys) -> None:
    src = tmp_path / "in.json"
    write_json(src, [full_document()])
    assert main(["import", str(src), "--db", str(db_path)]) == 0
    doc = full_document()
    b = ["--unit", doc.unit.code, "--year", str(doc.year), "--db", str(db_path)]
    out = tmp_path / "审核意见.json"
    assert main(["review", "add", "请核实", *b]) == 0
    assert main(["review", "export", "--out", str(out), *b]) == 0
    capsys.readouterr()
    window = Store.open(db_path, writer="window")
    try:
        for argv in (["review", "add", "又一条", *b], ["review", "status", "已退回", *b],
                     ["review", "import", str(out), "--db", str(db_path)]):
            assert main(argv) == 3, argv
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and "另一个绩效目标编报窗口" in err and "内部错误" not in err
        # Reading beside the window stays possible.
        assert main(["review", "list", *b]) == 0
        assert main(["review", "export", "--out", str(tmp_path / "again.json"), *b]) == 0
    finally:
        window.close()
    capsys.readouterr()
    assert main(["review", "list", *b]) == 0
    listed = capsys.readouterr().out
    assert "请核实" in listed and "又一条" not in listed and "已退回" not in listed  # nothing written
    assert main(["review", "add", "又一条", *b]) == 0  # the window is gone: the write goes through
