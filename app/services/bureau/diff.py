"""What changed between two versions of a unit's document, field by field.

Projects are matched by code (by name when a code is blank); a project at another position
counts as moved. Indicator rows are aligned by their 一级/二级/三级 names (a row inserted in
the middle does not make every later row "changed"). Findings are compared by their stable
keys: fixed ones were in the old version only, new ones are in the new version only.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from app.models import Document, Indicator, Project
from app.models.values import code_and_name
from app.services.formats.json_format import (
    INDICATOR_FIELDS,
    MEASURE_FIELDS,
    PROJECT_FIELDS,
    SUBGOAL_FIELDS,
)
from app.services.storage.store import Store
from app.services.validation import FIELD_LABELS, Finding, check_documents

PART1_FIELDS = ("unit_line", "overall_text")
_LABELS = {
    **FIELD_LABELS, "unit_line": "单位行", "seq": "序号", "heading": "表名",
    "budget_total_raw": "预算数", "budget_fiscal_raw": "财政资金", "budget_other_raw": "其他资金",
    "plan_mar_raw": "3月底", "plan_jun_raw": "6月底", "plan_oct_raw": "10月底", "plan_dec_raw": "12月底",
    "value_raw": "指标值", "title": "标题", "goal_text": "绩效目标", "indicator_text": "绩效指标",
    "goal_label": "目标标签", "indicator_label": "指标标签", "text": "内容",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose text differs. ``where`` is the place in Chinese."""

    where: str
    field: str
    label: str
    old: str | None
    new: str | None
    project: str | None = None  # project code (or name) when on a project
    row: int | None = None  # 1-based row in the new version (old version for a removed row)
    kind: str = "changed"  # changed / row_added / row_removed


@dataclass(frozen=True, slots=True)
class ProjectRef:
    """A project named in a comparison."""

    code: str | None
    name: str | None
    old_position: int | None  # 1-based
    new_position: int | None


@dataclass(slots=True)
class DocumentDiff:
    """The comparison of two versions of one unit's document."""

    unit: str
    year: int
    added: list[ProjectRef] = field(default_factory=list)
    removed: list[ProjectRef] = field(default_factory=list)
    moved: list[ProjectRef] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    findings_fixed: list[dict[str, Any]] = field(default_factory=list)
    findings_new: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the content differs at all."""
        return bool(self.added or self.removed or self.moved or self.changes)

    def to_dict(self) -> dict[str, Any]:
        """The ``diff --json`` form."""
        out = asdict(self)
        out["changed"] = self.changed
        return out


def _key(p: Project) -> str:
    return (p.code or "").strip() or f"名称:{(p.name or '').strip()}"


def _label(p: Project) -> str:
    return (p.code or "").strip() or (p.name or "").strip() or "（无编码）"


def _fields(old: Any, new: Any, fields: tuple[str, ...], where: str, project: str | None = None,
            row: int | None = None) -> list[FieldChange]:
    return [
        FieldChange(where, f, _LABELS.get(f, f), getattr(old, f), getattr(new, f), project, row)
        for f in fields if getattr(old, f) != getattr(new, f)
    ]


def _row_key(i: Indicator) -> tuple[str, str, str]:
    return ((i.level1 or "").strip(), (i.level2 or "").strip(), (i.level3 or "").strip())


def _rows(old: Project, new: Project, where: str, code: str) -> list[FieldChange]:
    out: list[FieldChange] = []
    a, b = old.indicators, new.indicators
    matcher = SequenceMatcher(a=[_row_key(i) for i in a], b=[_row_key(i) for i in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        if tag in ("equal", "replace"):
            for i, j in pairs:
                out += _fields(a[i], b[j], INDICATOR_FIELDS, f"{where} 第{j + 1}行", code, j + 1)
        if tag in ("replace", "delete"):
            for i in range(i1 + len(pairs), i2):
                out.append(FieldChange(f"{where} 原第{i + 1}行", "row", "指标行", _row_text(a[i]), None,
                                       code, i + 1, "row_removed"))
        if tag in ("replace", "insert"):
            for j in range(j1 + len(pairs), j2):
                out.append(FieldChange(f"{where} 第{j + 1}行", "row", "指标行", None, _row_text(b[j]),
                                       code, j + 1, "row_added"))
    return out


def _row_text(i: Indicator) -> str:
    return " | ".join(getattr(i, f) or "" for f in INDICATOR_FIELDS)


def _items(old: list[Any], new: list[Any], fields: tuple[str, ...], what: str) -> list[FieldChange]:
    out = []
    for n in range(max(len(old), len(new))):
        where = f"{what}第{n + 1}项"
        if n >= len(old):
            out.append(FieldChange(where, "item", what, None, new[n].title, kind="row_added"))
        elif n >= len(new):
            out.append(FieldChange(where, "item", what, old[n].title, None, kind="row_removed"))
        else:
            out += _fields(old[n], new[n], fields, where)
    return out


def diff_documents(old: Document, new: Document, with_findings: bool = True) -> DocumentDiff:
    """Compare two versions (stored or transient) of one unit's document."""
    result = DocumentDiff(new.unit.code, new.year)
    result.changes += _fields(old, new, PART1_FIELDS, "部门整体绩效目标")
    result.changes += _items(old.subgoals, new.subgoals, SUBGOAL_FIELDS, "分项绩效目标")
    result.changes += _items(old.measures, new.measures, MEASURE_FIELDS, "工作保障措施")
    old_by = {_key(p): (n, p) for n, p in enumerate(old.projects, start=1)}
    new_keys = {_key(p) for p in new.projects}
    kept = [k for k in (_key(p) for p in old.projects) if k in new_keys]
    kept_new = [_key(p) for p in new.projects if _key(p) in old_by]
    # The longest run of projects in the same order stays; the others moved.
    blocks = SequenceMatcher(a=kept, b=kept_new, autojunk=False).get_matching_blocks()
    in_place = {kept[b.a + n] for b in blocks for n in range(b.size)}
    for n, p in enumerate(new.projects, start=1):
        k = _key(p)
        if k not in old_by:
            result.added.append(ProjectRef(p.code, p.name, None, n))
            continue
        m, q = old_by[k]
        if k not in in_place:
            result.moved.append(ProjectRef(p.code, p.name, m, n))
        where = f"项目{n} {_label(p)}"
        fields = tuple(f for f in PROJECT_FIELDS if f != "seq")
        result.changes += _fields(q, p, fields, where, _label(p))
        result.changes += _rows(q, p, where, _label(p))
    for m, q in enumerate(old.projects, start=1):
        if _key(q) not in new_keys:
            result.removed.append(ProjectRef(q.code, q.name, m, None))
    if with_findings:
        before = {f["key"]: f for f in check_documents([old]).findings if not f.get("waived")}
        after = {f["key"]: f for f in check_documents([new]).findings if not f.get("waived")}
        result.findings_fixed = [f for k, f in before.items() if k not in after]
        result.findings_new = [f for k, f in after.items() if k not in before]
    return result


