"""Tables of the exchange between laptops: deletions, trusted devices, what was sent to whom,
what was received, conflicts for a person, and what a peer's receipt says it holds.

None of these rows travels itself (no sync identity): they describe this database's exchanges.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.dialect import JSON
from models.utc import UtcDateTime


class Tombstone(Base):
    """A travelling record deleted here (a removed photo, a replaced officer, a withdrawn 回避):
    the deletion travels, so another laptop does not bring the record back."""

    __tablename__ = "sync_tombstones"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # table name
    deleted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    device_id: Mapped[str | None] = mapped_column(String(36), default=None)
    sync_vv: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class TrustedDevice(Base):
    """A laptop whose packages this database accepts: its key, compared on both screens."""

    __tablename__ = "sync_devices"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the key
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, raw 32 bytes in hex
    name: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str | None] = mapped_column(String(36), default=None)
    status: Mapped[str] = mapped_column(String(8), default="trusted")  # trusted | revoked
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class ImportLog(Base):
    """One package merged here: when, which (its hash), from whom, and what changed."""

    __tablename__ = "sync_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    package_sha256: Mapped[str] = mapped_column(String(64), index=True)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    file_name: Mapped[str | None] = mapped_column(Text, default=None)
    device_id: Mapped[str | None] = mapped_column(String(36), default=None)
    device_name: Mapped[str | None] = mapped_column(Text, default=None)
    fingerprint: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    public_key: Mapped[str | None] = mapped_column(String(64), default=None)
    trust: Mapped[str] = mapped_column(String(12))  # trusted | confirmed | unsigned
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    exported_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # kind -> status -> n
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    receipt_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    user: Mapped[str | None] = mapped_column(String(64), default=None)
    #: what the import said, to be read again (see sync.history.ImportRecord); None for an
    #: import made before the program kept it
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class ExportLog(Base):
    """One package written here, and for whom."""

    __tablename__ = "sync_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    package_sha256: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(Text, default=None, index=True)
    file_name: Mapped[str | None] = mapped_column(Text, default=None)
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    parts: Mapped[int] = mapped_column(Integer, default=1)


class SentRecord(Base):
    """The revision (version vector) of a record last sent to a named recipient, so that the
    next package for that recipient holds only what changed since."""

    __tablename__ = "sync_sent"

    recipient: Mapped[str] = mapped_column(String(100), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    sync_vv: Mapped[dict[str, int]] = mapped_column(JSON)


class SyncConflict(Base):
    """Two revisions of one record made on two laptops since their common revision, or two
    documents with one number: kept side by side for a person to decide."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # table name
    uuid: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # concurrent | doc_number
    local: Mapped[dict[str, Any]] = mapped_column(JSON)  # the revision here, as it travels
    incoming: Mapped[dict[str, Any]] = mapped_column(JSON)  # the other revision
    kept: Mapped[str] = mapped_column(String(8))  # which one is in force meanwhile
    package_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    from_device: Mapped[str | None] = mapped_column(Text, default=None)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | resolved
    resolution: Mapped[str | None] = mapped_column(String(12), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(64), default=None)


class PeerHolding(Base):
    """A record a peer's receipt says it holds, at which revision (its version vector)."""

    __tablename__ = "sync_peer_holdings"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    sync_vv: Mapped[dict[str, int]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReceiptLog(Base):
    """A receipt imported here: a peer's signed statement of what it merged from us."""

    __tablename__ = "sync_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    receipt_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    package_id: Mapped[str] = mapped_column(String(36))
    fingerprint: Mapped[str] = mapped_column(String(64))
    device_name: Mapped[str | None] = mapped_column(Text, default=None)
    merged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    missing: Mapped[int] = mapped_column(Integer, default=0)


class PendingRef(Base):
    """A reference a merged record makes to a record that has not arrived (a draw result's
    draft inspection, say): the column stays empty until that record comes, then it is set."""

    __tablename__ = "sync_pending_refs"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    column: Mapped[str] = mapped_column(String(64), primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(40))
    target_uuid: Mapped[str] = mapped_column(String(36), index=True)
