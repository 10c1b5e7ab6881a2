"""Tables of the 双随机 draw: each draw as it was made, and each drawn unit with its outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SyncMixin, utcnow
from models.dialect import JSON
from models.utc import UtcDateTime
from rules.random_draw import PENDING, VALID


class Draw(SyncMixin, Base):
    """One draw, as it was made: filters, pools and their hashes, witness, seed, status."""

    __tablename__ = "draws"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(64))  # theme name for the inspections
    kind: Mapped[str] = mapped_column(String(8))  # inspection kind: 执法检查 | 督查 | 自查
    entity_types: Mapped[list[str]] = mapped_column(default=list)
    region_codes: Mapped[list[str]] = mapped_column(default=list)
    departments: Mapped[list[str]] = mapped_column(default=list)  # inspector departments
    n: Mapped[int] = mapped_column(Integer)
    per_entity: Mapped[int] = mapped_column(Integer)
    entity_pool: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[id, uuid, name], …]
    inspector_pool: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conflicts: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[inspector, entity uuid]]
    entity_pool_hash: Mapped[str] = mapped_column(String(64))
    inspector_pool_hash: Mapped[str] = mapped_column(String(64))
    conflicts_hash: Mapped[str] = mapped_column(String(64))
    witness_name: Mapped[str] = mapped_column(String(64))
    witness_input: Mapped[str] = mapped_column(Text)
    drawn_at: Mapped[str] = mapped_column(String(40))  # ISO text exactly as hashed
    algorithm: Mapped[str] = mapped_column(String(32))
    seed: Mapped[str] = mapped_column(String(64))
    operator: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[str] = mapped_column(String(8), default=VALID)
    discard_reason: Mapped[str | None] = mapped_column(Text, default=None)
    discarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DrawResult(SyncMixin, Base):
    """One drawn unit with its inspectors, its outcome and the inspection made from it."""

    __tablename__ = "draw_results"
    __table_args__ = (UniqueConstraint("draw_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("draws.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1-based, in draw order
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), default=None, index=True)
    entity_uuid: Mapped[str] = mapped_column(String(36))
    entity_name: Mapped[str] = mapped_column(String(200))
    inspector_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    inspector_uuids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    inspector_names: Mapped[list[Any]] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(16), default=PENDING)
    outcome_note: Mapped[str | None] = mapped_column(Text, default=None)
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), default=None, index=True)
