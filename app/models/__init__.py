"""The one data model of a document (SQLAlchemy 2 ORM). Never imports Qt."""

from app.models.document import (
    AMOUNT_FIELDS,
    PLAN_FIELDS,
    PLAN_LABELS,
    PLAN_MONTHS,
    Base,
    ChangeCounter,
    ChangeLog,
    Document,
    Execution,
    Indicator,
    Measure,
    Project,
    SubGoal,
    Unit,
    Waiver,
)
from app.models.values import ParsedValue, ValueKind, parse_amount, parse_percent, parse_value

__all__ = [
    "AMOUNT_FIELDS",
    "PLAN_FIELDS",
    "PLAN_LABELS",
    "PLAN_MONTHS",
    "Base",
    "ChangeCounter",
    "ChangeLog",
    "Document",
    "Execution",
    "Indicator",
    "Measure",
    "ParsedValue",
    "Project",
    "SubGoal",
    "Unit",
    "ValueKind",
    "Waiver",
    "parse_amount",
    "parse_percent",
    "parse_value",
]
