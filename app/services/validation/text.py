"""Small text helpers shared by the rules (normalisation, GBK length, money, n-grams)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from app.models.values import norm

from .profile import Profile

_DIGIT_RE = re.compile(r"\d")


def fast_squash(text: str | None) -> str:
    """Same result as :func:`app.models.values.squash` (str.split uses str.isspace), faster."""
    return "".join(text.split()) if text else ""


def blank(text: str | None) -> bool:
    """Same result as :func:`app.models.values.is_blank`."""
    return not text or text.isspace()


@lru_cache(maxsize=65536)
def _cnorm(text: str) -> str:
    return norm(text)


def cnorm(text: str | None) -> str:
    """:func:`app.models.values.norm`, cached (cells repeat a lot)."""
    return _cnorm(text) if text else ""


def attrs(obj: object, names: tuple[str, ...]) -> list[Any]:
    """Several mapped attributes at once, from the instance dict when loaded.

    Reading ``__dict__`` skips SQLAlchemy's instrumented descriptor, the largest cost of a
    whole-database check; anything not loaded falls back to normal attribute access.
    """
    d = obj.__dict__
    return [d[n] if n in d else getattr(obj, n) for n in names]


@lru_cache(maxsize=65536)
def _ktext(text: str) -> str:
    return unicodedata.normalize("NFKC", "".join(text.split()))


def ktext(text: str | None) -> str:
    """Comparison form of a cell: NFKC, every whitespace removed (``"对监管企业发展\\n\\n的影响"``
    → ``"对监管企业发展的影响"``, ``"％"`` → ``"%"``). Cached: cells repeat a lot."""
    return _ktext(text) if text else ""


def has_digit(text: str) -> bool:
    return _DIGIT_RE.search(text) is not None


@lru_cache(maxsize=65536)
def gbk_len(text: str) -> int:
    """Length in GBK bytes (ASCII 1, everything else 2), the unit of the system's columns."""
    if text.isascii():
        return len(text)
    return 2 * len(text) - sum(1 for ch in text if ord(ch) < 128)


def money_amounts(text: str, profile: Profile) -> list[Decimal]:
    """Every money amount mentioned in a text, converted to 万元."""
    out = []
    for m in profile.money_re.finditer(unicodedata.normalize("NFKC", text or "")):
        try:
            out.append(Decimal(m.group(1)) * profile.money_to_wan[m.group(2)])
        except (InvalidOperation, KeyError):  # pragma: no cover - regex admits valid numbers
            continue
    return out


def fmt_amount(value: Decimal) -> str:
    """An amount in 万元 as people write it (``13.8`` → ``"13.80"``, ``0.0001`` kept)."""
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp >= -2:
        return f"{value:.2f}"
    whole, _, frac = format(value, "f").partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


def fmt_number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def split_items(text: str | None, profile: Profile) -> list[str]:
    """The numbered items of a 绩效目标 (``1.… 2.…``); the whole text when not numbered."""
    if not text:
        return []
    parts = profile.item_split_re.split(text)
    return [p.strip() for p in parts if p.strip()]


def ngrams(text: str, n: int) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


@dataclass(frozen=True, slots=True)
class NameGrams:
    """A name in comparison form with its 2-character grams and its long grams (of the
    profile's ``match_min_common_chars``, 4 by default) for name matching."""

    text: str
    grams2: frozenset[str]
    grams_long: frozenset[str]


def name_grams(text: str | None, long_n: int) -> NameGrams:
    t = ktext(text)
    return NameGrams(t, frozenset(ngrams(t, 2)), frozenset(ngrams(t, long_n)))


def first_line(text: str, limit: int = 20) -> str:
    """A short quote of a text for a message."""
    t = norm(text)
    return t if len(t) <= limit else t[:limit] + "…"
