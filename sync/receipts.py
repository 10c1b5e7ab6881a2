"""Receipts: the receiver's signed statement of what it merged from a package.

After each import the receiver writes a receipt (``.syrcpt``: gzip-compressed JSON) that
lists every record of the package with what became of it and the revision it now holds. The
sender imports the receipt and sees which of its records the receiver holds, so both sides know
that nothing was lost on the way.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import delete, func, insert, select

from models.base import table_of
from models.db import Database
from models.sync import ExportLog, PeerHolding, ReceiptLog
from rules.version_vector import EQUAL, NEWER, compare, effective
from sync import keys
from sync.format import PackageError, loads
from sync.kinds import BY_NAME, canonical
from sync.package import file_sha256
from sync.records import chunks
from sync.schema import validate

FORMAT = "shengyu-jiancha-receipt"
EXTENSION = ".syrcpt"
MAX_BYTES = 1024 * 1024 * 1024
RECEIPT_BLOCK = 4096


def receipt_name(info: Any) -> str:
    """A receipt's file name: whom it goes back to and the day (北京时间), so that a folder
    of them can be sent back by eye (回执-中宁县卫健局 张三-20260316-1a2b3c4d.syrcpt)."""
    from rules.china_time import today

    sender = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", str(getattr(info, "sender", "") or ""))
    sender = sender.strip(" ._")[:40] or "对方"
    return f"回执-{sender}-{today():%Y%m%d}-{info.package_id[:8]}{EXTENSION}"


def write_receipt(db: Database, info: Any, held: IO[bytes], *, key: keys.DeviceKey,
                  folder: Path, counts: dict[str, dict[str, int]]) -> Path:
    """Write and sign the receipt of one import; returns its path (and logs its hash).

    ``held`` holds one canonical JSON array per record ([kind, uuid, status, vector]), and
    ``counts`` how many of each kind and status it holds (kept as the records were merged). The
    receipt is written as it is read, never whole in memory: its body is canonical JSON, and
    the signature is the receiver's Ed25519 signature of the body's SHA-256."""
    from models.sync import ImportLog
    from sync.export import device_name

    with db.session() as s:
        name = device_name(s)
    head = {"format": FORMAT, "format_version": 1, "package_id": info.package_id,
            "package_sha256": info.sha256,
            "receiver": {"device_id": db.device_id, "name": name,
                         "fingerprint": key.fingerprint, "public_key": key.public_hex},
            "merged_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "counts": counts}
    opening = canonical(head)[:-1] + b',"records":['  # "records" sorts last
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / receipt_name(info)
    fd, tmp = tempfile.mkstemp(prefix=".receipt-", suffix=".tmp", dir=folder)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0,
                                                       compresslevel=6) as gz:
            def put(part: bytes) -> None:
                digest.update(part)
                gz.write(part)

            gz.write(b'{"receipt":')
            put(opening)
            block: list[bytes] = []
            first = True
            for line in held:  # written a few thousand lines at a time
                block.append(line.rstrip(b"\n"))
                if len(block) >= RECEIPT_BLOCK:
                    put((b"" if first else b",") + b",".join(block))
                    block, first = [], False
            if block:
                put((b"" if first else b",") + b",".join(block))
            put(b"]}")
            gz.write(b',"signature":"' + key.sign(digest.digest()).hex().encode() + b'"}')
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    file_digest = file_sha256(target)
    with db.session() as s:
        log = s.scalar(select(ImportLog).where(ImportLog.package_id == info.package_id)
                       .order_by(ImportLog.id.desc()))
        if log is not None:
            log.receipt_sha256 = file_digest
    return target


@dataclass(frozen=True)
class ReceiptSummary:
    package_id: str
    receiver: str
    fingerprint: str
    merged_at: str
    held: int  # records of the package the receiver holds
    sent: int  # records the package carried
    counts: dict[str, dict[str, int]]
    already: bool = False

    @property
    def missing(self) -> int:
        return max(0, self.sent - self.held)

    @property
    def conflicts(self) -> int:
        """Records the receiver found changed on both sides: kept for a person to decide."""
        return sum(int(per.get("conflict", 0)) for per in self.counts.values())


def _read(path: Path) -> tuple[dict[str, Any], bytes, bytes]:
    try:
        with gzip.open(path, "rb") as gz:
            data = gz.read(MAX_BYTES + 1)
    except (OSError, EOFError, ValueError):
        raise PackageError("回执文件已损坏或不是回执。") from None
    if len(data) > MAX_BYTES:
        raise PackageError("回执文件超过大小上限。")
    doc = loads(data, "回执")
    if not isinstance(doc, dict) or not isinstance(doc.get("receipt"), dict):
        raise PackageError("这不是本程序的回执文件。")
    validate("receipt", doc["receipt"], "回执")
    try:
        signature = bytes.fromhex(str(doc.get("signature") or ""))
    except ValueError:
        raise PackageError("回执的签名格式不对。") from None
    return doc["receipt"], hashlib.sha256(canonical(doc["receipt"])).digest(), signature


def import_receipt(db: Database, path: Path) -> ReceiptSummary:
    """Check a receipt and record what the receiver holds; PackageError (Chinese) if it is
    not a genuine receipt of one of this laptop's packages."""
    body, data, signature = _read(Path(path))
    try:
        merged_at = datetime.fromisoformat(body["merged_at"])
    except ValueError:
        raise PackageError("回执中的合并时间无效。") from None
    receiver = body["receiver"]
    public_key, fp = str(receiver.get("public_key") or ""), str(receiver.get("fingerprint") or "")
    try:
        genuine = keys.fingerprint(bytes.fromhex(public_key)) == fp
    except ValueError:
        genuine = False
    if not genuine or not keys.verify(public_key, signature, data):
        raise PackageError("回执的签名无效，可能被改动过，未导入。")
    digest = file_sha256(Path(path))
    records = body["records"]
    with db.session() as s:
        export = s.scalar(select(ExportLog).where(ExportLog.package_id == body["package_id"]))
        if export is None:
            raise PackageError("这份回执对应的数据包不是本机导出的。")
        sent = sum(int(v) for v in (export.counts or {}).values())
        summary = ReceiptSummary(body["package_id"], str(receiver.get("name") or ""), fp,
                                 body["merged_at"], len(records), sent, body["counts"])
        if s.scalar(select(ReceiptLog.id).where(ReceiptLog.receipt_sha256 == digest)):
            return ReceiptSummary(**{**summary.__dict__, "already": True})
        table = table_of(PeerHolding)
        uuids = [r[1] for r in records]
        for chunk in chunks(uuids):
            s.execute(delete(table).where(table.c.fingerprint == fp, table.c.uuid.in_(chunk)))
        rows = [{"fingerprint": fp, "uuid": r[1], "kind": r[0], "sync_vv": r[3],
                 "received_at": datetime.now(UTC)} for r in records]
        for start in range(0, len(rows), 5000):
            s.execute(insert(table), rows[start:start + 5000])
        s.add(ReceiptLog(receipt_sha256=digest, package_id=body["package_id"], fingerprint=fp,
                         device_name=summary.receiver,
                         merged_at=merged_at,
                         counts=body["counts"], missing=summary.missing))
    return summary


