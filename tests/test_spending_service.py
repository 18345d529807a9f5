"""The spending-plan calendar: interpolation, blanks, amounts, totals, bands, lagging."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.models import Project
from app.services.errors import PerfGoalsError
from app.services.formats.importing import commit_documents
from app.services.spending import plan as spending
from app.services.spending.plan import (
    DEFAULT_BANDS,
    CellState,
    PointKind,
    band_for,
    bands_from_config,
    lag_at_next_checkpoint,
    load_bands,
    normalize_plan_text,
    project_execution,
    project_plan,
    unit_plan,
    unit_rate,
)
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.workspace.ops import Ref, SetExecution
from app.services.workspace.workspace import Workspace
from tests.factories import spending_document


def record_execution(store: Store, p: Project, month: int, text: str | None) -> str | None:
    """Record through the workspace (the only writer); the text recorded before."""
    ws = Workspace(store)  # adopts the open document of ``p``
    inverse, _ = ws.apply(SetExecution(ws.ref_of(p), month, text))
    assert isinstance(inverse, SetExecution)
    return inverse.text


def clear_execution(store: Store, p: Project, month: int) -> str | None:
    return record_execution(store, p, month, None)

D = Decimal


def _project(budget: str | None = "200.00", mar=None, jun=None, oct=None, dec=None) -> Project:
    return Project(budget_total_raw=budget, plan_mar_raw=mar, plan_jun_raw=jun,
                   plan_oct_raw=oct, plan_dec_raw=dec)


def test_full_plan_interpolates_between_checkpoints() -> None:
    plan = project_plan(_project("200.00", "25%", "50%", "75.5%", "100%"))
    kinds = [pt.kind for pt in plan.points]
    assert [m for m, k in enumerate(kinds, 1) if k is PointKind.ENTERED] == [3, 6, 10, 12]
    assert all(k is PointKind.INTERPOLATED for m, k in enumerate(kinds, 1) if m not in (3, 6, 10, 12))
    assert plan.at(1).percent == D("8.33") and plan.at(1).amount == D("16.67")
    assert plan.at(2).percent == D("16.67") and plan.at(2).amount == D("33.33")
    assert plan.at(3).percent == D("25") and plan.at(3).amount == D("50.00")
    assert plan.at(4).percent == D("33.33")
    assert plan.at(7).percent == D("56.38") and plan.at(7).amount == D("112.75")
    assert plan.at(10).amount == D("151.00")
    assert plan.at(12).amount == D("200.00")
    assert plan.at(3).cell is CellState.FILLED and plan.at(4).cell is None
    assert plan.at(3).checkpoint and not plan.at(4).checkpoint


def test_only_december_filled_is_spread_evenly_and_blanks_marked() -> None:
    plan = project_plan(_project("100", " ", " ", " ", "100%"))  # seed T1
    assert [pt.percent for pt in plan.points[:3]] == [D("8.33"), D("16.67"), D("25.00")]
    mar = plan.at(3)
    assert mar.kind is PointKind.INTERPOLATED and mar.cell is CellState.BLANK
    assert plan.at(6).amount == D("50.00")


def test_blank_middle_checkpoint_is_interpolated_across() -> None:
    plan = project_plan(_project("12.42", "30%", None, "80%", "100%"))  # seed T2
    jun = plan.at(6)
    assert jun.percent == D("51.43") and jun.kind is PointKind.INTERPOLATED
    assert jun.cell is CellState.BLANK and jun.amount == D("6.39")  # 30% + 50% × 3/7


def test_months_after_the_last_known_point_are_unknown() -> None:
    plan = project_plan(_project("100", "25%", "50%", "75%", None))
    assert plan.at(10).kind is PointKind.ENTERED
    assert [(pt.percent, pt.kind) for pt in plan.points[10:]] == [(None, PointKind.UNKNOWN)] * 2
    assert plan.at(12).cell is CellState.BLANK
    nothing = project_plan(_project("100"))
    assert all(pt.kind is PointKind.UNKNOWN and pt.amount is None for pt in nothing.points)


def test_unreadable_checkpoint_is_marked_and_skipped() -> None:
    plan = project_plan(_project("100", "约三成", "50%", "75%", "100%"))
    assert plan.at(3).cell is CellState.INVALID
    assert plan.at(3).kind is PointKind.INTERPOLATED and plan.at(3).percent == D("25.00")


def test_no_budget_gives_percent_but_no_amount() -> None:
    plan = project_plan(_project(None, "25%", "50%", "75%", "100%"))
    assert plan.at(3).percent == D("25") and plan.at(3).amount is None


def test_unit_totals_and_shares() -> None:
    doc = spending_document()
    up = unit_plan(doc)
    assert up.budget == D("312.42")
    dec = up.at(12)
    assert dec.amount == D("312.42") and dec.percent == D("100.00") and dec.complete
    mar = up.at(3)
    # 50.00 (entered) + 25.00 (100 × 3/12) + 3.73 (12.42 × 30%)
    assert mar.amount == D("78.73") and mar.interpolated
    assert mar.percent == D("25.20")
    assert [(s.index, s.amount, s.share) for s in mar.shares] == [
        (0, D("50.00"), D("63.51")), (1, D("25.00"), D("31.75")), (2, D("3.73"), D("4.74")),
    ]
    assert mar.shares[1].name == "特种设备安全监管"
    assert mar.executed == D("55.50")  # 55.5 + 0
    assert up.at(4).executed is None


def test_unit_total_incomplete_when_a_project_is_unknown() -> None:
    doc = spending_document()
    doc.projects[2].plan_dec_raw = None
    up = unit_plan(doc)
    assert not up.at(11).complete and up.at(10).complete


@pytest.mark.parametrize(
    ("text", "stored"),
    [("25", "25%"), (" 25.5 ", "25.5%"), ("30%", "30%"), ("30％", "30％"), ("", None),
     ("  ", None), (None, None), ("约三成", "约三成")],
)
def test_typed_checkpoint_text(text, stored) -> None:
    assert normalize_plan_text(text) == stored


@pytest.mark.parametrize(
    ("rate", "color"),
    [(D("0"), "red"), (D("59.99"), "red"), (D("60"), "yellow"), (D("79.99"), "yellow"),
     (D("80"), "green"), (D("130"), "green"), (None, None)],
)
def test_bands(rate, color) -> None:
    band = band_for(rate, DEFAULT_BANDS)
    assert (band.color if band else None) == color


def test_bands_come_from_the_rule_profile(monkeypatch) -> None:
    assert load_bands("hebei2015") == DEFAULT_BANDS  # the shipped profile holds the province's bands
    assert load_bands("cz2021") == DEFAULT_BANDS
    assert load_bands("missing") == DEFAULT_BANDS
    assert load_bands("../etc/passwd") == DEFAULT_BANDS
    configs = {
        "strict": {"monitoring": {"bands": [{"below": 70, "color": "red"}, {"below": 90, "color": "yellow"},
                                            {"color": "green"}]}},
        "broken": {"monitoring": {"bands": [{"below": 50, "color": "red"}]}},  # no open last band
        "none": {},
    }
    monkeypatch.setattr(spending, "_profile_config", lambda name: configs[name])
    strict = load_bands("strict")
    assert band_for(D("65"), strict).color == "red" and band_for(D("85"), strict).color == "yellow"
    assert band_for(D("90"), strict).color == "green"
    assert load_bands("broken") == DEFAULT_BANDS
    assert load_bands("none") == DEFAULT_BANDS
    assert bands_from_config({"monitoring": {"bands": [{"below": 60, "color": "red"}, {"below": 80, "color": "yellow"},
                                                        {"color": "green"}]}}) == DEFAULT_BANDS


def test_execution_rate_and_band_by_month() -> None:
    doc = spending_document()
    ex = project_execution(doc.projects[0])
    jan, feb, mar = ex.at(1), ex.at(2), ex.at(3)
    assert (jan.actual, jan.planned, jan.rate, jan.band.color) == (D("10.00"), D("16.67"), D("59.99"), "red")
    assert (feb.rate, feb.band.color) == (D("60.01"), "yellow")
    assert (mar.rate, mar.band.color) == (D("111.00"), "green")
    assert ex.at(4).rate is None and ex.at(4).band is None
    assert ex.latest is mar and ex.lag is None
    up = unit_plan(doc)
    assert unit_rate(up, 3) == D("74.00")  # (55.5 + 0) / (50 + 25)
    assert unit_rate(up, 5) is None


def test_lagging_project_is_flagged_for_the_next_checkpoint() -> None:
    doc = spending_document()
    p2 = project_execution(doc.projects[1])  # nothing spent by March; June plans 50.00
    assert p2.lag is not None
    assert (p2.lag.as_of, p2.lag.checkpoint, p2.lag.planned, p2.lag.needed) == (3, 6, D("50.00"), D("50.00"))
    assert "6月底" in p2.lag.message and "50.00" in p2.lag.message
    plan = project_plan(doc.projects[0])
    # by February 10 spent: at that pace March reaches 15.00 of the 50.00 planned (30%)
    lag = lag_at_next_checkpoint(plan, {1: D("5"), 2: D("10")})
    assert (lag.checkpoint, lag.projected, lag.planned, lag.rate) == (3, D("15.00"), D("50.00"), D("30.00"))
    # by April 80 spent: June at that pace = 120 ≥ 100 planned
    assert lag_at_next_checkpoint(plan, {4: D("80")}) is None
    # by March 45 spent: June at that pace 90 of 100 = 90%, inside the normal band
    assert lag_at_next_checkpoint(plan, {3: D("45")}) is None
    assert lag_at_next_checkpoint(plan, {}) is None
    assert lag_at_next_checkpoint(plan, {11: D("120")}).checkpoint == 12
    assert lag_at_next_checkpoint(plan, {12: D("150")}).rate == D("75.00")
    assert lag_at_next_checkpoint(plan, {12: D("170")}) is None


def test_record_and_clear_execution_commit_at_once(store: Store) -> None:
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    p = doc.projects[2]
    assert record_execution(store, p, 6, " 8.00 ") is None
    assert [(e.month, e.amount) for e in p.executions] == [(6, D("8.00"))]
    assert p.executions[0].id is not None
    assert record_execution(store, p, 3, "3.5") is None
    assert [e.month for e in p.executions] == [3, 6]  # kept in month order
    assert record_execution(store, p, 6, "9") == "8.00"
    (again,) = load_documents(store)
    assert [(e.month, e.amount_raw) for e in again.projects[2].executions] == [(3, "3.5"), (6, "9")]
    assert again.updated_at is not None and again.updated_at != doc.updated_at
    assert clear_execution(store, p, 3) == "3.5"
    assert clear_execution(store, p, 3) is None
    (again,) = load_documents(store)
    assert [e.month for e in again.projects[2].executions] == [6]
    assert [e.month for e in p.executions] == [6]


@pytest.mark.parametrize(("text", "message"), [("很多", "不是有效的金额"), ("-3", "不能为负数")])
def test_bad_execution_text_changes_nothing(store: Store, text: str, message: str) -> None:
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    with pytest.raises(PerfGoalsError, match=message):
        record_execution(store, doc.projects[0], 4, text)
    (again,) = load_documents(store)
    assert [e.month for e in again.projects[0].executions] == [1, 2, 3]


def test_execution_of_a_missing_project_or_month_is_refused(store: Store) -> None:
    commit_documents(store, [spending_document()])
    (doc,) = load_documents(store)
    ws = Workspace(store)
    ws.adopt(doc)
    with pytest.raises(LookupError):
        ws.apply(SetExecution(Ref(doc.id, "projects", 99), 2, "1"))
    with pytest.raises(ValueError):
        ws.apply(SetExecution(Ref(doc.id, "projects", 0), 13, "1"))


def test_formatting() -> None:
    assert spending.format_amount(D("3.726")) == "3.73" and spending.format_amount(None) == ""
    assert spending.format_pct(D("25.20")) == "25.2%" and spending.format_pct(D("100.00")) == "100%"
    assert spending.format_pct(D("8.333")) == "8.33%" and spending.format_pct(None) == ""


@pytest.fixture
def store(both_backends: Store) -> Store:
    """These tests run on SQLite and on PostgreSQL (tests/pg.py)."""
    return both_backends
