"""The problems panel: the open unit's findings, filtered, with jump and waive."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.bureau.opinions import OPINION_KIND
from app.services.validation import (
    DIMENSIONS,
    SEVERITIES,
    Finding,
    location_text,
    severity_rank,
    waivable,
)
from app.ui.live import counts_text, finding_field
from app.ui.markers import KIND_LABELS, marker_icon

Index = QModelIndex | QPersistentModelIndex
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = ("级别", "规则", "位置", "问题", "审核维度", "出错说明")
OPINION = OPINION_KIND  # the kind of a 审核意见 row
KIND_ZH = KIND_LABELS


def where(f: Finding) -> str:
    """The 位置 of a finding, naming the field or section the window shows it at."""
    return location_text(f, finding_field(f))


def _rank(f: Finding) -> int:
    """级别 order: unwaived before waived, then by severity."""
    return (100 if f.waived else 0) + severity_rank(f.severity)


def _place(f: Finding) -> int:
    """位置 order: part 1 first, then by project, row and item."""
    return ((f.project or 0) * 100_000 + (f.row or 0)) * 1_000 + (f.item or 0)


def _shown(f: Finding) -> tuple[object, ...]:
    """What a row displays and is filtered by: equal tuples need no repaint."""
    return (f.rule, f.severity, f.message, f.key, f.project, f.row, f.field, f.dimension,
            f.waived, f.waiver, where(f))


class ProblemsModel(QAbstractTableModel):
    """Findings as rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []
        self._shown_rows: list[tuple[object, ...]] = []  # _shown() of each row, for diffs
        # The column the user sorts by (-1: by place). The model sorts its own list with a key:
        # a proxy sorting with a Python lessThan made ~7,000 calls per refresh of a unit with
        # 1,700 findings (40 ms per keystroke).
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    def _ordered(self, findings: list[Finding]) -> list[Finding]:
        ordered = sorted(
            findings,
            key=lambda f: (f.project or 0, f.row or 0, severity_rank(f.severity), f.rule),
        )
        col = self.sort_column
        if col < 0:
            return ordered
        key: Any
        if col == 0:
            key = _rank
        elif col == 2:
            key = _place
        else:
            key = lambda f: str((None, f.rule, None, f.message, f.dimension or "", f.waiver or "")[col] or "")  # noqa: E731
        return sorted(ordered, key=key, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    def sort_by(self, column: int, order: Qt.SortOrder) -> None:
        """Reorder the rows (a header click); selections follow their rows."""
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self.findings
        self.findings = self._ordered(old)
        self._shown_rows = [_shown(f) for f in self.findings]
        new_row = {id(f): n for n, f in enumerate(self.findings)}
        for index in self.persistentIndexList():
            moved = new_row[id(old[index.row()])]
            self.changePersistentIndex(index, self.index(moved, index.column()))
        self.layoutChanged.emit()

    def set_findings(self, findings: list[Finding]) -> None:
        """Show ``findings``, touching only the rows that changed.

        Most keystrokes change no finding, and an edit changes those of one project, which
        sit together: the rows before and after stay (with the user's selection and scroll
        position); the ones between are updated, removed or inserted. A model reset would
        make the filter proxy test every row again (a unit may have 1,700).
        """
        ordered = self._ordered(findings)
        shown = [_shown(f) for f in ordered]
        old = self._shown_rows
        start, end_old, end_new = 0, len(old), len(shown)
        while start < min(end_old, end_new) and old[start] == shown[start]:
            start += 1
        while end_old > start and end_new > start and old[end_old - 1] == shown[end_new - 1]:
            end_old, end_new = end_old - 1, end_new - 1
        same = min(end_old, end_new) - start  # rows changed in place
        if same:
            self.findings[start:start + same] = ordered[start:start + same]
            self._shown_rows[start:start + same] = shown[start:start + same]
            self.dataChanged.emit(self.index(start, 0), self.index(start + same - 1, len(COLUMNS) - 1))
        cut = start + same
        if end_old > end_new:
            self.beginRemoveRows(QModelIndex(), cut, end_old - 1)
            del self.findings[cut:end_old]
            del self._shown_rows[cut:end_old]
            self.endRemoveRows()
        elif end_new > end_old:
            self.beginInsertRows(QModelIndex(), cut, end_new - 1)
            self.findings[cut:cut] = ordered[cut:end_new]
            self._shown_rows[cut:cut] = shown[cut:end_new]
            self.endInsertRows()
        self.findings, self._shown_rows = ordered, shown  # equal rows, the newest objects

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        f = self.findings[index.row()]
        col = index.column()
        waived = f.waived
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return KIND_ZH.get(f.severity, f.severity) + ("（已豁免）" if waived else "")
            return (None, f.rule, where(f), f.message, f.dimension or "", f.waiver or "")[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return marker_icon("waived" if waived else f.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{f.rule} {f.message}\n{where(f)}" + (f"\n出错说明：{f.waiver or ''}" if waived else "")
        if role == Qt.ItemDataRole.ForegroundRole and waived:
            return QBrush(QColor("#888888"))
        if role == FINDING_ROLE:
            return f
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None


class ProblemsFilter(QSortFilterProxyModel):
    """Filters by severity, 审核 dimension and project; sorts 级别 by rank, 位置 by place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.severity: str | None = None
        self.dimension: str | None = None
        self.project: int | None = None  # 0 = part 1 only

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (see :meth:`ProblemsModel.sort_by`); this only filters."""
        source = self.sourceModel()
        if isinstance(source, ProblemsModel):
            source.sort_by(column, order)

    def set_filter(self, severity: str | None, dimension: str | None, project: int | None) -> None:
        if (severity, dimension, project) == (self.severity, self.dimension, self.project):
            return  # rows added or changed since were filtered as they came
        self.beginFilterChange()
        self.severity, self.dimension, self.project = severity, dimension, project
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        return self.accepts(self.sourceModel().findings[row])  # type: ignore[attr-defined]

    def accepts(self, f: Finding) -> bool:
        """Whether the filters show ``f``."""
        if self.severity and f.severity != self.severity:
            return False
        if self.dimension and (f.dimension or "") != self.dimension:
            return False
        return self.project is None or (f.project or 0) == self.project


class ProblemsPanel(QWidget):
    """Filters, the findings table (``problemsView``) and the waive button."""

    jump_requested = Signal(object)
    waive_requested = Signal(object)
    unwaive_requested = Signal(object)
    reply_requested = Signal(object)  # a 审核意见 row: answer it (回复)
    resolve_requested = Signal(object)  # a 审核意见 row: mark it 已处理

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.model = ProblemsModel(self)
        self.proxy = ProblemsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.severity_box = QComboBox()
        self.severity_box.setObjectName("problemsSeverityFilter")
        self.severity_box.addItem("全部级别", None)
        for key, zh in KIND_ZH.items():
            self.severity_box.addItem(marker_icon(key), zh, key)
        self.dimension_box = QComboBox()
        self.dimension_box.setObjectName("problemsDimensionFilter")
        self.dimension_box.addItem("全部维度", None)
        for d in DIMENSIONS:
            self.dimension_box.addItem(d, d)
        self.project_box = QComboBox()
        self.project_box.setObjectName("problemsProjectFilter")
        self.project_box.setMinimumContentsLength(10)
        self.project_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.project_box.addItem("全部项目", None)
        self.summary = QLabel()
        self.waive_button = QPushButton("豁免（填写出错说明）…")
        self.waive_button.setObjectName("waiveButton")
        self.waive_button.setEnabled(False)
        self.unwaive_button = QPushButton("取消豁免")
        self.unwaive_button.setObjectName("unwaiveButton")
        self.unwaive_button.setEnabled(False)
        self.reply_button = QPushButton("回复…")
        self.reply_button.setObjectName("opinionReplyButton")
        self.reply_button.setToolTip("回复所选审核意见")
        self.resolve_button = QPushButton("已处理")
        self.resolve_button.setObjectName("opinionResolveButton")
        self.resolve_button.setToolTip("把所选审核意见标记为已处理")
        for b in (self.reply_button, self.resolve_button):
            b.setEnabled(False)
            b.setVisible(False)  # shown once the unit has opinions
        # Filters, counts and buttons: one line under the editor; beside the tree three (the
        # counts get a line of their own, the buttons would clip them).
        filters = QHBoxLayout()
        self.filter_label = QLabel("筛选：")
        filters.addWidget(self.filter_label)
        for w in (self.severity_box, self.dimension_box, self.project_box):
            filters.addWidget(w)
            w.currentIndexChanged.connect(self._apply_filter)
        buttons = QHBoxLayout()
        for b in (self.waive_button, self.unwaive_button, self.reply_button, self.resolve_button):
            buttons.addWidget(b)
        actions = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        actions.addWidget(self.summary, 1)
        actions.addLayout(buttons)
        self.actions_bar = actions
        top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        top.addLayout(filters)
        top.addLayout(actions, 1)
        self.top_bar = top
        self.view = QTableView()
        self.view.setObjectName("problemsView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        for col, width in enumerate((self._level_width(), 52, 190, 0, 70, 200)):
            if width:
                self.view.setColumnWidth(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Click a header to sort; the document order comes first (no column sorted).
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self._scope: object = None
        self._labels: list[str] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.waive_button.clicked.connect(self._waive)
        self.unwaive_button.clicked.connect(self._unwaive)
        self.reply_button.clicked.connect(lambda: self._opinion(self.reply_requested))
        self.resolve_button.clicked.connect(lambda: self._opinion(self.resolve_requested))

    NARROW = 760

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._set_narrow(self.width() < self.NARROW)

    def _set_narrow(self, narrow: bool) -> None:
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        if self.top_bar.direction() == direction:
            return
        self.top_bar.setDirection(direction)
        self.actions_bar.setDirection(direction)
        self.summary.setWordWrap(narrow)  # with opinions the line may still be too long
        self.filter_label.setVisible(not narrow)
        self.waive_button.setText("豁免…" if narrow else "豁免（填写出错说明）…")
        self.waive_button.setToolTip("豁免所选警告或提示，并填写出错说明")
        # Beside the tree the message column must still show: 位置 steps aside (a row's
        # tooltip names it, and a click still jumps there) and 规则 gets narrower.
        for col, width in enumerate((self._level_width(), 40, 96) if narrow else (self._level_width(), 52, 190)):
            self.view.setColumnWidth(col, width)
        self.view.setColumnHidden(2, narrow)

    def minimumSizeHint(self) -> Any:  # noqa: N802
        # Narrow enough to sit beside the project tree (the bar then takes three lines).
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), 340))
        return hint

    def _level_width(self) -> int:
        """Room for the longest 级别 text (“提示（已豁免）”) beside its icon."""
        return self.view.fontMetrics().horizontalAdvance("提示（已豁免）") + 40

    def set_findings(self, findings: list[Finding], project_labels: list[str] | None = None,
                     scope: object = None) -> None:
        """Show a unit's findings; ``project_labels`` fills the project filter (1-based order).

        ``scope`` names the unit shown: when it changes the filters start afresh (project 3
        of one unit is not project 3 of another). The selected finding stays selected when
        the findings are refreshed (after 豁免, for instance).
        """
        if scope != self._scope:
            self._scope = scope
            self._labels = None
            for box in (self.severity_box, self.dimension_box, self.project_box):
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
        selected = self.selected_finding()
        key = selected.key if selected is not None else None
        row = self.view.currentIndex().row()
        if project_labels is not None:
            self._set_projects(project_labels)
        self.model.set_findings(findings)
        self._apply_filter()
        if key is not None and not self.view.currentIndex().isValid():
            self._reselect(key, row)
        opinions = any(f.severity == OPINION for f in findings)
        for b in (self.reply_button, self.resolve_button):
            b.setVisible(opinions)
        self._update_buttons()

    def _reselect(self, key: str, row: int) -> None:
        for r in range(self.proxy.rowCount()):
            f = self.proxy.index(r, 0).data(FINDING_ROLE)
            if f is not None and f.key == key:
                self.select_row(r)
                return
        if self.proxy.rowCount():
            self.select_row(min(max(row, 0), self.proxy.rowCount() - 1))

    def _update_summary(self) -> None:
        """Counts of what the filters show (the whole unit when nothing is filtered)."""
        c = dict.fromkeys(SEVERITIES, 0)
        waived = opinions = open_opinions = 0
        for f in filter(self.proxy.accepts, self.model.findings):  # no Qt index per row
            if f.severity == OPINION:
                opinions += 1
                open_opinions += 0 if getattr(f, "resolved", False) else 1
            elif f.waived:
                waived += 1
            else:
                c[f.severity] = c.get(f.severity, 0) + 1
        text = counts_text(c)
        if waived:
            text += f"　已豁免 {waived}"
        if opinions:
            text += f"　审核意见 {opinions}（未处理 {open_opinions}）"
        filtered = any(box.currentIndex() > 0 for box in (self.severity_box, self.dimension_box, self.project_box))
        self.summary.setText(("筛选后：" if filtered else "") + text)

    def _set_projects(self, labels: list[str]) -> None:
        if labels == self._labels:
            return
        self._labels = list(labels)
        current = self.project_box.currentData()
        self.project_box.blockSignals(True)
        self.project_box.clear()
        self.project_box.addItem("全部项目", None)
        self.project_box.addItem("部门整体", 0)
        for n, label in enumerate(labels, start=1):
            self.project_box.addItem(label, n)
        i = self.project_box.findData(current)
        self.project_box.setCurrentIndex(max(i, 0))
        self.project_box.blockSignals(False)  # the caller applies the filter once

    def _apply_filter(self) -> None:
        self.proxy.set_filter(self.severity_box.currentData(), self.dimension_box.currentData(),
                              self.project_box.currentData())
        self._update_summary()

    def selected_finding(self) -> Finding | None:
        idx = self.view.currentIndex()
        return idx.data(FINDING_ROLE) if idx.isValid() else None

    def _update_buttons(self, *_args: object) -> None:
        f = self.selected_finding()
        ok = f is not None and waivable(f) and not f.waived
        self.waive_button.setEnabled(ok)
        self.unwaive_button.setEnabled(f is not None and f.waived)
        opinion = f is not None and f.severity == OPINION
        self.reply_button.setEnabled(opinion)
        self.resolve_button.setEnabled(opinion and not getattr(f, "resolved", False))

    def _opinion(self, signal: Any) -> None:
        f = self.selected_finding()
        if f is not None and f.severity == OPINION:
            signal.emit(f)

    def _clicked(self, index: QModelIndex) -> None:
        f = index.data(FINDING_ROLE)
        if f is not None:
            self.jump_requested.emit(f)

    def _waive(self) -> None:
        f = self.selected_finding()
        if f is not None:
            self.waive_requested.emit(f)

    def _unwaive(self) -> None:
        f = self.selected_finding()
        if f is not None:
            self.unwaive_requested.emit(f)

    def select_row(self, row: int) -> None:
        """Make proxy row ``row`` current (tests and keyboard users)."""
        self.view.setCurrentIndex(self.proxy.index(row, 0))
        self.view.scrollTo(self.proxy.index(row, 0))
