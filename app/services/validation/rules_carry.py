"""Rule Y01 (延续内容待核实): year-dependent text that likely needs updating for the budget year.

The one rule beyond RULES.md. A 延续 project (carried over, see
:mod:`app.services.workspace.carry_over`) keeps its code and every text, most of which stays valid;
what usually does not is text tied to a year ("2024年12月31日前", "2024年度…"). Which text is
flagged:

* in a carried project (its code was registered in an earlier year, i.e. B05 fires), every
  mention of an earlier year;
* anywhere else (part 1, new projects), mentions of the previous year only — citing older
  documents is normal there, the previous year rarely is.

Fields, the year pattern and the rules Y01 gives way to on the same cell are in the
profile's ``carry_over`` section.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.models import Document, Project

from .findings import Hit
from .profile import Profile
from .rules_project import code_year
from .text import attrs

RULE_ID = "Y01"


def is_carried(project: Project, year: int, profile: Profile) -> bool:
    """True for a project whose code was registered before ``year`` (延续/结转, as B05)."""
    registered = code_year(project.code, profile)
    return registered is not None and registered < year % 100


@lru_cache(maxsize=65536)
def stale_years(text: str | None, year: int, carried: bool, pattern: re.Pattern[str]) -> tuple[int, ...]:
    """The years in ``text`` to review for budget year ``year`` (sorted, distinct).

    Cached: it runs on every text of a project after each edit, and cells repeat a lot.
    """
    if not text:
        return ()
    found = {int(m.group(1)) for m in pattern.finditer(text)}
    return tuple(sorted(y for y in found if (carried and y < year) or y == year - 1))


def _message(label: str, years: tuple[int, ...], year: int) -> str:
    shown = "、".join(f"{y}年" for y in years)
    return f"延续内容待核实：“{label}”中含有“{shown}”，请确认是否应更新为{year}年度"


def _rows_label(rows: list[int]) -> str:
    """``第3行`` / ``第1–9行`` / ``第1、4行`` (1-based rows)."""
    if len(rows) == 1:
        return f"第{rows[0]}行"
    if rows == list(range(rows[0], rows[-1] + 1)):
        return f"第{rows[0]}–{rows[-1]}行"
    return "第" + "、".join(map(str, rows)) + "行"


def carry_hits(project: Project, year: int, profile: Profile, others: list[Hit]) -> list[Hit]:
    """Y01 on one project; ``others`` are its other hits (cells they cover are left to them)."""
    cfg = profile.carry_over
    if not cfg.enabled:
        return []
    carried = is_carried(project, year, profile)
    # A cell already flagged by a rule about the same year (B08 name, G21 date, E09 citation)
    # needs no second hint: one fix answers both.
    covered = {(h.row, h.field) for h in others if h.rule in cfg.defer_to}
    hits: list[Hit] = []
    for (attr, label), text in zip(cfg.project_fields, attrs(project, tuple(a for a, _ in cfg.project_fields)),
                                   strict=True):
        years = stale_years(text, year, carried, cfg.year_re)
        field = attr.removesuffix("_raw")
        if years and (None, field) not in covered:
            hits.append(Hit(RULE_ID, _message(label, years, year), project, None, field))
    fields = [(attr.removesuffix("_raw"), label) for attr, label in cfg.indicator_fields]
    names = tuple(attr for attr, _ in cfg.indicator_fields)
    # The same text in several rows (one 依据 copied to every row) is one thing to review:
    # reported once, on its first row, naming all of them.
    groups: dict[tuple[int, str], list[int]] = {}
    for index, ind in enumerate(project.indicators):
        texts = attrs(ind, names)
        if not cfg.year_re.search("\n".join(t for t in texts if t)):
            continue  # most rows mention no year at all: one scan instead of one per cell
        for n, text in enumerate(texts):
            if text and stale_years(text, year, carried, cfg.year_re) and (index, fields[n][0]) not in covered:
                groups.setdefault((n, text if cfg.group_same_text else f"{index}\0{text}"), []).append(index)
    for (n, _), rows in sorted(groups.items(), key=lambda g: (g[1][0], g[0][0])):
        field, label = fields[n]
        first = project.indicators[rows[0]]
        years = stale_years(getattr(first, names[n]), year, carried, cfg.year_re)
        where = _rows_label([r + 1 for r in rows])
        hits.append(Hit(RULE_ID, _message(f"{where}{label}", years, year), project, rows[0], field,
                        indicator=first))
    return hits


def part1_carry_hits(doc: Document, profile: Profile) -> list[Hit]:
    """Y01 on part 1: the previous year mentioned in its texts (总体绩效目标 by default)."""
    cfg = profile.carry_over
    if not cfg.enabled:
        return []
    hits: list[Hit] = []
    for attr, label in cfg.part1_fields:
        years = stale_years(getattr(doc, attr), doc.year, False, cfg.year_re)
        if years:
            hits.append(Hit(RULE_ID, _message(label, years, doc.year), field=attr))
    return hits
