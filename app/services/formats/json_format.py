"""The native lossless JSON format (``.json``), both ways.

Every stored field is written, raw texts exactly as stored; a blank field is ``null``
(distinct from ``""`` and from ``" "``). Parsed forms (amount values, percentages, the
parsed 指标值) are written too for the bureau's scripts, under ``"parsed"``, and ignored on
import: they are derived from the raw text. Waivers point at their project and indicator
by 1-based position; 审核意见 (``opinions``) by project code, row and field. See README
"JSON format".
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.models import (
    Document,
    Execution,
    Indicator,
    Measure,
    Opinion,
    Project,
    SubGoal,
    Unit,
    Waiver,
)
from app.services.atomic import write_bytes_atomic
from app.services.errors import file_error
from app.services.formats.json_schema import MAX_INT_DIGITS, SchemaError, validate_payload

FORMAT_NAME = "perfgoals"
FORMAT_VERSION = 1
MAX_JSON_BYTES = 200 * 1024 * 1024

DOCUMENT_FIELDS = (
    "year", "unit_line", "profile", "has_part1", "overall_label", "overall_text",
    "subgoals_label", "measures_label",
)
SUBGOAL_FIELDS = ("title", "goal_label", "goal_text", "indicator_label", "indicator_text")
MEASURE_FIELDS = ("title", "text")
PROJECT_FIELDS = (
    "seq", "heading", "code", "name", "budget_total_raw", "budget_fiscal_raw",
    "budget_other_raw", "purpose", "plan_mar_raw", "plan_jun_raw", "plan_oct_raw",
    "plan_dec_raw", "goal",
)
PROJECT_PARSED = (
    "budget_total", "budget_fiscal", "budget_other", "plan_mar", "plan_jun", "plan_oct",
    "plan_dec",
)
INDICATOR_FIELDS = ("level1", "level2", "level3", "description", "value_raw", "basis")
INDICATOR_PARSED = ("value_kind", "comparator", "number", "unit")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The JSON-ready form of one document (unit, part 1, projects, waivers)."""
    project_index = {id(p): n for n, p in enumerate(doc.projects, start=1)}
    indicator_index = {
        id(ind): n for p in doc.projects for n, ind in enumerate(p.indicators, start=1)
    }
    out: dict[str, Any] = {
        "unit": {"code": doc.unit.code, "name": doc.unit.name, "region_code": doc.unit.region_code},
    }
    out.update({f: _plain(getattr(doc, f)) for f in DOCUMENT_FIELDS})
    out["subgoals"] = [{f: getattr(s, f) for f in SUBGOAL_FIELDS} for s in doc.subgoals]
    out["measures"] = [{f: getattr(m, f) for f in MEASURE_FIELDS} for m in doc.measures]
    out["projects"] = [
        {
            **{f: getattr(p, f) for f in PROJECT_FIELDS},
            "parsed": {f: _plain(getattr(p, f)) for f in PROJECT_PARSED},
            "indicators": [
                {
                    **{f: getattr(i, f) for f in INDICATOR_FIELDS},
                    "parsed": {f: _plain(getattr(i, f)) for f in INDICATOR_PARSED},
                }
                for i in p.indicators
            ],
            "execution": [{"month": e.month, "amount_raw": e.amount_raw} for e in p.executions],
        }
        for p in doc.projects
    ]
    out["waivers"] = [
        {
            "rule": w.rule_id,
            "project": project_index.get(id(w.project)) if w.project is not None else None,
            "row": indicator_index.get(id(w.indicator)) if w.indicator is not None else None,
            "field": w.field,
            "location": w.location,
            "explanation": w.explanation,
            "created_at": _plain(w.created_at),
        }
        for w in doc.waivers
    ]
    out["opinions"] = [opinion_to_dict(o) for o in doc.opinions]
    return out


