"""The 出错说明 table that the docx, xlsx and PDF exports append after a document's projects.

One row per waiver: 项目 (``N.名称`` or ``部门整体绩效目标``) | 位置 (``第N项``/``第N行`` and the
field in Chinese) | 规则 (id and title) | 说明 (the explanation) | 定位 (the waiver's location
key, so that an import matches it to its finding exactly as before). The layout parser reads
the table back (:func:`waiver_from_cells`, :func:`attach_waivers`) so that docx/xlsx round
trips keep the waivers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.models import Document, Project, Waiver
from app.services.validation import FIELD_LABELS, RULES, place_text

PART1_LABEL = "部门整体绩效目标"

_FIELDS_BY_LABEL = {v: k for k, v in FIELD_LABELS.items()}
_PROJECT_RE = re.compile(r"^\s*(\d+)\s*[.．、]")
_ROW_RE = re.compile(r"第\s*(\d+)\s*行")
_ITEM_RE = re.compile(r"\|S:(\d+)")
_RULE_RE = re.compile(r"^\s*([A-Za-z]+\d+)")


@dataclass(frozen=True, slots=True)
class WaiverRow:
    """One printed row of the 出错说明 table (texts as shown)."""

    project: str
    location: str
    rule: str
    explanation: str
    key: str

    def cells(self) -> tuple[str, str, str, str, str]:
        return (self.project, self.location, self.rule, self.explanation, self.key)


def rule_text(rule_id: str) -> str:
    """``G09 指标值与描述相符`` (the id alone for a rule this version does not know)."""
    info = RULES.get(rule_id)
    return f"{rule_id} {info.title}" if info is not None else rule_id


def waiver_rows(doc: Document, projects: list[Project] | None = None) -> list[WaiverRow]:
    """The rows of the document's 出错说明 table, part 1 first, then by project and row.

    Args:
        doc: the document whose waivers are listed.
        projects: only waivers on these projects (and part-1 waivers); None = all. Waivers
            on a project that is not part of ``doc`` (a partial export) are left out.
    """
    position = {id(p): n for n, p in enumerate(doc.projects, start=1)}
    allowed = None if projects is None else {id(p) for p in projects}
    out: list[tuple[tuple[int, int, int], WaiverRow]] = []
    for order, w in enumerate(doc.waivers):
        project = w.project
        row: int | None = None
        if project is not None:
            n = position.get(id(project))
            if n is None or (allowed is not None and id(project) not in allowed):
                continue
            label = f"{n}.{project.name or ''}"
            if w.indicator is not None:
                try:
                    row = list(project.indicators).index(w.indicator) + 1
                except ValueError:
                    continue  # the row has gone: so has the waiver
        else:
            n = 0
            label = PART1_LABEL
        location = w.location or ""
        item = _ITEM_RE.search(location)
        where = place_text(row, w.field, int(item.group(1)) if item else None)
        out.append(((n, row or 0, order), WaiverRow(
            label, where, rule_text(w.rule_id), w.explanation or "", location,
        )))
    out.sort(key=lambda pair: pair[0])
    return [r for _, r in out]


@dataclass(slots=True)
class WaiverEntry:
    """A row read back from a file, before it is attached to its document."""

    rule: str
    project: int | None
    row: int | None
    field: str | None
    explanation: str
    key: str
    where: str


def waiver_from_cells(values: dict[str, str], where: str, notes: list[str]) -> WaiverEntry | None:
    """Parse one table row (header -> text); None (with a note) when it cannot be used."""
    rule_cell = (values.get("规则") or "").strip()
    explanation = (values.get("说明") or "").strip()
    if not rule_cell and not explanation:
        return None
    m = _RULE_RE.match(rule_cell)
    rule = m.group(1).upper() if m else ""
    if rule not in RULES:
        notes.append(f"{where}：出错说明的规则“{rule_cell[:20]}”无法识别，已跳过")
        return None
    if not explanation:
        notes.append(f"{where}：出错说明（{rule}）没有说明文字，已跳过")
        return None
    project_cell = (values.get("项目") or "").strip()
    pm = _PROJECT_RE.match(project_cell)
    project = int(pm.group(1)) if pm else None
    location = values.get("位置") or ""
    rm = _ROW_RE.search(location)
    field = next((_FIELDS_BY_LABEL[t] for t in location.split() if t in _FIELDS_BY_LABEL), None)
    return WaiverEntry(rule, project, int(rm.group(1)) if rm and project else None, field,
                       explanation, (values.get("定位") or "").strip(), where)


def attach_waivers(doc: Document, entries: list[WaiverEntry], notes: list[str]) -> None:
    """Add the entries to ``doc`` as Waiver objects pointing at its projects and rows."""
    for e in entries:
        project = indicator = None
        if e.project is not None:
            if not 1 <= e.project <= len(doc.projects):
                notes.append(f"{e.where}：出错说明（{e.rule}）所指的第{e.project}个项目不存在，已跳过")
                continue
            project = doc.projects[e.project - 1]
            if e.row is not None:
                if not 1 <= e.row <= len(project.indicators):
                    notes.append(f"{e.where}：出错说明（{e.rule}）所指的第{e.row}行指标不存在，已跳过")
                    continue
                indicator = project.indicators[e.row - 1]
        doc.waivers.append(Waiver(rule_id=e.rule, project=project, indicator=indicator, field=e.field,
                                  location=e.key, explanation=e.explanation))
