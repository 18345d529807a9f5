"""A deterministic bureau-sized workload: 100 units × 30 projects × 10–25 indicators."""

from __future__ import annotations

import random
from decimal import Decimal

from app.models import Document, Indicator, Measure, Project, SubGoal, Unit

FRAME = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
}
NAMES = ["食品安全监管", "市场秩序执法", "特种设备安全监察", "质量强区", "知识产权保护", "计量检定",
         "消费维权", "广告监测", "信用监管", "价格监督检查"]
LEVEL3 = ["抽检批次", "检查企业数量", "抽检合格率", "案件办结率", "按时完成率", "项目成本控制",
          "群众满意度", "投诉处理及时率", "培训人次", "宣传活动场次"]
VALUES = ["≥1600批次", "≥98%", "＝100%", "≤30个工作日", "≥500家", "2024年12月31日前", "≥90%", "≤20万元"]


def make_workload(units: int = 100, projects: int = 30, seed: int = 20241) -> list[Document]:
    """The workload as transient documents (same output for the same arguments)."""
    rng = random.Random(seed)
    docs = []
    for u in range(units):
        code = f"{422001 + u}"
        unit = Unit(code=code, name=f"第{u + 1}测试局本级", region_code="130209")
        doc = Document(unit=unit, year=2024, unit_line=f"{code}第{u + 1}测试局本级",
                       has_part1=True, overall_label="总体绩效信息：",
                       overall_text="（一）坚持党建引领。" * rng.randint(20, 60),
                       subgoals_label="分项绩效目标：", measures_label="工作保障措施：")
        doc.subgoals = [SubGoal(position=i, title=rng.choice(NAMES), goal_label="绩效目标：",
                                goal_text="开展监督检查，确保安全。" * 3) for i in range(10)]
        doc.measures = [Measure(position=i, title=f"措施{i + 1}。", text="加强管理。" * 5) for i in range(7)]
        for p in range(projects):
            total = Decimal(rng.randint(100, 2_000_000)) / 100
            fiscal = total if rng.random() < 0.8 else (total * Decimal("0.6")).quantize(Decimal("0.01"))
            other = total - fiscal
            proj = Project(
                position=p, seq=p + 1, heading=f"{p + 1}.{rng.choice(NAMES)}绩效目标表",
                code=f"13020924P{rng.randint(0, 999999):06d}1000{rng.randint(0, 9)}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}",
                name=f"{rng.choice(NAMES)}{p + 1}", budget_total_raw=f"{total:.2f}",
                budget_fiscal_raw=f"{fiscal:.2f}", budget_other_raw=f"{other:.2f}" if other else " ",
                purpose="主要用于" + rng.choice(NAMES) + "等专项工作。",
                plan_mar_raw="25%", plan_jun_raw="50%", plan_oct_raw="75%", plan_dec_raw="100%",
                goal="1.完成年度监督检查任务。\n2.确保辖区安全。",
            )
            rows = []
            n_rows = rng.randint(10, 25)
            frame = [(l1, l2) for l1, l2s in FRAME.items() for l2 in l2s]
            for k in range(n_rows):
                l1, l2 = frame[k % len(frame)] if k < len(frame) else rng.choice(frame)
                rows.append(Indicator(position=k, level1=l1, level2=l2, level3=rng.choice(LEVEL3),
                                      description="按年度工作计划统计", value_raw=rng.choice(VALUES),
                                      basis="年度工作计划、历史标准"))
            rows.sort(key=lambda i: list(FRAME).index(i.level1))
            for k, row in enumerate(rows):
                row.position = k
            proj.indicators = rows
            doc.projects.append(proj)
        docs.append(doc)
    return docs
