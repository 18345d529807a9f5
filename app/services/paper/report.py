"""The validation report of a unit as a PDF for the supervisor.

Per document (one unit, one year): this program's assessment (labelled as such, never the
bureau's verdict), counts by severity and 审核 dimension, an overview of the projects, then
the findings grouped by project — part 1 and document-wide findings first — each with its
rule, severity, dimension and location, and, where a warning or hint was waived, the written
explanation (出错说明). A last section lists every explanation together.

Consumes the JSON shape of ``check --json`` (``report.findings`` dicts and
``report.summary``), the same that :func:`app.services.validation.check_documents` returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from app.models import Document
from app.models.values import code_and_name
from app.services.atomic import write_with
from app.services.errors import PerfGoalsError
from app.services.formats.part1_layout import unit_line
from app.services.paper.layout import (
    FRAME_WIDTH,
    LINE,
    OPINION_COLS,
    TWIP,
    LayoutBuilder,
    PageContext,
    para_markup,
)
from app.services.paper.writer import build_pdf
from app.services.validation import (
    DIMENSIONS,
    SEVERITIES,
    SEVERITY_LABELS,
    place_text,
    severity_rank,
)

FINDING_HEADER = ("序号", "级别", "规则", "审核维度", "位置", "问题及说明")
FINDING_COLS = [w * TWIP for w in (560, 620, 620, 900, 1500)]
FINDING_COLS.append(FRAME_WIDTH - sum(FINDING_COLS))
ERROR_FILL = colors.Color(0.93, 0.93, 0.93)  # light grey: visible on black-and-white printers
WAIVER_NOTE = "已说明（出错说明）："


def _place(f: Mapping[str, Any]) -> str:
    """``第3行 指标值`` / ``第2项 分项绩效目标`` / ``总体绩效目标`` of a ``check --json`` finding."""
    return place_text(f.get("row"), f.get("field"), f.get("item")) or "—"


def waiver_text(f: Mapping[str, Any]) -> str | None:
    """The explanation that waives a finding (None when not waived)."""
    return str(f.get("waiver") or "") if f.get("waived") else None


def _counts(findings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Unwaived counts by severity and dimension, plus the waived count."""
    out: dict[str, Any] = {s: 0 for s in SEVERITIES}
    out["waived"] = 0
    out["by_dimension"] = {}
    for f in findings:
        if f.get("waived"):
            out["waived"] += 1
            continue
        sev = f.get("severity", "hint")
        out[sev] = out.get(sev, 0) + 1
        dim = out["by_dimension"].setdefault(f.get("dimension") or "其他", {s: 0 for s in SEVERITIES})
        dim[sev] = dim.get(sev, 0) + 1
    return out