def diff_lines(d: DocumentDiff) -> list[str]:
    """The comparison as Chinese report lines."""
    lines = [f"单位 {d.unit}，{d.year}年度："]
    if not d.changed:
        lines.append("  内容没有变化")
    for p in d.added:
        lines.append(f"  新增项目：{code_and_name(p.code, p.name)}（第{p.new_position}个）")
    for p in d.removed:
        lines.append(f"  删除项目：{code_and_name(p.code, p.name)}（原第{p.old_position}个）")
    for p in d.moved:
        lines.append(f"  项目顺序：{code_and_name(p.code, p.name)} 第{p.old_position}个 → 第{p.new_position}个")
    for c in d.changes:
        if c.kind == "row_added":
            lines.append(f"  {c.where}：新增 {c.new}")
        elif c.kind == "row_removed":
            lines.append(f"  {c.where}：删除 {c.old}")
        else:
            lines.append(f"  {c.where} {c.label}：“{c.old or ''}” → “{c.new or ''}”")
    lines.append(f"  已改正的问题{len(d.findings_fixed)}条，新出现的问题{len(d.findings_new)}条")
    for f in d.findings_fixed:
        lines.append(f"    已改正：{f['rule']} {f['message']}")
    for f in d.findings_new:
        lines.append(f"    新问题：{f['rule']} {f['message']}")
    return lines


def diff_with_reviewed(store: Store, doc_id: int) -> tuple[int, int, DocumentDiff] | None:
    """The latest version of a document against the one last reviewed (the status was set
    on it), or against the version before when none was reviewed; None with one version.

    Returns:
        (old version number, new version number, comparison).
    """
    from app.services.bureau.review import reviewed_version
    from app.services.bureau.versions import list_versions, load_version_of

    numbers = [v.number for v in list_versions(store, doc_id)]
    if len(numbers) < 2:
        return None
    new = numbers[-1]
    old = reviewed_version(store, doc_id)
    if old is None or old >= new or old not in numbers:
        old = numbers[-2]
    return old, new, diff_documents(load_version_of(store, doc_id, old), load_version_of(store, doc_id, new))


CHANGE_KIND = "changed"  # the "severity" of a change mark in the window's views
CHANGE_RULE = "修改"


def change_marks(d: DocumentDiff, doc: Document) -> list[Finding]:
    """The comparison as finding-shaped marks on ``doc`` (the new version as opened), so the
    window marks changed fields and rows in place with the old value in their tooltip.

    ``project`` is the 1-based position in ``doc`` of the project with the change's code
    (changes of projects ``doc`` no longer has are left out); fields are named as findings
    name them (``value``, ``budget_total``); an added row marks its row, a removed row and an
    added or moved project mark the project.
    """
    positions = {_label(p): n for n, p in enumerate(doc.projects, start=1)}
    out: list[Finding] = []

    def mark(message: str, project: int | None, row: int | None = None, field: str | None = None,
             item: int | None = None) -> None:
        code = doc.projects[project - 1].code if project else None
        out.append(Finding(CHANGE_RULE, CHANGE_KIND, message, CHANGE_RULE, doc.unit.code, doc.year, project,
                           code, row, field, f"CHG|{project}|{row}|{field}|{item}|{len(out)}", item=item))

    for p in d.added:
        mark("新增的项目", p.new_position)
    for p in d.moved:
        mark(f"项目顺序：原第{p.old_position}个", p.new_position)
    for c in d.changes:
        project = positions.get(c.project) if c.project is not None else None
        if c.project is not None and project is None:
            continue
        if c.kind == "row_added":
            mark("新增的指标行", project, c.row)
        elif c.kind == "row_removed":
            mark(f"删除了原第{c.row}行：{c.old or ''}", project)
        elif c.project is None:
            item = re.search(r"第(\d+)项$", c.where)
            field = {"分项绩效目标": "subgoals", "工作保障措施": "measures"}.get(c.where.split("第")[0], c.field)
            mark(f"{c.label}原为“{c.old or ''}”", None, None, field, int(item.group(1)) if item else None)
        else:
            mark(f"{c.label}原为“{c.old or ''}”", project, c.row, c.field.removesuffix("_raw"))
    return out
