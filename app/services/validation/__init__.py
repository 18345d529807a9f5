"""Validation engine: the RULES.md catalogue as a pure function of the data model (no Qt).

Public API (used by the CLI, the window and the other services):

* :class:`Validator` — ``validate_document(doc)``, ``revalidate_project(doc, project)``,
  ``revalidate_part1(doc)``; incremental and cached per document.
* :func:`load_profile` — ``resources/profiles/<name>.json`` (``hebei2015`` / ``cz2021``).
* :class:`Finding`, :func:`waivable`, :data:`RULES` / :func:`rule_info` (the "why" of a rule).
* :func:`review_document` — counts and 优/良/中/差 per project and unit.
* :func:`check_documents` / :func:`format_report` — what ``python -m app check`` prints.
* :data:`CARRY_OVER_RULE` — ``"Y01"`` (延续内容待核实), the one rule beyond RULES.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.models import Document
from app.models.values import code_and_name

from .catalog import (
    DIMENSIONS,
    FIELD_LABELS,
    RULES,
    SEVERITIES,
    SEVERITY_LABELS,
    RuleInfo,
    rule_info,
    severity_rank,
    worst_severity,
)
from .engine import DocumentValidator, Validator, validate
from .findings import Finding, location_text, place_text, waivable
from .profile import DEFAULT_PROFILE, PROFILE_NAMES, Profile, load_profile
from .review import Counts, ProjectReview, UnitReview, grade, review_document
from .rules_carry import RULE_ID as CARRY_OVER_RULE

__all__ = [
    "CARRY_OVER_RULE", "DIMENSIONS", "RULES", "SEVERITIES", "SEVERITY_LABELS", "DEFAULT_PROFILE", "PROFILE_NAMES",
    "FIELD_LABELS", "CheckReport", "Counts", "Finding", "Profile", "ProjectReview", "RuleInfo", "UnitReview",
    "DocumentValidator", "Validator", "check_documents", "findings_at", "format_report", "grade",
    "load_profile", "location_text", "place_text", "review_document", "rule_info", "severity_rank",
    "validate", "waivable", "worst_severity",
]


@dataclass(slots=True)
class CheckReport:
    """Findings of a check run, JSON-ready, with summaries per unit and project."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    reviews: list[UnitReview] = field(default_factory=list)
    objects: list[Finding] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.get("severity") == "error" and not f.get("waived") for f in self.findings)


def findings_at(found: list[Finding], project: int | None = None, row: int | None = None,
                field: str | None = None) -> list[Finding]:
    """The findings at a location (1-based project and row; None matches any)."""
    return [
        f for f in found
        if (project is None or f.project == project) and (row is None or f.row == row)
        and (field is None or f.field == field)
    ]


def check_documents(docs: list[Document], validator: Validator | None = None) -> CheckReport:
    """Validate documents (each with its own profile) and summarise them."""
    validator = validator or Validator()
    report = CheckReport(documents=list(docs))
    total = Counts()
    for doc in docs:
        found = validator.validate_document(doc)
        report.objects.extend(found)
        report.findings.extend(f.to_dict() for f in found)
        review = review_document(doc, found, validator.profile_for(doc))
        report.reviews.append(review)
        total.merge(review.counts)
    label = load_profile(DEFAULT_PROFILE).assessment_label
    report.summary = {
        "documents": len(docs), "error": total.error, "warning": total.warning, "hint": total.hint,
        "waived": total.waived, "by_dimension": total.by_dimension, "assessment_label": label,
        "units": [r.to_dict() for r in report.reviews],
    }
    return report


def _counts_text(c: Counts) -> str:
    text = f"错误{c.error}，警告{c.warning}，提示{c.hint}"
    return text + (f"，已说明{c.waived}" if c.waived else "")


def _line(f: Finding) -> str:
    loc = place_text(f.row, f.field, f.item)
    text = f"    [{SEVERITY_LABELS[f.severity]}] {f.rule} {f.dimension}｜{loc}：{f.message}"
    if f.waived:
        text += f"\n        已说明（出错说明）：{f.waiver}"
    return text


def format_report(report: CheckReport) -> str:
    """The readable report of ``check``: per document, part 1 then each project."""
    out: list[str] = []
    by_doc: dict[tuple[str, int], list[Finding]] = {}
    for f in report.objects:
        by_doc.setdefault((f.unit, f.year), []).append(f)
    for doc, review in zip(report.documents, report.reviews, strict=True):
        found = by_doc.get((review.unit, review.year), [])
        out.append(f"单位 {review.unit} {review.unit_name}，{review.year}年度（规则：{review.profile}）")
        out.append(f"  评估：{review.assessment}（{review.meaning}）——{review.assessment_label}")
        out.append(f"  合计：{_counts_text(review.counts)}")
        by_project: dict[int | None, list[Finding]] = {}  # one pass: linear in the projects
        for f in found:
            by_project.setdefault(f.project, []).append(f)
        part1 = by_project.get(None, [])
        if part1:
            out.append(f"  部门整体绩效目标及全文：{_counts_text(review.part1)}")
            out.extend(_line(f) for f in part1)
        for pr, project in zip(review.projects, doc.projects, strict=True):
            mine = by_project.get(pr.project, [])
            out.append(
                f"  项目{pr.project} {code_and_name(pr.project_code, project.name)}"
                f"：评估{pr.assessment}，{_counts_text(pr.counts)}"
            )
            out.extend(_line(f) for f in mine)
        out.append("")
    s = report.summary
    out.append(
        f"共{s.get('documents', 0)}个文档：错误{s.get('error', 0)}，警告{s.get('warning', 0)}，"
        f"提示{s.get('hint', 0)}，已说明{s.get('waived', 0)}（{s.get('assessment_label', '')}）"
    )
    return "\n".join(out)
