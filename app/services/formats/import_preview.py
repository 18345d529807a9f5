"""Import as a preview, then a commit.

:func:`preview_import` reads a file (nothing stored) and lists what it holds and which projects
collide with stored ones; the import dialog shows :func:`report_lines` and asks replace / keep /
copy when there are conflicts; :func:`commit_preview` stores the file in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.models import Document
from app.models.values import code_and_name
from app.services.formats.file_io import ReadResult, read_file
from app.services.formats.importing import (
    Conflict,
    ConflictError,
    ImportResult,
    OnConflict,
    check_importable,
    commit_documents,
    find_conflicts,
)
from app.services.storage.store import Store


@dataclass(slots=True)
class ProjectSummary:
    """One project as the preview lists it."""

    seq: int | None
    code: str | None
    name: str | None
    indicators: int
    conflict: bool = False


@dataclass(slots=True)
class DocumentSummary:
    """One unit/year found in the file."""

    unit_code: str
    unit_name: str
    year: int
    has_part1: bool
    subgoals: int
    measures: int
    projects: list[ProjectSummary] = field(default_factory=list)
    waivers: int = 0  # 出错说明 read with the document

    @property
    def indicators(self) -> int:
        """Indicator rows over all projects."""
        return sum(p.indicators for p in self.projects)


@dataclass(slots=True)
class ImportPreview:
    """What a file holds and how it meets the database, before anything is stored."""

    result: ReadResult
    conflicts: list[Conflict]
    documents: list[DocumentSummary]

    @property
    def path(self) -> Path:
        """The file read."""
        return self.result.path

    @property
    def notes(self) -> list[str]:
        """Anything skipped or inferred, with where (sheet/row, table/row)."""
        return self.result.notes

    @property
    def errors(self) -> list[str]:
        """Values the file holds that the import would lose (a partial import), with where."""
        return self.result.errors


def summarize(docs: list[Document], conflicts: list[Conflict]) -> list[DocumentSummary]:
    """Counts per unit/year and per project, conflicts marked."""
    clashing = {(c.unit_code, c.year, c.code) for c in conflicts}
    out = []
    for d in docs:
        s = DocumentSummary(d.unit.code, d.unit.name or "", d.year, bool(d.has_part1),
                            len(d.subgoals), len(d.measures), waivers=len(d.waivers))
        for p in d.projects:
            s.projects.append(ProjectSummary(
                p.seq, p.code, p.name, len(p.indicators), (d.unit.code, d.year, p.code) in clashing
            ))
        out.append(s)
    return out


def preview_import(store: Store, path: str | Path) -> ImportPreview:
    """Read ``path`` and compare it with the database; nothing is stored.

    Raises:
        InputError: the file cannot be read (message names the file and the problem).
    """
    return preview_result(store, read_file(path))


def preview_result(store: Store, result: ReadResult) -> ImportPreview:
    """The preview of a file already read (see :func:`preview_import`).

    Raises:
        InputError: the file holds documents that cannot be imported (see
            :func:`check_importable`).
    """
    check_importable(result.documents, str(result.path))
    conflicts = find_conflicts(store, result.documents)
    return ImportPreview(result, conflicts, summarize(result.documents, conflicts))


def report_lines(preview: ImportPreview, detail: bool = True) -> list[str]:
    """The preview as Chinese report lines (CLI output, dialog text)."""
    lines = [f"文件：{preview.path}（{preview.result.kind}）"]
    for d in preview.documents:
        part1 = f"有（分项{d.subgoals}项，保障措施{d.measures}项）" if d.has_part1 else "无"
        lines.append(
            f"  单位 {d.unit_code} {d.unit_name}，{d.year}年度：部门整体绩效目标{part1}，"
            f"项目{len(d.projects)}个，指标{d.indicators}条"
            + (f"，出错说明{d.waivers}条" if d.waivers else "")
        )
        if detail:
            for p in d.projects:
                mark = "（编码已存在）" if p.conflict else ""
                seq = f"{p.seq}." if p.seq is not None else "-"
                lines.append(f"    {seq} {code_and_name(p.code, p.name)}：指标{p.indicators}条{mark}")
    for doubt in preview.result.year_doubts:
        lines.append(f"  年度待确认：单位{doubt.unit_code}：{doubt.reason}；暂按{doubt.year}年"
                     "（窗口导入时会询问，命令行请用 --year 指定）")
    for error in preview.errors:
        lines.append(f"  错误：{error}")
    for note in preview.notes:
        lines.append(f"  注意：{note}")
    for c in preview.conflicts:
        lines.append(f"  冲突：项目编码 {c.code}（{c.incoming_name}）已存在于 {c.unit_code} {c.year}年度（现名：{c.stored_name}）")
    return lines


def check_conflicts(previews: list[ImportPreview], on_conflict: OnConflict | None) -> None:
    """Refuse a batch with conflicts when no choice was given (before anything is stored).

    Raises:
        ConflictError: some project codes exist already and ``on_conflict`` is None.
    """
    if on_conflict is not None:
        return
    seen: set[tuple[str, int, str]] = set()
    for pv in previews:
        clashes = [c.code for c in pv.conflicts]
        for d in pv.result.documents:
            keys = {(d.unit.code, d.year, p.code) for p in d.projects if p.code}
            clashes += sorted(k[2] for k in keys & seen)  # the same code in an earlier file
            seen |= keys
        if clashes:
            codes = "、".join(clashes[:5])
            more = f"等{len(clashes)}个" if len(clashes) > 5 else ""
            raise ConflictError(
                f"文件“{pv.path}”中的项目{codes}{more}已存在于相同单位和年度，"
                "请用 --on-conflict 选择替换（replace）、保留（keep）或作为副本导入（copy）；未导入任何内容"
            )


def commit_preview(store: Store, preview: ImportPreview, on_conflict: OnConflict | None = None) -> ImportResult:
    """Store a previewed file in one transaction.

    Raises:
        ConflictError: conflicts exist and no choice was given; nothing is stored.
    """
    return commit_documents(store, preview.result.documents, on_conflict, source=str(preview.path))
