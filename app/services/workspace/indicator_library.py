"""The user's own indicator library: every 三级指标 already in the database.

Used by the indicator editor for completion (all names) and suggestions (names used
under a given 二级指标, most used first).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.models import Indicator
from app.models.values import is_blank, norm
from app.services.storage.store import Store
from app.services.validation.text import gbk_len


def gbk_length(text: str | None) -> int:
    """GBK bytes of a name as the validator measures it (normalised; 汉字 2, ASCII 1)."""
    return gbk_len(norm(text)) if text else 0


def _counts(store: Store, level2: str | None = None) -> Counter[str]:
    with store.read_session() as sess:
        query = select(Indicator.level3, Indicator.level2)
        rows = sess.execute(query).all()
    wanted = (level2 or "").strip()
    counts: Counter[str] = Counter()
    for level3, l2 in rows:
        if is_blank(level3):
            continue
        if wanted and (l2 or "").strip() != wanted:
            continue
        counts[(level3 or "").strip()] += 1
    return counts


def level3_library(store: Store) -> list[str]:
    """Every distinct 三级指标 in the database (trimmed), most used first, then by name."""
    counts = _counts(store)
    return sorted(counts, key=lambda name: (-counts[name], name))


def suggestions(store: Store, level2: str | None) -> list[str]:
    """三级指标 names used under ``level2`` anywhere in the database, most used first."""
    if is_blank(level2):
        return []
    counts = _counts(store, level2)
    return sorted(counts, key=lambda name: (-counts[name], name))
