"""The native lossless JSON format (``.json``), both ways.

Every stored field is written, raw texts exactly as stored; a blank field is ``null``
(distinct from ``""`` and from ``" "``). Parsed forms (amount values, percentages, the
parsed 指标值) are written too for the bureau's scripts, under ``"parsed"``, and ignored on
import: they are derived from the raw text. Waivers point at their project and indicator
by 1-based position. See README "JSON format".
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.models import Document, Execution, Indicator, Measure, Project, SubGoal, Unit, Waiver
from app.services.atomic import write_bytes_atomic
from app.services.errors import file_error

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
    return out


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
    fields["has_part1"] = bool(fields["has_part1"])
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
        if w.get("project"):
            owner = doc.projects[int(w["project"]) - 1]
            if w.get("row"):
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
    return doc


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
        payload = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise file_error(path, "不是UTF-8编码的JSON文件") from exc
    except json.JSONDecodeError as exc:
        raise file_error(path, f"不是有效的JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
        raise file_error(path, "不是绩效目标编报导出的JSON数据文件")
    if not isinstance(payload.get("version"), int) or payload["version"] > FORMAT_VERSION:
        raise file_error(path, f"的格式版本{payload.get('version')}高于本程序支持的版本{FORMAT_VERSION}")
    units: dict[str, Unit] = {}
    docs = []
    for n, entry in enumerate(payload.get("documents") or [], start=1):
        try:
            docs.append(document_from_dict(entry, units))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise file_error(path, f"第{n}个文档数据有误：{exc}") from exc
    return docs


def write_json(path: Path, docs: list[Document]) -> None:
    """Export documents to a native JSON file (atomically)."""
    write_bytes_atomic(path, dumps(docs).encode("utf-8"))
