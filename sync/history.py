"""What the supervisor's desk lists: packages received, packages sent and what their receipts
say, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.sync import ExportLog, ImportLog, ReceiptLog, SyncConflict
from sync.keys import show_fingerprint
from sync.merge_base import CONFLICT, DELETED, NEW, UPDATED, Change

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
    from sync.devices import given_names

    named = given_names(session)
    rows = session.scalars(select(ImportLog).order_by(ImportLog.at.desc()).limit(limit))
    return [_entry(r, named) for r in rows]


def _entry(r: ImportLog, named: dict[str, str]) -> ImportEntry:
    from sync.devices import sender_name

    return ImportEntry(r.id, r.at, r.file_name or "", sender_name(r.device_name, r.fingerprint,
                                                                   named),
                       show_fingerprint(r.fingerprint) if r.fingerprint else "无签名",
                       r.trust, r.demo, _sum(r.counts, "new"), _sum(r.counts, "updated"),
                       r.conflicts, sum(sum(per.values()) for per in (r.counts or {}).values()),
                       bool(r.receipt_sha256))


@dataclass(frozen=True)
class ImportRecord:
    """One received package as its import left it: the row of 收到的数据包 and what the import
    said. ``kept`` is False for a package imported before the program kept what its import
    said: then only the counts are known."""

    entry: ImportEntry
    package_id: str
    sha256: str
    exported_at: datetime | None
    user: str | None
    counts: dict[str, dict[str, int]]
    kept: bool
    notes: tuple[str, ...]
    changes: tuple[Change, ...]  # the first changed records, as the import listed them
    organisation: str | None
    jurisdiction: str | None
    files: tuple[str, ...]
    encrypted: bool
    parts: int
    app_version: str | None
    backup: str | None  # the file name of the backup made before the merge
    conflicts_open: int  # conflicts this package brought that still wait for a decision
    conflicts_resolved: int

    def total(self, status: str) -> int:
        return _sum(self.counts, status)

    @property
    def changed(self) -> int:
        """Records the package changed here (new, updated, in conflict or deleted), listed or
        not."""
        return sum(self.total(s) for s in (NEW, UPDATED, CONFLICT, DELETED))


def import_record(session: Session, log_id: int) -> ImportRecord | None:
    """A received package's import, to be read again; None when there is no such import."""
    from sync.devices import given_names

    row = session.get(ImportLog, log_id)
    if row is None:
        return None
    details: dict[str, Any] = row.details if isinstance(row.details, dict) else {}
    changes = tuple(Change(str(kind), str(uuid), str(status), str(label))
                    for kind, uuid, status, label in _rows(details.get("changes")))
    by_status: dict[str, int] = {
        status: n for status, n in session.execute(
            select(SyncConflict.status, func.count()).where(
                SyncConflict.package_sha256 == row.package_sha256)
            .group_by(SyncConflict.status))}
    return ImportRecord(
        _entry(row, given_names(session)), row.package_id, row.package_sha256, row.exported_at,
        row.user, row.counts or {}, bool(details),
        tuple(str(n) for n in details.get("notes") or ()), changes,
        _text(details.get("organisation")), _text(details.get("jurisdiction")),
        tuple(str(f) for f in details.get("files") or ((row.file_name,) if row.file_name
                                                        else ())),
        bool(details.get("encrypted")), int(details.get("parts") or 1),
        _text(details.get("app_version")), _text(details.get("backup")),
        int(by_status.get("open", 0)), int(by_status.get("resolved", 0)))


def _rows(value: Any) -> list[list[Any]]:
    """The changed records kept with an import, each [kind, uuid, status, label]."""
    if not isinstance(value, list):
        return []
    return [r for r in value if isinstance(r, list) and len(r) == 4]


def _text(value: Any) -> str | None:
    return str(value) if value else None


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
