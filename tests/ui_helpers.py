"""Helpers for the main-window tests: a tiny stand-in validator and tree clicks."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from app.models import Document, Project
from app.services.validation import DocumentValidator, Finding

# The stand-in validator returns the engine's own Finding type, so a field added there is
# one the window tests see too.
FakeFinding = Finding


class FakeValidator(DocumentValidator):
    """Three rules of RULES.md on the seed's shapes (G04, G09, G13) and C04, nothing else.

    Used so the window's plumbing is tested independently of the real rule engine; it
    implements the window's :class:`DocumentValidator` protocol.
    """

    def __init__(self) -> None:
        self.calls: list[str] = []

    def validate_document(self, doc: Document) -> list[FakeFinding]:
        self.calls.append("document")
        return self._all(doc)

    def revalidate_project(self, doc: Document, project: Project) -> list[FakeFinding]:
        self.calls.append("project")
        return self._all(doc)

    def revalidate_part1(self, doc: Document) -> list[FakeFinding]:
        self.calls.append("part1")
        return self._all(doc)

    def _all(self, doc: Document) -> list[FakeFinding]:
        out = []
        for n, p in enumerate(doc.projects, start=1):
            out += self._project(doc, p, n)
        return out

    def _project(self, doc: Document, p: Project, n: int) -> list[FakeFinding]:
        def hit(rule: str, sev: str, msg: str, dim: str, row: int | None, field: str) -> FakeFinding:
            key = f"{rule}|P:{p.code}|R:{row}|F:{field}"
            waived = next((w.explanation for w in doc.waivers if w.location == key), None)
            return FakeFinding(rule, sev, msg, dim, doc.unit.code, doc.year, n, p.code, row, field, key,
                               waived is not None, waived)

        out = []
        if not (p.purpose or "").strip():
            out.append(hit("C04", "error", "资金用途不能为空", "完整性", None, "purpose"))
        for r, ind in enumerate(p.indicators, start=1):
            name, value = ind.level3 or "", (ind.value_raw or "").strip()
            if re.search("时限|完成时间|期限", value) and not re.search(r"\d", value):
                out.append(hit("G04", "error", f"指标值“{value}”不是取值", "相关性", r, "value"))
            if "满意" in name and re.match(r"^(≥|＝)100%$", value):
                out.append(hit("G09", "warning", "满意度目标值设为100%不切实际", "适当性", r, "value"))
            if "期限" in name and value.endswith("%"):
                out.append(hit("G13", "error", "期限类指标应以年/月/天计量", "适当性", r, "value"))
        return out


def click_tree(qtbot, tree, index: QModelIndex) -> None:  # noqa: ANN001
    """Click a row of the project tree as a user would."""
    tree.scrollTo(index)
    rect = tree.visualRect(index)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


WAIT_MS = 20000  # conditions, not fixed sleeps: generous for a loaded 2-core machine


def wait_shown(qtbot, widget) -> None:  # noqa: ANN001
    """Wait until a shown widget is visible with its layout done.

    Not ``qtbot.waitExposed``: called bare (not as a ``with`` block around ``show()``) it
    waits for nothing, and offscreen windows stop reporting exposure once an earlier test
    has run the application's event loop to its end (tests/test_selftest.py, run_gui).
    """
    qtbot.waitUntil(lambda: widget.isVisible() and widget.width() > 0, timeout=WAIT_MS)
    QApplication.processEvents()
