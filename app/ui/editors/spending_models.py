"""Qt table models of the spending calendar: the plan and the execution (执行数) tables.

Both show a list of projects (a unit's, or one project's) with an optional unit-totals row.
Edits go through undo commands that commit at once; the models recompute from the detached
projects whenever the undo stack moves, so undo/redo from any menu refreshes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QPixmap,
)

from app.models import PLAN_FIELDS, PLAN_LABELS, PLAN_MONTHS, Project
from app.services.errors import PerfGoalsError
from app.services.spending import plan as spending
from app.services.spending.plan import (
    DEFAULT_BANDS,
    Band,
    PointKind,
    ProjectExecution,
    UnitPlan,
    format_amount,
    format_pct,
    project_execution,
    unit_plan,
    unit_rate,
)
from app.services.validation import SEVERITY_LABELS, Finding, worst_severity
from app.ui.commands import Edits
from app.ui.markers import marker_brush, marker_icon

Index = QModelIndex | QPersistentModelIndex

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "entered" / "interpolated" / "unknown" / "total"...
FINDINGS_ROLE = Qt.ItemDataRole.UserRole + 2  # rule ids of the markers on a cell
BAND_ROLE = Qt.ItemDataRole.UserRole + 3  # monitoring band colour name of a cell
LAG_ROLE = Qt.ItemDataRole.UserRole + 4  # the lag message of a project row

LIGHT = QColor("#8c8c8c")  # interpolated months: lighter than what the unit wrote
CHECKPOINT_BG = QColor("#eef4fc")  # the four editable checkpoint columns
TOTAL_BG = QColor("#ececec")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a spending table: what it shows and for which month."""

    kind: str  # "name", "budget", "month" (cumulative % or 执行数), "amount" (万元 at a checkpoint)
    month: int | None
    header: str


def plan_columns() -> list[Column]:
    """项目, 预算数, then the 12 months; each checkpoint is followed by its implied 万元."""
    cols = [Column("name", None, "项目"), Column("budget", None, "预算数\n（万元）")]
    for m in spending.MONTHS:
        if m in PLAN_MONTHS:
            cols.append(Column("month", m, f"{PLAN_LABELS[m]}\n累计%"))
            cols.append(Column("amount", m, f"{PLAN_LABELS[m]}\n万元"))
        else:
            cols.append(Column("month", m, f"{m}月\n累计%"))
    return cols


def execution_columns() -> list[Column]:
    """项目, 预算数, the 12 months of 执行数, then the latest rate and the status."""
    cols = [Column("name", None, "项目"), Column("budget", None, "预算数\n（万元）")]
    cols += [Column("month", m, f"{m}月底\n执行数") for m in spending.MONTHS]
    cols += [Column("rate", None, "最新\n执行率"), Column("status", None, "监控\n状态")]
    return cols


