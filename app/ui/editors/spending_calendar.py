"""The spending calendar (资金支出计划与执行监控) of a unit, and the same editor for one project.

Two tabs share one chart: 支出计划 (projects × months; the four checkpoints editable as
cumulative percentages, implied 万元 beside them, interpolated months lighter, D01–D05
markers, unit totals) and 执行监控 (执行数 by month, the execution rate coloured by the rule
profile's monitoring bands, lagging projects flagged). Every edit is an undo command that
commits at once.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models import PLAN_FIELDS, PLAN_MONTHS, Document, Project
from app.services.errors import PerfGoalsError
from app.services.formats.clipboard import parse_tsv
from app.services.spending.plan import DEFAULT_BANDS, Band, format_pct, load_bands
from app.services.spending.xlsx import write_spending_xlsx
from app.services.storage.store import Store
from app.services.validation import SEVERITY_LABELS, Finding
from app.ui.commands import Edits
from app.ui.editors.spending_chart import SpendingChart
from app.ui.editors.spending_models import ExecutionTableModel, PlanTableModel
from app.ui.file_dialogs import ask_save_file
from app.ui.markers import marker_icon

PLAN_HINT = ("双击3月底、6月底、10月底、12月底的单元格填写累计支出百分比（如 25%），万元按预算数自动换算；"
             "浅色斜体为按前后时点线性插值的月份。")
EXEC_HINT = "双击月份单元格填写截至该月底的累计实际支出（执行数，万元）；清空单元格即删除该月记录。"


def band_legend(bands: tuple[Band, ...]) -> str:
    """``红色预警 <60% · 黄色提醒 60%–80% · 正常 ≥80%`` from the profile's bands."""
    parts = []
    low = None
    for band in bands:
        if band.below is None:
            rng = f"≥{format_pct(low)}" if low is not None else "全部"
        elif low is None:
            rng = f"<{format_pct(band.below)}"
        else:
            rng = f"{format_pct(low)}–{format_pct(band.below)}"
        parts.append(f"<span style='color:{band.hex}'>■</span> {html.escape(band.label)} {html.escape(rng)}")
        low = band.below
    return "执行率监控：" + " · ".join(parts)


class SpendingTable(QTableView):
    """A spending table: Delete clears a cell, Ctrl+C copies the selection, Ctrl+V pastes."""

    def copy_selection(self) -> str:
        """The selected block as tab-separated text (also put on the clipboard)."""
        indexes = self.selectionModel().selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        model = self.model()
        text = "\n".join(
            "\t".join(str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "") for c in cols) for r in rows
        )
        QGuiApplication.clipboard().setText(text)
        return text

    def paste_text(self, text: str) -> int:
        """Paste tab-separated text at the current cell; return how many cells changed."""
        index = self.currentIndex()
        if not index.isValid() or not text:
            return 0
        model = self.model()
        assert isinstance(model, PlanTableModel | ExecutionTableModel)
        return model.paste(index.row(), index.column(), parse_tsv(text))

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            e.accept()
            return
        if e.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
            e.accept()
            return
        index = self.currentIndex()
        if (e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and index.isValid()
                and self.state() != QAbstractItemView.State.EditingState
                and index.flags() & Qt.ItemFlag.ItemIsEditable):
            self.model().setData(index, "", Qt.ItemDataRole.EditRole)
            e.accept()
            return
        super().keyPressEvent(e)


