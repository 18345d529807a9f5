"""The spending-plan calendar and execution monitoring (资金支出计划与执行监控). No Qt.

A project's 资金支出计划 gives the cumulative share of its budget spent by the end of March,
June, October and December. Here it becomes a 12-month calendar: the months between two
known points are interpolated linearly (the year starts at 0%), a blank or unreadable
checkpoint is interpolated across and marked, and months after the last known point stay
unknown. Percentages become 万元 through the project's 预算数.

During the year the unit records the actual cumulative spending by month (执行数,
:class:`~app.models.Execution`). The execution rate is actual ÷ planned cumulative amount at
that month; the province's monitoring bands (rule profile key ``"monitoring"``) colour it,
and a project is flagged when at its current pace it will miss the plan of the next
checkpoint.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from app.models import PLAN_FIELDS, PLAN_MONTHS, Document, Project
from app.models.values import is_blank, parse_amount
from app.services.errors import PerfGoalsError
from app.services.validation import DEFAULT_PROFILE, load_profile

log = logging.getLogger(__name__)

MONTHS: tuple[int, ...] = tuple(range(1, 13))
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def money(value: Decimal) -> Decimal:
    """Round an amount in 万元 to the cent (0.01), half up as accountants do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def month_label(month: int) -> str:
    """``3`` → ``"3月"``."""
    return f"{month}月"


def format_amount(value: Decimal | None) -> str:
    """An amount in 万元 as shown in tables: two decimals (``"50.00"``); blank for None."""
    return "" if value is None else f"{money(value):.2f}"


def format_pct(value: Decimal | None) -> str:
    """A percentage as shown: at most two decimals, no trailing zeros (``"25.2%"``)."""
    if value is None:
        return ""
    text = f"{money(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


# --------------------------------------------------------------------------- the plan


class PointKind(StrEnum):
    """Where a month's cumulative percentage comes from."""

    ENTERED = "entered"  # a checkpoint as the unit wrote it
    INTERPOLATED = "interpolated"  # a month between two known points
    UNKNOWN = "unknown"  # after the last known point: nothing to interpolate towards


class CellState(StrEnum):
    """What a checkpoint cell holds."""

    FILLED = "filled"
    BLANK = "blank"
    INVALID = "invalid"  # text that is not a percentage (rule D02 reports it)


@dataclass(frozen=True, slots=True)
class PlanPoint:
    """One month of a project's cumulative plan."""

    month: int
    percent: Decimal | None  # cumulative percent (25 = 25%); interpolated values to 0.01
    amount: Decimal | None  # implied cumulative amount in 万元, to 0.01; None without budget
    kind: PointKind
    cell: CellState | None = None  # checkpoints only

    @property
    def checkpoint(self) -> bool:
        return self.cell is not None

    @property
    def interpolated(self) -> bool:
        return self.kind is PointKind.INTERPOLATED


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """The 12-month cumulative plan of one project."""

    project: Project
    budget: Decimal | None
    points: tuple[PlanPoint, ...]

    def at(self, month: int) -> PlanPoint:
        return self.points[month - 1]


def cell_state(raw: str | None, parsed: Decimal | None) -> CellState:
    """Whether a checkpoint cell is filled, blank or holds something unreadable."""
    if is_blank(raw):
        return CellState.BLANK
    return CellState.FILLED if parsed is not None else CellState.INVALID


def interpolate(known: dict[int, Decimal]) -> dict[int, tuple[Decimal | None, PointKind]]:
    """Cumulative percent of every month from the known checkpoint values.

    The year starts at 0% (month 0); a month between two known points lies on the straight
    line between them; months after the last known point are unknown.
    """
    anchors = sorted({0: Decimal(0), **known}.items())
    out: dict[int, tuple[Decimal | None, PointKind]] = {}
    for month in MONTHS:
        if month in known:
            out[month] = (known[month], PointKind.ENTERED)
            continue
        after = next(((m, v) for m, v in anchors if m > month), None)
        if after is None:
            out[month] = (None, PointKind.UNKNOWN)
            continue
        before = max(((m, v) for m, v in anchors if m < month), key=lambda a: a[0])
        (m0, v0), (m1, v1) = before, after
        value = v0 + (v1 - v0) * (month - m0) / (m1 - m0)
        out[month] = (value, PointKind.INTERPOLATED)
    return out


