"""The rule catalogue of RULES.md (plus Y01, 延续内容待核实): id, severity, dimension, title, why, source.

This registry is what the UI shows when the user asks "why?" about a finding. The checks
themselves are in ``rules_*.py``; thresholds and word lists in the profile. It is also the
one vocabulary of findings: severities (their order and Chinese labels), dimensions and the
Chinese names of the fields a finding points at — the window, the reports and the CLI all
read them from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SEVERITIES = ("error", "warning", "hint")  # most serious first
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "hint": "提示"}
DIMENSIONS = ("完整性", "相关性", "适当性", "可行性", "格式规范")

# The Chinese name of each field a finding (or a waiver) can point at.
FIELD_LABELS = {
    "code": "项目编码", "name": "项目名称", "budget_total": "预算数", "budget_fiscal": "财政资金",
    "budget_other": "其他资金", "purpose": "资金用途", "plan_mar": "3月底", "plan_jun": "6月底",
    "plan_oct": "10月底", "plan_dec": "12月底", "goal": "绩效目标", "level1": "一级指标",
    "level2": "二级指标", "level3": "三级指标", "description": "绩效指标描述", "value": "指标值",
    "basis": "指标值确定依据", "overall_text": "总体绩效目标", "subgoal": "分项绩效目标",
    "measure": "工作保障措施", "unit_code": "单位编码",
}
# Whole sections the window places findings at when a rule names no single field. Apart from
# FIELD_LABELS, whose labels map back to fields when 出错说明 tables are read.
SECTION_LABELS = {"plan": "资金支出计划", "subgoals": "分项绩效目标", "measures": "工作保障措施"}


def severity_rank(severity: str) -> int:
    """0 for an error, 1 a warning, 2 a hint; anything else (e.g. waived) sorts after them."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def worst_severity(severities: Iterable[str]) -> str | None:
    """The most serious of ``severities``, or None when there are none."""
    return min(severities, key=severity_rank, default=None)

C, R, A, F, S = DIMENSIONS  # 完整性 相关性 适当性 可行性 格式规范


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """Metadata of one rule.

    Attributes:
        id: stable id from RULES.md (``"G09"``).
        severity: ``error`` / ``warning`` / ``hint``.
        dimension: 88号 审核 dimension (or 格式规范 for system/format checks).
        title: short Chinese title.
        explanation: why the rule exists, in Chinese, for the user.
        source: where it comes from (RULES.md source column).
        heuristic: True when the trigger is a tunable heuristic (INF), not an explicit rule.
    """

    id: str
    severity: str
    dimension: str
    title: str
    explanation: str
    source: str
    heuristic: bool = False


def _r(id_: str, sev: str, dim: str, title: str, why: str, src: str, heur: bool = False) -> RuleInfo:
    return RuleInfo(id_, sev, dim, title, why, src, heur)


