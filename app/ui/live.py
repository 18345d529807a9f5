"""Live validation of the open documents, and where findings point.

One validator per open document (it may cache per-project results); after each edit the
window revalidates the edited project and pushes the findings to every view. The window
shows exactly what the validator finds (the same findings as ``python -m app check``):
:class:`app.services.validation.Finding` values, from a :class:`DocumentValidator`.
"""

from __future__ import annotations

from collections.abc import Callable

from app.models import Document, Project
from app.services.validation import (
    SEVERITIES,
    SEVERITY_LABELS,
    DocumentValidator,
    Finding,
    Validator,
)

ValidatorFactory = Callable[[Document], DocumentValidator]

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
    if f.field:
        return _ALIASES.get(f.field, f.field).removesuffix("_raw")
    return _RULE_FIELDS.get(f.rule) or _RULE_FIELDS.get(f.rule[:1])


def active(findings: list[Finding]) -> list[Finding]:
    """Findings not waived."""
    return [f for f in findings if not f.waived]


def counts(findings: list[Finding]) -> dict[str, int]:
    """Unwaived findings by severity."""
    out = dict.fromkeys(SEVERITIES, 0)
    for f in active(findings):
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def counts_text(c: dict[str, int]) -> str:
    """“错误 3　警告 5　提示 2”: the status bar's and the problems panel's count line."""
    return "　".join(f"{SEVERITY_LABELS[k]} {c.get(k, 0)}" for k in SEVERITIES)


def project_counts(findings: list[Finding]) -> dict[int | None, dict[str, int]]:
    """Unwaived counts by 1-based project number (None = part 1 / document)."""
    out: dict[int | None, dict[str, int]] = {}
    for f in active(findings):
        c = out.setdefault(f.project, dict.fromkeys(SEVERITIES, 0))
        c[f.severity] = c.get(f.severity, 0) + 1
    return out


def default_factory(doc: Document) -> DocumentValidator:
    """A validator that checks each document against its own ``Document.profile``."""
    return Validator()


class LiveValidation:
    """Validators and current findings of the open documents."""

    factory: ValidatorFactory = staticmethod(default_factory)  # tests may swap it

    def __init__(self) -> None:
        self._validators: dict[int, DocumentValidator] = {}
        self.findings: dict[int, list[Finding]] = {}

    def _validator(self, doc: Document) -> DocumentValidator:
        if doc.id not in self._validators:
            self._validators[doc.id] = type(self).factory(doc)
        return self._validators[doc.id]

    def validate(self, doc: Document, fresh: bool = True) -> list[Finding]:
        """Validate the whole document (``fresh``: on opening it), or after an edit of part 1,
        of waivers or of the project list (only the part-1 and cross-project rules rerun;
        projects not seen before are validated as needed)."""
        v = self._validator(doc)
        found = list(v.validate_document(doc) if fresh else v.revalidate_part1(doc))
        self.findings[doc.id] = found
        return self.findings[doc.id]

    def revalidate(self, doc: Document, project: Project) -> list[Finding]:
        """Revalidate after an edit of ``project`` (cross-project and part-1 rules kept current)."""
        found = list(self._validator(doc).revalidate_project(doc, project))
        self.findings[doc.id] = found
        return self.findings[doc.id]

    def forget(self, doc_id: int) -> None:
        self._validators.pop(doc_id, None)
        self.findings.pop(doc_id, None)