def project_plan(project: Project) -> ProjectPlan:
    """The 12-month calendar of one project's cumulative plan."""
    raws = project.plan_raw()
    values = project.plan()
    states = {m: cell_state(raws[m], values[m]) for m in PLAN_MONTHS}
    known = {m: v for m, v in values.items() if v is not None}
    budget = project.budget_total
    points = []
    for month, (percent, kind) in interpolate(known).items():
        amount = money(budget * percent / HUNDRED) if budget is not None and percent is not None else None
        shown = percent if kind is not PointKind.INTERPOLATED or percent is None else money(percent)
        points.append(PlanPoint(month, shown, amount, kind, states.get(month)))
    return ProjectPlan(project, budget, tuple(points))


@dataclass(frozen=True, slots=True)
class ProjectShare:
    """A project's part of the unit's cumulative plan in one month."""

    index: int  # 0-based position in the document
    name: str
    amount: Decimal
    share: Decimal | None  # percent of the month's unit total, to 0.01


@dataclass(frozen=True, slots=True)
class MonthTotal:
    """The unit's cumulative plan (and recorded execution) at the end of one month."""

    month: int
    amount: Decimal  # sum of the known project amounts, 万元
    percent: Decimal | None  # of the unit's total budget, to 0.01
    complete: bool  # every project with a budget has a known amount this month
    interpolated: bool  # some project's amount is interpolated
    shares: tuple[ProjectShare, ...]
    executed: Decimal | None = None  # sum of the recorded 执行数 of this month; None if none


@dataclass(frozen=True, slots=True)
class UnitPlan:
    """A unit's (document's) calendar: every project's plan and the unit totals by month."""

    projects: tuple[ProjectPlan, ...]
    budget: Decimal  # sum of the projects' 预算数
    months: tuple[MonthTotal, ...]

    def at(self, month: int) -> MonthTotal:
        return self.months[month - 1]


def project_name(project: Project, index: int) -> str:
    """What a person calls a project: its name, else its code, else 项目N."""
    return (project.name or "").strip() or (project.code or "").strip() or f"项目{index + 1}"


def unit_plan(doc: Document | list[Project]) -> UnitPlan:
    """The calendar of a document's projects with unit totals and each project's share."""
    projects = list(doc.projects if isinstance(doc, Document) else doc)
    plans = tuple(project_plan(p) for p in projects)
    budget = sum((p.budget for p in plans if p.budget is not None), Decimal(0))
    months = []
    for month in MONTHS:
        parts = [(n, pl.at(month)) for n, pl in enumerate(plans)]
        known = [(n, pt, pt.amount) for n, pt in parts if pt.amount is not None]
        total = sum((amount for _, _, amount in known), Decimal(0))
        shares = tuple(
            ProjectShare(n, project_name(projects[n], n), amount,
                         money(amount * HUNDRED / total) if total else None)
            for n, _, amount in known
        )
        executed = [a for p in projects if (a := execution_amounts(p).get(month)) is not None]
        months.append(MonthTotal(
            month=month,
            amount=money(total),
            percent=money(total * HUNDRED / budget) if budget else None,
            complete=all(pt.amount is not None for n, pt in parts if plans[n].budget is not None),
            interpolated=any(pt.interpolated for _, pt, _ in known),
            shares=shares,
            executed=money(sum(executed, Decimal(0))) if executed else None,
        ))
    return UnitPlan(plans, budget, tuple(months))


def normalize_plan_text(text: str | None) -> str | None:
    """What a typed checkpoint becomes: ``"25"`` → ``"25%"``; blank → None; else as typed.

    Text that is not a number is kept as written so that rule D02 can point at it.
    """
    if text is None or is_blank(text):
        return None
    stripped = text.strip()
    if parse_amount(stripped) is not None and not stripped.endswith(("%", "％")):
        return f"{stripped}%"
    return stripped


def plan_field(month: int) -> str:
    """The raw field of a checkpoint month: ``3`` → ``"plan_mar_raw"``."""
    return f"{PLAN_FIELDS[month]}_raw"


