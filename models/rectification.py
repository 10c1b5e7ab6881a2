"""Tables of the rectification loop (整改): notices, their findings, service, extensions,
the unit's reports, rechecks, attachments, and the device's reserved document-number blocks.

Every row travels between laptops (sync identity). A notice's number comes from a block of
numbers reserved for this device (:mod:`services.numbering`); ``doc_number`` is unique, so a
single database can never hold two notices with the same number. The workflow rules live in
:mod:`services.notices`; this module only declares the storage.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SyncMixin, utcnow
from models.utc import UtcDateTime
from rules.notice_status import ISSUED


class NumberBlock(SyncMixin, Base):
    """A block of document numbers reserved for one device, for one year and one 代字.

    ``owner_device`` is the device that may issue from it (``device_id`` of the sync identity
    changes with every edit, so it cannot say whose block it is). ``next_no`` is the next
    number to hand out; the block is exhausted when it passes ``end_no``.
    """

    __tablename__ = "number_blocks"
    __table_args__ = (Index("ix_number_blocks_word_year", "doc_word", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_device: Mapped[str] = mapped_column(String(36), index=True)
    doc_word: Mapped[str] = mapped_column(String(32))  # 机关代字 + kind suffix, e.g. 中宁卫责改
    year: Mapped[int] = mapped_column(Integer)
    start_no: Mapped[int] = mapped_column(Integer)
    end_no: Mapped[int] = mapped_column(Integer)
    next_no: Mapped[int] = mapped_column(Integer)
    reserved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reserved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class Notice(SyncMixin, Base):
    """One rectification document (通知书 / 指令书 / 意见书 / 督办 / 建议 / 移送函).

    Fields added in migration 0005 (read by the renderers in ``reports/``):

    * ``issuer_department``: the issuing body's own department kind label (卫生健康, …) at
      issue; ``org_name`` is its 机关名称.
    * ``unit_name``: the inspected unit's name at issue. For every kind except 移送函 it equals
      ``addressee``. A 移送函 (``kind_code == "referral"``) is addressed to the competent
      department (``addressee`` = e.g. 中宁县人力资源和社会保障局, or "中宁县人力资源和社会保障
      主管部门" when no standard name is known); its items are the problems found at
      ``unit_name``; it imposes no deadline on the unit (``deadline_mode == "none"``).
    * ``legal_basis_verified``: True only when every document-level citation was checked
      against the full text; otherwise print "依据待法制审核" instead of the citation.
    * ``service_refused`` / ``service_refusal`` / ``service_witnesses``: 留置送达 — the
      recipient refused (``service_refused``), what happened (拒收事由, text), and the 见证人
      names (list) for the 送达回证; the refusal date is ``served_on``.
    * ``escalated_on``: the day 立案 or 移送 was decided after a failed recheck.
    * ``feedback_on`` / ``feedback_text``: 移送函 only — when and what the receiving department
      answered; recording it ends the 移送函 (status ``answered``, 已反馈). Never 销号.

    ``doc_number`` of 公文-style kinds (督办通知, 督查反馈意见, 移送函) has no 第:
    中宁卫督办〔2025〕2号; 执法文书 read 中宁卫责改〔2025〕第2号.
    """

    __tablename__ = "notices"
    __table_args__ = (
        Index("ix_notices_status_deadline", "status", "deadline"),
        Index("ix_notices_entity_issued", "entity_id", "issued_on"),
        # One device never issues a number twice; two devices that did (overlapping number
        # blocks) are both kept when their work is merged, and the clash is reported.
        UniqueConstraint("doc_number", "issued_device"),
        Index("ix_notices_doc_number", "doc_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="RESTRICT"), default=None, index=True
    )
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="RESTRICT"))
    parent_id: Mapped[int | None] = mapped_column(  # the notice whose failed recheck led here
        ForeignKey("notices.id", ondelete="SET NULL"), default=None, index=True
    )
    kind_code: Mapped[str] = mapped_column(String(32))  # checklists/data/notice_types.yaml
    title: Mapped[str] = mapped_column(String(64))  # document title as printed
    department: Mapped[str] = mapped_column(String(32))  # competent department kind
    is_order: Mapped[bool] = mapped_column(Boolean, default=True)  # False: 建议/意见 only
    legal_basis: Mapped[list[str]] = mapped_column(default=list)  # document-level citations

    org_name: Mapped[str] = mapped_column(String(128))  # 机关名称 at issue
    doc_word: Mapped[str] = mapped_column(String(32))  # 代字, e.g. 中宁卫责改
    doc_year: Mapped[int] = mapped_column(Integer)
    doc_seq: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(64))  # 中宁卫责改〔2026〕第12号
    addressee: Mapped[str] = mapped_column(String(200))  # the unit's name at issue

    status: Mapped[str] = mapped_column(String(16), default=ISSUED)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[list[str]] = mapped_column(default=list)  # officers' names
    requirement: Mapped[str | None] = mapped_column(Text, default=None)  # overall 整改要求

    deadline_mode: Mapped[str] = mapped_column(String(16))  # immediate|calendar|working|none
    deadline_days: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)  # set at 送达
    deadline_note: Mapped[str | None] = mapped_column(Text, default=None)  # e.g. 调休 unknown

    served_on: Mapped[date | None] = mapped_column(Date, default=None)
    service_method: Mapped[str | None] = mapped_column(String(16), default=None)
    service_recipient: Mapped[str | None] = mapped_column(String(64), default=None)
    service_note: Mapped[str | None] = mapped_column(Text, default=None)

    escalation: Mapped[str | None] = mapped_column(String(8), default=None)  # 立案 | 移送
    escalation_note: Mapped[str | None] = mapped_column(Text, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    # migration 0005 (see the class docstring)
    issuer_department: Mapped[str | None] = mapped_column(String(32), default=None)
    unit_name: Mapped[str | None] = mapped_column(String(200), default=None)
    legal_basis_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    service_refused: Mapped[bool] = mapped_column(Boolean, default=False)
    service_refusal: Mapped[str | None] = mapped_column(Text, default=None)  # 拒收事由
    service_witnesses: Mapped[list[str]] = mapped_column(default=list)  # 见证人
    escalated_on: Mapped[date | None] = mapped_column(Date, default=None)  # 立案/移送 decided
    feedback_on: Mapped[date | None] = mapped_column(Date, default=None)
    feedback_text: Mapped[str | None] = mapped_column(Text, default=None)
    # migration 0006: the device whose number block the number came from
    issued_device: Mapped[str | None] = mapped_column(String(36), default=None)


class NoticeItem(SyncMixin, Base):
    """One finding a notice orders (or advises) to be put right, with its snapshot texts.

    Print ``problem`` (存在问题, a statement of fact, migration 0005; falls back to ``note``
    for rows issued before it) and ``requirement`` (整改要求); neither holds a question mark.
    ``question`` is the checklist question, kept for reference only — never print it as the
    problem.
    """

    __tablename__ = "notice_items"
    __table_args__ = (UniqueConstraint("notice_id", "finding_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("findings.id", ondelete="SET NULL"), default=None, index=True
    )
    finding_uuid: Mapped[str | None] = mapped_column(String(36), default=None)
    item_code: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(8))  # 不符合 | 部分符合 at issue
    obligation: Mapped[str] = mapped_column(String(8))
    provision: Mapped[str] = mapped_column(Text)  # the provision broken, as cited
    requirement: Mapped[str] = mapped_column(Text)  # what must be done
    note: Mapped[str | None] = mapped_column(Text, default=None)  # what was found
    position: Mapped[int] = mapped_column(Integer, default=0)
    recheck_result: Mapped[str | None] = mapped_column(String(8), default=None)
    problem: Mapped[str | None] = mapped_column(Text, default=None)  # 存在问题 (0005)


class NoticeExtension(SyncMixin, Base):
    """延期申请 and its decision."""

    __tablename__ = "notice_extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), index=True
    )
    requested_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    requested_deadline: Mapped[date | None] = mapped_column(Date, default=None)
    decision: Mapped[str] = mapped_column(String(8), default="pending")  # pending|准予|不予
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decision_note: Mapped[str | None] = mapped_column(Text, default=None)
    old_deadline: Mapped[date | None] = mapped_column(Date, default=None)
    new_deadline: Mapped[date | None] = mapped_column(Date, default=None)


class RectificationReport(SyncMixin, Base):
    """The unit's 整改报告 (its evidence is in :class:`NoticeAttachment`)."""

    __tablename__ = "rectification_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), index=True
    )
    received_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[str | None] = mapped_column(String(64), default=None)


