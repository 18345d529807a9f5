"""Copies of model objects without identity (new rows when stored).

Used when content moves between documents: imports merging into a stored document,
duplicating a project, carrying a project over to the next budget year.
"""

from __future__ import annotations

from typing import TypeVar

from app.models.document import Base, Indicator, Measure, Project, SubGoal

T = TypeVar("T", bound=Base)

# A copy is a new row: it starts at version 1, changed by whoever stores it.
_SKIP = {"id", "document_id", "project_id", "unit_id", "version", "changed_by"}


def copy_columns(obj: T) -> T:
    """A new object of the same class with the same column values (no id, no parent)."""
    cls = type(obj)
    values = {
        c.key: getattr(obj, c.key)
        for c in obj.__table__.columns
        if c.key not in _SKIP
    }
    return cls(**values)


def clone_project(project: Project, with_executions: bool = True) -> Project:
    """A deep copy of a project with its indicators and (unless told not to) its 执行数.

    Args:
        with_executions: copy the recorded actual spending too. True for the same project
            moving (import, export, undo); False for a new project made from it (a
            duplicate, next year's carry-over), whose spending starts from nothing.
    """
    new = copy_columns(project)
    new.indicators = [copy_columns(i) for i in project.indicators]
    new.executions = [copy_columns(e) for e in project.executions] if with_executions else []
    return new


def clone_subgoal(item: SubGoal) -> SubGoal:
    """A copy of a 分项绩效目标 item."""
    return copy_columns(item)


def clone_measure(item: Measure) -> Measure:
    """A copy of a 工作保障措施 item."""
    return copy_columns(item)


def clone_indicator(item: Indicator) -> Indicator:
    """A copy of an indicator row."""
    return copy_columns(item)