# --------------------------------------------------------------------------- bands


@dataclass(frozen=True, slots=True)
class Band:
    """A monitoring band: execution rates below ``below`` percent (None = the rest)."""

    below: Decimal | None
    color: str  # "red" / "yellow" / "green"

    @property
    def label(self) -> str:
        return BAND_LABELS.get(self.color, self.color)

    @property
    def hex(self) -> str:
        return BAND_HEX.get(self.color, "#808080")


BAND_LABELS = {"red": "红色预警", "yellow": "黄色提醒", "green": "正常"}
BAND_HEX = {"red": "#d64541", "yellow": "#e0a800", "green": "#2e9d4f"}
# The province's bands; the rule profile's "monitoring" key overrides them.
DEFAULT_BANDS: tuple[Band, ...] = (
    Band(Decimal(60), "red"), Band(Decimal(80), "yellow"), Band(None, "green"),
)


def bands_from_config(config: dict[str, Any]) -> tuple[Band, ...]:
    """Bands from a profile's ``{"monitoring": {"bands": [...]}}``.

    Raises:
        ValueError: the bands are malformed (not ascending, no open last band...).
    """
    entries = (config.get("monitoring") or {}).get("bands")
    if not entries:
        return DEFAULT_BANDS
    bands = []
    for e in entries:
        below = e.get("below")
        if below is not None and (isinstance(below, bool) or not isinstance(below, int | float | str)):
            raise ValueError(f"band limit {below!r} is not a number")
        bands.append(Band(Decimal(str(below)) if below is not None else None, str(e["color"])))
    limits = [b.below for b in bands[:-1]]
    if bands[-1].below is not None or None in limits or limits != sorted(limits):  # type: ignore[type-var]
        raise ValueError("bands must ascend and end with an open band")
    return tuple(bands)


def _profile_config(profile: str) -> dict[str, Any]:
    """The JSON of a rule profile, through the validator's one profile loader."""
    return load_profile(profile).data