class ReportLayout:
    """Flowables of the validation report, drawn with the PDF layout's styles."""

    def __init__(self, builder: LayoutBuilder) -> None:
        self.b = builder
        self.s = builder.s

    def story(self, docs: Sequence[Document], findings: Sequence[Mapping[str, Any]],
              summary: Mapping[str, Any]) -> list[Flowable]:
        reviews = {(u.get("unit"), u.get("year")): u for u in summary.get("units") or []}
        out: list[Flowable] = []
        for group, doc in enumerate(docs):
            mine = [f for f in findings
                    if f.get("unit") == doc.unit.code and f.get("year", doc.year) == doc.year]
            if out:
                out.append(PageBreak())
            out.append(PageContext(group, doc.unit.name or doc.unit.code or "",
                                   f"{unit_line(doc)}（{doc.year}年度）审核报告"))
            out.extend(self.document(doc, mine, reviews.get((doc.unit.code, doc.year)) or {},
                                     summary.get("assessment_label")))
        return out

    # -- one unit --------------------------------------------------------------------------
    def document(self, doc: Document, findings: list[Mapping[str, Any]],
                 review: Mapping[str, Any], label: str | None) -> list[Flowable]:
        s, p = self.s, self.b.p
        counts = _counts(findings)
        out: list[Flowable] = [
            Paragraph("绩效目标审核报告", s.title),
            Paragraph(para_markup(f"{unit_line(doc)}　{doc.year}年度"), s.table_title),
        ]
        info = []
        if review.get("assessment"):
            meaning = f"（{review['meaning']}）" if review.get("meaning") else ""
            info.append(f"总体评估：{review['assessment']}{meaning}")
        label = review.get("assessment_label") or label or "本程序的评估，非财政部门审核结论"
        info.append(f"说明：{label}。")
        info.append(
            f"共发现错误{counts['error']}条、警告{counts['warning']}条、提示{counts['hint']}条；"
            f"已说明（出错说明）{counts['waived']}条。错误须修改，警告和提示可修改或书面说明。"
        )
        if review.get("profile"):
            info.append(f"审核规则：{review['profile']}")
        out.extend(Paragraph(para_markup(t), s.body) for t in info)
        out.append(Spacer(1, 6))
        out.append(self.dimension_table(counts))
        out.append(Spacer(1, 10))
        out.append(self.project_overview(doc, findings, review))
        part1 = [f for f in findings if f.get("project") is None]
        out.append(Paragraph("一、部门整体绩效目标及全文", s.heading))
        out.append(self.findings_table(part1) if part1 else p("未发现问题。", s.cell_left))
        out.append(Paragraph("二、项目绩效目标表", s.heading))
        for n, project in enumerate(doc.projects, start=1):
            mine = [f for f in findings if f.get("project") == n]
            title = f"{n}. {code_and_name(project.code, project.name)}"
            grade = self._project_review(review, n).get("assessment")
            if grade:
                title += f"（评估：{grade}）"
            out.append(Paragraph(para_markup(title), s.body_bold))
            out.append(self.findings_table(mine) if mine else p("未发现问题。", s.cell_left))
            out.append(Spacer(1, 6))
        waived = [f for f in findings if f.get("waived")]
        out.append(Paragraph("三、出错说明汇总", s.heading))
        if waived:
            out.append(self.waiver_table(doc, waived))
        else:
            out.append(p("没有已说明的问题。", s.cell_left))
        return out

    @staticmethod
    def _project_review(review: Mapping[str, Any], n: int) -> Mapping[str, Any]:
        for pr in review.get("projects") or []:
            if pr.get("project") == n:
                return dict(pr)
        return {}

    def _grid(self, rows: list[list[Any]], widths: list[float], extra: list[Any] | None = None,
              header_rows: int = 1) -> Table:
        style = self.b._grid_style([
            ("GRID", (0, 0), (-1, -1), LINE, colors.black),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.85, 0.85, 0.85)),
            *(extra or []),
        ])
        return Table(rows, colWidths=widths, style=style, repeatRows=header_rows,
                     hAlign="CENTER")

    def dimension_table(self, counts: Mapping[str, Any]) -> Table:
        p = self.b.p
        rows = [[p(h) for h in ("审核维度", *SEVERITY_LABELS.values())]]
        dims = list(DIMENSIONS) + [d for d in counts["by_dimension"] if d not in DIMENSIONS]
        for d in dims:
            c = counts["by_dimension"].get(d, {})
            rows.append([p(d), *(p(str(c.get(sv, 0))) for sv in SEVERITIES)])
        rows.append([p("合计"), *(p(str(counts[sv])) for sv in SEVERITIES)])
        width = FRAME_WIDTH / 2
        return self._grid(rows, [width * 0.4, width * 0.2, width * 0.2, width * 0.2])

    def project_overview(self, doc: Document, findings: list[Mapping[str, Any]],
                         review: Mapping[str, Any]) -> Table:
        p, s = self.b.p, self.s
        rows = [[p(h) for h in ("序号", "项目编码", "项目名称", "评估", *SEVERITY_LABELS.values(),
                                "已说明")]]
        for n, project in enumerate(doc.projects, start=1):
            c = _counts([f for f in findings if f.get("project") == n])
            grade = self._project_review(review, n).get("assessment", "")
            rows.append([p(str(n)), p(project.code), p(project.name, s.cell_left), p(grade),
                         *(p(str(c[k])) for k in ("error", "warning", "hint", "waived"))])
        widths = [w * TWIP for w in (560, 2750, 2420, 620, 620, 620, 620)]
        widths.append(FRAME_WIDTH - sum(widths))
        return self._grid(rows, widths)

    def findings_table(self, findings: list[Mapping[str, Any]]) -> Table:
        p, s = self.b.p, self.s
        rows = [[p(h) for h in FINDING_HEADER]]
        extra: list[Any] = []
        ordered = sorted(findings, key=lambda f: (
            f.get("row") or 0, f.get("item") or 0,
            severity_rank(f.get("severity") or ""),
            f.get("rule") or ""))
        for n, f in enumerate(ordered, start=1):
            text = f.get("message") or ""
            note = waiver_text(f)
            if note is not None:
                text += f"\n{WAIVER_NOTE}{note}"
            sev = SEVERITY_LABELS.get(f.get("severity", ""), f.get("severity", ""))
            if f.get("waived"):
                sev += "\n（已说明）"
            rows.append([p(str(n)), p(sev), p(f.get("rule")), p(f.get("dimension")),
                         p(_place(f)), p(text, s.cell_left)])
            if f.get("severity") == "error" and not f.get("waived"):
                extra.append(("BACKGROUND", (0, n), (1, n), ERROR_FILL))
        return self._grid(rows, FINDING_COLS, extra)

    def waiver_table(self, doc: Document, waived: list[Mapping[str, Any]]) -> Table:
        p, s = self.b.p, self.s
        rows = [[p(h) for h in ("序号", "项目", "规则", "位置", "问题", "出错说明")]]
        for n, f in enumerate(waived, start=1):
            proj = f.get("project")
            where = "部门整体" if proj is None else f"项目{proj} {f.get('project_code') or ''}"
            rows.append([p(str(n)), p(where, s.cell_left), p(f.get("rule")),
                         p(_place(f)), p(f.get("message"), s.cell_left),
                         p(waiver_text(f), s.cell_left)])
        widths = [w * TWIP for w in (560, 1700, 620, 1300, 2500)]
        widths.append(FRAME_WIDTH - sum(widths))
        return self._grid(rows, widths)


