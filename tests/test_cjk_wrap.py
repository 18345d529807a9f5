"""Chinese line breaking: no line starts with ，。、；：？！）」 and none ends with （《“."""

from __future__ import annotations

import pytest

from app.services.paper.cjk_wrap import CANNOT_END, CANNOT_START, adjust_break, line_texts
from app.services.paper.fonts import register_fonts

FORBIDDEN_START = "，。、；：？！）」》”’"

TEXT = (
    "根据唐山市财政局《关于下达2023年食品药品安全协管员补贴的通知》（唐财行【2023】15号）文件，"
    "按时发放抚恤金；提高伤残人员生活质量！是否及时？“两个确立”、“两个维护”。"
    "通过公众号“视频厨房”板块可查看全区85个学校幼儿园食堂实时在线监控情况，实现了学校、"
    "幼儿园食堂“互联网+明厨亮灶”100%覆盖。项目编码13020923P00062810002D，金额12.42万元）。"
)


@pytest.fixture(scope="module")
def font() -> str:
    return register_fonts().body


def test_marks_are_in_the_lists() -> None:
    for ch in FORBIDDEN_START:
        assert ch in CANNOT_START
    for ch in "（《“‘「【":
        assert ch in CANNOT_END


@pytest.mark.parametrize("width", [w / 2 for w in range(60, 620, 7)])
def test_no_line_starts_with_closing_punctuation(font: str, width: float) -> None:
    lines = line_texts(TEXT, font, 10.5, width)
    assert "".join(lines) == TEXT.replace(" ", "\u00a0")  # nothing lost, nothing added
    for line in lines[1:]:
        assert line[0] not in FORBIDDEN_START, (width, lines)
    for line in lines[:-1]:
        assert line[-1] not in CANNOT_END, (width, lines)


def test_double_closing_marks_pull_a_character_down(font: str) -> None:
    # find a width where the unpatched rule would start a line with "。" after "）"
    text = "一二三四五六七八（九十）。之后"
    for chars in range(4, 14):
        lines = line_texts(text, font, 10, chars * 10 + 0.5)
        for line in lines[1:]:
            assert line[0] not in FORBIDDEN_START, lines


def test_newline_breaks_the_line(font: str) -> None:
    assert line_texts("≥92%\n", font, 10.5, 200) == ["≥92%", "\u00a0"]
    assert line_texts("对监管企业发展\n\n的影响", font, 10.5, 200) == ["对监管企业发展", "", "的影响"]


def test_adjust_break_rules() -> None:
    s = "一二三，四"
    assert adjust_break(s, 0, 3) == 4  # a single comma hangs
    s = "一二三）。四"
    assert adjust_break(s, 0, 3) == 2  # two marks: pull 三 down with them
    s = "一二（三四"
    assert adjust_break(s, 0, 3) == 2  # an opening mark does not end a line
    s = "代码ABC123"
    assert adjust_break(s, 0, 5) == 2  # the code moves down whole
    s = "一二 \u00a0三"
    assert adjust_break(s, 0, 2) == 4  # spaces hang at the end of the line
    assert adjust_break("，，，，", 0, 1) == 4  # only punctuation: hang them rather than loop
