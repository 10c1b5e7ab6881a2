"""The register of inspected units (被检查单位), the inspector roster and declared conflicts.

Every row here can travel between laptops, so each carries the sync identity. A 统一社会信用代码
is indexed but not unique in the schema: two laptops may register the same unit offline, and an
import must be able to keep both for a person to merge (:func:`services.entities.duplicate_groups`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, SyncMixin, utcnow
from models.utc import UtcDateTime


class Entity(SyncMixin, Base):
    """被检查单位: an employer, a public place, a childcare site, a hospital, a department."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    type_code: Mapped[str] = mapped_column(String(40), index=True)  # vocabulary entity type
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # vocabulary fact code -> value
    credit_code: Mapped[str | None] = mapped_column(String(18), default=None, index=True)
    address: Mapped[str | None] = mapped_column(Text, default=None)
    region_code: Mapped[str | None] = mapped_column(String(6), default=None, index=True)
    contact_name: Mapped[str | None] = mapped_column(String(64), default=None)
    contact_phone: Mapped[str | None] = mapped_column(String(32), default=None)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Inspector(SyncMixin, Base):
    """One person on the inspector roster; ``department`` is a department kind label."""

    __tablename__ = "inspectors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(32), index=True)  # 卫生健康, 消防救援, …
    cert_no: Mapped[str | None] = mapped_column(String(32), default=None, index=True)  # 执法证号
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Conflict(SyncMixin, Base):
    """A declared conflict of interest (回避): this inspector must not inspect this unit."""

    __tablename__ = "inspector_conflicts"
    __table_args__ = (UniqueConstraint("inspector_id", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("inspectors.id", ondelete="CASCADE"))
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
