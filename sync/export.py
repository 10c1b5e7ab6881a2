"""Writing a package: what changed since the last package to a recipient, or a chosen
selection (dates, theme, region, inspections), with everything those records refer to.

The package is written to a temporary file in the target's folder and renamed when complete
(then encrypted and split if asked), so a cancelled or failed export leaves nothing behind.
Demo records never leave in a real package: a database that holds real work leaves its demo
records out; a demo database writes a package marked as demo. Draft inspections leave only
when asked.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import uuid as uuid_mod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from checklists.regions import region_by_code
from models.base import table_of
from models.catalog import MeasureUnit, PolicyDocument
from models.db import head_revision
from models.draw import Draw, DrawResult
from models.evidence_store import object_path
from models.inspection import Evidence, Finding, Inspection, InspectionOfficer, Signature
from models.integrity import quick_check_session
from models.rectification import (
    Notice,
    NoticeAttachment,
    NoticeExtension,
    NoticeItem,
    Recheck,
    RectificationReport,
)
from models.registry import Conflict, Entity, Inspector
from models.sync import ExportLog, PendingRef, SentRecord, Tombstone
from models.system import AuditEntry
from models.utc import iso
from reports.files import publish
from resources import APP_VERSION
from rules.inspection_status import DRAFT
from rules.progress import Cancelled, IsCancelled, Progress, Tracker
from services.catalog_store import document_payload
from services.checklist_snapshot import inspection_snapshot_hashes, snapshot_by_hash
from services.selection import inspection_terms
from services.settings import DEMO, JURISDICTION, ORG_DEPARTMENT, ORGANISATION, get_setting
from sync import crypto, parts
from sync.keys import DeviceKey
from sync.kinds import BY_NAME, KINDS, canonical
from sync.package import PackageWriter, file_sha256
from sync.records import UuidMaps, chunks, line_of, read_rows

EXTENSION = ".sypkg"


class ExportError(ValueError):
    """The package cannot be written as asked. The message is Chinese."""


@dataclass(frozen=True)
class ExportSelection:
    """What goes into a package. With no field set: everything (drafts only if asked)."""

    since_last_to: str | None = None  # recipient: only what changed since their last package
    date_from: date | None = None
    date_to: date | None = None
    theme: str | None = None
    region: str | None = None
    inspection_ids: tuple[int, ...] = ()
    include_drafts: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.date_from or self.date_to or self.theme or self.region
                    or self.inspection_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"since_last_to": self.since_last_to,
                "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None,
                "theme": self.theme, "region": self.region,
                "inspections": list(self.inspection_ids), "drafts": self.include_drafts}


@dataclass(frozen=True)
class ExportResult:
    paths: tuple[Path, ...]
    package_id: str
    sha256: str  # of the file written (encrypted, before splitting)
    counts: dict[str, int]
    evidence_files: int
    demo: bool
    encrypted: bool
    drafts_left_out: int
    size_bytes: int
    warnings: tuple[str, ...] = field(default=())

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --------------------------------------------------------------------------- choosing


def _ids(session: Session, stmt: Any) -> set[int]:
    return set(session.scalars(stmt))


def _select_in(session: Session, what: Any, column: Any, ids: Iterable[Any],
               *where: Any) -> set[Any]:
    """``SELECT what WHERE column IN ids AND where…``, in chunks SQLite accepts; no NULLs."""
    values = sorted(set(ids) - {None})
    out: set[Any] = set()
    for chunk in chunks(values):
        out |= set(session.scalars(select(what).where(column.in_(chunk), *where)))
    return out - {None}


_INSPECTION_CHILDREN = ((InspectionOfficer, "inspection_officers"), (Finding, "findings"),
                        (Evidence, "evidence"), (Signature, "signatures"))
_NOTICE_CHILDREN = ((NoticeItem, "notice_items"), (NoticeExtension, "notice_extensions"),
                    (RectificationReport, "rectification_reports"), (Recheck, "rechecks"),
                    (NoticeAttachment, "notice_attachments"))


def choose(session: Session, sel: ExportSelection, *,
           demo_db: bool) -> tuple[dict[str, set[int]], int]:
    """Local ids per kind that the package holds, and how many drafts were left out.

    A chosen inspection brings all its versions, its unit, officers, findings, photos,
    signatures and notices (with a further order's earlier notices); a chosen notice brings its
    items, extensions, reports, rechecks and attachments. A whole export also carries the
    register, the roster, draws, number blocks, the user's template items and assigned units.
    """
    chosen: dict[str, set[int]] = {k.name: set() for k in KINDS}
    real = [] if demo_db else [Inspection.demo.is_(False), Entity.demo.is_(False)]
    base = select(Inspection.id).join(Entity, Entity.id == Inspection.entity_id).where(*real)
    if sel.filtered:
        picked: set[int] = set()
        terms = inspection_terms(date_from=sel.date_from, date_to=sel.date_to,
                                 region=sel.region, theme=sel.theme)
        if terms or not sel.inspection_ids:
            picked = _ids(session, base.where(*terms))
        for chunk in chunks(sorted(set(sel.inspection_ids))):
            picked |= _ids(session, base.where(Inspection.id.in_(chunk)))
        series = _select_in(session, Inspection.series_uuid, Inspection.id, picked)
        inspections = _select_in(session, Inspection.id, Inspection.series_uuid, series)
    else:
        inspections = _ids(session, base)
    drafts = set() if sel.include_drafts else _select_in(
        session, Inspection.id, Inspection.id, inspections, Inspection.status == DRAFT)
    inspections -= drafts

    if sel.filtered:
        notices = _select_in(session, Notice.id, Notice.inspection_id, inspections)
        frontier = _select_in(session, Notice.parent_id, Notice.id, notices)
        while frontier - notices:  # a further order's earlier notices, and their inspections
            notices |= frontier
            frontier = _select_in(session, Notice.parent_id, Notice.id, frontier)
        inspections |= _select_in(session, Notice.inspection_id, Notice.id, notices) - drafts
    else:
        notices = _ids(session, select(Notice.id).where(
            *([] if demo_db else [Notice.demo.is_(False)])))
    chosen["inspections"] = inspections
    chosen["notices"] = notices
    for model, kind in _INSPECTION_CHILDREN:
        chosen[kind] = _select_in(session, model.id, model.inspection_id, inspections)
    for part, kind in _NOTICE_CHILDREN:
        chosen[kind] = _select_in(session, part.id, part.notice_id, notices)
    entities = (_select_in(session, Inspection.entity_id, Inspection.id, inspections)
                | _select_in(session, Notice.entity_id, Notice.id, notices))

    if sel.filtered:
        chosen["entities"] = entities
        chosen["inspector_conflicts"] = _select_in(session, Conflict.id, Conflict.entity_id,
                                                   entities)
        chosen["inspectors"] = (
            _select_in(session, InspectionOfficer.inspector_id, InspectionOfficer.id,
                       chosen["inspection_officers"])
            | _select_in(session, Conflict.inspector_id, Conflict.id,
                         chosen["inspector_conflicts"]))
        return chosen, len(drafts)
    chosen["draws"] = _ids(session, select(Draw.id).where(
        *([] if demo_db else [Draw.demo.is_(False)])))
    chosen["draw_results"] = _select_in(session, DrawResult.id, DrawResult.draw_id,
                                        chosen["draws"])
    chosen["entities"] = entities | _ids(session, select(Entity.id).where(
        *([] if demo_db else [Entity.demo.is_(False)]))) | _select_in(
        session, DrawResult.entity_id, DrawResult.id, chosen["draw_results"])
    chosen["inspectors"] = _ids(session, select(Inspector.id))
    chosen["inspector_conflicts"] = _select_in(session, Conflict.id, Conflict.entity_id,
                                               chosen["entities"])
    chosen["number_blocks"] = _ids(session, select(BY_NAME["number_blocks"].table.c.id))
    chosen["user_template_items"] = _ids(session, select(
        BY_NAME["user_template_items"].table.c.id))
    chosen["measure_units"] = _ids(session, select(MeasureUnit.id).where(
        MeasureUnit.role == "assigned"))
    return chosen, len(drafts)


# --------------------------------------------------------------------------- writing


def device_name(session: Session) -> str:
    """How this laptop names itself to others: its organisation and the name given to this
    computer in 设置 (本机名称), else its host name."""
    from services.settings import computer_name

    org = get_setting(session, ORGANISATION)
    own = computer_name(session) or socket.gethostname()
    return f"{org}（{own}）" if org else own


def issuer(session: Session) -> dict[str, Any]:
    code = get_setting(session, JURISDICTION)
    region = region_by_code(code) if code else None
    return {"organisation": get_setting(session, ORGANISATION), "jurisdiction": code,
            "jurisdiction_name": region.name if region else None,
            "department": get_setting(session, ORG_DEPARTMENT)}


def export_package(session: Session, target: Path, selection: ExportSelection, *,
                   key: DeviceKey, evidence_root: Path, password: str | None = None,
                   split_bytes: int | None = None, progress: Progress | None = None,
                   is_cancelled: IsCancelled | None = None) -> ExportResult:
    """Write the package; its log entry (and, for a recipient, what was sent) is added to the
    session, which the caller commits."""
    tracker = Tracker(progress, is_cancelled, cancel_message="已取消导出，未生成数据包。")
    target = Path(target)
    if target.suffix != EXTENSION and not split_bytes:
        target = target.with_name(target.name + EXTENSION)
    if split_bytes is not None and split_bytes < 64 * 1024:
        raise ExportError("分卷大小至少为 0.0625 MB（64 KB）。")
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"保存位置不存在：{folder}")
    tracker.report(0, 100, "检查数据库完整性")
    _refuse_damaged(session, tracker)
    demo_db = bool(get_setting(session, DEMO))
    device_id = session.info.get("device_id") or ""
    tracker.report(0, 100, "选择要导出的记录")
    chosen, drafts_out = choose(session, selection, demo_db=demo_db)
    sent = _sent(session, selection.since_last_to)
    fd, tmp_name = tempfile.mkstemp(prefix=".sypkg-", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    extra: list[Path] = []
    try:
        writer = PackageWriter(tmp)
        try:
            counts, exported, evidence_n, warnings = _write_members(
                session, writer, chosen, sent, evidence_root, tracker)
            package_id = str(uuid_mod.uuid4())
            manifest = {
                "format": "shengyu-jiancha-package", "format_version": 1,
                "package_id": package_id, "app_version": APP_VERSION,
                "schema_revision": head_revision(),
                "device": {"id": device_id, "name": device_name(session),
                           "fingerprint": key.fingerprint, "public_key": key.public_hex},
                "issuer": issuer(session),
                "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
                "demo": demo_db, "selection": selection.to_dict(), "counts": counts,
            }
            writer.finish(manifest, key)
        except BaseException:
            writer.abort()
            raise
        tracker.report(95, 100, "写入数据包文件")
        final = tmp
        if password:
            fd, enc_name = tempfile.mkstemp(prefix=".sypkg-", suffix=".tmp", dir=folder)
            os.close(fd)
            enc = Path(enc_name)
            extra.append(enc)
            with enc.open("wb") as out:
                crypto.encrypt_file(tmp, out, password, check=tracker.check)
            final = enc
        digest = file_sha256(final)
        size = final.stat().st_size
        if split_bytes and size > split_bytes:
            paths = tuple(parts.split(final, target, split_bytes))
        else:
            publish(final, target)  # flushed, renamed, readable like any saved file
            paths = (target,)
    except OSError as exc:
        raise ExportError(_os_message(exc, folder)) from None
    finally:
        for leftover in (tmp, *extra):
            leftover.unlink(missing_ok=True)
    session.add(ExportLog(package_id=package_id, package_sha256=digest,
                          recipient=selection.since_last_to, file_name=paths[0].name,
                          selection=selection.to_dict(), counts=counts,
                          encrypted=bool(password), parts=len(paths)))
    if selection.since_last_to:
        _remember_sent(session, selection.since_last_to, exported)
    tracker.report(100, 100, "完成")
    return ExportResult(paths, package_id, digest, counts, evidence_n, demo_db, bool(password),
                        drafts_out, size, tuple(warnings))


def _refuse_damaged(session: Session, tracker: Tracker) -> None:
    """No package is written from a database that fails the integrity check: damaged records
    would travel to the recipient."""
    try:
        problem = quick_check_session(session, tracker.cancelled)
    except Cancelled:
        tracker.check()
        raise
    if problem is not None:
        raise ExportError(f"数据库未通过完整性检查（{problem}），未生成数据包。数据库文件可能"
                          "已损坏，请先从备份恢复。")


def _sent(session: Session, recipient: str | None) -> dict[str, dict[str, int]] | None:
    if not recipient:
        return None
    rows = session.execute(select(SentRecord.uuid, SentRecord.sync_vv)
                           .where(SentRecord.recipient == recipient))
    return {u: dict(v) for u, v in rows}


def _remember_sent(session: Session, recipient: str, exported: dict[str, dict[str, int]]
                   ) -> None:
    table = table_of(SentRecord)
    uuids = list(exported)
    for chunk in chunks(uuids):
        session.execute(delete(table).where(table.c.recipient == recipient,
                                            table.c.uuid.in_(chunk)))
    rows = [{"recipient": recipient, "uuid": u, "sync_vv": v} for u, v in exported.items()]
    for start in range(0, len(rows), 5000):
        session.execute(insert(table), rows[start:start + 5000])


def _write_members(session: Session, writer: PackageWriter, chosen: dict[str, set[int]],
                   sent: dict[str, dict[str, int]] | None, evidence_root: Path,
                   tracker: Tracker) -> tuple[dict[str, int], dict[str, dict[str, int]], int,
                                              list[str]]:
    maps = UuidMaps(session)
    pending = {(p.uuid, p.column): p.target_uuid for p in session.scalars(select(PendingRef))}
    counts: dict[str, int] = {}
    exported: dict[str, dict[str, int]] = {}
    files: dict[str, tuple[str, str]] = {}  # member name -> (sha256, ext)
    documents: set[str] = set()
    insp_snap: dict[int, str] = {}
    uuids_out: set[str] = set()
    warnings: list[str] = []
    total_kinds = len(KINDS)
    for n, kind in enumerate(KINDS):
        tracker.report(5 + 85 * n // total_kinds, 100, f"导出{kind.label}")
        ids = chosen.get(kind.name) or set()
        if kind.name == "inspections" and ids:
            insp_snap = _snapshots(session, writer, ids, documents, tracker)
        written = 0
        with writer.lines(f"records/{kind.name}.jsonl") as out:
            for row in read_rows(session, kind, ids) if ids else ():
                line = line_of(kind, row, maps, pending)
                if sent is not None and sent.get(line["uuid"]) == line["vv"]:
                    continue
                if kind.name == "inspections":
                    line["data"]["checklist_sha256"] = insp_snap[row[0]]
                elif kind.name == "measure_units":
                    documents.add(_measure_document(session, line["data"]["measure_id"]))
                _collect_files(kind.name, line["data"], files)
                out.write(line)
                exported[line["uuid"]] = line["vv"]
                uuids_out.add(line["uuid"])
                written += 1
                if written % 5000 == 0:
                    tracker.check()
        counts[kind.name] = written
    tracker.report(90, 100, "导出审计记录和删除记录")
    with writer.lines("audit.jsonl") as out:
        device = session.info.get("device_id")
        for entry in _audit_rows(session, uuids_out):
            out.write({"origin": entry.origin or f"{entry.device_id or device}/{entry.id}",
                       "at": iso(entry.at), "device_id": entry.device_id, "user": entry.user,
                       "action": entry.action, "table_name": entry.table_name,
                       "record_id": entry.record_id, "detail": entry.detail or {}})
    with writer.lines("tombstones.jsonl") as out:
        for t in session.scalars(select(Tombstone).order_by(Tombstone.uuid)):
            out.write({"uuid": t.uuid, "kind": t.kind, "deleted_at": iso(t.deleted_at),
                       "device_id": t.device_id, "vv": dict(t.sync_vv or {})})
    for doc_id in sorted(d for d in documents if d):
        if session.get(PolicyDocument, doc_id) is None:
            warnings.append(f"检查清单引用的政策文件 {doc_id} 不在本机政策目录中")
            continue
        writer.add_bytes(f"catalog/{doc_id}.json", canonical(document_payload(session, doc_id)))
    missing = []
    for name, (sha, ext) in sorted(files.items()):
        path = object_path(evidence_root, sha, ext)
        if not path.is_file():
            missing.append(path.name)
            continue
        writer.add_file(name, path)
    if missing:
        raise ExportError(f"本机缺少 {len(missing)} 个照片或附件文件（如 {missing[0]}），"
                          f"无法导出完整的数据包。请检查数据目录中的 evidence 文件夹。")
    return counts, exported, len(files), warnings


def _collect_files(kind: str, data: dict[str, Any], files: dict[str, tuple[str, str]]) -> None:
    if kind in ("evidence", "notice_attachments") and data.get("sha256"):
        ext = str(data.get("ext") or "")
        files[f"evidence/{data['sha256']}{ext}"] = (data["sha256"], ext)
    elif kind == "signatures" and data.get("image_sha256"):
        files[f"evidence/{data['image_sha256']}.png"] = (data["image_sha256"], ".png")


def _measure_document(session: Session, measure_id: str) -> str:
    from models.catalog import Measure

    return session.scalar(select(Measure.document_id).where(Measure.id == measure_id)) or ""


def _snapshots(session: Session, writer: PackageWriter, ids: set[int], documents: set[str],
               tracker: Tracker) -> dict[int, str]:
    """Write each distinct snapshot of these inspections once; inspection id -> its name.

    A snapshot is stored in its canonical form under the hash the package names it by, so its
    bytes go into the package as they are; each is parsed once, for the documents it cites.
    """
    names = inspection_snapshot_hashes(session, ids)
    for sha in sorted(set(names.values())):
        member = f"snapshots/{sha}.json"
        if member in writer.members:
            continue
        data = snapshot_by_hash(session, sha)
        assert data is not None, "an inspection refers to its stored snapshot"
        writer.add_bytes(member, data)
        for item in json.loads(data).get("items") or ():
            for m in item.get("measures") or ():
                documents.add(str(m.get("document_id") or ""))
        tracker.check()
    return names


def _audit_rows(session: Session, uuids: set[str]) -> Iterable[AuditEntry]:
    wanted = sorted(uuids)
    for chunk in chunks(wanted):
        yield from session.scalars(select(AuditEntry).where(AuditEntry.record_id.in_(chunk))
                                   .order_by(AuditEntry.id))


def _os_message(exc: OSError, folder: Path) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return f"磁盘空间不足，数据包没有写成：{folder}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入权限，数据包没有写成：{folder}"
    return f"写入数据包失败：{exc.strerror or exc}"


