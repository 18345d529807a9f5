"""The project tree: 年度 → 单位 → 部门整体绩效目标 and the projects, with finding badges
(errors red, warnings orange) and the count of open 审核意见 (purple)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from app.models import Document
from app.services.storage.documents import DocumentSummary
from app.services.workspace.projects import ProjectTitle, project_label
from app.ui.markers import INK

BADGE_ROLE = Qt.ItemDataRole.UserRole + 1
NODE_ROLE = Qt.ItemDataRole.UserRole + 2

ERROR_COLOUR = QColor(INK["error"])
WARNING_COLOUR = QColor(INK["warning"])
OPINION_COLOUR = QColor(INK["opinion"])

Index = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class Node:
    """One row of the tree."""

    kind: str  # "year" | "unit" | "part1" | "project"
    label: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    year: int | None = None
    doc_id: int | None = None
    project_id: int | None = None
    errors: int = 0
    warnings: int = 0
    opinions: int = 0  # open 审核意见

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class ProjectTreeModel(QAbstractItemModel):
    """Tree of years, units, part 1 and projects. Read-only; edits go through the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = Node("root", "")
        self._units: dict[int, Node] = {}

    # --- building -------------------------------------------------------------------
    def rebuild(self, docs: list[DocumentSummary], titles: dict[int, list[ProjectTitle]]) -> None:
        """Replace everything (on opening a database, after an import)."""
        self.beginResetModel()
        self.root = Node("root", "")
        self._units = {}
        years: dict[int, Node] = {}
        for d in docs:
            ynode = years.get(d.year)
            if ynode is None:
                ynode = years[d.year] = Node("year", f"{d.year}年度", self.root, year=d.year)
                self.root.children.append(ynode)
            unode = Node("unit", f"{d.unit_code} {d.unit_name}".strip(), ynode, year=d.year, doc_id=d.id)
            ynode.children.append(unode)
            self._units[d.id] = unode
            unode.children = self._unit_children(unode, titles.get(d.id, []))
        self.endResetModel()

    def _unit_children(self, unode: Node, projects: list) -> list[Node]:  # noqa: ANN001
        kids = [Node("part1", "部门整体绩效目标", unode, year=unode.year, doc_id=unode.doc_id)]
        for n, p in enumerate(projects, start=1):
            pid = p.project_id if isinstance(p, ProjectTitle) else p.id
            kids.append(Node("project", project_label(p, n), unode, year=unode.year,
                             doc_id=unode.doc_id, project_id=pid))
        return kids

    def sync_document(self, doc: Document) -> None:
        """Bring one unit's project rows in line with its (edited) detached document."""
        unode = self._units.get(doc.id)
        if unode is None:
            return
        parent = self.index_of(unode)
        wanted = [p.id for p in doc.projects]
        have = [c.project_id for c in unode.children[1:]]
        if wanted == have:
            for n, (child, p) in enumerate(zip(unode.children[1:], doc.projects, strict=True), start=1):
                label = project_label(p, n)
                if child.label != label:
                    child.label = label
                    idx = self.index(n, 0, parent)
                    self.dataChanged.emit(idx, idx)
            return
        old = len(unode.children)
        if old > 1:
            self.beginRemoveRows(parent, 1, old - 1)
            del unode.children[1:]
            self.endRemoveRows()
        fresh = self._unit_children(unode, doc.projects)[1:]
        if fresh:
            self.beginInsertRows(parent, 1, len(fresh))
            unode.children.extend(fresh)
            self.endInsertRows()

    def set_counts(self, doc_id: int, by_project: dict[int | None, dict[str, int]]) -> None:
        """Badges of one unit: {1-based project number or None: {"error": n, "warning": n,
        "opinion": n}}."""
        unode = self._units.get(doc_id)
        if unode is None:
            return
        total_e = total_w = total_o = 0
        for n, child in enumerate(unode.children):
            c = by_project.get(None if n == 0 else n, {})
            child.errors, child.warnings, child.opinions = c.get("error", 0), c.get("warning", 0), c.get("opinion", 0)
            total_e += child.errors
            total_w += child.warnings
            total_o += child.opinions
        unode.errors, unode.warnings, unode.opinions = total_e, total_w, total_o
        parent = self.index_of(unode)
        if unode.children:
            self.dataChanged.emit(self.index(0, 0, parent), self.index(len(unode.children) - 1, 0, parent),
                                  [BADGE_ROLE])
        self.dataChanged.emit(parent, parent, [BADGE_ROLE])

    # --- lookups --------------------------------------------------------------------
    def unit_node(self, doc_id: int) -> Node | None:
        return self._units.get(doc_id)

    def index_of(self, node: Node) -> QModelIndex:
        if node is self.root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def find(self, doc_id: int, project_id: int | None = None) -> QModelIndex:
        """The index of a unit's part-1 row (project_id None) or of one of its projects."""
        unode = self._units.get(doc_id)
        if unode is None:
            return QModelIndex()
        for child in unode.children:
            if (project_id is None and child.kind == "part1") or (
                project_id is not None and child.project_id == project_id
            ):
                return self.index_of(child)
        return QModelIndex()

    def node(self, index: Index) -> Node:
        return index.internalPointer() if index.isValid() else self.root

    # --- QAbstractItemModel -----------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        pnode = self.node(parent)
        if row >= len(pnode.children):
            return QModelIndex()
        return self.createIndex(row, 0, pnode.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        if node.parent is None or node.parent is self.root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        node = self.node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [node.label]
            if node.errors or node.warnings:
                lines.append(f"错误 {node.errors} 个，警告 {node.warnings} 个")
            if node.opinions:
                lines.append(f"未处理的审核意见 {node.opinions} 条")
            return "\n".join(lines)
        if role == BADGE_ROLE:
            return (node.errors, node.warnings, node.opinions)
        if role == NODE_ROLE:
            return node
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "年度 / 单位 / 项目"
        return None


class BadgeDelegate(QStyledItemDelegate):
    """Draws the error (red), warning (orange) and open-opinion (purple, 审) counts as rounded
    badges on the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        errors, warnings, opinions = index.data(BADGE_ROLE) or (0, 0, 0)
        # An opinion badge says 审 as well as its colour does (never colour alone).
        badges = [(text, c) for text, c in ((str(errors), ERROR_COLOUR), (str(warnings), WARNING_COLOUR),
                                            (f"审{opinions}", OPINION_COLOUR)) if text.strip("审") != "0"]
        fm = QFontMetrics(option.font)
        widths = [fm.horizontalAdvance(t) + 10 for t, _ in badges]
        reserved = sum(widths) + 4 * len(badges)
        opt = QStyleOptionViewItem(option)
        opt.rect = option.rect.adjusted(0, 0, -reserved, 0)
        super().paint(painter, opt, index)
        if not badges:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = option.rect.right() - reserved + 2
        h = fm.height()
        y = option.rect.top() + (option.rect.height() - h) // 2
        for (text, colour), w in zip(badges, widths, strict=True):
            rect = QRect(x, y, w, h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, h / 2, h / 2)
            painter.setPen(QColor("white"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            x += w + 4
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 60, max(size.height(), QFontMetrics(option.font).height() + 6))


class ProjectTree(QTreeView):
    """The tree view; emits :attr:`node_activated` when the user moves to another row."""

    node_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectTree")
        self.tree_model = ProjectTreeModel(self)
        self.setModel(self.tree_model)
        self.setItemDelegate(BadgeDelegate(self))
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setExpandsOnDoubleClick(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # F2 renames (window action)
        self.selectionModel().currentChanged.connect(self._current_changed)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.node_activated.emit(self.tree_model.node(current))

    def current_node(self) -> Node | None:
        idx = self.currentIndex()
        return self.tree_model.node(idx) if idx.isValid() else None

    def selected_nodes(self) -> list[Node]:
        return [self.tree_model.node(i) for i in self.selectionModel().selectedIndexes()]

    def select_node(self, doc_id: int | None, project_id: int | None = None) -> bool:
        """Make a unit's part 1 or project the current row; False when not in the tree."""
        if doc_id is None:
            return False
        idx = self.tree_model.find(doc_id, project_id)
        if not idx.isValid():
            return False
        self.expand(idx.parent())
        self.expand(idx.parent().parent())
        self.setCurrentIndex(idx)
        self.scrollTo(idx)
        return True
