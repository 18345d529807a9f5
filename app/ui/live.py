"""Live validation of the open documents, and where findings point.

One validator per open document (it may cache per-project results); after each edit the
window revalidates the edited project and pushes the findings to every view. The window
shows exactly what the validator finds (the same findings as ``python -m app check``).
Findings are duck-typed: ``rule, severity, message, dimension, project (1-based), row
(1-based or None), field, key, waived, waiver``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.models import Document, Project
from app.services.validation import Validator

Finding = Any
ValidatorFactory = Callable[[Document], Any]

SEVERITY_ZH = {"error": "错误", "warning": "警告", "hint": "提示"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "hint": 2}
DIMENSIONS = ("完整性", "相关性", "适当性", "可行性", "格式规范")

# Field of a finding by rule prefix, for findings that do not name a field.
_RULE_FIELDS = {
    "A01": "overall_text", "A08": "overall_text", "A10": "overall_text",
    "A02": "subgoals", "A03": "subgoals", "A04": "subgoals", "A06": "subgoals", "A07": "subgoals",
    "A09": "subgoals", "A05": "measures",
    "B01": "code", "B02": "code", "B03": "code", "B04": "code", "B05": "code", "B06": "code",
    "B07": "name", "B08": "name",
    "C01": "budget_total", "C02": "budget_fiscal", "C03": "budget_total", "C04": "purpose",
    "C05": "goal", "C06": "purpose", "C07": "purpose",
    "D01": "plan", "D02": "plan", "D03": "plan", "D04": "plan_dec", "D05": "plan",
    "E": "goal", "F": "level3", "G": "value", "H": "basis",
}
_ALIASES = {"value_raw": "value", "indicator_value": "value", "budget": "budget_total",
            "subgoal": "subgoals", "measure": "measures"}


def finding_field(f: Finding) -> str | None:
    """The field a finding is about, normalised (``value``, ``level3``, ``budget_total``…)."""
    field = getattr(f, "field", None)
    if field:
        field = _ALIASES.get(field, field)
        return field.removesuffix("_raw")
    rule = getattr(f, "rule", "") or ""
    return _RULE_FIELDS.get(rule) or _RULE_FIELDS.get(rule[:1])


def is_error(f: Finding) -> bool:
    return getattr(f, "severity", "") == "error"


def active(findings: list[Finding]) -> list[Finding]:
    """Findings not waived."""
    return [f for f in findings if not getattr(f, "waived", False)]


def counts(findings: list[Finding]) -> dict[str, int]:
    """Unwaived findings by severity."""
    out = {"error": 0, "warning": 0, "hint": 0}
    for f in active(findings):
        sev = getattr(f, "severity", "hint")
        out[sev] = out.get(sev, 0) + 1
    return out


def project_counts(findings: list[Finding]) -> dict[int | None, dict[str, int]]:
    """Unwaived counts by 1-based project number (None = part 1 / document)."""
    out: dict[int | None, dict[str, int]] = {}
    for f in active(findings):
        c = out.setdefault(getattr(f, "project", None), {"error": 0, "warning": 0, "hint": 0})
        sev = getattr(f, "severity", "hint")
        c[sev] = c.get(sev, 0) + 1
    return out


def default_factory(doc: Document) -> Any:
    """A validator that checks each document against its own ``Document.profile``."""
    return Validator()


class LiveValidation:
    """Validators and current findings of the open documents."""

    factory: ValidatorFactory = staticmethod(default_factory)  # tests may swap it

    def __init__(self) -> None:
        self._validators: dict[int, Any] = {}
        self.findings: dict[int, list[Finding]] = {}

    def _validator(self, doc: Document) -> Any | None:
        if doc.id not in self._validators:
            self._validators[doc.id] = type(self).factory(doc)
        return self._validators[doc.id]

    def validate(self, doc: Document, fresh: bool = True) -> list[Finding]:
        """Validate the whole document (``fresh``: on opening it), or after an edit of part 1,
        of waivers or of the project list (only the part-1 and cross-project rules rerun;
        projects not seen before are validated as needed)."""
        v = self._validator(doc)
        if v is None:
            found = []
        elif not fresh and hasattr(v, "revalidate_part1"):
            found = list(v.revalidate_part1(doc))
        else:
            found = list(v.validate_document(doc))
        self.findings[doc.id] = found
        return self.findings[doc.id]

    def revalidate(self, doc: Document, project: Project) -> list[Finding]:
        """Revalidate after an edit of ``project`` (cross-project and part-1 rules kept current)."""
        v = self._validator(doc)
        found = list(v.revalidate_project(doc, project)) if v is not None else []
        self.findings[doc.id] = found
        return self.findings[doc.id]

    def forget(self, doc_id: int) -> None:
        self._validators.pop(doc_id, None)
        self.findings.pop(doc_id, None)
