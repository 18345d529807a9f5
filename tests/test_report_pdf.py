"""The validation report PDF: findings grouped by project, waivers with their explanations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.models.values import squash
from app.services.formats.file_io import read_file
from app.services.paper.report import write_report_pdf
from app.services.validation import check_documents
from tests.factories import full_document
from tests.pdf_helpers import body_text, font_is_embedded, fonts_of, footers


def finding(**kw) -> dict:
    base = {"rule": "G08", "severity": "warning", "message": "指标值“≥92%”后有空行",
            "dimension": "适当性", "unit": "422001", "year": 2024, "project": 1,
            "project_code": "13020924P00070710002F", "row": 2, "field": "value",
            "waived": False, "waiver": None}
    base.update(kw)
    return base


def test_report_from_dicts_groups_by_project_and_shows_waivers(tmp_path: Path) -> None:
    doc = full_document()
    report = {
        "findings": [
            finding(waived=True, waiver="按上级文件口径填写"),
            finding(rule="E01", severity="error", message="绩效目标重复", row=None, field="goal"),
            finding(rule="A08", severity="hint", message="总体绩效目标含有过时表述“新冠”",
                    project=None, project_code=None, row=None, field="overall_text"),
            finding(unit="999999", message="别的单位的问题"),
        ],
        "summary": {"units": [{"unit": "422001", "year": 2024, "assessment": "中",
                               "meaning": "需修改后报送", "assessment_label": "本程序的评估，非财政部门审核结论",
                               "projects": [{"project": 1, "assessment": "中"}]}]},
    }
    out = write_report_pdf(tmp_path / "r.pdf", [doc], report, print_date=date(2024, 3, 1))
    text = body_text(out, doc.unit.name)
    for needle in ("绩效目标审核报告", "总体评估：中（需修改后报送）", "本程序的评估，非财政部门审核结论",
                   "一、部门整体绩效目标及全文", "总体绩效目标含有过时表述“新冠”",
                   "1.13020924P00070710002F食品安全监管（评估：中）", "绩效目标重复",
                   "指标值“≥92%”后有空行", "已说明（出错说明）：按上级文件口径填写", "第2行指标值",
                   "三、出错说明汇总"):
        assert squash(needle) in text, needle
    assert "别的单位的问题" not in text
    # part 1 findings come before the project's, the project's error before its warning
    assert text.index("新冠") < text.index("绩效目标重复") < text.index("后有空行")
    assert footers(out)[-1][0] == footers(out)[-1][1]


def test_report_of_seed_has_every_finding(tmp_path: Path, seed_docx: Path) -> None:
    docs = read_file(seed_docx).documents
    report = check_documents(docs)
    assert report.findings
    out = write_report_pdf(tmp_path / "seed-report.pdf", docs, report)
    text = body_text(out, docs[0].unit.name)
    for f in report.findings:
        assert squash(f["message"]) in text, f["message"]
    for n, p in enumerate(docs[0].projects, start=1):
        assert squash(f"{n}.{p.code}") in text
    assert all(font_is_embedded(f) for f in fonts_of(out))


def test_report_without_findings(tmp_path: Path) -> None:
    doc = full_document()
    out = write_report_pdf(tmp_path / "empty.pdf", [doc], {"findings": [], "summary": {}})
    text = body_text(out, doc.unit.name)
    assert "未发现问题" in text and "没有已说明的问题" in text