def write_report_pdf(
    out: Path | str,
    docs: Sequence[Document],
    report: Any,
    font: str | None = None,
    print_date: date | None = None,
) -> Path:
    """Write the validation report of ``docs`` as a PDF (atomically).

    Args:
        out: the PDF file.
        docs: the documents that were checked.
        report: a ``CheckReport`` (``.findings`` list of dicts, ``.summary`` dict) or a mapping
            with those two keys (the ``check --json`` output).
        font: a key from :func:`app.services.paper.fonts.available_fonts`.
        print_date: the date in the footer (today by default).

    Raises:
        PerfGoalsError: nothing to report on, or the file cannot be written.
    """
    docs = list(docs)
    if not docs:
        raise PerfGoalsError("没有可生成审核报告的文档")
    if isinstance(report, Mapping):
        findings, summary = report.get("findings") or [], report.get("summary") or {}
    else:
        findings, summary = report.findings, report.summary
    out = Path(out)
    title = "、".join(f"{d.unit.name or d.unit.code}{d.year}年度" for d in docs[:3]) + "审核报告"
    write_with(out, lambda tmp: build_pdf(
        tmp, lambda b: ReportLayout(b).story(docs, findings, summary), font=font, title=title,
        print_date=print_date,
    ))
    return out


def write_review_pdf(out: Path | str, title: str, intro: Sequence[str], opinions: Sequence[Any],
                     font: str | None = None, print_date: date | None = None) -> Path:
    """Write a review file (审核意见 of one unit) as a PDF (atomically).

    Args:
        title: the heading (unit and year).
        intro: paragraphs under it (status, counts).
        opinions: :class:`~app.models.Opinion` objects, in order.
    """
    from app.services.formats.opinion_table import OPINION_HEADERS, opinion_rows

    def story(b: LayoutBuilder) -> list[Flowable]:
        layout = ReportLayout(b)
        s, p = b.s, b.p
        rows = [[p(h) for h in OPINION_HEADERS]]
        rows += [[p(n), p(where, s.cell_left), p(text, s.cell_left), p(reply, s.cell_left), p(state)]
                 for n, where, text, reply, state in opinion_rows(opinions)]
        return [
            PageContext(0, title, title),
            Paragraph(para_markup(title), s.title),
            *(Paragraph(para_markup(t), s.body) for t in intro),
            Spacer(1, 8),
            layout._grid(rows, OPINION_COLS) if opinions else p("没有审核意见。", s.cell_left),
        ]

    out = Path(out)
    write_with(out, lambda tmp: build_pdf(tmp, story, font=font, title=title, print_date=print_date))
    return out
