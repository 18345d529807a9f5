"""Part 1 (部门整体绩效目标) as the sequence of paragraphs the writers print.

docx, xlsx (and the pdf helper, if it wants) print the same paragraphs: titles, the three
section headings, then labels and texts. The reader's layout parser reads them back into the
same fields (see :mod:`app.services.formats.layout_parser`).
"""

from __future__ import annotations

from app.models import Document, Project

PART1_SECTIONS = ("一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施")
CN_NUMBERS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (up to 99)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_NUMBERS[tens - 1] + "十"
    return head + (CN_NUMBERS[ones - 1] if ones else "")


def unit_line(doc: Document) -> str:
    """The unit line printed above each project table."""
    return doc.unit_line or f"{doc.unit.code}{doc.unit.name or ''}"


def part1_paragraphs(doc: Document) -> list[tuple[str, str]]:
    """Part 1 as (kind, text): kind is ``title``, ``blank``, ``unit``, ``section`` or ``text``."""
    out: list[tuple[str, str]] = [("title", " 第一部分"), ("title", "部门整体绩效目标"), ("blank", " ")]
    if not doc.projects:
        # Part 1 alone names no unit; this line lets the file be imported back.
        out.append(("unit", unit_line(doc)))

    def lines(text: str | None, prefix: str = "") -> None:
        for k, line in enumerate((text or "").split("\n")):
            out.append(("text", (prefix if k == 0 else "") + line))

    out.append(("section", PART1_SECTIONS[0]))
    if doc.overall_label is not None:
        lines(doc.overall_label)
    if doc.overall_text:
        lines(doc.overall_text)
    out.append(("blank", ""))
    out.append(("section", PART1_SECTIONS[1]))
    if doc.subgoals_label is not None:
        lines(doc.subgoals_label)
    for n, sg in enumerate(doc.subgoals, start=1):
        lines(sg.title, f"（{cn_number(n)}）")
        if sg.goal_label is not None or sg.goal_text is not None:
            lines(sg.goal_text or "", sg.goal_label or "绩效目标：")
        if sg.indicator_label is not None or sg.indicator_text is not None:
            lines(sg.indicator_text or "", sg.indicator_label or "绩效指标：")
    out.append(("section", PART1_SECTIONS[2]))
    if doc.measures_label is not None:
        lines(doc.measures_label)
    for n, m in enumerate(doc.measures, start=1):
        text = m.text
        if text and text[0] in " \u3000\xa0\t":
            # Title and text were one paragraph (the spaces between them are kept).
            lines(f"{m.title}{text}", f"{n}、")
        else:
            lines(m.title, f"{n}、")
            if text:
                lines(text)
    return out


def project_heading(p: Project, k: int) -> str:
    """The heading ``N.名称绩效目标表`` (as read, or built from the position and name)."""
    return p.heading or f"{p.seq or k + 1}.{p.name or ''}绩效目标表"
