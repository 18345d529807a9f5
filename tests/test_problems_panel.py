"""The problems panel keeps its rows (and the user's selection) when findings do not change."""

from __future__ import annotations

import dataclasses

import pytest

from app.ui.panels.problems import ProblemsPanel
from tests.ui_helpers import FakeFinding

pytestmark = pytest.mark.gui


def _finding(rule: str, row: int, message: str = "问题") -> FakeFinding:
    return FakeFinding(rule, "warning", message, "适当性", "422001", 2024, 1, "P1", row, "value",
                       f"{rule}|P:P1|R:{row}|F:value")


def test_unchanged_findings_keep_selection_changed_ones_refresh(qtbot) -> None:
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.show()
    first = [_finding("G09", 1), _finding("G13", 2)]
    panel.set_findings(first)
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    panel.select_row(1)
    selected = panel.view.currentIndex().row()
    again = [dataclasses.replace(f) for f in reversed(first)]  # equal findings, new objects
    panel.set_findings(again)
    assert resets == [] and panel.view.currentIndex().row() == selected == 1
    assert all(any(f is g for g in again) for f in panel.model.findings)  # the new objects are used
    panel.set_findings([_finding("G09", 1), _finding("G13", 2, "另一个问题")])
    assert resets == [1]
    assert panel.model.findings[1].message == "另一个问题"
