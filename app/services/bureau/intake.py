"""Batch intake: a folder (a USB stick) of many units' files, previewed, then stored.

:func:`preview_intake` reads every docx / xlsx / json file under the given folders and files
(recursively), validates each document and says what storing it would do (a new unit/year,
or version N of one held); a file that cannot be read is listed as refused with its reason
and the rest go on. :func:`commit_intake` backs the database up once, then stores each file
in its own transaction: a resubmission becomes a new version (never a silent replace).
Both report progress through a callback that may ask to cancel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from app.models import Document, DocumentVersion, Unit
from app.services.bureau.versions import VersionCounts, count_findings
from app.services.errors import PerfGoalsError
from app.services.formats.file_io import ReadResult, read_file
from app.services.formats.importing import OnConflict, commit_documents, find_conflicts
from app.services.storage.store import Store

SUFFIXES = frozenset({".docx", ".xlsx", ".json"})

# progress(done, total, current file name) -> False to cancel
Progress = Callable[[int, int, str], bool]


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to take in: files as given, folders searched recursively (sorted).

    Office lock files (``~$…``) and hidden files inside folders are skipped.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUFFIXES
                and not f.name.startswith(("~$", "."))
            ))
        else:
            out.append(p)
    return out


@dataclass(slots=True)
class IntakeDocument:
    """One unit/year of a file, as the preview lists it."""

    unit_code: str
    unit_name: str
    year: int
    projects: int
    indicators: int
    counts: VersionCounts
    version: int  # the version number storing it would make (1 = first submission)
    conflicts: int  # projects whose code the unit/year already holds


@dataclass(slots=True)
class IntakeFile:
    """One file of the batch: what it holds, or why it is refused."""

    path: Path
    result: ReadResult | None = None
    documents: list[IntakeDocument] = field(default_factory=list)
    refusal: str | None = None

    @property
    def kind(self) -> str:
        """docx / xlsx / json, or 拒收 when the file cannot be used."""
        return self.result.kind if self.result is not None else "拒收"


@dataclass(slots=True)
class IntakePreview:
    """Every file of a batch, read and checked, nothing stored."""

    files: list[IntakeFile]
    cancelled: bool = False

    @property
    def accepted(self) -> list[IntakeFile]:
        """Files that can be stored."""
        return [f for f in self.files if f.refusal is None]

    @property
    def refused(self) -> list[IntakeFile]:
        """Files that cannot be used, each with its reason."""
        return [f for f in self.files if f.refusal is not None]


def _held_versions(store: Store) -> dict[tuple[str, int], int]:
    """The highest version number (0 when none recorded) of every stored unit/year."""
    with store.read_session() as sess:
        rows = sess.execute(
            select(Unit.code, Document.year, func.max(DocumentVersion.number))
            .join(Document.unit)
            .outerjoin(DocumentVersion, DocumentVersion.document_id == Document.id)
            .group_by(Document.id)
        ).all()
    return {(code, year): number or 0 for code, year, number in rows}


def preview_intake(store: Store, paths: Iterable[str | Path], progress: Progress | None = None) -> IntakePreview:
    """Read and check every file (nothing stored); unreadable files are refused, not fatal."""
    files = collect_files(paths)
    held = _held_versions(store)
    preview = IntakePreview([])
    for n, path in enumerate(files):
        if progress is not None and not progress(n, len(files), path.name):
            preview.cancelled = True
            break
        entry = IntakeFile(path)
        preview.files.append(entry)
        try:
            entry.result = read_file(path)
        except PerfGoalsError as exc:
            entry.refusal = exc.message
            continue
        if not entry.result.documents:
            entry.refusal = f"文件“{path}”中没有找到绩效目标表"
            entry.result = None
            continue
        # A partial read or a year in doubt is refused, never stored as if complete.
        if entry.result.errors:
            entry.refusal = (f"文件“{path}”有{len(entry.result.errors)}处内容无法导入"
                             f"（{entry.result.errors[0]}），请单独导入查看")
            entry.result = None
            continue
        if entry.result.year_doubts:
            entry.refusal = (f"文件“{path}”的预算年度无法确定（{entry.result.year_doubts[0].reason}），"
                             "请单独导入并指定年度")
            entry.result = None
            continue
        clashes = find_conflicts(store, entry.result.documents)
        for doc in entry.result.documents:
            key = (doc.unit.code, doc.year)
            version = held[key] + 1 if key in held else 1
            held[key] = version
            entry.documents.append(IntakeDocument(
                doc.unit.code, doc.unit.name or "", doc.year, len(doc.projects),
                sum(len(p.indicators) for p in doc.projects), count_findings(doc), version,
                sum(1 for c in clashes if (c.unit_code, c.year) == key),
            ))
    if progress is not None and not preview.cancelled:
        progress(len(files), len(files), "")
    return preview


def preview_lines(preview: IntakePreview) -> list[str]:
    """The preview as Chinese report lines (CLI output, dialog text)."""
    lines = []
    for f in preview.files:
        if f.refusal is not None:
            lines.append(f"拒收：{f.refusal}")
            continue
        lines.append(f"文件：{f.path}（{f.kind}）")
        for d in f.documents:
            c = d.counts
            what = "新收" if d.version == 1 else f"新版本（第{d.version}版）"
            lines.append(
                f"  单位 {d.unit_code} {d.unit_name}，{d.year}年度：{what}，项目{d.projects}个，"
                f"指标{d.indicators}条；错误{c.errors}，警告{c.warnings}，提示{c.hints}，评估{c.assessment}"
                + (f"；已有相同编码的项目{d.conflicts}个" if d.conflicts else "")
            )
        for note in f.result.notes if f.result is not None else []:
            lines.append(f"  注意：{note}")
    docs = sum(len(f.documents) for f in preview.accepted)
    lines.append(f"共{len(preview.files)}个文件：可导入{len(preview.accepted)}个（{docs}个单位年度），"
                 f"拒收{len(preview.refused)}个" + ("；已取消" if preview.cancelled else ""))
    return lines


@dataclass(slots=True)
class IntakeReport:
    """What a batch stored."""

    stored: list[tuple[Path, list[int]]] = field(default_factory=list)  # file, version numbers
    document_ids: list[int] = field(default_factory=list)  # documents stored or renewed
    failed: list[str] = field(default_factory=list)  # one Chinese line per file not stored
    backup: Path | None = None
    cancelled: bool = False


def commit_intake(store: Store, preview: IntakePreview, policy: OnConflict = OnConflict.VERSION,
                  progress: Progress | None = None) -> IntakeReport:
    """Store the accepted files: one backup first, then one transaction per file.

    A file that fails while being stored (its transaction rolled back) is reported and the
    batch goes on; cancelling stops before the next file, keeping the files already stored.
    """
    report = IntakeReport()
    accepted = preview.accepted
    if not accepted:
        return report
    with store.read_session() as sess:
        has_data = sess.scalars(select(Document.id).limit(1)).first() is not None
    if has_data:
        report.backup = store.backup("import")
    for n, f in enumerate(accepted):
        if progress is not None and not progress(n, len(accepted), f.path.name):
            report.cancelled = True
            break
        assert f.result is not None
        try:
            result = commit_documents(store, f.result.documents, policy, source=str(f.path),
                                      backup=False, counts=[d.counts for d in f.documents])
        except PerfGoalsError as exc:
            report.failed.append(exc.message)
            continue
        report.stored.append((f.path, result.versions))
        report.document_ids += [i for i in result.document_ids if i not in report.document_ids]
    if progress is not None and not report.cancelled:
        progress(len(accepted), len(accepted), "")
    return report
