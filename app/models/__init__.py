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
from app.models.review import (
    STATUSES,
    DocumentVersion,
    Opinion,
    ReviewState,
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
    "DocumentVersion",
    "Execution",
    "Indicator",
    "Measure",
    "Opinion",
    "ParsedValue",
    "Project",
    "ReviewState",
    "STATUSES",
    "SubGoal",
    "Unit",
    "ValueKind",
    "Waiver",
    "parse_amount",
    "parse_percent",
    "parse_value",
]
