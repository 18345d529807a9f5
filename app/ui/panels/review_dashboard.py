"""审核总览: one row per unit and year, sortable and filterable; double-click opens the unit.

The rows come from :func:`app.services.bureau.dashboard.dashboard_rows` (counts recorded at
intake, no validation), so the view opens at once on 100 units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.review import STATUSES
from app.services.bureau.dashboard import DashboardRow

COLUMNS = ("单位编码", "单位名称", "年度", "项目数", "预算数合计", "错误", "警告", "提示", "评估",
           "状态", "版本", "收到时间", "意见数")
ALL = "全部"
_Index = QModelIndex | QPersistentModelIndex


def _cell(row: DashboardRow, col: int) -> Any:
    values = (row.unit_code, row.unit_name, row.year, row.projects, row.budget_total, row.errors,
              row.warnings, row.hints, row.assessment, row.status, row.version,
              row.received_at.strftime("%Y-%m-%d %H:%M") if row.received_at else None, row.opinions)
    return values[col]


class DashboardModel(QAbstractTableModel):
    """The dashboard rows; sorting uses the raw values (numbers sort as numbers)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DashboardRow] = []

    def set_rows(self, rows: list[DashboardRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        value = _cell(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "—"
            return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if isinstance(value, Decimal):
                return float(value)
            return value if value is not None else -1
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, Decimal)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 5 and row.errors:
            from PySide6.QtGui import QColor

            return QColor("#c62828")
        return None


class _Filter(QSortFilterProxyModel):
    """Text (code or name) and status filters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status = ALL
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def set_filter(self, text: str | None = None, status: str | None = None) -> None:
        """Change the text and/or status filter (None keeps it)."""
        self.beginFilterChange()
        self.text = self.text if text is None else text
        self.status = self.status if status is None else status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, DashboardModel)
        row = model.rows[source_row]
        if self.status != ALL and row.status != self.status:
            return False
        return not self.text or self.text in row.unit_code or self.text in row.unit_name

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802
        a, b = left.data(Qt.ItemDataRole.UserRole), right.data(Qt.ItemDataRole.UserRole)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class ReviewDashboard(QWidget):
    """The 审核总览 table with a search box and a status filter."""

    open_requested = Signal(int)  # document id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDashboard")
        self.model = DashboardModel(self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("reviewSearch")
        self.search.setPlaceholderText("按单位编码或名称筛选")
        self.search.textChanged.connect(self._set_text)
        self.status = QComboBox()
        self.status.setObjectName("reviewStatusFilter")
        self.status.addItems([ALL, *STATUSES])
        self.status.currentTextChanged.connect(self._set_status)
        self.count = QLabel()
        self.count.setObjectName("reviewCount")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("筛选："))
        bar.addWidget(self.search, 1)
        bar.addWidget(QLabel("状态："))
        bar.addWidget(self.status)
        bar.addWidget(self.count)
        self.table = QTableView()
        self.table.setObjectName("reviewTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def set_rows(self, rows: list[DashboardRow]) -> None:
        """Show these rows (keeps the sort and the filters)."""
        self.model.set_rows(rows)
        self._update_count()

    def document_at(self, proxy_row: int) -> int:
        """The document id shown at a row of the (sorted, filtered) table."""
        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0))
        return self.model.rows[source.row()].document_id

    def selected_document(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.document_at(rows[0].row()) if rows else None

    def _open(self, index: QModelIndex) -> None:
        self.open_requested.emit(self.document_at(index.row()))

    def _set_text(self, text: str) -> None:
        self.proxy.set_filter(text=text.strip())
        self._update_count()

    def _set_status(self, status: str) -> None:
        self.proxy.set_filter(status=status)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(f"{self.proxy.rowCount()}/{self.model.rowCount()}个单位")
