"""Parsing of the raw texts of a document: amounts, percentages and 指标值.

The raw text is the record; the parsed forms here are derived from it and kept beside it in
the database so that queries and the validator need not parse again. Rules about what a good
value is live in the validator and its profile, not here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

COMPARATORS = ("≥", "≤", "＞", "＜", "＝")
_ASCII_COMPARATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝", "≧": "≥", "≦": "≤"}

# The unit list of RULES.md §0 (parse_value); longest first so 个工作日 wins over 个.
UNITS = sorted(
    (
        "%", "个", "次", "人", "人次", "户", "家", "批次", "批", "项", "台", "套", "件", "份",
        "场", "场次", "期", "所", "天", "日", "个工作日", "月", "个月", "年", "万元", "元",
        "亿元", "公里", "平方米", "㎡", "亩", "吨", "小时", "分钟", "册", "篇", "条", "起",
        "例", "辆",
    ),
    key=len,
    reverse=True,
)

_COMP_RE = "|".join(re.escape(c) for c in (">=", "<=", "≥", "≤", "≧", "≦", "＞", "＜", "＝", ">", "<", "="))
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_VALUE_RE = re.compile(rf"^({_COMP_RE})?\s*(\d+(?:\.\d+)?)\s*({_UNIT_RE})?$")
_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2}日)?(前|底|以前|之前)?|(\d{4})年(度|底|内)")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


class ValueKind(StrEnum):
    """What a 指标值 text turned out to be."""

    BLANK = "blank"
    QUANTITY = "quantity"
    DATE = "date"
    QUALITATIVE = "qualitative"
    UNPARSEABLE = "unparseable"


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """The parsed form of a 指标值: comparator, number and unit, or its kind alone."""

    kind: ValueKind
    comparator: str | None = None
    number: Decimal | None = None
    unit: str | None = None
    year: int | None = None


def norm(text: str | None) -> str:
    """NFKC-normalise, strip and collapse internal whitespace (RULES.md §0)."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def squash(text: str | None) -> str:
    """Remove every Unicode whitespace character (for matching labels and values)."""
    if not text:
        return ""
    return "".join(ch for ch in text if not ch.isspace())


def is_blank(text: str | None) -> bool:
    """True when a cell holds nothing but whitespace (``" "`` counts as blank)."""
    return not squash(text)


def code_and_name(code: str | None, name: str | None) -> str:
    """“编码 名称” of a project in reports and messages, with 无编码/无名称 for blank ones."""
    return f"{norm(code) or '（无编码）'} {norm(name) or '（无名称）'}"


def parse_value(raw: str | None) -> ParsedValue:
    """Parse a 指标值 such as ``≥96%``, ``12.42万元`` or ``2024年12月31日前``."""
    text = squash(raw).replace("％", "%")
    if not text:
        return ParsedValue(ValueKind.BLANK)
    m = _VALUE_RE.match(text)
    if m:
        comp = m.group(1)
        comp = _ASCII_COMPARATORS.get(comp, comp) if comp else None
        return ParsedValue(ValueKind.QUANTITY, comp, Decimal(m.group(2)), m.group(3))
    d = _DATE_RE.search(text)
    if d:
        year = int(d.group(1) or d.group(5))
        return ParsedValue(ValueKind.DATE, year=year)
    if len(_CJK_RE.findall(text)) >= 2 and not any(ch.isdigit() for ch in text):
        return ParsedValue(ValueKind.QUALITATIVE)
    return ParsedValue(ValueKind.UNPARSEABLE)


_AMOUNT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_amount(raw: str | None) -> Decimal | None:
    """Parse an amount in 万元 (``"1.74"``, ``"1,200.00"``); None when blank or not a number."""
    text = squash(raw).replace(",", "").replace("，", "")
    text = unicodedata.normalize("NFKC", text)
    if not text or not _AMOUNT_RE.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None


_PERCENT_RE = re.compile(r"^(\d+(?:\.\d+)?)%$")


def parse_percent(raw: str | None) -> Decimal | None:
    """Parse a spending-plan cell ``"25%"`` to ``Decimal("25")``; None when blank or not a %."""
    text = unicodedata.normalize("NFKC", squash(raw))
    m = _PERCENT_RE.match(text)
    return Decimal(m.group(1)) if m else None


def format_percent(fraction: Decimal | float | int) -> str:
    """Render a fraction from a spreadsheet (0.25) as the text a person sees (``25%``)."""
    value = (Decimal(str(fraction)) * 100).normalize()
    text = format(value, "f")
    return f"{text}%"