def opinion_to_dict(o: Opinion) -> dict[str, Any]:
    """The JSON form of a 审核意见 (its place by project code, 1-based row and field)."""
    return {
        "uid": o.uid, "project": o.project_code, "row": o.row, "field": o.field,
        "rule": o.rule_id, "finding": o.finding_key, "text": o.text, "author": o.author,
        "created_at": _plain(o.created_at), "reply": o.reply, "replied_at": _plain(o.replied_at),
        "resolved": bool(o.resolved),
    }


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("时间应为文本")
    return datetime.fromisoformat(value)


def opinion_from_dict(o: dict[str, Any]) -> Opinion:
    """A transient 审核意见 from its JSON form.

    Raises:
        ValueError: a field has the wrong type (the caller names the file).
    """
    if not isinstance(o, dict):
        raise ValueError("审核意见应为对象")
    uid, text = o.get("uid"), o.get("text")
    if not isinstance(uid, str) or not uid:
        raise ValueError("审核意见缺少uid")
    if not isinstance(text, str):
        raise ValueError("审核意见缺少text")
    for key in ("project", "field", "rule", "finding", "author", "reply"):
        if o.get(key) is not None and not isinstance(o[key], str):
            raise ValueError(f"审核意见字段“{key}”应为文本")
    row = o.get("row")
    if row is not None and (not isinstance(row, int) or isinstance(row, bool) or row < 1):
        raise ValueError("审核意见的行号应为正整数")
    return Opinion(
        uid=uid, project_code=o.get("project"), row=row, field=o.get("field"),
        rule_id=o.get("rule"), finding_key=o.get("finding"), text=text, author=o.get("author"),
        created_at=_when(o.get("created_at")) or datetime.now(), reply=o.get("reply"),
        replied_at=_when(o.get("replied_at")), resolved=bool(o.get("resolved")),
    )


def dumps(docs: list[Document]) -> str:
    """Serialise documents to the native JSON text."""
    payload = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "documents": [document_to_dict(d) for d in docs],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def _take(src: dict[str, Any], fields: tuple[str, ...], kind: str) -> dict[str, Any]:
    out = {}
    for f in fields:
        value = src.get(f)
        if value is not None and f not in ("seq", "year", "has_part1") and not isinstance(value, str):
            raise ValueError(f"{kind}字段“{f}”应为文本")
        out[f] = value
    return out


def _executions(entries: list[Any]) -> list[Execution]:
    """The 执行数 of one project: months 1–12, each at most once, amounts as text."""
    out: dict[int, Execution] = {}
    for e in entries:
        month = e.get("month") if isinstance(e, dict) else None
        if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            raise ValueError(f"执行数的月份“{month}”应为1–12的整数")
        if month in out:
            raise ValueError(f"执行数的{month}月重复")
        raw = e.get("amount_raw")
        if raw is not None and not isinstance(raw, str):
            raise ValueError("执行数字段“amount_raw”应为文本")
        out[month] = Execution(month=month, amount_raw=raw)
    return [out[m] for m in sorted(out)]


