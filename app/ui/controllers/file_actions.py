"""The 文件 menu of the main window: import with preview, export, print, databases.

An import is one op on the window's history (undo puts back what it replaced); exports and
prints use the one document selection of the formats service, as the CLI does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu, QMessageBox, QStatusBar, QWidget

from app import APP_TITLE_ZH
from app.models import Document
from app.services.errors import PerfGoalsError
from app.services.formats.selection import default_file_name, select_documents
from app.services.storage.location import looks_like_url
from app.services.storage.store import Store
from app.ui.busy import Cancelled, busy, write_cancellable
from app.ui.commands import Edits
from app.ui.controllers.documents import DocumentsController
from app.ui.dialogs import ExportScopeDialog, ImportPreviewDialog, YearDialog
from app.ui.file_dialogs import ask_open_file, ask_open_files, ask_save_file, offer_open_folder
from app.ui.font_menu import chosen_font, include_calendar

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


def remember_database(path: Path | str) -> None:
    items = [str(path)] + [p for p in recent_databases() if p != str(path)]
    QSettings().setValue(RECENT_KEY, items[:RECENT_MAX])


class FileActions(QObject):
    """Files and databases.

    Args:
        switch_store: shows another database in the window (title, history, tree).
    """

    def __init__(self, edits: Edits, documents: DocumentsController, host: QWidget, status: QStatusBar,
                 switch_store: Callable[[Store], None]) -> None:
        super().__init__(host)
        self.edits, self.documents, self.host, self.status = edits, documents, host, status
        self.switch_store = switch_store
        self.initial_store = edits.store  # the caller's: never closed here
        self.recent_menu: QMenu | None = None

    @property
    def store(self) -> Store:
        return self.edits.store

    # --- import ---------------------------------------------------------------------
    def import_files(self) -> None:
        paths = ask_open_files(self.host, "import", "导入文件", "绩效目标文件 (*.docx *.xlsx *.json);;所有文件 (*)")
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str], preview: bool = True) -> list[int]:
        """Preview each file, ask about conflicts, commit; return the ids of stored documents.

        Uses the formats preview service: nothing is stored before the user confirms, and a
        project code that already exists is replaced, kept or copied only as the user chose.
        """
        from app.services.formats.import_preview import preview_import, preview_result, report_lines
        from app.services.formats.json_format import document_to_dict
        from app.services.workspace.ops import ImportDocuments

        self.documents.commit_pending()
        stored: list[int] = []
        for path in paths:
            try:
                with busy(self.host, f"正在读取“{Path(path).name}”…"):
                    pv = preview_import(self.store, path)
                if pv.result.year_doubts:
                    doubt = pv.result.year_doubts[0]
                    year = YearDialog.ask(f"“{pv.path.name}”：{doubt.reason}。\n请选择或输入预算年度：",
                                          doubt.candidates, self.host)
                    if year is None:
                        continue
                    pv.result.set_year(year)
                    pv = preview_result(self.store, pv.result)
            except PerfGoalsError as exc:
                QMessageBox.warning(self.host, APP_TITLE_ZH, exc.message)
                continue
            choice: str | None = None
            if preview or pv.conflicts or pv.errors:
                labels = [f"{c.code}（已有：{c.stored_name or ''}；文件：{c.incoming_name or ''}）"
                          for c in pv.conflicts]
                ok, choice = ImportPreviewDialog.ask("\n".join(report_lines(pv)), labels, self.host)
                if not ok:
                    continue
            # One undoable step per file: undo puts back what the import replaced.
            op = ImportDocuments(tuple(document_to_dict(d) for d in pv.result.documents),
                                 choice if pv.conflicts and choice else None, str(pv.path))
            changes = self.edits.push(op, f"导入{Path(path).name}")
            if changes is not None:
                stored += sorted(changes.added)
        return stored

    def open_sample(self) -> None:
        from app.resources import sample_document

        self.import_paths([str(sample_document())], preview=False)

    # --- export and print -------------------------------------------------------------
    def _scope_documents(self, what: str) -> list[Document] | None:
        """Ask the scope (current project / selection / unit) and build the documents."""
        doc = self.documents.current_document()
        if doc is None:
            QMessageBox.information(self.host, APP_TITLE_ZH, "请先在左侧选择一个单位或项目")
            return None
        options: list[tuple[str, str]] = []
        project = self.documents.current_project
        if project is not None:
            options.append(("project", f"当前项目：{project.name or '（未命名）'}"))
        picked = self.documents.selected_projects()
        if len(picked) > 1:
            options.append(("selection", f"左侧所选的{len(picked)}个项目"))
        options.append(("unit", f"整个单位：{doc.unit.code} {doc.unit.name}（含部门整体绩效目标）"))
        scope = ExportScopeDialog.ask(options, self.host)
        if scope is None:
            return None
        if scope == "project" and project is not None:
            return select_documents([doc], [project.id])
        if scope == "selection":
            ids = {p.id for _d, p in picked}
            return select_documents([self.documents.document(d) for d in dict.fromkeys(d.id for d, _p in picked)], ids)
        return select_documents([doc])

    def export_as(self, fmt: str) -> Path | None:
        from app.services.formats.file_io import export_documents
        from app.services.formats.xml_text import export_note

        self.documents.commit_pending()
        docs = self._scope_documents("导出")
        if not docs:
            return None
        suggested = default_file_name(docs, fmt)
        out = ask_save_file(self.host, "export", f"导出{fmt.upper()}", suggested, FORMAT_FILTERS[fmt])
        if not out:
            return None
        pdf = fmt == "pdf"
        font, calendar = (chosen_font(), include_calendar()) if pdf else (None, False)
        try:
            path = write_cancellable(self.host, "正在导出…", out, lambda scratch: export_documents(
                docs, fmt, scratch, font=font, with_calendar=calendar))
        except Cancelled:
            self.status.showMessage("已取消导出，未写入文件", 8000)
            return None
        except PerfGoalsError as exc:
            QMessageBox.warning(self.host, APP_TITLE_ZH, exc.message)
            return None
        note = export_note(docs) if fmt in ("docx", "xlsx") else None
        self.status.showMessage(f"已导出：{path}" + (f"。{note}" if note else ""), 15000 if note else 8000)
        offer_open_folder(self.host, path, "导出的文件")
        return path

    def _printing(self) -> Any | None:
        try:
            from app.ui import printing
        except ImportError:
            QMessageBox.information(self.host, APP_TITLE_ZH, "本版本尚未提供打印功能，请导出PDF后打印")
            return None
        return printing

    def print_preview(self) -> None:
        printing = self._printing()
        docs = self._scope_documents("打印") if printing else None
        if printing and docs:
            with busy(self.host, "正在生成打印预览…"):
                printing.print_preview(self.host, docs, font=chosen_font(), with_calendar=include_calendar())

    def print_documents(self) -> None:
        printing = self._printing()
        docs = self._scope_documents("打印") if printing else None
        if printing and docs:
            printing.print_documents(self.host, docs, font=chosen_font(), with_calendar=include_calendar())

    # --- databases --------------------------------------------------------------------
    def open_database_dialog(self) -> None:
        path = ask_open_file(self.host, "database", "打开数据库", "PerfGoals 数据库 (*.db);;所有文件 (*)")
        if path:
            self.open_database(Path(path))

    def new_database_dialog(self) -> None:
        path = ask_save_file(self.host, "database", "新建数据库", "新数据库.db", "PerfGoals 数据库 (*.db)")
        if path:
            self.open_database(Path(path))

    def connect_server_dialog(self) -> None:
        """文件 → 连接服务器数据库: ask for the address (and a password when needed)."""
        from app.ui.server_db import ask_server_address

        current = self.store.location.address if self.store.is_server else ""
        address = ask_server_address(self.host, current)
        if address:
            self.open_database(address)

    def open_database(self, path: Path | str) -> bool:
        """Switch the window to another database file (created when new) or server URL."""
        from app.ui.server_db import open_store_interactively

        initial = self.initial_store
        if isinstance(path, str) and looks_like_url(path):
            if path == self.store.location.address:
                return True
            # Back to the server database the window started with: it is still open.
            opened = initial if path == initial.location.address else open_store_interactively(self.host, path)
            if opened is None:
                return False
            store = opened
        else:
            if self.store.path is not None and Path(path).resolve() == Path(self.store.path).resolve():
                return True
            try:
                # Back to the database the window started with: it is still open (and locked).
                if initial.path is not None and Path(path).resolve() == Path(initial.path).resolve():
                    store = initial
                else:
                    store = Store.open(Path(path), writer="window")
            except PerfGoalsError as exc:
                QMessageBox.warning(self.host, APP_TITLE_ZH, exc.message)
                return False
        self.documents.commit_pending()
        old = self.store
        self.switch_store(store)
        if old is not self.initial_store:
            old.close()
        return True

    def rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        items = recent_databases()
        if not items:
            menu.addAction("（无）").setEnabled(False)
        for p in items:
            action = menu.addAction(p)
            action.triggered.connect(lambda _c=False, path=p: self.open_database(path if looks_like_url(path) else Path(path)))
