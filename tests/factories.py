"""Documents built in code: one with every field set, one with every optional field blank."""

from __future__ import annotations

from datetime import datetime

from app.models import Document, Execution, Indicator, Measure, Project, SubGoal, Unit, Waiver


def full_document(code: str = "422001", year: int = 2024) -> Document:
    """Every field set, with the awkward texts real files have (spaces, line breaks, ' ')."""
    unit = Unit(code=code, name="曹妃甸区市场监督管理局本级", region_code="130209")
    doc = Document(
        unit=unit, year=year, unit_line=f"{code}曹妃甸区市场监督管理局本级", profile="hebei2015",
        has_part1=True, overall_label="总体绩效信息：", overall_text="（一）坚持党建引领。\n（二）坚守主责主业。",
        subgoals_label="分项绩效目标：", measures_label="工作保障措施：",
        updated_at=datetime(2024, 1, 2, 3, 4, 5),
    )
    doc.subgoals = [
        SubGoal(position=0, title="障一级伤残抚恤金及时发放", goal_label="绩效目标：",
                goal_text="按时发放抚恤金。", indicator_label="绩效指标：", indicator_text="发放抚恤金11万元。"),
        SubGoal(position=1, title="公众开放日试剂补贴", goal_label="绩效评价：", goal_text="开展快速检测。"),
    ]
    doc.measures = [Measure(position=0, title="完善制度建设。", text="制定完善预算绩效管理制度。  ")]
    p = Project(
        position=0, seq=1, heading="1.食品安全监管绩效目标表", code="13020924P00070710002F",
        name="食品安全监管", budget_total_raw="200.00", budget_fiscal_raw="199.995",
        budget_other_raw="0.005", purpose="主要用于食品监管\n专项支出",
        plan_mar_raw="25%", plan_jun_raw="50%", plan_oct_raw="75.5%", plan_dec_raw="100%",
        goal="1.开展食品抽检。\n2.确保食品安全。",
    )
    p.indicators = [
        Indicator(position=0, level1="产出指标", level2="数量指标", level3="抽检批次",
                  description="全年抽检食品批次", value_raw="≥1600批次", basis="年度工作计划"),
        Indicator(position=1, level1="产出指标", level2="质量指标", level3="对监管企业发展\n\n的影响",
                  description="对经济发展带来效果 ", value_raw="≥92%\n", basis="部门职责"),
        Indicator(position=2, level1="满意度指标", level2="服务对象满意度指标", level3="服务对象满意度",
                  description="问卷调查", value_raw="≥90%", basis="历史标准"),
    ]
    doc.projects = [p]
    doc.waivers = [
        Waiver(rule_id="G08", project=p, indicator=p.indicators[1], field="value",
               location="P1/R2/value", explanation="按上级文件口径填写",
               created_at=datetime(2024, 3, 1, 9, 0, 0)),
        Waiver(rule_id="A02", location="part1", explanation="本单位无分项",
               created_at=datetime(2024, 3, 1, 9, 5, 0)),
    ]
    return doc


def blank_document(code: str = "999001", year: int = 2025) -> Document:
    """Every optional field blank (None), one project and one indicator with nothing in them."""
    unit = Unit(code=code, name="")
    doc = Document(unit=unit, year=year)
    p = Project(position=0)
    p.indicators = [Indicator(position=0)]
    doc.projects = [p]
    return doc


def spending_document(code: str = "422001", year: int = 2024) -> Document:
    """Three projects with the spending-plan cases of the seed, and some recorded 执行数.

    Project 1 fills every checkpoint, project 2 only 12月底 (seed T1), project 3 leaves 6月底
    blank (seed T2) and has no budget text for one case of arithmetic with a blank.
    """
    doc = full_document(code, year)
    p1 = doc.projects[0]
    p1.executions = [
        Execution(month=1, amount_raw="10.00"), Execution(month=2, amount_raw="20"),
        Execution(month=3, amount_raw="55.5"),
    ]
    p2 = Project(position=1, seq=2, code="13020924P00070710003F", name="特种设备安全监管",
                 budget_total_raw="100", budget_fiscal_raw="100", plan_mar_raw=" ",
                 plan_jun_raw=" ", plan_oct_raw=" ", plan_dec_raw="100%", purpose="检测", goal="检测")
    p2.executions = [Execution(month=3, amount_raw="0")]
    p3 = Project(position=2, seq=3, code="13020924P00070710004F", name="市场主体培育",
                 budget_total_raw="12.42", budget_fiscal_raw="12.42", plan_mar_raw="30%",
                 plan_jun_raw=None, plan_oct_raw="80%", plan_dec_raw="100%", purpose="培育", goal="培育")
    doc.projects.extend([p2, p3])
    return doc