def document_from_dict(data: dict[str, Any], units: dict[str, Unit] | None = None) -> Document:
    """Build a transient :class:`Document` graph from its JSON form.

    Args:
        data: one entry of ``documents``.
        units: units already built for this file, so two documents share one Unit object.
    """
    units = units if units is not None else {}
    unit_data = data.get("unit") or {}
    code = unit_data.get("code")
    if not isinstance(code, str) or not code:
        raise ValueError("缺少单位编码")
    unit = units.get(code)
    if unit is None:
        unit = Unit(code=code, name=unit_data.get("name") or "", region_code=unit_data.get("region_code"))
        units[code] = unit
    fields = _take(data, DOCUMENT_FIELDS, "文档")
    if not isinstance(fields["year"], int):
        raise ValueError("预算年度应为整数")
    fields["has_part1"] = fields["has_part1"] is True
    fields["profile"] = fields["profile"] or "hebei2015"
    doc = Document(unit=unit, **fields)
    doc.subgoals = [
        SubGoal(position=n, **{**_take(s, SUBGOAL_FIELDS, "分项"), "title": s.get("title") or ""})
        for n, s in enumerate(data.get("subgoals") or [])
    ]
    doc.measures = [
        Measure(position=n, **{**_take(m, MEASURE_FIELDS, "保障措施"), "title": m.get("title") or ""})
        for n, m in enumerate(data.get("measures") or [])
    ]
    for n, p in enumerate(data.get("projects") or []):
        project = Project(position=n, **_take(p, PROJECT_FIELDS, "项目"))
        project.indicators = [
            Indicator(position=k, **_take(i, INDICATOR_FIELDS, "指标"))
            for k, i in enumerate(p.get("indicators") or [])
        ]
        project.executions = _executions(p.get("execution") or [])
        doc.projects.append(project)
    for w in data.get("waivers") or []:
        owner: Project | None = None
        indicator: Indicator | None = None
        # Positions are 1-based and checked against the document by the schema: never
        # negative (a -1 would silently pick the last project).
        if w.get("project") is not None:
            owner = doc.projects[int(w["project"]) - 1]
            if w.get("row") is not None:
                indicator = owner.indicators[int(w["row"]) - 1]
        created = w.get("created_at")
        doc.waivers.append(
            Waiver(
                rule_id=str(w["rule"]), project=owner, indicator=indicator,
                field=w.get("field"), location=w.get("location") or "",
                explanation=w.get("explanation") or "",
                created_at=datetime.fromisoformat(created) if created else datetime.now(),
            )
        )
    doc.opinions = [opinion_from_dict(o) for o in data.get("opinions") or []]
    return doc


class _NumberError(ValueError):
    """A number the format never writes (refused while parsing, before it costs anything)."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _NumberError(text[:20] + "…")
    return int(text)


def _refused_number(text: str) -> Any:
    raise _NumberError(text[:20])


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 when the file starts with its byte order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def read_json(path: Path) -> list[Document]:
    """Read a native JSON file into transient documents.

    Raises:
        InputError: the file is missing, too large, not JSON, or not in our format.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise file_error(path, f"无法读取：{exc.strerror or exc}") from exc
    if size == 0:
        raise file_error(path, "是空文件")
    if size > MAX_JSON_BYTES:
        raise file_error(path, f"过大（{size // (1024 * 1024)} MB），不是绩效目标数据文件")
    try:
        payload = json.loads(
            _decoded(path.read_bytes()),
            parse_int=_bounded_int, parse_float=_refused_number, parse_constant=_refused_number,
        )
    except UnicodeDecodeError as exc:
        raise file_error(path, "不是UTF-8（或带BOM的UTF-16）编码的JSON文件") from exc
    except json.JSONDecodeError as exc:
        raise file_error(path, f"不是有效的JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from exc
    except RecursionError as exc:
        raise file_error(path, "的JSON嵌套层次过深，不是绩效目标数据文件") from exc
    except _NumberError as exc:
        raise file_error(path, f"含有本格式不使用的数字“{exc}”（过长的整数、小数或NaN/Infinity）") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
        raise file_error(path, "不是绩效目标编报导出的JSON数据文件")
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= FORMAT_VERSION:
        raise file_error(path, f"的格式版本{str(version)[:20]}不是本程序支持的版本（1–{FORMAT_VERSION}）")
    try:
        validate_payload(payload)
    except SchemaError as exc:
        raise file_error(path, f"的数据有误：{exc}") from exc
    units: dict[str, Unit] = {}
    docs = []
    for n, entry in enumerate(payload.get("documents") or [], start=1):
        try:
            docs.append(document_from_dict(entry, units))
        except ValueError as exc:
            raise file_error(path, f"第{n}个文档数据有误：{exc}") from exc
    return docs


def write_json(path: Path, docs: list[Document]) -> None:
    """Export documents to a native JSON file (atomically)."""
    write_bytes_atomic(path, dumps(docs).encode("utf-8"))
