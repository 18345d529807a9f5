"""The budget year of an imported document: what the document says first, project codes second.

A document states its year in its title (``2024年部门预算绩效目标``), its unit line or its file
name. Project codes carry a year too (characters 7–8), but a carried-over project keeps the
code of the year it started, so codes only decide when the document says nothing — and a tie
between code years, statements that disagree, or a statement no code shares is a doubt that
the import preview shows and the user settles (the window asks; ``import --year`` on the
command line). Nothing is tie-broken silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

YEAR_RE = re.compile(r"(20\d\d)\s*年")
BARE_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass(slots=True)
class YearDecision:
    """The year used, where it came from, and a doubt (Chinese) when the user must confirm it."""

    year: int | None
    source: str = ""
    doubt: str | None = None
    candidates: list[int] = field(default_factory=list)


@dataclass(slots=True)
class YearDoubt:
    """A document whose year the user must confirm: the year used for now and the choices."""

    unit_code: str
    year: int
    reason: str
    candidates: list[int]


# The defined name (scoped to each project sheet) in which xlsx exports state the year.
YEAR_NAME = "预算年度"


def year_title(year: int | None, title: str) -> str:
    """A title stating the budget year, as exports write it: ``2024年度预算项目绩效目标``.

    The reader takes the year back from it (``layout_parser``), so a file whose projects are
    all carried over (codes of an older year) needs no question on re-import.
    """
    return f"{year}年度{title}" if year else title


def years_in(text: str | None) -> list[int]:
    """``20xx年`` years written in a text, in order."""
    return [int(m.group(1)) for m in YEAR_RE.finditer(text or "")]


def file_name_years(name: str) -> list[int]:
    """Years in a file name: ``…2024年.docx`` or a bare ``2024`` not inside a longer number."""
    found = years_in(name)
    return found or [int(m.group(1)) for m in BARE_YEAR_RE.finditer(name)]


def code_years(codes: list[str]) -> Counter[int]:
    """Years of project codes (characters 7–8: ``13020924P…`` -> 2024), counted."""
    return Counter(2000 + int(c[6:8]) for c in codes if len(c) >= 8 and c[6:8].isdigit())


def decide_year(statements: list[tuple[str, list[int]]], codes: list[str],
                texts: list[str] | None = None) -> YearDecision:
    """Decide the budget year.

    Args:
        statements: (where, years) in priority order: ("标题", …), ("单位行", …), ("文件名", …).
        codes: the project codes of the document.
        texts: other text of the document (project headings, part 1), a last resort.
    """
    counted = code_years(codes)
    stated: list[tuple[str, int]] = [(where, y) for where, ys in statements for y in dict.fromkeys(ys)]
    distinct = list(dict.fromkeys(y for _, y in stated))
    if distinct:
        where, year = stated[0]
        candidates = list(dict.fromkeys([*distinct, *sorted(counted, reverse=True)]))
        if len(distinct) > 1:
            said = "、".join(f"{w}写{y}年" for w, y in stated)
            return YearDecision(year, where, f"文件中的年度不一致（{said}）", candidates)
        # A title stating a year later than every code is a document of carried-over projects
        # (what exports write: year_title); a file name or an earlier year is still asked.
        carried_over = where == "标题" and bool(counted) and year > max(counted)
        if counted and year not in counted and not carried_over:
            in_codes = "、".join(f"{y}年" for y in sorted(counted))
            return YearDecision(year, where, f"{where}写{year}年，但项目编码的年度是{in_codes}", candidates)
        return YearDecision(year, where, None, candidates)
    if counted:
        ranked = counted.most_common()
        top = [y for y, n in ranked if n == ranked[0][1]]
        candidates = sorted(counted, reverse=True)
        if len(top) > 1:
            each = "、".join(f"{y}年{counted[y]}个" for y in sorted(top))
            return YearDecision(max(top), "项目编码", f"文件没有写明年度，项目编码的年度各占一半（{each}）", candidates)
        return YearDecision(top[0], "项目编码", None, candidates)
    found = Counter(y for t in texts or [] for y in years_in(t))
    if found:
        year = found.most_common(1)[0][0]
        return YearDecision(year, "文档文字", f"文件没有写明年度，也没有项目编码；文字中出现最多的是{year}年",
                            sorted(found, reverse=True))
    return YearDecision(None, "", "文件没有写明年度，也没有项目编码", [])
