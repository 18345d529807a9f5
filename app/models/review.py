"""The finance bureau's side of a document: received versions, review status, 审核意见.

A :class:`DocumentVersion` is a snapshot (native JSON) of a unit's document as received, with
the counts of its findings at that moment, so the review dashboard needs no validation run.
The stored :class:`~app.models.document.Document` is always the latest version.

An :class:`Opinion` is anchored by project code, 1-based indicator row and field rather than
by row ids: a resubmission replaces the rows, the opinion keeps its place. Its ``uid`` lets
the opinion travel in files (review file out, the unit's answer back) and be matched again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.document import Base, Document

# Review status of a unit's document, in the order a review goes through them.
STATUS_NEW = "未审"
STATUS_REVIEWING = "审核中"
STATUS_RETURNED = "已退回"
STATUS_PASSED = "已通过"
STATUSES: tuple[str, ...] = (STATUS_NEW, STATUS_REVIEWING, STATUS_RETURNED, STATUS_PASSED)


class DocumentVersion(Base):
    """One received submission of a unit's document (1, 2, … ; the highest is current)."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(default=datetime.now)
    source: Mapped[str | None] = mapped_column(Text, default=None)  # file name it came from
    content: Mapped[str] = mapped_column(Text, default="")  # native JSON of the document
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    hints: Mapped[int] = mapped_column(Integer, default=0)
    assessment: Mapped[str | None] = mapped_column(String(4), default=None)  # 优/良/中/差


class ReviewState(Base):
    """The reviewer's status of one document, and the version it was set on."""

    __tablename__ = "review_state"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(8), default=STATUS_NEW)
    reviewed_version: Mapped[int | None] = mapped_column(Integer, default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)


class Opinion(Base):
    """A 审核意见 on a unit, a project, an indicator row or a field, and the unit's answer."""

    __tablename__ = "opinion"
    __table_args__ = (UniqueConstraint("document_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(40), default="")
    project_code: Mapped[str | None] = mapped_column(String(64), default=None)  # None: whole unit
    row: Mapped[int | None] = mapped_column(Integer, default=None)  # 1-based indicator row
    field: Mapped[str | None] = mapped_column(String(32), default=None)  # model attribute
    rule_id: Mapped[str | None] = mapped_column(String(8), default=None)  # finding referred to
    finding_key: Mapped[str | None] = mapped_column(Text, default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    reply: Mapped[str | None] = mapped_column(Text, default=None)  # 回复 of the unit
    replied_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved: Mapped[bool] = mapped_column(default=False)  # 已处理

    document: Mapped[Document] = relationship(back_populates="opinions")
