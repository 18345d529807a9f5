"""The shape of the native JSON format, checked before any object is built.

A file from elsewhere is a tree of arbitrary JSON values. :func:`validate_payload` walks it
once against the format's types, ranges and lengths and names the first problem by its JSON
path (``documents[1].projects[3].name``), so :mod:`json_format` only ever builds documents
from well-formed data and nothing a hostile file holds can reach the models or the database
(wrong types, lone surrogates, years of 10^30, 100,000 projects). Limits are stated in the
README ("Hostile files").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.services.validation.profile import PROFILE_NAMES

MAX_DOCUMENTS = 500  # per file
MAX_PROJECTS = 5000  # per document
MAX_ROWS = 2000  # indicators per project; subgoals, measures per document
MAX_WAIVERS = 100_000  # per document
MAX_TEXT = 100_000  # characters of one text field
MAX_CODE = 100  # characters of a unit code, rule id
MIN_YEAR, MAX_YEAR = 1990, 2200
MAX_INT_DIGITS = 18  # json integers; longer ones are refused while parsing

UNIT_TEXT = ("name", "region_code")
DOCUMENT_TEXT = ("unit_line", "overall_label", "overall_text", "subgoals_label", "measures_label")
SUBGOAL_TEXT = ("title", "goal_label", "goal_text", "indicator_label", "indicator_text")
MEASURE_TEXT = ("title", "text")
PROJECT_TEXT = (
    "heading", "code", "name", "budget_total_raw", "budget_fiscal_raw", "budget_other_raw",
    "purpose", "plan_mar_raw", "plan_jun_raw", "plan_oct_raw", "plan_dec_raw", "goal",
)
INDICATOR_TEXT = ("level1", "level2", "level3", "description", "value_raw", "basis")
WAIVER_TEXT = ("field", "location", "explanation")


class SchemaError(ValueError):
    """The JSON does not have the format's shape; the message names the place (Chinese)."""


def _fail(path: str, problem: str) -> SchemaError:
    return SchemaError(f"{path}：{problem}")


def _dict(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "应为对象")
    return value


def _list(value: Any, path: str, limit: int, optional: bool = True) -> list[Any]:
    if value is None and optional:
        return []
    if not isinstance(value, list):
        raise _fail(path, "应为数组")
    if len(value) > limit:
        raise _fail(path, f"条目过多（{len(value)}个，上限{limit}个）")
    return value


def _text(value: Any, path: str, limit: int = MAX_TEXT, required: bool = False) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise _fail(path, "应为文本")
    if required and not value:
        raise _fail(path, "不能为空")
    if len(value) > limit:
        raise _fail(path, f"文本过长（{len(value)}个字符，上限{limit}个）")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate ("\ud800") cannot be stored
        raise _fail(path, "含有无效的Unicode字符（孤立的代理项）") from exc


def _int(value: Any, path: str, low: int, high: int, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(path, "应为整数")
    if not low <= value <= high:
        raise _fail(path, f"数值{value}超出范围（{low}–{high}）")


def _texts(obj: dict[str, Any], fields: tuple[str, ...], path: str) -> None:
    for f in fields:
        _text(obj.get(f), f"{path}.{f}")


def validate_payload(payload: Any) -> None:
    """Check a parsed native JSON file; raise :class:`SchemaError` at the first problem."""
    top = _dict(payload, "文件")
    docs = _list(top.get("documents"), "documents", MAX_DOCUMENTS, optional=False)
    seen: set[tuple[str, int]] = set()
    for n, doc in enumerate(docs):
        path = f"documents[{n + 1}]"
        _document(_dict(doc, path), path)
        key = (doc["unit"]["code"], doc["year"])
        if key in seen:
            raise _fail(path, f"单位{key[0]}的{key[1]}年度在文件中出现了两次")
        seen.add(key)


def _document(doc: dict[str, Any], path: str) -> None:
    unit = _dict(doc.get("unit"), f"{path}.unit")
    _text(unit.get("code"), f"{path}.unit.code", MAX_CODE, required=True)
    _texts(unit, UNIT_TEXT, f"{path}.unit")
    _int(doc.get("year"), f"{path}.year", MIN_YEAR, MAX_YEAR)
    profile = doc.get("profile")
    _text(profile, f"{path}.profile", MAX_CODE)
    if profile is not None and profile not in PROFILE_NAMES:
        raise _fail(f"{path}.profile", f"未知的规则配置“{profile}”（可用：{'、'.join(PROFILE_NAMES)}）")
    if doc.get("has_part1") is not None and not isinstance(doc.get("has_part1"), bool):
        raise _fail(f"{path}.has_part1", "应为 true 或 false")
    _texts(doc, DOCUMENT_TEXT, path)
    for k, s in enumerate(_list(doc.get("subgoals"), f"{path}.subgoals", MAX_ROWS)):
        _texts(_dict(s, f"{path}.subgoals[{k + 1}]"), SUBGOAL_TEXT, f"{path}.subgoals[{k + 1}]")
    for k, m in enumerate(_list(doc.get("measures"), f"{path}.measures", MAX_ROWS)):
        _texts(_dict(m, f"{path}.measures[{k + 1}]"), MEASURE_TEXT, f"{path}.measures[{k + 1}]")
    projects = _list(doc.get("projects"), f"{path}.projects", MAX_PROJECTS)
    rows = []
    for k, p in enumerate(projects):
        rows.append(_project(_dict(p, f"{path}.projects[{k + 1}]"), f"{path}.projects[{k + 1}]"))
    for k, w in enumerate(_list(doc.get("waivers"), f"{path}.waivers", MAX_WAIVERS)):
        _waiver(_dict(w, f"{path}.waivers[{k + 1}]"), f"{path}.waivers[{k + 1}]", rows)


def _project(p: dict[str, Any], path: str) -> int:
    _int(p.get("seq"), f"{path}.seq", 0, 10**9, optional=True)
    _texts(p, PROJECT_TEXT, path)
    indicators = _list(p.get("indicators"), f"{path}.indicators", MAX_ROWS)
    for k, i in enumerate(indicators):
        _texts(_dict(i, f"{path}.indicators[{k + 1}]"), INDICATOR_TEXT, f"{path}.indicators[{k + 1}]")
    months: set[int] = set()
    for k, e in enumerate(_list(p.get("execution"), f"{path}.execution", 12)):
        epath = f"{path}.execution[{k + 1}]"
        _int(_dict(e, epath).get("month"), f"{epath}.month", 1, 12)
        if e["month"] in months:
            raise _fail(f"{epath}.month", f"{e['month']}月重复")
        months.add(e["month"])
        _text(e.get("amount_raw"), f"{epath}.amount_raw")
    return len(indicators)


def _waiver(w: dict[str, Any], path: str, rows: list[int]) -> None:
    _text(w.get("rule"), f"{path}.rule", MAX_CODE, required=True)
    _texts(w, WAIVER_TEXT, path)
    _int(w.get("project"), f"{path}.project", 1, len(rows), optional=True)
    if w.get("row") is not None:
        if w.get("project") is None:
            raise _fail(f"{path}.row", "指定了行号但没有指定项目")
        _int(w.get("row"), f"{path}.row", 1, rows[w["project"] - 1])
    created = w.get("created_at")
    _text(created, f"{path}.created_at", 40)
    if created:
        try:
            datetime.fromisoformat(created)
        except ValueError as exc:
            raise _fail(f"{path}.created_at", f"“{created}”不是有效的日期时间") from exc
