"""The data model of a 部门预算绩效目标 document (SQLAlchemy 2 ORM).

One :class:`Document` is the submission of one :class:`Unit` for one budget year: part 1
(总体绩效目标, 分项绩效目标, 工作保障措施) and its projects, each with an indicator table.
Objects of these classes are also the in-memory model that readers produce, writers consume
and the validator checks: they work the same whether attached to a session or not.

Every text is stored exactly as written (a cell holding one space stays ``" "``). Where a
field has a parsed form (amounts, percentages, 指标值) the parsed columns are derived from
the raw text by ``@validates`` hooks, so the two can never disagree.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from app.models.types import DecimalText
from app.models.values import parse_amount, parse_percent, parse_value

if TYPE_CHECKING:
    from app.models.review import Opinion


class Base(DeclarativeBase):
    """Declarative base of every table."""

    def __init__(self, **kwargs: Any) -> None:
        # Column defaults normally appear only at flush; readers and the validator work on
        # objects that are never flushed, so apply scalar defaults at construction. Defaults
        # first: a given raw text then derives its parsed columns over them.
        for column in self.__table__.columns:
            default = column.default
            if column.key not in kwargs and default is not None and default.is_scalar:
                setattr(self, column.key, default.arg)
        for key, value in kwargs.items():
            if not hasattr(type(self), key):
                raise TypeError(f"{key!r} is an invalid keyword argument for {type(self).__name__}")
            setattr(self, key, value)


class Unit(Base):
    """A budget unit (预算单位), e.g. ``422001`` 曹妃甸区市场监督管理局本级."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    # 财政区划代码, the first six characters of the unit's project codes (130209 = 曹妃甸区).
    region_code: Mapped[str | None] = mapped_column(String(16), default=None)

    documents: Mapped[list[Document]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="Document.year"
    )


class Document(Base):
    """One unit's performance targets for one budget year."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    # The unit line exactly as printed above each project table ("422001曹妃甸区…本级").
    unit_line: Mapped[str | None] = mapped_column(Text, default=None)
    # Indicator framework profile the document is checked against ("hebei2015", "cz2021").
    profile: Mapped[str] = mapped_column(String(32), default="hebei2015")
    # Part 1 present at all (a file may hold project tables only).
    has_part1: Mapped[bool] = mapped_column(default=False)
    overall_label: Mapped[str | None] = mapped_column(Text, default=None)  # "总体绩效信息："
    overall_text: Mapped[str | None] = mapped_column(Text, default=None)
    subgoals_label: Mapped[str | None] = mapped_column(Text, default=None)  # "分项绩效目标："
    measures_label: Mapped[str | None] = mapped_column(Text, default=None)  # "工作保障措施："
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    # Row version: bumped by every commit that touches the document or its part 1, and who
    # made it (several writers on a server database, app.services.storage.changes).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    changed_by: Mapped[str | None] = mapped_column(Text, default=None)

    unit: Mapped[Unit] = relationship(back_populates="documents", lazy="joined")
    subgoals: Mapped[list[SubGoal]] = relationship(
        back_populates="document", cascade="all, delete-orphan",
        order_by="SubGoal.position", lazy="selectin",
    )
    measures: Mapped[list[Measure]] = relationship(
        back_populates="document", cascade="all, delete-orphan",
        order_by="Measure.position", lazy="selectin",
    )
    projects: Mapped[list[Project]] = relationship(
        back_populates="document", cascade="all, delete-orphan",
        order_by="Project.position", lazy="selectin",
    )
    waivers: Mapped[list[Waiver]] = relationship(
        back_populates="document", cascade="all, delete-orphan",
        order_by="Waiver.id", lazy="selectin",
    )
    # 审核意见 of the finance bureau and the unit's answers (app.models.review).
    opinions: Mapped[list[Opinion]] = relationship(
        back_populates="document", cascade="all, delete-orphan",
        order_by="Opinion.id", lazy="selectin",
    )


class SubGoal(Base):
    """An item of 二、分项绩效目标: ``（一）名称`` with its 绩效目标 and optional 绩效指标."""

    __tablename__ = "subgoal"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    # The label actually used before the goal text: "绩效目标：" or, wrongly, "绩效评价：".
    goal_label: Mapped[str | None] = mapped_column(Text, default=None)
    goal_text: Mapped[str | None] = mapped_column(Text, default=None)
    indicator_label: Mapped[str | None] = mapped_column(Text, default=None)
    indicator_text: Mapped[str | None] = mapped_column(Text, default=None)

    document: Mapped[Document] = relationship(back_populates="subgoals")


class Measure(Base):
    """An item of 三、工作保障措施: ``1、标题`` followed by text."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str | None] = mapped_column(Text, default=None)

    document: Mapped[Document] = relationship(back_populates="measures")


PLAN_MONTHS: tuple[int, ...] = (3, 6, 10, 12)
PLAN_LABELS: dict[int, str] = {3: "3月底", 6: "6月底", 10: "10月底", 12: "12月底"}
AMOUNT_FIELDS: tuple[str, ...] = ("budget_total", "budget_fiscal", "budget_other")


