"""Inspections (检查/督查) and what is recorded in them: officers, findings, evidence, signatures.

An inspection keeps the checklist it was made from as a JSON snapshot, so it never reads the
templates again. A snapshot is stored once per distinct content (:class:`ChecklistSnapshot`,
addressed by the SHA-256 of its canonical JSON) and referenced by every inspection made from
it; :mod:`services.checklist_snapshot` reads and writes it.

An inspection's per-result counts are stored and kept in step with its findings in the same
transaction (:class:`InspectionCounts`), so listing inspections never touches the findings.

A signed inspection is locked: the services refuse every write in Chinese, and the database's
triggers (migration 0002) refuse UPDATE and DELETE of a signed inspection and of its children.
A legal amendment is a new row (``version`` + 1) that ``supersedes`` the old one; all versions
of one inspection share ``series_uuid``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import text

from models.base import Base, SyncMixin, new_uuid, utcnow
from models.utc import UtcDateTime
from rules.inspection_status import DEFAULT_STATEMENT, DRAFT, NOT_CHECKED

#: Sort expressions of the inspections list that have an index of their own. SQLite uses an
#: expression index only for the same expression written with literals, so the list sorts by
#: exactly these texts (services.inspection_list).
STATUS_RANK_SQL = ("CASE status WHEN 'draft' THEN 0 WHEN 'completed' THEN 1 "
                   "WHEN 'signed' THEN 2 ELSE 3 END")
PROGRESS_SQL = "CASE WHEN total = 0 THEN 0.0 ELSE answered * 1.0 / total END"


class ChecklistSnapshot(Base):
    """One distinct checklist snapshot, named by the SHA-256 of its canonical JSON (keys sorted,
    no spaces, UTF-8), the same name the exchange package gives it.

    Thousands of snapshots (one per unit's facts and region) share a few hundred distinct
    items, so each item is stored once (:class:`SnapshotItem`) and the snapshot keeps the rest,
    its ``frame``: the canonical JSON with ``items`` as the list of their ids, compressed
    (zlib). Local storage only: no sync identity, never changed once written; packages carry
    the whole snapshot as ``snapshots/<sha256>.json``.
    """

    __tablename__ = "checklist_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    frame: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class SnapshotItem(Base):
    """One distinct checklist item of the stored snapshots: its canonical JSON and its SHA-256."""

    __tablename__ = "checklist_snapshot_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[str] = mapped_column(Text)


class Inspection(SyncMixin, Base):
    __tablename__ = "inspections"
    __table_args__ = (
        # The inspections list: newest first, by status, by unit (回头看), and versions.
        Index("ix_inspections_status_started", "status", "started_at"),
        Index("ix_inspections_entity_started", "entity_id", "started_at"),
        Index("ix_inspections_series_version", "series_uuid", "version"),
        # Sorting the list by 类型, 主题 and 状态 (in the order a draft becomes signed).
        Index("ix_inspections_kind", "kind"),
        Index("ix_inspections_themes", "themes"),
        Index("ix_inspections_status_rank", text(STATUS_RANK_SQL)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id"), default=None, index=True
    )
    amendment_reason: Mapped[str | None] = mapped_column(Text, default=None)

    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"))
    kind: Mapped[str] = mapped_column(String(8))  # 执法检查 | 督查 | 自查
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    themes: Mapped[list[str]] = mapped_column(default=list)  # theme names, for the list
    checklist_hash: Mapped[str] = mapped_column(String(64))
    # the checklist as generated, stored once per distinct content
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("checklist_snapshots.id"), index=True)

    # 现场检查笔录
    place: Mapped[str | None] = mapped_column(Text, default=None)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    recorder: Mapped[str | None] = mapped_column(String(64), default=None)  # 记录人
    party_name: Mapped[str | None] = mapped_column(String(64), default=None)  # 负责人或在场人
    party_position: Mapped[str | None] = mapped_column(String(64), default=None)
    party_phone: Mapped[str | None] = mapped_column(String(32), default=None)
    credentials_shown: Mapped[bool] = mapped_column(Boolean, default=False)  # 出示执法证件
    recusal_notice_given: Mapped[bool] = mapped_column(Boolean, default=False)  # 告知回避权利
    recusal_requested: Mapped[bool] = mapped_column(Boolean, default=False)  # 当事人申请回避
    recusal_note: Mapped[str | None] = mapped_column(Text, default=None)
    party_statement: Mapped[str] = mapped_column(Text, default=DEFAULT_STATEMENT)

    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64), default=None)



class InspectionCounts(Base):
    """Counts by result of one inspection, kept in step with its findings (services.findings).

    Derived data: it does not travel (no sync identity) and is rebuilt by ``recount`` after an
    import; keeping it apart means a finding edit does not raise the inspection's revision.
    ``rate`` and ``superseded`` are derived too, kept here so the list filters and sorts by
    stored, indexed values (services.result_counts keeps them current).
    """

    __tablename__ = "inspection_counts"

    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    total: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int] = mapped_column(Integer, default=0)  # 符合
    failed: Mapped[int] = mapped_column(Integer, default=0)  # 不符合
    partial: Mapped[int] = mapped_column(Integer, default=0)  # 部分符合
    not_applicable: Mapped[int] = mapped_column(Integer, default=0)  # 不适用
    #: rules.compliance.compliance_rate of the counts above (None: nothing judged), stored so
    #: the list sorts by it through an index.
    rate: Mapped[float | None] = mapped_column(Float, default=None, index=True)
    #: A later version supersedes this inspection (some inspection's ``supersedes_id`` is it).
    #: Not indexed: nearly every row is current, and an index on it led SQLite to read the list
    #: through it and sort every row instead of walking the index of the sorted column.
    superseded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    __table_args__ = (
        # Sorting the list by 进度 and 不符合数 (符合率: the index on ``rate``).
        Index("ix_inspection_counts_progress", text(PROGRESS_SQL)),
        Index("ix_inspection_counts_failed", "failed"),
    )


class InspectionOfficer(SyncMixin, Base):
    """An officer on one inspection, copied from the roster when picked from it."""

    __tablename__ = "inspection_officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    inspector_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspectors.id", ondelete="SET NULL"), default=None, index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(32))  # department kind label
    cert_no: Mapped[str | None] = mapped_column(String(32), default=None)  # 执法证号
    position: Mapped[int] = mapped_column(Integer, default=0)


class Finding(SyncMixin, Base):
    """检查结果 for one checklist item. ``department`` is the item's competent department."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("inspection_id", "item_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    item_code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str | None] = mapped_column(String(64), default=None)
    answer_type: Mapped[str] = mapped_column(String(16))  # compliance|measure|progress|date|text
    department: Mapped[str | None] = mapped_column(String(32), default=None)
    text_hash: Mapped[str] = mapped_column(String(64))
    answer: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the item's answer spec
    require_on_fail: Mapped[str] = mapped_column(String(16), default="note_or_photo")
    result: Mapped[str] = mapped_column(String(8), default=NOT_CHECKED)
    value_number: Mapped[float | None] = mapped_column(Float, default=None)  # measure
    value_text: Mapped[str | None] = mapped_column(Text, default=None)  # progress, date, text
    note: Mapped[str | None] = mapped_column(Text, default=None)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    carried_from: Mapped[str | None] = mapped_column(String(36), default=None)  # finding uuid


class Evidence(SyncMixin, Base):
    """A photo or file, stored once by content hash under the evidence folder."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("findings.id", ondelete="SET NULL"), default=None, index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # photo | file
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    ext: Mapped[str] = mapped_column(String(16))  # .jpg, .png, .pdf …
    original_name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str | None] = mapped_column(String(64), default=None)
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer, default=None)  # upright, after EXIF
    height: Mapped[int | None] = mapped_column(Integer, default=None)
    captured_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    captured_source: Mapped[str | None] = mapped_column(String(8), default=None)  # exif | file
    photographer: Mapped[str | None] = mapped_column(String(64), default=None)
    caption: Mapped[str | None] = mapped_column(Text, default=None)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Signature(SyncMixin, Base):
    """A signature (a PNG in the evidence store) or a refusal to sign before a witness (拒签)."""

    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # 检查人员 | 被检查单位负责人 | 见证人
    name: Mapped[str] = mapped_column(String(64))
    image_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    refused: Mapped[bool] = mapped_column(Boolean, default=False)
    refusal_reason: Mapped[str | None] = mapped_column(Text, default=None)
    witness_name: Mapped[str | None] = mapped_column(String(64), default=None)
    witness_id: Mapped[str | None] = mapped_column(String(128), default=None)  # 身份证号或单位