def load_bands(profile: str | None) -> tuple[Band, ...]:
    """The monitoring bands of a rule profile (key ``"monitoring"`` of its JSON).

    A missing or unusable profile, or one without bands, gives the province's default
    bands (below 60% red, 60–80% yellow, 80% and above green).
    """
    try:
        return bands_from_config(_profile_config(profile or DEFAULT_PROFILE))
    except (PerfGoalsError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("monitoring bands of profile %s unusable (%s); using defaults", profile, exc)
        return DEFAULT_BANDS


def band_for(rate: Decimal | None, bands: tuple[Band, ...] = DEFAULT_BANDS) -> Band | None:
    """The band of an execution rate in percent (None when there is no rate)."""
    if rate is None:
        return None
    for band in bands:
        if band.below is None or rate < band.below:
            return band
    return bands[-1]


# --------------------------------------------------------------------------- execution


def execution_amounts(project: Project) -> dict[int, Decimal | None]:
    """Recorded actual cumulative amounts by month (None where the text is not a number)."""
    return {e.month: e.amount for e in project.executions}


def execution_rate(actual: Decimal | None, planned: Decimal | None) -> Decimal | None:
    """Actual ÷ planned cumulative amount in percent (to 0.01); None when undefined."""
    if actual is None or planned is None or planned <= 0:
        return None
    return money(actual * HUNDRED / planned)


@dataclass(frozen=True, slots=True)
class MonthExecution:
    """One month of a project's execution against its plan."""

    month: int
    actual: Decimal | None  # recorded cumulative amount (None = not recorded / unreadable)
    raw: str | None  # as typed
    planned: Decimal | None  # planned cumulative amount at that month
    rate: Decimal | None
    band: Band | None


@dataclass(frozen=True, slots=True)
class Lag:
    """A project that, at its pace so far, will miss the plan of the next checkpoint."""

    as_of: int  # the last month with a recorded amount
    checkpoint: int
    actual: Decimal
    projected: Decimal  # actual × checkpoint ÷ as_of: the pace since January carried on
    planned: Decimal
    rate: Decimal  # projected ÷ planned, percent

    @property
    def needed(self) -> Decimal:
        """What must still be spent by the checkpoint."""
        return money(self.planned - self.actual)

    @property
    def message(self) -> str:
        return (
            f"截至{self.as_of}月底累计支出{self.actual}万元，按此进度{self.checkpoint}月底预计"
            f"{self.projected}万元，仅为计划{self.planned}万元的{format_pct(self.rate)}，"
            f"还需支出{self.needed}万元"
        )


@dataclass(frozen=True, slots=True)
class ProjectExecution:
    """A project's execution against its plan, month by month."""

    plan: ProjectPlan
    months: tuple[MonthExecution, ...]
    latest: MonthExecution | None  # the last month with a readable recorded amount
    lag: Lag | None

    def at(self, month: int) -> MonthExecution:
        return self.months[month - 1]


def next_checkpoint(month: int) -> int:
    """The first checkpoint month after ``month`` (December for December)."""
    return next((m for m in PLAN_MONTHS if m > month), PLAN_MONTHS[-1])


def lag_at_next_checkpoint(
    plan: ProjectPlan, actual: dict[int, Decimal | None], bands: tuple[Band, ...] = DEFAULT_BANDS
) -> Lag | None:
    """Flag a project that will miss the next checkpoint at its pace since January.

    The recorded amount of the last month is carried on linearly to the next checkpoint;
    the project lags when that projection, as a rate of the checkpoint's plan, falls below
    the top monitoring band (80% with the province's bands).
    """
    recorded = [m for m, a in actual.items() if a is not None]
    if not recorded:
        return None
    as_of = max(recorded)
    amount = actual[as_of]
    checkpoint = next_checkpoint(as_of)
    planned = plan.at(checkpoint).amount
    if amount is None or planned is None or planned <= 0:
        return None
    projected = money(amount * checkpoint / as_of)
    rate = execution_rate(projected, planned)
    band = band_for(rate, bands)
    if rate is None or band is None or band == bands[-1]:
        return None
    return Lag(as_of, checkpoint, money(amount), projected, planned, rate)


def project_execution(
    project: Project, bands: tuple[Band, ...] = DEFAULT_BANDS, plan: ProjectPlan | None = None
) -> ProjectExecution:
    """Execution rate and band by month, the latest state and the lag flag of one project."""
    plan = plan or project_plan(project)
    raws = {e.month: e.amount_raw for e in project.executions}
    actual = execution_amounts(project)
    months = []
    for month in MONTHS:
        planned = plan.at(month).amount
        amount = actual.get(month)
        rate = execution_rate(amount, planned)
        months.append(MonthExecution(month, amount, raws.get(month), planned, rate, band_for(rate, bands)))
    readable = [m for m in months if m.actual is not None]
    return ProjectExecution(
        plan, tuple(months), readable[-1] if readable else None, lag_at_next_checkpoint(plan, actual, bands)
    )


def unit_execution(doc: Document, bands: tuple[Band, ...] | None = None) -> list[ProjectExecution]:
    """Every project's execution, with the bands of the document's rule profile."""
    bands = bands or load_bands(doc.profile)
    return [project_execution(p, bands) for p in doc.projects]


def unit_rate(plan: UnitPlan, month: int) -> Decimal | None:
    """The unit's execution rate at a month, over the projects with a recorded amount then."""
    planned = Decimal(0)
    actual = Decimal(0)
    for pl in plan.projects:
        amount = execution_amounts(pl.project).get(month)
        target = pl.at(month).amount
        if amount is not None and target is not None:
            actual += amount
            planned += target
    return execution_rate(actual, planned) if planned else None


def check_execution_text(raw: str | None) -> str | None:
    """The text to store for a typed 执行数 (None = clear), or a Chinese error.

    Raises:
        PerfGoalsError: not an amount in 万元, or negative.
    """
    if raw is None or is_blank(raw):
        return None
    text = raw.strip()
    amount = parse_amount(text)
    if amount is None:
        raise PerfGoalsError(f"执行数“{text}”不是有效的金额（万元）")
    if amount < 0:
        raise PerfGoalsError(f"执行数“{text}”不能为负数")
    return text