@dataclass(frozen=True)
class Holding:
    peer: str
    fingerprint: str
    current: int  # records the peer holds at this laptop's revision (or newer)
    older: int  # records the peer holds at an older revision
    not_held: int  # records of that kind the peer's receipts never mentioned


def holdings(db: Database, kind: str = "inspections") -> list[Holding]:
    """Per peer that sent receipts: how many of this laptop's records of ``kind`` it holds."""
    t = BY_NAME[kind].table
    with db.session() as s:
        mine = {u: effective(vv, dev, rev) for u, vv, dev, rev in s.execute(
            select(t.c.uuid, t.c.sync_vv, t.c.device_id, t.c.sync_rev))}
        peers = s.execute(select(ReceiptLog.fingerprint, func.max(ReceiptLog.device_name))
                          .group_by(ReceiptLog.fingerprint)).all()
        out = []
        for fp, name in peers:
            held = {u: dict(vv) for u, vv in s.execute(
                select(PeerHolding.uuid, PeerHolding.sync_vv).where(
                    PeerHolding.fingerprint == fp, PeerHolding.kind == kind))}
            current = older = 0
            for u, vv in mine.items():
                theirs = held.get(u)
                if theirs is None:
                    continue
                if compare(theirs, vv) in (EQUAL, NEWER):
                    current += 1
                else:
                    older += 1
            out.append(Holding(name or fp[:8], fp, current, older,
                               len(mine) - current - older))
    return out
