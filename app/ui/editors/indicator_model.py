"""The table model of a project's indicator rows (one model for the whole table).

Cells show and edit the raw text exactly as stored. Every edit goes through an undo
command (committed to the database at once); the model only mirrors the detached rows
of the project and the validation findings it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.models import Indicator, Project
from app.models.document import Base
from app.models.values import ParsedValue, ValueKind, parse_value
from app.services.validation import Finding, worst_severity
from app.services.workspace.changes import Changes
from app.ui.commands import Edits
from app.ui.markers import kind_label, marker_brush, marker_icon

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    """One column: the finding field name, header, and the Indicator attribute (None = derived)."""

    field: str
    header: str
    attr: str | None


COLUMNS: tuple[Column, ...] = (
    Column("level1", "一级指标", "level1"),
    Column("level2", "二级指标", "level2"),
    Column("level3", "三级指标", "level3"),
    Column("description", "绩效指标描述", "description"),
    Column("value", "指标值", "value_raw"),
    Column("basis", "指标值确定依据", "basis"),
    Column("parsed", "指标值解析", None),
)
FIELD_COLUMN: dict[str, int] = {c.field: i for i, c in enumerate(COLUMNS)}
COL_LEVEL1, COL_LEVEL2, COL_LEVEL3, COL_DESCRIPTION, COL_VALUE, COL_BASIS, COL_PARSED = range(7)
EDITABLE_COLUMNS = COL_PARSED  # columns before this one are editable text

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ROLE_KIND: dict[int, str] = {
    _DISPLAY: "text", int(Qt.ItemDataRole.EditRole): "text",
    int(Qt.ItemDataRole.BackgroundRole): "bg", _DECORATION: "icon", _TOOLTIP: "tooltip",
    int(Qt.ItemDataRole.ForegroundRole): "fg", int(Qt.ItemDataRole.TextAlignmentRole): "align",
}
MARKER_ROLES = [int(Qt.ItemDataRole.BackgroundRole), _DECORATION, _TOOLTIP]
_ALIGN = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_EDITABLE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
_READ_ONLY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_PARSED_BG = QBrush(QColor("#f4f5f7"))
_PARSED_FG = QBrush(QColor("#555555"))

def describe_value(parsed: ParsedValue) -> str:
    """The parsed form of a 指标值 as the status line and the 解析 column show it."""
    if parsed.kind == ValueKind.QUANTITY:
        number = format(parsed.number, "f") if parsed.number is not None else "?"
        comparator = parsed.comparator or "无比较符"
        unit = parsed.unit or "无单位"
        return f"{comparator} | {number} | {unit}"
    return {
        ValueKind.BLANK: "",
        ValueKind.DATE: f"日期（{parsed.year}年）" if parsed.year else "日期",
        ValueKind.QUALITATIVE: "定性",
        ValueKind.UNPARSEABLE: "无法解析",
    }[parsed.kind]


def _worst(findings: list[Finding]) -> str:
    return worst_severity(f.severity for f in findings) or "hint"


def _signature(findings: list[Finding] | None) -> tuple[tuple[str, str, str], ...]:
    return tuple((f.rule, f.severity, f.message) for f in findings or ())


def findings_tooltip(findings: list[Finding]) -> str:
    """One line per finding: 「错误：message」."""
    return "\n".join(f"{kind_label(f.severity)}：{f.message}" for f in findings)


class IndicatorTableModel(QAbstractTableModel):
    """Rows = ``project.indicators`` (detached objects); columns = :data:`COLUMNS`."""

    def __init__(
        self, edits: Edits, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.edits = edits
        self.project: Project | None = None
        self._rows: list[Indicator] = []
        self._cell_findings: dict[tuple[int, int], list[Finding]] = {}
        self._row_findings: dict[int, list[Finding]] = {}
        self.table_findings: list[Finding] = []  # findings of the project without a row

    # -- content -------------------------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        """Show the rows of ``project`` (a detached object kept in step by the workspace)."""
        self.beginResetModel()
        self.project = project
        self._rows = list(project.indicators) if project is not None else []
        self._cell_findings, self._row_findings, self.table_findings = {}, {}, []
        self.endResetModel()

    def indicator(self, row: int) -> Indicator:
        return self._rows[row]

    def row_of(self, obj: Indicator) -> int:
        for n, item in enumerate(self._rows):
            if item is obj:
                return n
        return -1

    def apply_changes(self, changes: Changes) -> None:
        """Mirror what an op changed in the shown project (its rows' fields or its row list)."""
        project = self.project
        if project is None or not any(pid == project.id for _doc, pid in changes.projects):
            return
        if project.id in changes.row_lists:
            self._sync_rows()
            return
        ids = {rid for name, rid in changes.rows if name == "indicators"}
        for row, ind in enumerate(self._rows):
            if ind.id in ids:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _sync_rows(self) -> None:
        """Turn a change of the row list into insert / remove / move signals (keeps selection)."""
        assert self.project is not None
        old, new = self._rows, list(self.project.indicators)
        old_ids, new_ids = [id(o) for o in old], [id(o) for o in new]
        if old_ids == new_ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(COLUMNS) - 1))
            return
        if len(new) == len(old) + 1:
            k = next((i for i in range(len(old)) if old_ids[i] != new_ids[i]), len(old))
            if new_ids[:k] + new_ids[k + 1:] == old_ids:
                self.beginInsertRows(QModelIndex(), k, k)
                self._rows = new
                self.endInsertRows()
                return
        if len(new) == len(old) - 1:
            k = next((i for i in range(len(new)) if old_ids[i] != new_ids[i]), len(new))
            if old_ids[:k] + old_ids[k + 1:] == new_ids:
                self.beginRemoveRows(QModelIndex(), k, k)
                self._rows = new
                self.endRemoveRows()
                return
        if sorted(old_ids) == sorted(new_ids):
            self.layoutAboutToBeChanged.emit()
            where = {id(o): n for n, o in enumerate(new)}
            for pidx in self.persistentIndexList():
                target = where[id(old[pidx.row()])]
                self.changePersistentIndex(pidx, self.index(target, pidx.column()))
            self._rows = new
            self.layoutChanged.emit()
            return
        self.beginResetModel()
        self._rows = new
        self.endResetModel()

    # -- findings ------------------------------------------------------------------------

    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Mark cells (and row headers) with the findings of this project."""
        cells: dict[tuple[int, int], list[Finding]] = {}
        rows: dict[int, list[Finding]] = {}
        table: list[Finding] = []
        n = len(self._rows)
        for f in findings:
            if f.waived:
                continue
            row = f.row
            if row is None or not 1 <= row <= n:
                table.append(f)
                continue
            col = FIELD_COLUMN.get(f.field or "")
            # A finding on a cell marks that cell; one on the whole row marks the row header.
            # (Row headers do not repeat cell markers: a header change re-lays out the view.)
            if col is None:
                rows.setdefault(row - 1, []).append(f)
            else:
                cells.setdefault((row - 1, col), []).append(f)
        # Only cells whose findings really differ are repainted: an edit usually changes a
        # few markers, and repainting the whole table is what makes a cycle slow.
        changed = [k for k in set(self._cell_findings) | set(cells)
                   if _signature(self._cell_findings.get(k)) != _signature(cells.get(k))]
        changed_rows = [k for k in set(self._row_findings) | set(rows)
                        if _signature(self._row_findings.get(k)) != _signature(rows.get(k))]
        self._cell_findings, self._row_findings, self.table_findings = cells, rows, table
        # One signal over the bounding range, not one per cell: each emission makes the view
        # and its proxies do their bookkeeping again (a revalidation can move many markers).
        cells_in = [(r, c) for r, c in changed if r < n]
        if cells_in:
            rs, cs = [r for r, _ in cells_in], [c for _, c in cells_in]
            self.dataChanged.emit(self.index(min(rs), min(cs)), self.index(max(rs), max(cs)), MARKER_ROLES)
        rows_in = [r for r in changed_rows if r < n]
        if rows_in:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, min(rows_in), max(rows_in))

    def cell_findings(self, row: int, col: int) -> list[Finding]:
        return list(self._cell_findings.get((row, col), ()))

    def row_findings(self, row: int) -> list[Finding]:
        return list(self._row_findings.get(row, ()))

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _EDITABLE_FLAGS if index.column() < EDITABLE_COLUMNS else _READ_ONLY_FLAGS

    def raw(self, row: int, col: int) -> str:
        """The stored text of a cell ('' for None)."""
        attr = COLUMNS[col].attr
        if attr is None:
            return describe_value(parse_value(self._rows[row].value_raw))
        return getattr(self._rows[row], attr) or ""

    # data() runs thousands of times per repaint: roles arrive as plain ints, so dispatch on
    # precomputed ints and answer the common "nothing" quickly.
    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        kind = _ROLE_KIND.get(role)
        if kind is None:
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        col = index.column()
        if kind == "text":
            return self.raw(row, col)
        if kind == "align":
            return _ALIGN
        if kind == "fg":
            return _PARSED_FG if col == COL_PARSED else None
        findings = self._cell_findings.get((row, col)) if self._cell_findings else None
        if kind == "bg":
            if findings:
                return marker_brush(_worst(findings))
            return _PARSED_BG if col == COL_PARSED else None
        if kind == "icon":
            return marker_icon(_worst(findings)) if findings else None
        # tooltip
        if findings:
            return findings_tooltip(findings)
        return "由指标值自动解析：比较符 | 数值 | 单位" if col == COL_PARSED else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == _DISPLAY and 0 <= section < len(COLUMNS):
                return COLUMNS[section].header
            return None
        if not 0 <= section < len(self._rows):
            return None
        if role == _DISPLAY:
            return str(section + 1)
        findings = self._row_findings.get(section) if self._row_findings else None
        if findings and role == _DECORATION:
            return marker_icon(_worst(findings))
        if findings and role == _TOOLTIP:
            return findings_tooltip(findings)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            return False
        return self.set_cells([(index.row(), index.column(), "" if value is None else str(value))],
                              f"编辑{COLUMNS[index.column()].header}")

    # -- edits (all through undo commands) ----------------------------------------------

    def set_cells(self, cells: list[tuple[int, int, str]], text: str) -> bool:
        """Set several cells as ONE undo step; unchanged cells are left out. True if any changed."""
        changes = self.cell_changes(cells)
        if not changes:
            return False
        return self.edits.set_fields(changes, text) is not None

    def cell_changes(self, cells: list[tuple[int, int, str]]) -> list[tuple[Base, str, Any]]:
        """(row, field, value) triples of the cells whose text differs from what is stored."""
        changes: list[tuple[Base, str, Any]] = []
        for row, col, value in cells:
            attr = COLUMNS[col].attr
            if attr is None or not 0 <= row < len(self._rows):
                continue
            ind = self._rows[row]
            if (getattr(ind, attr) or "") == value:
                continue
            changes.append((ind, attr, value))
        return changes
