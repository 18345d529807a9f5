"""The province's 绩效目标表 layout as data: one home for its labels, aliases, grids and merges.

Read by the layout parser (which labels mean which field, which header variants exist) and
by the docx, xlsx and PDF writers (what to print where, how wide, what is merged). Header
variants seen in files from other offices are aliases here, not branches in the parser:
三级指标 / 指标名称 / 指标内容, a required mark ``*``/``＊``, a trailing ``：``, and 计算符号 /
计量单位 columns that the reader combines into one 指标值 as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models.document import PLAN_LABELS, PLAN_MONTHS

REQUIRED_MARKS = "*＊"


def label(text: str | None) -> str:
    """A label as matched: no whitespace at all (NBSP, U+3000 too), no required mark, no trailing colon."""
    # str.split() splits on every Unicode whitespace character: the same as squash(), faster.
    return "".join(text.split()).strip(REQUIRED_MARKS).rstrip("：:").strip(REQUIRED_MARKS) if text else ""


# --- the basic-information table ------------------------------------------------------------

UNIT_LABEL = "单位：万元"
CODE_LABEL = "项目编码"
NAME_LABEL = "项目名称"
BUDGET_LABEL = "预算规模及资金用途"
TOTAL_LABEL = "预算数"
FISCAL_LABEL = "其中：财政    资金"  # exactly as in seed.docx (four spaces)
OTHER_LABEL = "其他资金"
PLAN_LABEL = "资金支出计划（%）"
PLAN_LABEL_PREFIX = "资金支出计划"
GOAL_LABEL = "绩效目标"

# Labels (as :func:`label` normalises them) of a label | value pair -> the project field.
PAIR_LABELS = {
    CODE_LABEL: "code",
    NAME_LABEL: "name",
    TOTAL_LABEL: "budget_total_raw",
    "其中：财政资金": "budget_fiscal_raw",
    "其中:财政资金": "budget_fiscal_raw",
    "其中财政资金": "budget_fiscal_raw",
    "财政资金": "budget_fiscal_raw",
    OTHER_LABEL: "budget_other_raw",
}
PLAN_MONTH_FIELDS = {PLAN_LABELS[m]: f for m, f in zip(
    PLAN_MONTHS, ("plan_mar_raw", "plan_jun_raw", "plan_oct_raw", "plan_dec_raw"), strict=True)}


@dataclass(frozen=True, slots=True)
class SpecCell:
    """One cell of a table layout: a fixed label or a project field, on the 0-based grid."""

    col: int
    span: int = 1
    text: str | None = None  # a label printed as is
    field: str | None = None  # or the project attribute whose raw text is printed
    kind: str = "label"  # label | value | amount | percent | text (a long text, left-aligned)
    rowspan: int = 1


def _l(col: int, text: str, span: int = 1, rowspan: int = 1) -> SpecCell:
    return SpecCell(col, span, text=text, rowspan=rowspan)


def _v(col: int, field: str, kind: str = "value", span: int = 1) -> SpecCell:
    return SpecCell(col, span, field=field, kind=kind)


# The rows below the unit line, on a 7-column grid; a label with rowspan 2 is merged with the
# row below it (vMerge in Word, a merged range in Excel, SPAN in the PDF).
BASIC_ROWS: tuple[tuple[SpecCell, ...], ...] = (
    (_l(0, CODE_LABEL), _v(1, "code", span=3), _l(4, NAME_LABEL), _v(5, "name", span=2)),
    (_l(0, BUDGET_LABEL, rowspan=2), _l(1, TOTAL_LABEL), _v(2, "budget_total_raw", "amount"),
     _l(3, FISCAL_LABEL), _v(4, "budget_fiscal_raw", "amount"), _l(5, OTHER_LABEL),
     _v(6, "budget_other_raw", "amount")),
    (_v(1, "purpose", "text", span=6),),
    (_l(0, PLAN_LABEL, rowspan=2), _l(1, PLAN_LABELS[3], 2), _l(3, PLAN_LABELS[6]),
     _l(4, PLAN_LABELS[10], 2), _l(6, PLAN_LABELS[12])),
    (_v(1, "plan_mar_raw", "percent", 2), _v(3, "plan_jun_raw", "percent"),
     _v(4, "plan_oct_raw", "percent", 2), _v(6, "plan_dec_raw", "percent")),
    (_l(0, GOAL_LABEL), _v(1, "goal", "text", span=6)),
)
BASIC_GRID_TWIPS = (1500, 1000, 1000, 1550, 1300, 1100, 1620)  # docx grid; the PDF uses it too
BASIC_XLSX_WIDTHS = (13, 12, 17, 19, 12, 12, 17)  # characters
# The unit line above the basic table: unit text over columns 0–4, UNIT_LABEL over 5–6.
UNIT_LINE_SPANS = ((0, 5), (5, 2))


# --- the indicator table --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorColumn:
    """A column of the indicator table: the field, the header as written, accepted aliases."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    twips: int = 1000  # docx / PDF width
    xlsx_span: int = 1  # columns it covers in the workbook
    align: str = "center"  # docx jc: center | left