class Project(Base):
    """A budget project and its 绩效目标表 (basic information + indicators)."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The N of the heading "N.项目名称绩效目标表" as printed (None when there is no heading).
    seq: Mapped[int | None] = mapped_column(Integer, default=None)
    heading: Mapped[str | None] = mapped_column(Text, default=None)
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    name: Mapped[str | None] = mapped_column(Text, default=None)

    # Amounts in 万元: raw cell text and its Decimal (None = blank or not a number).
    budget_total_raw: Mapped[str | None] = mapped_column(Text, default=None)
    budget_total: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)
    budget_fiscal_raw: Mapped[str | None] = mapped_column(Text, default=None)
    budget_fiscal: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)
    budget_other_raw: Mapped[str | None] = mapped_column(Text, default=None)
    budget_other: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)

    purpose: Mapped[str | None] = mapped_column(Text, default=None)  # 资金用途

    # Cumulative spending plan: raw text ("25%", " ") and percent value (Decimal("25")).
    plan_mar_raw: Mapped[str | None] = mapped_column(Text, default=None)
    plan_mar: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)
    plan_jun_raw: Mapped[str | None] = mapped_column(Text, default=None)
    plan_jun: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)
    plan_oct_raw: Mapped[str | None] = mapped_column(Text, default=None)
    plan_oct: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)
    plan_dec_raw: Mapped[str | None] = mapped_column(Text, default=None)
    plan_dec: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)

    goal: Mapped[str | None] = mapped_column(Text, default=None)  # 绩效目标
    # Row version, bumped by every commit touching the project or its indicators / 执行数.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    changed_by: Mapped[str | None] = mapped_column(Text, default=None)

    document: Mapped[Document] = relationship(back_populates="projects")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="Indicator.position", lazy="selectin",
    )
    # Actual cumulative spending recorded during the year (执行数), by month.
    executions: Mapped[list[Execution]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by="Execution.month", lazy="selectin",
    )

    @validates("budget_total_raw", "budget_fiscal_raw", "budget_other_raw")
    def _derive_amount(self, key: str, raw: str | None) -> str | None:
        setattr(self, key.removesuffix("_raw"), parse_amount(raw))
        return raw

    @validates("plan_mar_raw", "plan_jun_raw", "plan_oct_raw", "plan_dec_raw")
    def _derive_percent(self, key: str, raw: str | None) -> str | None:
        setattr(self, key.removesuffix("_raw"), parse_percent(raw))
        return raw

    def plan(self) -> dict[int, Decimal | None]:
        """The cumulative plan as {month: percent or None}."""
        return {3: self.plan_mar, 6: self.plan_jun, 10: self.plan_oct, 12: self.plan_dec}

    def plan_raw(self) -> dict[int, str | None]:
        """The cumulative plan cells as written, {month: text}."""
        return {
            3: self.plan_mar_raw, 6: self.plan_jun_raw,
            10: self.plan_oct_raw, 12: self.plan_dec_raw,
        }


PLAN_FIELDS: dict[int, str] = {3: "plan_mar", 6: "plan_jun", 10: "plan_oct", 12: "plan_dec"}


class Indicator(Base):
    """One row of a project's indicator table."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    level1: Mapped[str | None] = mapped_column(Text, default=None)  # 一级指标
    level2: Mapped[str | None] = mapped_column(Text, default=None)  # 二级指标
    level3: Mapped[str | None] = mapped_column(Text, default=None)  # 三级指标
    description: Mapped[str | None] = mapped_column(Text, default=None)  # 绩效指标描述
    value_raw: Mapped[str | None] = mapped_column(Text, default=None)  # 指标值 as written
    basis: Mapped[str | None] = mapped_column(Text, default=None)  # 指标值确定依据

    # Parsed form of value_raw (see app.models.values.parse_value).
    value_kind: Mapped[str] = mapped_column(String(16), default="blank")
    comparator: Mapped[str | None] = mapped_column(String(4), default=None)
    number: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)
    unit: Mapped[str | None] = mapped_column(String(16), default=None)

    project: Mapped[Project] = relationship(back_populates="indicators")

    @validates("value_raw")
    def _derive_value(self, key: str, raw: str | None) -> str | None:
        parsed = parse_value(raw)
        self.value_kind = parsed.kind.value
        self.comparator = parsed.comparator
        self.number = parsed.number
        self.unit = parsed.unit
        return raw


class Execution(Base):
    """Actual cumulative spending of a project by the end of one month (执行数, 万元).

    Recorded during the year and compared with the spending plan; one row per project and
    month. The amount is kept as written, with its Decimal derived like the budget amounts.
    """

    __tablename__ = "execution"
    __table_args__ = (
        UniqueConstraint("project_id", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="ck_execution_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[int] = mapped_column(Integer)
    amount_raw: Mapped[str | None] = mapped_column(Text, default=None)
    amount: Mapped[Decimal | None] = mapped_column(DecimalText, default=None)

    project: Mapped[Project] = relationship(back_populates="executions")

    @validates("amount_raw")
    def _derive_amount(self, key: str, raw: str | None) -> str | None:
        self.amount = parse_amount(raw)
        return raw


class Waiver(Base):
    """A written explanation (出错说明) that accepts a validation warning or hint.

    The location is a stable key built by the validator (rule id + where); project and
    indicator references let a waiver follow its row when rows move and vanish with it.
    """

    __tablename__ = "waiver"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(8))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), default=None, index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), default=None, index=True
    )
    field: Mapped[str | None] = mapped_column(String(32), default=None)
    location: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    document: Mapped[Document] = relationship(back_populates="waivers")
    project: Mapped[Project | None] = relationship()
    indicator: Mapped[Indicator | None] = relationship()


class ChangeCounter(Base):
    """One row: the number of committed changes, polled by other windows (ChangeWatcher)."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer, default=0)


class ChangeLog(Base):
    """Which document / project the commit numbered ``seq`` touched, and from where.

    ``origin`` identifies the open database connection (one window or batch), so a window
    skips its own changes; rows are pruned when a database is opened.
    """

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    origin: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int | None] = mapped_column(Integer, default=None)
    project_id: Mapped[int | None] = mapped_column(Integer, default=None)
    changed_by: Mapped[str | None] = mapped_column(Text, default=None)
