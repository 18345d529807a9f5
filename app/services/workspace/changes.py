"""What an applied op changed, so views refresh from a value instead of object type switches."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Changes:
    """The description an op returns with its inverse.

    Attributes:
        documents: ids of the documents touched (content, rows or existence).
        projects: (document id, project id) of projects whose own content changed (fields,
            indicator rows, 执行数); views revalidate just these.
        rows: (list name, row id) of the rows whose fields were set.
        fields: names of the fields set.
        row_lists: ids of projects whose indicator rows were inserted, deleted or moved.
        structural: projects, 分项 or 措施 were inserted, deleted or moved, or documents
            came or went: the whole document is revalidated and lists rebuilt.
        added: documents created or restored; removed: documents deleted.
        review: documents whose 审核意见 or review status changed (nothing to revalidate:
            the opinion rows and the dashboard follow).
    """

    documents: frozenset[int] = frozenset()
    projects: frozenset[tuple[int, int]] = frozenset()
    rows: frozenset[tuple[str, int]] = frozenset()
    fields: frozenset[str] = frozenset()
    row_lists: frozenset[int] = frozenset()
    structural: bool = False
    added: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    review: frozenset[int] = frozenset()

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.documents | other.documents, self.projects | other.projects, self.rows | other.rows,
            self.fields | other.fields, self.row_lists | other.row_lists, self.structural or other.structural,
            (self.added | other.added) - other.removed, (self.removed | other.removed) - other.added,
            self.review | other.review,
        )

    def whole(self, doc_id: int) -> bool:
        """True when ``doc_id`` needs a whole-document revalidation (not one project's)."""
        if doc_id not in self.documents:
            return False
        return self.structural or not any(d == doc_id for d, _ in self.projects)
