"""Findings: what a rule reports, where, and whether a written explanation waives it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalog import FIELD_LABELS, SECTION_LABELS

if TYPE_CHECKING:
    from app.models import Indicator, Project


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule hit at a precise location.

    Attributes:
        rule: rule id (``"G09"``).
        severity: ``error`` / ``warning`` / ``hint``.
        message: Chinese message with the offending values filled in.
        dimension: 完整性 / 相关性 / 适当性 / 可行性 / 格式规范.
        unit: unit code.
        year: budget year.
        project: 1-based position of the project in the document (None for part 1 and
            document-wide findings).
        project_code: the project's code as written (None when blank or not on a project).
        row: 1-based indicator row within the project (None when not on a row).
        field: model attribute (``value``, ``level3``, ``plan_mar``, ``overall_text`` …).
        key: stable location string used to match waivers, e.g.
            ``"G09|P:13020924P00070710002F|R:9|F:value"``.
        waived: True when a stored explanation (出错说明) accepts this finding.
        waiver: that explanation, or None.
        item: 1-based item for part-1 lists (分项 / 保障措施), else None.
    """

    rule: str
    severity: str
    message: str
    dimension: str
    unit: str
    year: int
    project: int | None
    project_code: str | None
    row: int | None
    field: str | None
    key: str
    waived: bool = False
    waiver: str | None = None
    item: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the ``check --json`` entry (its keys in this order, an interface)."""
        return {
            "rule": self.rule, "severity": self.severity, "message": self.message,
            "dimension": self.dimension, "unit": self.unit, "year": self.year,
            "project": self.project, "project_code": self.project_code, "row": self.row,
            "field": self.field, "item": self.item, "key": self.key, "waived": self.waived,
            "waiver": self.waiver,
        }


def place_text(row: int | None, field: str | None, item: int | None = None) -> str:
    """Where inside its project or part 1: “第2项 第3行 指标值” ('' when nowhere precise).

    Args:
        row: 1-based indicator row.
        field: model attribute, shown by its Chinese name (FIELD_LABELS).
        item: 1-based item of a part-1 list (分项 / 保障措施).
    """
    where = []
    if item is not None:
        where.append(f"第{item}项")
    if row is not None:
        where.append(f"第{row}行")
    if field:
        where.append(FIELD_LABELS.get(field) or SECTION_LABELS.get(field) or field)
    return " ".join(where)


def location_text(f: Finding, field: str | None = None) -> str:
    """Where a finding is: “项目5 第3行 指标值” / “部门整体 总体绩效目标”.

    Args:
        field: the field to name instead of ``f.field`` (the window names the field a
            finding without one is shown at).
    """
    head = f"项目{f.project}" if f.project is not None else "部门整体"
    place = place_text(f.row, field or f.field, f.item)
    return f"{head} {place}" if place else head


def waivable(finding: Finding) -> bool:
    """Warnings and hints can be waived with an explanation; errors never."""
    return finding.severity in ("warning", "hint")


@dataclass(slots=True)
class Hit:
    """A raw rule hit before it is placed in its document (internal to the engine).

    ``row`` is the 0-based index of the indicator; ``extra`` distinguishes several hits of
    one rule at one location (e.g. which 二级 is missing) and becomes part of the key.
    """

    rule: str
    message: str
    project: Project | None = None
    row: int | None = None
    field: str | None = None
    extra: str = ""
    item: int | None = None
    indicator: Indicator | None = None


def project_ref(project: Project, position: int) -> str:
    """The project part of a key: its code, or ``#N`` (1-based position) when blank."""
    code = (project.code or "").strip()
    return code if code else f"#{position}"


def make_key(rule: str, project_ref_: str | None, row: int | None, field: str | None,
             extra: str = "", item: int | None = None) -> str:
    """Build the stable location key of a finding (see :class:`Finding`)."""
    parts = [rule]
    if project_ref_ is not None:
        parts.append(f"P:{project_ref_}")
    if item is not None:
        parts.append(f"S:{item}")
    if row is not None:
        parts.append(f"R:{row}")
    if field:
        parts.append(f"F:{field}")
    if extra:
        parts.append(f"X:{extra}")
    return "|".join(parts)


def key_extra(key: str) -> str:
    """The ``X:`` part of a key ('' when none)."""
    _, sep, rest = key.partition("|X:")
    return rest if sep else ""