class _SpendingPane(QWidget):
    """What the unit calendar and the one-project editor share."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.doc: Document | None = None
        self.bands: tuple[Band, ...] = DEFAULT_BANDS
        self.findings: list[Finding] = []
        self.compact = False  # the one-project editor has less room

        self.plan_model = PlanTableModel(edits, self)
        self.exec_model = ExecutionTableModel(edits, self)
        # Recomputing a unit's plans costs milliseconds per project: a pane on a hidden page
        # (the unit calendar while a project is edited, the spending tab behind 绩效指标)
        # is brought up to date when it is shown, not after every keystroke elsewhere.
        self._stale = False
        for model in (self.plan_model, self.exec_model):
            edits.changed.disconnect(model.refresh)
        self.plan_view = self._table(self.plan_model, "spendingPlanTable")
        self.exec_view = self._table(self.exec_model, "spendingExecutionTable")
        self.chart = SpendingChart()

        self.title = QLabel()
        self.title.setObjectName("spendingTitle")
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setObjectName("spendingExportButton")
        self.export_button.setToolTip("把支出计划和执行情况导出为Excel工作簿")
        self.export_button.clicked.connect(self.export_xlsx)
        self.message = QLabel()
        self.message.setObjectName("spendingMessage")
        self.message.setStyleSheet("color: #c62828")
        self.problems = QListWidget()
        self.problems.setObjectName("spendingProblems")
        self.problems.itemActivated.connect(self._go_to_problem)
        self.lags = QListWidget()
        self.lags.setObjectName("spendingLagList")
        for lst in (self.problems, self.lags):
            lst.setIconSize(QSize(16, 16))
            lst.setMaximumHeight(96)  # the table keeps the room; the window has its own panel
        self.legend = QLabel()
        self.legend.setObjectName("spendingBandLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        plan_tab = QWidget()
        pl = QVBoxLayout(plan_tab)
        pl.setContentsMargins(4, 4, 4, 4)
        hint = QLabel(PLAN_HINT)
        hint.setWordWrap(True)
        pl.addWidget(hint)
        self.plan_view.setToolTip(PLAN_HINT)
        pl.addWidget(self.plan_view, 3)
        pl.addWidget(self.problems, 1)
        self.tab_layouts: tuple[QVBoxLayout, ...] = (pl,)
        exec_tab = QWidget()
        el = QVBoxLayout(exec_tab)
        el.setContentsMargins(4, 4, 4, 4)
        exec_hint = QLabel(EXEC_HINT)
        exec_hint.setWordWrap(True)
        el.addWidget(exec_hint)
        self.exec_view.setToolTip(EXEC_HINT)
        self.hints = (hint, exec_hint)
        el.addWidget(self.legend)
        el.addWidget(self.exec_view, 3)
        el.addWidget(self.lags, 1)
        self.tab_layouts = (pl, el)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("spendingTabs")
        self.tabs.addTab(plan_tab, "支出计划")
        self.tabs.addTab(exec_tab, "执行监控")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 5)  # the table first; the chart shows the trend
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.message)

        self.exec_model.message.connect(self.message.setText)
        edits.changed.connect(self.refresh)

    @property
    def store(self) -> Store:
        """The open database (the workspace's)."""
        return self.edits.store

    def refresh(self, *_args: object) -> None:
        """Show the current state of the shown projects (after an edit elsewhere, undo, redo).

        Deferred to the next show while the pane sits on a hidden page of a shown window.
        """
        if self.window().isVisible() and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._refresh_now()

    def _refresh_now(self) -> None:
        self.plan_model.refresh()
        self.exec_model.refresh()
        self._after_change()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def focus_field(self, field: str | None, project_row: int = 0) -> None:
        """Select the plan cell of a checkpoint field (``plan_jun``) of a shown project row."""
        self.tabs.setCurrentIndex(0)
        month = next((m for m, f in PLAN_FIELDS.items() if f == field), None)
        index = self.plan_index(project_row, month) if month else self.plan_model.index(project_row, 0)
        self.plan_view.setCurrentIndex(index)
        self.plan_view.scrollTo(index)
        self.plan_view.setFocus()

    def _table(self, model: Any, name: str) -> QTableView:
        view = SpendingTable()
        view.setObjectName(name)
        view.setModel(model)
        view.setAlternatingRowColors(False)
        view.setWordWrap(False)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        view.verticalHeader().setDefaultSectionSize(24)
        view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        return view

    def _size_columns(self, view: QTableView) -> None:
        model = view.model()
        assert isinstance(model, PlanTableModel | ExecutionTableModel)
        header = view.horizontalHeader()
        for c, col in enumerate(model.columns):
            width = {"name": 170, "budget": 72, "amount": 66, "rate": 64, "status": 132}.get(col.kind, 58)
            if col.kind == "month" and isinstance(model, ExecutionTableModel):
                width = 70
            elif col.kind == "month" and col.month in PLAN_MONTHS:
                width = 78  # room for a marker icon beside "51.43%"
            if col.kind == "name" and self.compact:
                width = 120
            header.resizeSection(c, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)

    # -- contents
    def _show(self, projects: list[Project], positions: list[int], totals: bool) -> None:
        self.message.clear()
        self.bands = load_bands(self.doc.profile if self.doc is not None else None)
        for model in (self.plan_model, self.exec_model):
            model.set_projects(projects, positions, totals, self.bands)
        self.plan_model.set_findings(self.findings)
        self._size_columns(self.plan_view)
        self._size_columns(self.exec_view)
        self.legend.setText(band_legend(self.bands))
        self._after_change()

    def set_findings(self, findings: list[Finding]) -> None:
        """Show the validator's findings (D01–D05 are marked in the plan table)."""
        self.findings = list(findings)
        self.plan_model.set_findings(self.findings)
        self._fill_problems()

    def _after_change(self, *_args: object) -> None:
        self.chart.set_plan(self.plan_model.plan)
        self._fill_problems()
        self._fill_lags()

    def _fill_problems(self) -> None:
        self.problems.clear()
        shown = set(self.plan_model.positions)
        for f in self.findings:
            if not f.rule.startswith("D") or f.project is None:
                continue
            pos = f.project - 1
            if pos not in shown:
                continue
            row = self.plan_model.positions.index(pos)
            sev = f.severity
            text = f"{self.plan_model.project_label(row)} — {SEVERITY_LABELS.get(sev, '')} {f.rule}：{f.message}"
            if f.waived:
                text += "（已说明）"
            item = QListWidgetItem(marker_icon(sev), text)
            item.setData(Qt.ItemDataRole.UserRole, (row, f.field))
            self.problems.addItem(item)
        self.problems.setVisible(self.problems.count() > 0)

    def _fill_lags(self) -> None:
        self.lags.clear()
        for row, ex in enumerate(self.exec_model.executions):
            if ex.lag is not None:
                item = QListWidgetItem(marker_icon("warning"), f"{self.exec_model.project_label(row)}：{ex.lag.message}")
                item.setData(Qt.ItemDataRole.UserRole, row)
                self.lags.addItem(item)
        if not self.lags.count() and self.exec_model.projects:
            self.lags.addItem("没有滞后于计划的项目" if any(e.latest for e in self.exec_model.executions)
                              else "尚未记录执行数")

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        row, field = item.data(Qt.ItemDataRole.UserRole)
        column = 0
        for c, col in enumerate(self.plan_model.columns):
            if field and col.kind == "month" and PLAN_FIELDS.get(col.month or 0) == field:
                column = c
        self.tabs.setCurrentIndex(0)
        index = self.plan_model.index(row, column)
        self.plan_view.setCurrentIndex(index)
        self.plan_view.scrollTo(index)

    def export_xlsx(self) -> Path | None:
        """Ask where, then write the plan and execution workbook of the shown document."""
        if self.doc is None:
            return None
        suggested = f"{self.doc.unit.code}_{self.doc.year}_资金支出计划.xlsx"
        name = ask_save_file(self, "spending", "导出资金支出计划", suggested, "Excel 工作簿 (*.xlsx)")
        if not name:
            return None
        out = Path(name) if name.lower().endswith(".xlsx") else Path(f"{name}.xlsx")
        try:
            write_spending_xlsx(out, self.doc)
        except PerfGoalsError as exc:
            self.message.setText(exc.message)
            return None
        self.message.setText("")
        return out

    def plan_index(self, row: int, month: int, amount: bool = False) -> QModelIndex:
        """The plan table cell of a project row and month (its 万元 column with ``amount``)."""
        kind = "amount" if amount else "month"
        for c, col in enumerate(self.plan_model.columns):
            if col.kind == kind and col.month == month:
                return self.plan_model.index(row, c)
        raise KeyError(month)

    def execution_index(self, row: int, month: int | None = None, kind: str = "month") -> QModelIndex:
        """The execution table cell of a project row and month (or the rate/status column)."""
        for c, col in enumerate(self.exec_model.columns):
            if col.kind == kind and col.month == month:
                return self.exec_model.index(row, c)
        raise KeyError(month)


class SpendingCalendar(_SpendingPane):
    """The calendar of a unit's (document's) projects with unit totals and the chart."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(edits, parent)
        self.setObjectName("spendingCalendar")

    def set_document(self, doc: Document | None) -> None:
        """Show a document's projects (None shows nothing)."""
        self.doc = doc
        if doc is None:
            self.title.setText("")
            self._show([], [], True)
            return
        self.title.setText(f"<b>{doc.year}年度 {doc.unit.code} {doc.unit.name} — 资金支出计划与执行监控</b>")
        self._show(list(doc.projects), list(range(len(doc.projects))), True)

    def _refresh_now(self) -> None:
        """Follow the document: projects added, removed or moved are shown as they are now."""
        if self.doc is not None and list(self.doc.projects) != self.plan_model.projects:
            self.set_document(self.doc)
            self.set_findings(self.findings)
            return
        super()._refresh_now()


class ProjectSpendingEditor(_SpendingPane):
    """The same editor for one project, as a page of the project view."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(edits, parent)
        self.setObjectName("projectSpendingEditor")
        self.project: Project | None = None
        self.compact = True
        for label in self.hints:  # the project page is short: the hint moves to the tooltip
            label.hide()
        for lst in (self.problems, self.lags):
            lst.setMaximumHeight(48)
        self.chart.setMinimumHeight(170)
        for view in (self.plan_view, self.exec_view):
            view.setMaximumHeight(90)
        for layout in self.tab_layouts:
            layout.addStretch(1)
        self.tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)

    def set_project(self, doc: Document, project: Project) -> None:
        """Show one project of ``doc``; findings keep their document-wide project numbers."""
        self.doc = doc
        self.project = project
        position = next(n for n, p in enumerate(doc.projects) if p is project)
        name = project.name or project.code or f"项目{position + 1}"
        self.title.setText(f"<b>{name} — 资金支出计划与执行</b>")
        self._show([project], [position], False)

    def _refresh_now(self) -> None:
        """Follow the project (its position may have changed; gone: show nothing)."""
        doc, project = self.doc, self.project
        if doc is not None and project is not None:
            if not any(p is project for p in doc.projects):
                self._show([], [], False)
                return
            if self.plan_model.positions != [next(n for n, p in enumerate(doc.projects) if p is project)]:
                self.set_project(doc, project)
                self.set_findings(self.findings)
                return
        super()._refresh_now()
