"""The 审核意见 table: one row per opinion, shared by the review file (docx/PDF) and the
document exports that carry opinions (a section like 出错说明)."""

from __future__ import annotations

from collections.abc import Iterable

from app.models import Opinion
from app.services.bureau.opinions import place_label

OPINION_TITLE = "审核意见"
OPINION_HEADERS = ("序号", "位置", "审核意见", "回复", "状态")


def opinion_state(o: Opinion) -> str:
    """已处理 / 已回复 / 待处理."""
    if o.resolved:
        return "已处理"
    return "已回复" if o.reply else "待处理"


def opinion_rows(opinions: Iterable[Opinion]) -> list[tuple[str, str, str, str, str]]:
    """The printed rows: number, place, opinion (with the rule it refers to), answer, state."""
    rows = []
    for n, o in enumerate(opinions, start=1):
        text = o.text if not o.rule_id else f"{o.text}（规则{o.rule_id}）"
        rows.append((str(n), place_label(o), text, o.reply or "", opinion_state(o)))
    return rows
