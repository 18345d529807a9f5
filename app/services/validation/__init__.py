"""Validation engine (arrives with the validation issue): a pure function of the model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.models import Document


@dataclass(slots=True)
class CheckReport:
    """Findings of a check run (empty until the rule engine lands)."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(f.get("severity") == "error" and not f.get("waived") for f in self.findings)


def check_documents(docs: list[Document]) -> CheckReport:
    """Validate documents (no rules yet)."""
    return CheckReport(summary={"documents": len(docs), "error": 0, "warning": 0, "hint": 0})


def format_report(report: CheckReport) -> str:
    """The readable report of ``check`` (grouped by project once rules exist)."""
    s = report.summary
    return f"共{s.get('documents', 0)}个文档：错误{s.get('error', 0)}，警告{s.get('warning', 0)}，提示{s.get('hint', 0)}"