class Recheck(SyncMixin, Base):
    """复查: result, date, inspectors; a failed one names its outcome once decided.

    ``doc_number`` (migration 0005) is the 复查意见书's own number, from this device's block
    for the 复查 suffix (e.g. 中宁卫复查〔2026〕第3号); None on rechecks recorded before 0005.
    """

    __tablename__ = "rechecks"
    __table_args__ = (UniqueConstraint("doc_number", "issued_device"),
                      Index("ix_rechecks_doc_number", "doc_number"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[date] = mapped_column(Date)
    inspectors: Mapped[list[str]] = mapped_column(default=list)
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    item_results: Mapped[dict[str, Any]] = mapped_column(default=dict)  # item uuid -> result
    late: Mapped[bool] = mapped_column(Boolean, default=False)  # after the recheck window
    doc_word: Mapped[str | None] = mapped_column(String(32), default=None)  # 0005
    doc_year: Mapped[int | None] = mapped_column(Integer, default=None)
    doc_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    doc_number: Mapped[str | None] = mapped_column(String(64), default=None)
    issued_device: Mapped[str | None] = mapped_column(String(36), default=None)  # 0006


class NoticeAttachment(SyncMixin, Base):
    """A file (photo, scan of a 送达回证, report) kept in the evidence store by content hash."""

    __tablename__ = "notice_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectification_reports.id", ondelete="SET NULL"), default=None, index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))  # 整改报告 | 送达回证 | 复查
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    ext: Mapped[str] = mapped_column(String(16))
    original_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str | None] = mapped_column(Text, default=None)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