_RULES = [
    # A. 部门整体
    _r("A01", "error", C, "总体绩效目标未填写", "部门整体绩效目标必须有总体绩效目标，内容应完整。", "88号 完整性；HB19 三层级"),
    _r("A02", "warning", C, "未填写分项绩效目标", "部门整体绩效目标一般按工作活动分项列出绩效目标。", "SEED 结构；HB19"),
    _r("A03", "error", C, "分项缺少绩效目标", "每个分项都应写明“绩效目标：”内容。", "88号 完整性"),
    _r("A04", "hint", S, "分项误用“绩效评价”标签", "事前设定的是绩效目标，“绩效评价”是事后评价环节。", "SEED (九)(十)"),
    _r("A05", "warning", C, "未填写工作保障措施", "部门整体绩效目标应说明实现目标的保障措施。", "SEED 结构"),
    _r("A06", "hint", R, "项目在分项中没有对应说明", "预算项目应能在分项绩效目标中找到对应的工作活动。", "INF（SEED：协管员补贴）", True),
    _r("A07", "warning", A, "分项金额与项目预算数不一致", "绩效目标应与预算确定的资金量相匹配。", "88号 相应匹配；SEED 11 vs 13.80"),
    _r("A08", "hint", R, "含可能过时的表述", "以前年度的阶段性任务（如疫情防控）可能已不是本年度任务。", "INF (SEED)", True),
    _r("A09", "hint", R, "分项量化表述未在项目指标中体现", "分项中的量化目标应细化到对应项目的绩效指标中。", "88号 相关性；SEED (二)", True),
    _r("A10", "hint", C, "绩效目标使用已完成时", "绩效目标是计划期内预期达到的产出和效果，不是工作总结。", "88号 绩效目标定义"),
    # B. 项目编码 / 名称
    _r("B01", "error", C, "项目编码为空", "项目编码是系统必填项。", "SYS pro_code not null"),
    _r("B02", "error", S, "项目编码格式不正确", "项目编码为21位：6位财政区划+2位年度+P+12位。", "SYS VARCHAR2(21)；INF 格式"),
    _r("B03", "warning", S, "项目编码区划与本单位不一致", "同一单位的项目编码前6位（财政区划）应相同。", "INF", True),
    _r("B04", "error", S, "项目编码年度晚于预算年度", "项目入库年度不可能晚于预算年度。", "INF", True),
    _r("B05", "hint", S, "以前年度入库项目", "延续/结转项目的资金和目标应按本年度重新核实。", "INF；SEED T1", True),
    _r("B06", "error", S, "项目编码重复", "同一文档中的项目编码应唯一。", "INF"),
    _r("B07", "error", C, "项目名称为空", "项目名称是必填项。", "88号 完整性"),
    _r("B08", "hint", S, "项目名称年度与预算年度不一致", "项目名称中的年度通常应为预算年度，否则可能是沿用往年表格。", "INF；SEED T1", True),
    # C. 预算规模及资金用途
    _r("C01", "error", S, "预算数不正确", "预算数应为大于0、最多两位小数的金额（万元）。", "INF"),
    _r("C02", "error", S, "财政资金/其他资金不正确", "财政资金、其他资金应为非负金额（万元）。", "INF"),
    _r("C03", "error", A, "预算数与资金来源之和不符", "预算数＝财政资金＋其他资金（空白按0计）。", "SEED 结构（其中：）"),
    _r("C04", "error", C, "资金用途为空", "应说明资金的具体用途。", "88号 完整性"),
    _r("C05", "hint", R, "绩效目标与资金用途相同", "资金投入不能作为绩效目标，绩效目标应描述预期产出和效果。", "DYB；SEED T3/T4", True),
    _r("C06", "warning", A, "文字中的金额超过预算数", "文字中提到的金额不应超过项目预算数。", "88号 相应匹配"),
    _r("C07", "hint", R, "资金用途与项目内容不一致", "资金用途应与项目名称和绩效目标相关（启发式检查）。", "88号 相关性；SEED T6", True),
    # D. 资金支出计划
    _r("D01", "warning", F, "资金支出计划未填写", "每个时点的累计支出计划都应填写。", "SEED T1, T2"),
    _r("D02", "error", S, "资金支出计划不是0%–100%的百分数", "支出计划为累计百分比，应在0%到100%之间。", "INF"),
    _r("D03", "error", F, "资金支出计划不是累计进度", "累计支出计划后一时点不得小于前一时点。", "INF（累计）"),
    _r("D04", "error", F, "12月底累计支出计划不是100%", "年底累计支出计划应为100%。", "INF；全部SEED表"),
    _r("D05", "hint", F, "资金集中在年底支出", "建议按项目实施进度分解支出计划。", "INF", True),
    # E. 项目绩效目标
    _r("E01", "error", C, "绩效目标为空", "绩效目标是必填项。", "88号 完整性；SYS kpi_target not null"),
    _r("E02", "warning", C, "绩效目标条目重复", "绩效目标各条应明确、清晰，不应重复。", "88号 完整性；SEED T1"),
    _r("E03", "warning", C, "绩效目标仅引用文件依据", "绩效目标应说明预期产出和效果，而不只是文件依据。", "88号；SEED T1, T9"),
    _r("E04", "warning", R, "绩效目标只描述资金用途", "绩效目标应体现预期产出和效果，不能只写资金用在哪里。", "DYB；88号；SEED T5, T7, T11"),
    _r("E05", "hint", C, "绩效目标疑似被截断", "括号不配对或句子没有结束，可能是复制或导出时被截断。", "INF；SEED T10", True),
    _r("E06", "warning", S, "绩效目标过长", "过长的文字可能超出系统字段长度。", "SYS kpi_target VARCHAR2(2000)（河北限值未知）", True),
    _r("E07", "hint", C, "绩效目标使用已完成时", "绩效目标是计划期内预期达到的产出和效果，不是工作总结。", "88号"),
    _r("E08", "hint", R, "绩效目标地域范围与单位不一致", "“全县/全区”等与本单位所在层级不一致，疑似套用其他单位表格。", "INF；SEED T6", True),
    _r("E09", "hint", F, "绩效目标依据的文件较早", "依据的文件年度较早，请确认仍然有效。", "INF；SEED T9", True),
    _r("E10", "hint", R, "绩效目标缺少可衡量的表述", "绩效目标应细化量化，尽量定量表述。", "88号 细化量化", True),
    # F. 指标结构
    _r("F01", "error", S, "一级指标不在框架内", "一级指标应取自指标框架。", "88号 / 101号"),
    _r("F02", "error", S, "二级指标不属于一级指标", "二级指标应取自该一级指标下的框架。", "88号 / 101号"),
    _r("F03", "error", C, "缺少产出或效益指标", "绩效指标包括产出、效益和满意度指标。", "88号"),
    _r("F04", "warning", C, "缺少满意度指标", "满意度指标反映服务对象的认可程度（自评权重10%）。", "88号；10号"),
    _r("F05", "warning", C, "产出指标缺少数量/质量/时效指标", "产出应从数量、质量、时效等方面细化量化。", "88号 细化量化"),
    _r("F06", "warning", C, "缺少成本指标", "应设置成本指标，与预算资金量相匹配。", "88号；101号"),
    _r("F07", "error", C, "三级指标名称为空", "三级指标名称是系统必填项。", "SYS"),
    _r("F08", "error", R, "三级指标与一/二级指标同名", "三级指标应细化为具体、可衡量的指标。", "10号 绩效指标明确性；SEED"),
    _r("F09", "warning", S, "含空格或换行", "系统会拒绝或截断含首尾空格、制表符、换行的内容。", "SYS 空格检查；SEED T4, T6, T9"),
    _r("F10", "error", R, "三级指标含占位符", "“*”“XX”“某”等占位符应替换为具体内容。", "SYS；SEED T5"),
    _r("F11", "warning", R, "三级指标过于笼统", "指标内涵应明确、具体、可衡量。", "10号；SEED"),
    _r("F12", "warning", S, "三级指标名称过长", "省级系统三级指标名称为30字节（约15个汉字），超出部分被截断。", "SYS KPI_LV3 VARCHAR2(30)", True),
    _r("F13", "warning", S, "三级指标重复", "同一项目内三级指标不应重复。", "INF"),
    _r("F14", "hint", S, "单位写在指标名称中", "计量单位应在指标值中填写，不写在名称里。", "INF；SEED", True),
    _r("F15", "warning", C, "绩效指标描述未填写", "指标描述是系统必填项。", "SYS kpi_content not null"),
    _r("F16", "hint", C, "指标描述与名称相同", "指标描述应说明指标含义、计算方法或统计口径。", "SYS 指标解释"),
    _r("F17", "warning", R, "数量指标是比率", "数量指标反映预期产出数量，应为绝对数量。", "88号；SEED T1, T5, T6, T8"),
    _r("F18", "warning", R, "以满意度代替效益指标", "满意度应设在满意度指标下，效益指标应反映效果。", "SHUTU"),
    _r("F19", "hint", R, "效益指标更像产出指标", "产出（做了多少）与效益（带来什么效果）不应混淆。", "SHUTU", True),
    _r("F20", "hint", R, "质量指标更像效益/满意度指标", "质量指标反映产出的质量，不是效益或满意度。", "SHUTU", True),
    _r("F21", "hint", C, "绩效指标过少", "一般不少于3个绩效指标。", "DYB（地方：不得少于3个）"),
    _r("F22", "hint", R, "可不设置该二级指标", "没有明显的生态效益/可持续影响时，可不设该二级指标，而不是填写笼统指标。", "INF", True),
    _r("F23", "hint", R, "指标与本项目内容不符", "指标中的对象未出现在本项目中，疑似从其他项目复制。", "88号 相关性；SEED T10", True),
    _r("F24", "hint", S, "系统将自动添加成本控制率指标", "河北一体化系统对非人员、公用类项目固化“项目或定额成本控制率＝100%”。", "SYS 河北模式"),
    # G. 指标值
    _r("G01", "error", C, "指标值为空", "指标值是系统必填项。", "SYS"),
    _r("G02", "error", S, "指标值含*、_、-", "系统拒绝含这些字符的指标值。", "SYS"),
    _r("G03", "warning", R, "指标值无法识别", "指标值应为“计算符号+数值+单位”或定性分档表述。", "SYS 计算符号；88号"),
    _r("G04", "error", R, "指标值不是取值", "指标值应为具体日期、时长、数量或比例。", "10号 可衡量；SEED T2–T11"),
    _r("G05", "warning", R, "定量指标缺少计算符号", "系统要求先选择计算符号（≥、＞、＝、＜、≤）。", "SYS"),
    _r("G05a", "error", S, "定量指标值不是数值", "系统中定量指标值为最多3位小数的数值，单位单独填写。", "SYS"),
    _r("G06", "warning", R, "定量指标缺少计量单位", "计量单位是定量指标的必录项。", "SYS"),
    _r("G07", "error", A, "百分比超过100%", "比例不能超过100%。", "INF"),
    _r("G08", "hint", A, "“≥100%”等同于“＝100%”", "比率不可能超过100%，直接填写＝100%。", "INF；SEED", True),
    _r("G09", "warning", A, "满意度目标值为100%", "满意度按调查口径设定，100%不切实际。", "INF（审核实践；10号）；SEED", True),
    _r("G10", "warning", A, "满意度指标值不合理", "满意度应为合理的百分比。", "INF", True),
    _r("G11", "warning", R, "比率类指标单位不是%", "比率、比例类指标应以%计量。", "INF", True),
    _r("G12", "warning", R, "数量类指标使用百分比", "数量类指标应以个、次、家等计量。", "INF；SEED T7", True),
    _r("G13", "error", R, "期限类指标使用百分比", "期限应以年、月、天计量。", "INF；SEED", True),
    _r("G14", "warning", R, "指标名称与计量单位不匹配", "计量单位应与指标所计数的对象一致。", "INF；SEED T4", True),
    _r("G15", "warning", R, "反向指标使用“≥”", "越小越好的指标应使用“≤”或“＝”。", "INF", True),
    _r("G16", "hint", R, "反向指标未量化", "反向指标建议量化，如“＝0次”。", "INF；SEED T8", True),
    _r("G17", "error", A, "成本指标超过预算数", "成本指标不得超出预算支出标准和项目预算数。", "88号；SYS 预算支出标准；SEED T1"),
    _r("G18", "warning", A, "成本指标使用“≥”", "成本指标应设上限（≤）。", "INF", True),
    _r("G19", "warning", A, "成本指标未量化", "成本指标应量化，如“≤预算数万元”或单位成本标准。", "88号；SYS；SEED T2–T11"),
    _r("G20", "error", F, "时效指标取值不正确", "时效指标应填写完成时间、时长或及时率。", "10号 可衡量；SEED T2–T11"),
    _r("G21", "error", F, "时效日期早于预算年度", "预算年度的目标不能在预算年度之前完成。", "INF；SEED T1", True),
    _r("G22", "hint", F, "时效日期晚于预算年度", "一年期项目的完成时间一般在预算年度内。", "INF", True),
    _r("G23", "hint", F, "指标值含不确定表述", "指标值应明确，不用“预计、力争、约”等。", "88号 明确、细化量化"),
    _r("G24", "warning", R, "指标值是整句话", "应拆分为计算符号+数值+单位。", "SYS；SEED T3"),
    _r("G25", "warning", S, "指标值过长", "系统指标值字段为60字节。", "SYS KPI_VAL VARCHAR2(60)"),
    _r("G26", "hint", A, "增长/提升类目标值偏高", "增长率、提升率的目标值应经过测算。", "88号 合理可行；SEED", True),
    _r("G27", "hint", A, "诊断性比率作为目标不合理", "问题发现率、立案率等不宜设为越高越好的目标。", "INF；SEED T5, T6", True),
    _r("G28", "hint", A, "足额/按时类比率目标偏低", "足额发放、按时完成等一般应为＝100%。", "INF；SEED T10", True),
    _r("G29", "hint", A, "产出数量与资金规模可能不匹配", "资金规模与绩效目标应匹配（启发式检查）。", "88号 适当性", True),
    _r("G30", "warning", R, "定性指标使用百分比", "定性描述不能用百分比衡量，应改为可计算的比率或定性分档。", "10号 可衡量；SEED T8, T9, T11"),
    # H. 指标值确定依据
    _r("H01", "warning", C, "指标值确定依据未填写", "应说明指标值的确定依据。", "SYS"),
    _r("H02", "hint", F, "依据未注明类型", "建议注明计划标准、行业标准、历史标准、预算支出标准或其他标准。", "88号 绩效标准；SYS"),
    _r("H03", "hint", F, "依据均为资金下达文件", "资金下达文件不是指标取值的标准。", "INF；SEED T1", True),
    _r("H04", "hint", F, "成本指标依据不是预算标准", "成本指标应以预算支出标准或测算为依据。", "SYS 预算支出标准"),
    # I. 跨项目
    _r("I01", "warning", R, "指标在多个项目中完全相同", "各项目的指标应与项目内容相关，完全相同疑似套用。", "88号 相关性；SEED", True),
    _r("I02", "warning", R, "两个项目绩效指标高度雷同", "不同项目的绩效指标应体现各自的产出和效果。", "88号 相关性", True),
    _r("I03", "hint", F, "全部指标使用相同取值依据", "不同指标的取值依据通常不同。", "INF", True),
    # U. 整个文档 (beyond RULES.md): an empty document, the unit code
    _r("U01", "error", C, "绩效目标尚未填写", "没有部门整体绩效目标也没有项目的文档无可报送，不能视为通过审核。", "完整性：必填内容"),
    _r("U02", "error", S, "单位编码格式不正确", "单位编码应符合本地规则（如河北为6位数字），否则财政系统无法识别。", "SYS 单位编码"),
    # Y. 延续项目 — the one rule beyond RULES.md
    _r("Y01", "hint", F, "延续内容待核实",
       "延续（结转）项目沿用上年度的文字，其中与年度有关的内容（如“2024年12月31日前”“2024年度”）"
       "通常应按本年度更新；其他项目和部门整体中出现上一年度也请核实。",
       "延续项目（结转）：上年度文本需按本年度核实", True),
]

RULES: dict[str, RuleInfo] = {r.id: r for r in _RULES}


def rule_info(rule_id: str) -> RuleInfo:
    """The metadata of a rule id (KeyError for an unknown id)."""
    return RULES[rule_id]
