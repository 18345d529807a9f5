"""Services behind the indicator editor: clipboard grids, framework, indicator library."""

from __future__ import annotations

import pytest

from app.models import Indicator, Project
from app.services.formats.clipboard import choose_grid, parse_html_table, parse_tsv, to_html, to_tsv
from app.services.formats.importing import commit_documents
from app.services.storage.documents import load_documents
from app.services.storage.store import Store
from app.services.validation.framework import (
    BASIS_TYPES,
    framework,
    level2_choices,
    level3_limit_bytes,
)
from app.services.workspace.indicator_library import gbk_length, level3_library, suggestions
from tests.factories import full_document


def test_tsv_round_trip_keeps_text_exactly() -> None:
    grid = [["≥1600批次", "对经济发展带来效果 "], ["对监管企业发展\n\n的影响", '"优"']]
    text = to_tsv(grid)
    assert text == '≥1600批次\t对经济发展带来效果 \r\n"对监管企业发展\n\n的影响"\t"""优"""\r\n'
    assert parse_tsv(text) == grid


def test_parse_tsv_as_excel_writes_it() -> None:
    assert parse_tsv("a\tb\r\nc\td\r\n") == [["a", "b"], ["c", "d"]]
    assert parse_tsv("a\tb\nc\n") == [["a", "b"], ["c", ""]]  # padded to a rectangle
    assert parse_tsv(" \t\r\n") == [[" ", ""]]


def test_html_table_from_word_or_excel() -> None:
    markup = (
        "<html><body><!--StartFragment--><table border=1>\r\n<tr><td class=xl65>产出指标</td>"
        "<td colspan=2>数量\r\n  指标</td></tr>\r\n<tr><td rowspan=2>甲<br>乙</td><td>x</td>"
        "<td>y&nbsp;</td></tr><tr><td>z</td><td>w</td></tr></table></body></html>"
    )
    assert parse_html_table(markup) == [
        ["产出指标", "数量 指标", ""], ["甲\n乙", "x", "y "], ["", "z", "w"],
    ]
    assert parse_html_table(to_html([["a", "b\nc"]])) == [["a", "b\nc"]]
    assert parse_html_table("<p>no table</p>") == []


def test_choose_grid_prefers_exact_tsv_unless_shapes_differ() -> None:
    html = to_html([["a ", "b"]])
    assert choose_grid("a \tb\r\n", html) == [["a ", "b"]]  # TSV keeps the trailing space
    # a word processor's plain text splits a cell with a line break into two rows
    word_html = "<table><tr><td>甲<br>乙</td><td>丙</td></tr></table>"
    assert choose_grid("甲\n乙\t丙\n", word_html) == [["甲\n乙", "丙"]]
    assert choose_grid(None, word_html) == [["甲\n乙", "丙"]]
    assert choose_grid("x", None) == [["x"]]


def test_framework_defaults_to_hebei2015() -> None:
    fw = framework("hebei2015")
    assert list(fw) == ["产出指标", "效益指标", "满意度指标"]
    assert fw["产出指标"] == ("数量指标", "质量指标", "时效指标", "成本指标")
    assert framework("no-such-profile") == fw
    assert list(framework("cz2021"))[0] == "成本指标"  # 2021: 成本 is a 一级
    assert level2_choices("hebei2015", "满意度指标")[0] == "服务对象满意度指标"
    assert level3_limit_bytes("hebei2015") == 30
    assert level2_choices("hebei2015", "产出指标 ") == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert "可持续影响指标" in level2_choices("hebei2015", None)
    assert BASIS_TYPES == ("计划标准", "行业标准", "历史标准", "预算支出标准", "其他标准")


def test_gbk_length() -> None:
    assert gbk_length("抽检批次") == 8
    assert gbk_length("≥96%") == 5  # ≥ is a double-byte GBK character
    assert gbk_length(" 抽检\n") == 4  # measured as the validator does, on the normalised text
    assert gbk_length(None) == 0


def test_indicator_library_and_suggestions(store: Store) -> None:
    doc = full_document()
    other = full_document(code="422002")
    extra = Project(position=1, name="另一个项目")
    extra.indicators = [Indicator(position=0, level1="产出指标", level2="数量指标", level3="抽检批次 "),
                        Indicator(position=1, level1="产出指标", level2="数量指标", level3=" ")]
    other.projects.append(extra)
    commit_documents(store, [doc, other])
    assert len(load_documents(store)) == 2
    lib = level3_library(store)
    assert lib[0] == "抽检批次"  # used three times, trimmed
    assert "对监管企业发展\n\n的影响" in lib and " " not in lib and "" not in lib
    assert suggestions(store, "数量指标") == ["抽检批次"]
    assert suggestions(store, "服务对象满意度指标") == ["服务对象满意度"]
    assert suggestions(store, "") == []


@pytest.fixture
def store(both_backends: Store) -> Store:
    """These tests run on SQLite and on PostgreSQL (tests/pg.py)."""
    return both_backends