INDICATOR_COLUMNS: tuple[IndicatorColumn, ...] = (
    IndicatorColumn("level1", "一级指标", (), 1100),
    IndicatorColumn("level2", "二级指标", (), 1300),
    IndicatorColumn("level3", "三级指标", ("指标名称", "指标内容", "三级指标名称"), 1550, align="left"),
    IndicatorColumn("description", "绩效指标描述", ("指标描述", "指标解释", "指标说明"), 1850, align="left"),
    IndicatorColumn("value_raw", "指标值", ("目标值", "年度指标值", "指标目标值"), 1170),
    IndicatorColumn("basis", "指标值确定依据", ("确定依据", "指标值设定依据", "备注"), 2100, 2, "left"),
)
INDICATOR_HEADERS = tuple(c.header for c in INDICATOR_COLUMNS)
INDICATOR_FIRST = INDICATOR_HEADERS[0]
# Columns some offices add beside 指标值; the reader writes 计算符号 + 指标值 + 计量单位 into
# 指标值 as the row reads (``≥`` | ``96`` | ``%`` -> ``≥96%``).
VALUE_PREFIX_HEADERS = ("计算符号", "符号", "运算符号")
VALUE_SUFFIX_HEADERS = ("计量单位", "度量单位", "单位")


def indicator_header_fields() -> dict[str, str]:
    """Header label (normalised) -> field, or ``"value_prefix"`` / ``"value_suffix"``."""
    out: dict[str, str] = {}
    for c in INDICATOR_COLUMNS:
        for name in (c.header, *c.aliases):
            out[label(name)] = c.field
    out.update({label(h): "value_prefix" for h in VALUE_PREFIX_HEADERS})
    out.update({label(h): "value_suffix" for h in VALUE_SUFFIX_HEADERS})
    return out


INDICATOR_HEADER_FIELDS = indicator_header_fields()

# What a 绩效目标表 must show, as the refusal of a foreign layout names it.
EXPECTED_LAYOUT = (f"绩效目标表（有“{CODE_LABEL}”“{NAME_LABEL}”行，指标表表头为"
                   f"“{' | '.join(INDICATOR_HEADERS)}”）")


# --- the 出错说明 table --------------------------------------------------------------------

WAIVER_TITLE = "出错说明"
WAIVER_HEADERS = ("项目", "位置", "规则", "说明", "定位")
WAIVER_GRID_TWIPS = (1900, 1300, 1750, 2620, 1500)
WAIVER_XLSX_WIDTHS = (20, 16, 24, 48, 30)
WAIVER_PDF_TWIPS = (1900, 1500, 2000)  # the PDF omits 定位; 说明 takes the rest of the frame


# --- the 审核意见 table -------------------------------------------------------------------
# The finance bureau's opinions and the unit's answers, after 出错说明. The review file
# (docx/PDF) prints OPINION_HEADERS; the document exports add OPINION_KEY_HEADER (the
# opinion's uid: small in Word, a hidden column in Excel) so that an import merges the answers
# into the opinions held, the way 定位 matches a waiver to its finding.
OPINION_TITLE = "审核意见"
OPINION_HEADERS = ("序号", "位置", "审核意见", "回复", "状态")
OPINION_KEY_HEADER = "编号"
OPINION_GRID_TWIPS = (700, 1500, 2500, 2070, 900, 1400)  # with 编号; the sum of WAIVER_GRID_TWIPS
OPINION_XLSX_WIDTHS = (6, 20, 44, 36, 10, 34)
OPINION_PDF_TWIPS = (560, 1900, 3000)  # 回复 takes the rest of the frame less 状态 (1000)
OPINION_PDF_STATE_TWIPS = 1000
