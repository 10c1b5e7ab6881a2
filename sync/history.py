"""What the supervisor's desk lists: packages received, packages sent and what their receipts
say, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.sync import ExportLog, ImportLog, ReceiptLog
from sync.keys import show_fingerprint

TRUST_LABELS = {"trusted": "已信任", "confirmed": "经确认导入", "unsigned": "未签名，经确认"}


@dataclass(frozen=True)
class ImportEntry:
    id: int
    at: datetime
    file_name: str
    device_name: str
    fingerprint: str
    trust: str
    demo: bool
    new: int
    updated: int
    conflicts: int
    total: int
    receipt_written: bool

    @property
    def trust_label(self) -> str:
        return TRUST_LABELS.get(self.trust, self.trust)


@dataclass(frozen=True)
class ExportEntry:
    id: int
    at: datetime
    package_id: str
    file_name: str
    recipient: str | None
    records: int
    encrypted: bool
    parts: int
    receipt_from: str | None  # who sent a receipt for it
    receipt_at: datetime | None
    missing: int | None  # records the receipt did not list (None: no receipt yet)


def _sum(counts: dict[str, dict[str, int]], status: str) -> int:
    return sum(int(per.get(status, 0)) for per in (counts or {}).values())


def import_history(session: Session, limit: int = 500) -> list[ImportEntry]:
    """The packages received, newest first; each sender named as the user named the device
    when trusting it (the device's own name beside it)."""
    from sync.devices import given_names, sender_name

    named = given_names(session)
    rows = session.scalars(select(ImportLog).order_by(ImportLog.at.desc()).limit(limit))
    return [ImportEntry(r.id, r.at, r.file_name or "", sender_name(r.device_name, r.fingerprint,
                                                                    named),
                        show_fingerprint(r.fingerprint) if r.fingerprint else "无签名",
                        r.trust, r.demo, _sum(r.counts, "new"), _sum(r.counts, "updated"),
                        r.conflicts, sum(sum(per.values()) for per in (r.counts or {}).values()),
                        bool(r.receipt_sha256))
            for r in rows]


def export_history(session: Session, limit: int = 500) -> list[ExportEntry]:
    receipts: dict[str, ReceiptLog] = {}
    for r in session.scalars(select(ReceiptLog).order_by(ReceiptLog.at)):
        receipts[r.package_id] = r
    out = []
    for e in session.scalars(select(ExportLog).order_by(ExportLog.at.desc()).limit(limit)):
        got = receipts.get(e.package_id)
        out.append(ExportEntry(
            e.id, e.at, e.package_id, e.file_name or "", e.recipient,
            sum(int(v) for v in (e.counts or {}).values()), e.encrypted, e.parts,
            got.device_name if got else None, got.merged_at if got else None,
            got.missing if got else None))
    return out


def recipients(session: Session) -> list[str]:
    """Recipients packages were sent to before, most recent first."""
    seen: list[str] = []
    for (name,) in session.execute(select(ExportLog.recipient).where(
            ExportLog.recipient.is_not(None)).order_by(ExportLog.at.desc())):
        if name is not None and name not in seen:
            seen.append(name)
    return seen
