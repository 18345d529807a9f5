"""A project form that folds to one line, so the indicator table gets the height.

Folded, the line still shows the project's title, its code and budget, and how many
findings the hidden fields carry, so nothing that needs attention is out of sight.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QToolButton, QVBoxLayout, QWidget

from app.services.validation import SEVERITIES, SEVERITY_LABELS
from app.ui.markers import INK


class FoldablePanel(QWidget):
    """The project form under a header line with a fold button (``projectFormToggle``)."""

    folded_changed = Signal(bool)

    def __init__(self, form: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectFormPanel")
        self.form = form
        self.folded = False
        self._open_height = 0
        self.toggle = QToolButton()
        self.toggle.setObjectName("projectFormToggle")
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.clicked.connect(lambda: self.set_folded(not self.folded))
        self.summary = QLabel()
        self.summary.setObjectName("projectFormSummary")
        self.header = QWidget()
        line = QHBoxLayout(self.header)
        line.setContentsMargins(4, 2, 4, 2)
        line.addWidget(self.toggle)
        # The form's own title moves into the header line: one title, folded or not.
        line.addWidget(form.title, 1)
        line.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(form, 1)
        self._show_state()

    def splitter(self) -> QSplitter | None:
        parent = self.parentWidget()
        return parent if isinstance(parent, QSplitter) else None

    def set_folded(self, folded: bool) -> None:
        if folded == self.folded:
            self._show_state()
            return
        split = self.splitter()
        if folded and split is not None and self.height() > self.header.sizeHint().height():
            self._open_height = self.height()
        if folded:
            self.form.commit_pending()
        self.folded = folded
        self._show_state()
        self.fit_splitter()
        self.folded_changed.emit(folded)

    def fit_splitter(self) -> None:
        """Give the form its height in the splitter: one line folded, what it needs open."""
        split = self.splitter()
        if split is None:
            return
        if self.folded:
            wanted = self.header.sizeHint().height()
        else:
            wanted = self._open_height or min(
                self.form.widget().sizeHint().height() + self.header.sizeHint().height() + 4, 300)
        total = sum(split.sizes()) or split.height()
        split.setSizes([wanted, max(total - wanted, 1)])

    def _show_state(self) -> None:
        self.form.setVisible(not self.folded)
        if self.folded:
            self.setMaximumHeight(self.header.sizeHint().height())
        else:
            self.setMaximumHeight(16_777_215)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow if self.folded else Qt.ArrowType.DownArrow)
        self.toggle.setText("展开项目信息" if self.folded else "收起")
        self.toggle.setToolTip("显示项目编码、名称、预算数、资金用途和绩效目标" if self.folded
                               else "收起项目信息，让绩效指标表占满高度")
        self.update_summary()

    def update_summary(self) -> None:
        """The folded line: code, budget and the findings of the hidden fields."""
        if not self.folded:
            self.summary.setText("")
            return
        target = getattr(self.form, "target", None)
        parts = []
        if target is not None:
            if target.code:
                parts.append(f"编码 {target.code}")
            if target.budget_total_raw:
                parts.append(f"预算数 {target.budget_total_raw}万元")
        counts: dict[str, int] = {}
        for marked in self.form.fields.values():
            if marked.severity:
                counts[marked.severity] = counts.get(marked.severity, 0) + 1
        worst = next((k for k in SEVERITIES if counts.get(k)), None)
        text = "　".join(parts)
        if worst is not None:
            issues = "、".join(f"{SEVERITY_LABELS[k]}{counts[k]}" for k in SEVERITIES if counts.get(k))
            text += f"　<span style='color:{INK[worst]}'>项目信息：{issues}（展开查看）</span>"
        self.summary.setText(text)