class _SpendingModel(QAbstractTableModel):
    """Common ground: the projects shown, their document positions, findings, refresh."""

    message = Signal(str)  # a one-line Chinese note for the user (a refused edit)

    def __init__(self, edits: Edits, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.projects: list[Project] = []
        self.positions: list[int] = []  # 0-based index of each row's project in its document
        self.totals = True
        self.bands: tuple[Band, ...] = DEFAULT_BANDS
        self.findings: dict[tuple[int, str | None], list[Finding]] = {}
        self.columns = self._columns()
        self.plan: UnitPlan = unit_plan([])
        self._recompute()
        edits.changed.connect(self.refresh)

    def _columns(self) -> list[Column]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- contents
    def set_projects(self, projects: list[Project], positions: list[int] | None = None,
                     totals: bool = True, bands: tuple[Band, ...] = DEFAULT_BANDS) -> None:
        """Show ``projects`` (at ``positions`` in their document) with or without totals."""
        self.beginResetModel()
        self.projects = list(projects)
        self.positions = list(positions) if positions is not None else list(range(len(projects)))
        self.totals = totals
        self.bands = bands
        self._recompute()
        self.endResetModel()

    def set_findings(self, findings: list[Finding]) -> None:
        """Keep the D-rule findings of the shown projects, by (position, field)."""
        self.findings = {}
        for f in findings:
            if not f.rule.startswith("D") or f.project is None:
                continue
            if f.waived:  # accepted with a written explanation: no marker
                continue
            key = (f.project - 1, f.field)
            self.findings.setdefault(key, []).append(f)
        self._changed()

    def refresh(self, *_args: object) -> None:
        """Recompute from the projects (after an edit, undo or redo)."""
        if len(self.projects) != len(self.positions):  # pragma: no cover - defensive
            self.set_projects(self.projects, None, self.totals, self.bands)
            return
        self._recompute()
        self._changed()

    def _recompute(self) -> None:
        self.plan = unit_plan(self.projects)

    def _changed(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # -- shape
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.projects) + (1 if self.totals and self.projects else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def is_total(self, row: int) -> bool:
        return row >= len(self.projects)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        if 0 <= section < self.rowCount():
            return "合计" if self.is_total(section) else str(self.positions[section] + 1)
        return None

    # -- findings
    def cell_findings(self, row: int, col: Column) -> list[Finding]:
        """The findings shown on a cell: a checkpoint's own, or a project's general ones."""
        if self.is_total(row):
            return []
        pos = self.positions[row]
        if col.kind == "month" and col.month in PLAN_MONTHS and self._plan_cells():
            return self.findings.get((pos, PLAN_FIELDS[col.month]), [])
        if col.kind == "name":
            known = {PLAN_FIELDS[m] for m in PLAN_MONTHS} if self._plan_cells() else set()
            return [f for (p, field), fs in self.findings.items() if p == pos and field not in known for f in fs]
        return []

    def _plan_cells(self) -> bool:
        return False

    def _finding_data(self, found: list[Finding], role: int) -> Any:
        worst = worst_severity(f.severity for f in found) or "hint"
        if role == Qt.ItemDataRole.DecorationRole:
            return marker_icon(worst)
        if role == Qt.ItemDataRole.BackgroundRole:
            return marker_brush(worst)
        if role == FINDINGS_ROLE:
            return [str(f.rule) for f in found]
        return None

    @staticmethod
    def findings_tooltip(found: list[Finding]) -> str:
        return "\n".join(f"{SEVERITY_LABELS.get(f.severity, '')}{f.rule}：{f.message}" for f in found)

    def project_label(self, row: int) -> str:
        p = self.projects[row]
        return spending.project_name(p, self.positions[row])


class PlanTableModel(_SpendingModel):
    """Projects × months: cumulative %, checkpoints editable, implied 万元 beside them."""

    def _columns(self) -> list[Column]:
        return plan_columns()

    def _plan_cells(self) -> bool:
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        col = self.columns[index.column()]
        if col.kind == "month" and col.month in PLAN_MONTHS and not self.is_total(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row, col = index.row(), self.columns[index.column()]
        if self.is_total(row):
            return self._total_data(col, role)
        project = self.projects[row]
        plan = self.plan.projects[row]
        found = self.cell_findings(row, col)
        if found and role in (Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.BackgroundRole, FINDINGS_ROLE):
            return self._finding_data(found, role)
        if role == FINDINGS_ROLE:
            return []
        point = plan.at(col.month) if col.month else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col.kind == "name":
                return self.project_label(row)
            if col.kind == "budget":
                return format_amount(plan.budget) if plan.budget is not None else (project.budget_total_raw or "").strip()
            assert point is not None  # every other column is a month
            if col.kind == "amount":
                return format_amount(point.amount)
            if point.kind is PointKind.ENTERED:
                return (project.plan_raw()[point.month] or "").strip()
            if point.checkpoint and point.cell is spending.CellState.INVALID:
                return (project.plan_raw()[point.month] or "").strip()
            return format_pct(point.percent)
        if role == Qt.ItemDataRole.EditRole:
            if col.kind == "month" and col.month in PLAN_MONTHS:
                return (project.plan_raw()[col.month] or "").strip()
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == KIND_ROLE:
            if point is None:
                return col.kind
            return point.kind.value
        if role == Qt.ItemDataRole.ForegroundRole:
            if point is not None and (point.kind is not PointKind.ENTERED):
                return QBrush(LIGHT)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if point is not None and point.kind is PointKind.INTERPOLATED:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if col.month in PLAN_MONTHS:
                return QBrush(CHECKPOINT_BG)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col.kind == "name" else _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col, found)
        return None

    def _tooltip(self, row: int, col: Column, found: list[Finding]) -> str | None:
        parts = []
        if found:
            parts.append(self.findings_tooltip(found))
        plan = self.plan.projects[row]
        if col.kind == "name":
            p = self.projects[row]
            parts.append(f"{p.code or ''} {p.name or ''}".strip())
        elif col.month is not None:
            point = plan.at(col.month)
            label = f"{col.month}月底累计"
            if point.kind is PointKind.UNKNOWN:
                parts.append(f"{label}：无法推算（此后没有已填写的时点）")
            else:
                how = {PointKind.ENTERED: "已填写", PointKind.INTERPOLATED: "按前后时点线性插值"}[point.kind]
                if point.cell is spending.CellState.BLANK:
                    how = "未填写，" + how
                elif point.cell is spending.CellState.INVALID:
                    how = "填写内容不是百分数，" + how
                amount = f"，{format_amount(point.amount)}万元" if point.amount is not None else "（预算数未填，无法换算万元）"
                parts.append(f"{label}{format_pct(point.percent)}{amount}（{how}）")
        return "\n".join(parts) or None

    def _total_data(self, col: Column, role: int) -> Any:
        total = self.plan.at(col.month) if col.month else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col.kind == "name":
                return "单位合计"
            if col.kind == "budget":
                return format_amount(self.plan.budget)
            assert total is not None  # every other column is a month
            if col.kind == "amount":
                return format_amount(total.amount)
            return format_pct(total.percent)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(TOTAL_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(LIGHT) if total is not None and (total.interpolated or not total.complete) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col.kind == "name" else _RIGHT
        if role == KIND_ROLE:
            return "total"
        if role == FINDINGS_ROLE:
            return []
        if role == Qt.ItemDataRole.ToolTipRole and total is not None:
            return month_total_tooltip(self.plan, total.month)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        col = self.columns[index.column()]
        project = self.projects[index.row()]
        field = spending.plan_field(col.month)  # type: ignore[arg-type]
        text = spending.normalize_plan_text(None if value is None else str(value))
        if text == getattr(project, field):
            return False
        return self.edits.set_fields([(project, field, text)],
                                     f"修改{PLAN_LABELS[col.month]}资金支出计划") is not None  # type: ignore[index]


    def paste(self, top: int, left: int, block: list[list[str]]) -> int:
        """Paste a block of texts from ``(top, left)`` as one undo step; return cells changed.

        The values of a pasted row fill the checkpoint cells from ``left`` on, in order: the
        four cells 3月底/6月底/10月底/12月底 copied from a spreadsheet land on the four
        checkpoints even though the calendar shows months between them.
        """
        targets = [c for c, col in enumerate(self.columns) if c >= left and col.kind == "month"
                   and col.month in PLAN_MONTHS]
        changes = []
        for r, values in enumerate(block):
            row = top + r
            if row >= len(self.projects):
                break
            for col, value in zip(targets, values, strict=False):
                field = spending.plan_field(self.columns[col].month)  # type: ignore[arg-type]
                text = spending.normalize_plan_text(value)
                if text != getattr(self.projects[row], field):
                    changes.append((self.projects[row], field, text))
        if changes:
            self.edits.set_fields(changes, "粘贴资金支出计划")
        return len(changes)


def month_total_tooltip(plan: UnitPlan, month: int) -> str:
    """The unit's plan at a month with every project's share (chart and totals row)."""
    total = plan.at(month)
    lines = [f"{month}月底单位累计计划：{format_amount(total.amount)}万元"
             + (f"（占预算{format_pct(total.percent)}）" if total.percent is not None else "")]
    if total.interpolated:
        lines[0] += "，含插值"
    if not total.complete:
        lines.append("部分项目此月无法推算，未计入")
    for s in total.shares:
        lines.append(f"  {s.name}：{format_amount(s.amount)}万元，占{format_pct(s.share)}")
    if total.executed is not None:
        lines.append(f"已记录执行数合计：{format_amount(total.executed)}万元")
    return "\n".join(lines)


class ExecutionTableModel(_SpendingModel):
    """Projects × months of 执行数 (editable), each coloured by the band of its rate."""

    def _columns(self) -> list[Column]:
        return execution_columns()

    def _recompute(self) -> None:
        super()._recompute()
        self.executions: list[ProjectExecution] = [
            project_execution(p, self.bands, pl) for p, pl in zip(self.projects, self.plan.projects, strict=True)
        ]

    def latest_total_month(self) -> int | None:
        """The last month for which any shown project has a readable 执行数."""
        months = [e.latest.month for e in self.executions if e.latest is not None]
        return max(months) if months else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].kind == "month" and not self.is_total(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row, col = index.row(), self.columns[index.column()]
        if self.is_total(row):
            return self._total_data(col, role)
        ex = self.executions[row]
        cell = ex.at(col.month) if col.month else (ex.latest if col.kind in ("rate", "status") else None)
        band = cell.band if cell is not None and col.kind != "budget" else None
        if col.kind == "name" and ex.lag is not None and role in (Qt.ItemDataRole.DecorationRole, LAG_ROLE):
            return marker_icon("warning") if role == Qt.ItemDataRole.DecorationRole else ex.lag.message
        if role == LAG_ROLE:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col.kind == "name":
                return self.project_label(row)
            if col.kind == "budget":
                return format_amount(ex.plan.budget)
            if col.kind == "month":
                assert cell is not None
                return format_amount(cell.actual) if cell.actual is not None else (cell.raw or "").strip()
            if col.kind == "rate":
                return format_pct(cell.rate) if cell is not None else ""
            if col.kind == "status":
                text = band.label if band is not None else ""
                return f"{text}·滞后" if ex.lag is not None and text else ("滞后" if ex.lag else text)
        if role == Qt.ItemDataRole.EditRole:
            if col.kind == "month":
                assert cell is not None
                return (cell.raw or "").strip()
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == BAND_ROLE:
            return band.color if band is not None else None
        if role == KIND_ROLE:
            return col.kind
        if role == FINDINGS_ROLE:
            return []
        if role == Qt.ItemDataRole.BackgroundRole:
            if band is not None and col.kind in ("month", "rate", "status"):
                return QBrush(_tint(band.hex, 70 if col.kind == "month" else 110))
            return None
        if role == Qt.ItemDataRole.DecorationRole and col.kind == "status" and band is not None:
            return _swatch(band.hex)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col.kind in ("name", "status") else _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(ex, col, cell)
        return None

    def _tooltip(self, ex: ProjectExecution, col: Column, cell: Any) -> str | None:
        if col.kind == "name":
            return ex.lag.message if ex.lag is not None else None
        if cell is None:
            return None
        planned = f"计划累计{format_amount(cell.planned)}万元" if cell.planned is not None else "计划数无法推算"
        if cell.actual is None:
            if cell.raw:
                return f"{cell.month}月执行数“{cell.raw}”不是有效金额"
            return f"{cell.month}月底{planned}；尚未记录执行数"
        rate = f"，执行率{format_pct(cell.rate)}" if cell.rate is not None else ""
        band = f"（{cell.band.label}）" if cell.band is not None else ""
        lines = [f"截至{cell.month}月底执行{format_amount(cell.actual)}万元，{planned}{rate}{band}"]
        if col.kind == "status" and ex.lag is not None:
            lines.append(ex.lag.message)
        return "\n".join(lines)

    def _total_data(self, col: Column, role: int) -> Any:
        month = col.month if col.kind == "month" else (self.latest_total_month() if col.kind in ("rate", "status") else None)
        rate = unit_rate(self.plan, month) if month else None
        band = spending.band_for(rate, self.bands) if col.kind != "budget" else None
        total = self.plan.at(month) if month else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col.kind == "name":
                return "单位合计"
            if col.kind == "budget":
                return format_amount(self.plan.budget)
            if col.kind == "month":
                return format_amount(total.executed) if total is not None else ""
            if col.kind == "rate":
                return format_pct(rate)
            if col.kind == "status":
                return band.label if band is not None else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if band is not None and col.kind in ("rate", "status"):
                return QBrush(_tint(band.hex, 110))
            return QBrush(TOTAL_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if col.kind in ("name", "status") else _RIGHT
        if role == BAND_ROLE:
            return band.color if band is not None else None
        if role == KIND_ROLE:
            return "total"
        if role == FINDINGS_ROLE:
            return []
        if role == Qt.ItemDataRole.ToolTipRole and month is not None and total is not None and total.executed is not None:
            return f"截至{month}月底单位执行数{format_amount(total.executed)}万元，执行率{format_pct(rate)}（按已记录执行数的项目计）"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        col = self.columns[index.column()]
        project = self.projects[index.row()]
        try:
            text = spending.check_execution_text(None if value is None else str(value))
        except PerfGoalsError as exc:
            self.message.emit(exc.message)
            return False
        old = next((e.amount_raw for e in project.executions if e.month == col.month), None)
        if text == old:
            return False
        label = f"{'记录' if text else '清除'}{col.month}月执行数"
        return self.edits.set_executions([(project, col.month, text)], label) is not None  # type: ignore[list-item]


    def paste(self, top: int, left: int, block: list[list[str]]) -> int:
        """Paste 执行数 from ``(top, left)`` as one undo step; return cells changed.

        Every pasted amount is checked first: one bad text refuses the whole paste.
        """
        edits: list[tuple[Project, int | None, str | None]] = []
        for r, values in enumerate(block):
            row = top + r
            if row >= len(self.projects):
                break
            for c, value in enumerate(values):
                col = left + c
                if col >= len(self.columns) or not (self.flags(self.index(row, col)) & Qt.ItemFlag.ItemIsEditable):
                    continue
                try:
                    text = spending.check_execution_text(value)
                except PerfGoalsError as exc:
                    self.message.emit(exc.message)
                    return 0
                project, month = self.projects[row], self.columns[col].month
                old = next((e.amount_raw for e in project.executions if e.month == month), None)
                if text != old:
                    edits.append((project, month, text))
        if edits:
            self.edits.set_executions(edits, "粘贴执行数")  # type: ignore[arg-type]
        return len(edits)


def _tint(hex_color: str, alpha: int) -> QColor:
    color = QColor(hex_color)
    color.setAlpha(alpha)
    return color


def _swatch(hex_color: str) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(QColor(hex_color))
    return QIcon(pix)

