"""文件 → 审核报告: the report of ``check --pdf`` for the unit shown, previewed, printed or saved.

The same service writes it (app/services/paper/report.py, with the assessment 优/良/中/差 and
its disclaimer “本程序的评估，非财政部门审核结论”), so the window and the command line
never disagree.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from app import APP_TITLE_ZH
from app.models import Document
from app.services.errors import PerfGoalsError
from app.ui.busy import Cancelled, busy, write_cancellable
from app.ui.file_dialogs import ask_save_file, offer_open_folder
from app.ui.font_menu import chosen_font
from app.ui.shortcuts import bind

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def write_audit_report(out: Path, docs: list[Document], font: str | None) -> Path:
    """Validate ``docs`` and write their report to ``out`` (PDF); Qt-free, so it may run on a
    worker thread (``font``: :func:`app.ui.font_menu.chosen_font`, read beforehand)."""
    from app.services.paper.report import write_report_pdf
    from app.services.validation import check_documents

    return write_report_pdf(out, docs, check_documents(docs), font=font)


def _documents(window: MainWindow) -> list[Document] | None:
    window.commit_pending()
    doc = window.current_document()
    if doc is None:
        QMessageBox.information(window, APP_TITLE_ZH, "请先在左侧选择一个单位或项目")
        return None
    return [doc]


def preview_report(window: MainWindow) -> object | None:
    """审核报告 (Ctrl+R): the print preview of the shown unit's report (print from there)."""
    from app.ui.printing import preview_pdf

    docs = _documents(window)
    if not docs:
        return None
    folder = Path(tempfile.mkdtemp(prefix="perfgoals-report-"))
    try:
        with busy(window, "正在生成审核报告…"):
            pdf = write_audit_report(folder / "report.pdf", docs, chosen_font())
    except PerfGoalsError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        QMessageBox.warning(window, APP_TITLE_ZH, exc.message)
        return None
    return preview_pdf(window, pdf, "审核报告")


def save_report(window: MainWindow) -> Path | None:
    """审核报告另存为PDF: ask where, write, offer to open the folder."""
    docs = _documents(window)
    if not docs:
        return None
    doc = docs[0]
    name = f"{doc.unit.code}_{doc.unit.name or ''}_{doc.year}_审核报告.pdf"
    out = ask_save_file(window, "report", "审核报告另存为PDF", name, "PDF 文件 (*.pdf)")
    if not out:
        return None
    path = Path(out) if out.lower().endswith(".pdf") else Path(out + ".pdf")
    font = chosen_font()
    try:
        write_cancellable(window, "正在生成审核报告…", path, lambda p: write_audit_report(p, docs, font))
    except Cancelled:
        return None
    except PerfGoalsError as exc:
        QMessageBox.warning(window, APP_TITLE_ZH, exc.message)
        return None
    window.statusBar().showMessage(f"审核报告已保存：{path}", 8000)
    offer_open_folder(window, path, "审核报告")
    return path


def add_report_menu(window: MainWindow, file_menu: QMenu) -> dict[str, QAction]:
    """The 审核报告 entries of the 文件 menu."""
    menu = file_menu.addMenu("审核报告(&R)")
    menu.setObjectName("menuReport")
    preview = QAction("审核报告预览和打印…", window)
    preview.setObjectName("actionReportPreview")
    bind(preview, "audit_report")
    preview.triggered.connect(lambda _c=False: preview_report(window))
    save = QAction("审核报告另存为PDF…", window)
    save.setObjectName("actionReportPdf")
    save.triggered.connect(lambda _c=False: save_report(window))
    menu.addAction(preview)
    menu.addAction(save)
    return {"preview": preview, "pdf": save}
