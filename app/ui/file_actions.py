"""The 文件 menu of the main window: import with preview, export, print, databases."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from app import APP_TITLE_ZH
from app.models import Document
from app.services.errors import PerfGoalsError
from app.services.formats.selection import default_file_name, select_documents
from app.services.storage.store import Store
from app.ui.busy import busy
from app.ui.dialogs import ExportScopeDialog, ImportPreviewDialog, YearDialog
from app.ui.file_dialogs import ask_open_file, ask_open_files, ask_save_file, offer_open_folder
from app.ui.font_menu import chosen_font, include_calendar

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

RECENT_KEY = "recentDatabases"
RECENT_MAX = 8
FORMAT_FILTERS = {
    "docx": "Word 文档 (*.docx)", "xlsx": "Excel 工作簿 (*.xlsx)", "pdf": "PDF 文件 (*.pdf)",
    "json": "PerfGoals 数据 (*.json)",
}


def recent_databases() -> list[str]:
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_database(path: Path) -> None:
    items = [str(path)] + [p for p in recent_databases() if p != str(path)]
    QSettings().setValue(RECENT_KEY, items[:RECENT_MAX])


class FileActions:
    """Mixin of :class:`MainWindow` for files and databases.

    Its methods take ``self: MainWindow``, a type mypy cannot relate to this base class
    (``misc`` ignores below) until the mixin becomes a controller with its dependencies.
    """

    # --- import ---------------------------------------------------------------------
    def import_files(self: MainWindow) -> None:  # type: ignore[misc]
        paths = ask_open_files(self, "import", "导入文件", "绩效目标文件 (*.docx *.xlsx *.json);;所有文件 (*)")
        if paths:
            self.import_paths(paths)

    def import_paths(self: MainWindow, paths: list[str], preview: bool = True) -> list[int]:  # type: ignore[misc]
        """Preview each file, ask about conflicts, commit; return the ids of stored documents.

        Uses the formats preview service: nothing is stored before the user confirms, and a
        project code that already exists is replaced, kept or copied only as the user chose.
        """
        from app.services.formats.import_preview import (
            commit_preview,
            preview_import,
            preview_result,
            report_lines,
        )
        from app.services.formats.importing import OnConflict

        stored: list[int] = []
        for path in paths:
            try:
                pv = preview_import(self.store, path)
                if pv.result.year_doubts:
                    doubt = pv.result.year_doubts[0]
                    year = YearDialog.ask(f"“{pv.path.name}”：{doubt.reason}。\n请选择或输入预算年度：",
                                          doubt.candidates, self)
                    if year is None:
                        continue
                    pv.result.set_year(year)
                    pv = preview_result(self.store, pv.result)
                choice: str | None = None
                if preview or pv.conflicts or pv.errors:
                    labels = [f"{c.code}（已有：{c.stored_name or ''}；文件：{c.incoming_name or ''}）"
                              for c in pv.conflicts]
                    ok, choice = ImportPreviewDialog.ask("\n".join(report_lines(pv)), labels, self)
                    if not ok:
                        continue
                result = commit_preview(self.store, pv, OnConflict(choice) if pv.conflicts and choice else None)
                stored += result.document_ids
            except PerfGoalsError as exc:
                QMessageBox.warning(self, APP_TITLE_ZH, exc.message)
        if stored:
            self.documents_replaced(stored)
        return stored

    def open_sample(self: MainWindow) -> None:  # type: ignore[misc]
        from app.resources import sample_document

        self.import_paths([str(sample_document())], preview=False)

    # --- export and print -------------------------------------------------------------
    def _scope_documents(self: MainWindow, what: str) -> list[Document] | None:  # type: ignore[misc]
        """Ask the scope (current project / selection / unit) and build the documents."""
        doc = self.current_document()
        if doc is None:
            QMessageBox.information(self, APP_TITLE_ZH, "请先在左侧选择一个单位或项目")
            return None
        options: list[tuple[str, str]] = []
        project = self.current_project
        if project is not None:
            options.append(("project", f"当前项目：{project.name or '（未命名）'}"))
        picked = self.selected_projects()
        if len(picked) > 1:
            options.append(("selection", f"左侧所选的{len(picked)}个项目"))
        options.append(("unit", f"整个单位：{doc.unit.code} {doc.unit.name}（含部门整体绩效目标）"))
        scope = ExportScopeDialog.ask(options, self)
        if scope is None:
            return None
        if scope == "project" and project is not None:
            return select_documents([doc], [project.id])
        if scope == "selection":
            ids = {p.id for _d, p in picked}
            return select_documents([self.docs[d] for d in dict.fromkeys(d.id for d, _p in picked)], ids)
        return select_documents([doc])

    def export_as(self: MainWindow, fmt: str) -> Path | None:  # type: ignore[misc]
        from app.services.formats.file_io import export_documents
        from app.services.formats.xml_text import export_note

        self.commit_pending()
        docs = self._scope_documents("导出")
        if not docs:
            return None
        suggested = default_file_name(docs, fmt)
        out = ask_save_file(self, "export", f"导出{fmt.upper()}", suggested, FORMAT_FILTERS[fmt])
        if not out:
            return None
        try:
            pdf = fmt == "pdf"
            with busy(self, "正在导出…"):
                path = export_documents(docs, fmt, out, font=chosen_font() if pdf else None,
                                        with_calendar=include_calendar() if pdf else False)
        except PerfGoalsError as exc:
            QMessageBox.warning(self, APP_TITLE_ZH, exc.message)
            return None
        note = export_note(docs) if fmt in ("docx", "xlsx") else None
        self.statusBar().showMessage(f"已导出：{path}" + (f"。{note}" if note else ""), 15000 if note else 8000)
        offer_open_folder(self, path, "导出的文件")
        return path

    def _printing(self: MainWindow) -> Any | None:  # type: ignore[misc]
        try:
            from app.ui import printing
        except ImportError:
            QMessageBox.information(self, APP_TITLE_ZH, "本版本尚未提供打印功能，请导出PDF后打印")
            return None
        return printing

    def print_preview(self: MainWindow) -> None:  # type: ignore[misc]
        printing = self._printing()
        docs = self._scope_documents("打印") if printing else None
        if printing and docs:
            with busy(self, "正在生成打印预览…"):
                printing.print_preview(self, docs, font=chosen_font(), with_calendar=include_calendar())

    def print_documents(self: MainWindow) -> None:  # type: ignore[misc]
        printing = self._printing()
        docs = self._scope_documents("打印") if printing else None
        if printing and docs:
            printing.print_documents(self, docs, font=chosen_font(), with_calendar=include_calendar())

    # --- databases --------------------------------------------------------------------
    def open_database_dialog(self: MainWindow) -> None:  # type: ignore[misc]
        path = ask_open_file(self, "database", "打开数据库", "PerfGoals 数据库 (*.db);;所有文件 (*)")
        if path:
            self.open_database(Path(path))

    def new_database_dialog(self: MainWindow) -> None:  # type: ignore[misc]
        path = ask_save_file(self, "database", "新建数据库", "新数据库.db", "PerfGoals 数据库 (*.db)")
        if path:
            self.open_database(Path(path))

    def open_database(self: MainWindow, path: Path) -> bool:  # type: ignore[misc]
        """Switch the window to another database file (created when new)."""
        if Path(path).resolve() == Path(self.store.path).resolve():
            return True
        try:
            # Back to the database the window started with: it is still open (and locked).
            initial = self._initial_store
            if Path(path).resolve() == Path(initial.path).resolve():
                store = initial
            else:
                store = Store.open(path, writer="window")
        except PerfGoalsError as exc:
            QMessageBox.warning(self, APP_TITLE_ZH, exc.message)
            return False
        self.commit_pending()
        old = self.store
        self.set_store(store)
        if old is not self._initial_store:
            old.close()
        return True

    def rebuild_recent_menu(self: MainWindow) -> None:  # type: ignore[misc]
        menu = self.recent_menu
        menu.clear()
        items = recent_databases()
        if not items:
            menu.addAction("（无）").setEnabled(False)
        for p in items:
            action = menu.addAction(p)
            action.triggered.connect(lambda _c=False, path=p: self.open_database(Path(path)))
