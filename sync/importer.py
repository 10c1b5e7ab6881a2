"""Receiving a package: join its parts, decrypt it, check it, judge the sender, show what it
would change, and merge it in one transaction with a backup first; then write a receipt.

Nothing is written before every check has passed and the user has confirmed (a dry run goes
through the same merge and rolls it back). A failed import leaves the database as it was, no
evidence file it wrote, no temporary file and no extra backup.

On a PostgreSQL server several programs may import into one database at once (a province
gathering its counties' packages): each import is one transaction, locks the rows it changes,
and runs again when it collides with another (see :data:`RETRY_STATES`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from models.db import Database, DatabaseError, backup_database, disk_full_message
from models.inspection import Inspection
from models.integrity import quick_check_file
from models.paths import data_dir
from models.rectification import Notice
from models.registry import Entity
from models.sync import ImportLog, TrustedDevice
from rules.china_time import beijing
from rules.progress import Cancelled, IsCancelled, Progress, Tracker
from services.settings import DEMO, get_setting, set_setting
from sync import crypto, keys, parts
from sync.format import LIMITS, Limits, PackageError
from sync.merge import CONFLICT, DELETED, KEPT, NEW, UNCHANGED, UPDATED, Change, Merger
from sync.package import Package, file_sha256, open_package
from sync.receipts import write_receipt

TRUSTED, CONFIRMED, UNKNOWN, UNSIGNED = "trusted", "confirmed", "unknown", "unsigned"
TRUST_LABELS = {TRUSTED: "已信任的设备", CONFIRMED: "未信任，经确认导入", UNKNOWN: "未信任的设备",
                UNSIGNED: "没有签名"}
DEFAULT_MAX_EVIDENCE = 512 * 1024 * 1024


class NeedsPassword(PackageError):
    """The package is encrypted and no password was given."""


class NeedsTrust(PackageError):
    """The package is unsigned or from a device not trusted yet: a person must confirm."""


@dataclass(frozen=True)
class PackageInfo:
    package_id: str
    sha256: str
    file_names: tuple[str, ...]
    device_id: str
    device_name: str
    fingerprint: str | None
    public_key: str | None
    trust: str
    exported_at: str
    demo: bool
    issuer: dict[str, Any]
    app_version: str
    schema_revision: str
    selection: dict[str, Any]
    counts: dict[str, int]
    encrypted: bool
    parts: int
    #: the name this database gave the device when it trusted it (张三 of 中宁县卫健局), if
    #: other than the name the device gives itself
    known_as: str | None = None

    @property
    def sender(self) -> str:
        """Who sent the package, as the user knows them: the name given when the device was
        trusted, with the device's own name beside it."""
        if self.known_as:
            return f"{self.known_as}（{self.device_name}）" if self.device_name else self.known_as
        return self.device_name or "未署名的设备"

    @property
    def trust_label(self) -> str:
        return TRUST_LABELS.get(self.trust, self.trust)


@dataclass(frozen=True)
class ImportReport:
    info: PackageInfo
    dry_run: bool
    counts: dict[str, dict[str, int]]
    changes: tuple[Change, ...] = ()
    conflicts: tuple[Change, ...] = ()
    number_clashes: tuple[str, ...] = ()  # document numbers this import found used twice
    documents_added: int = 0
    audit_added: int = 0
    already_imported_at: datetime | None = None
    receipt: Path | None = None
    backup: Path | None = None
    warnings: tuple[str, ...] = field(default=())
    #: clashes of document numbers an earlier import registered and still open
    number_clashes_known: int = 0

    def total(self, status: str) -> int:
        return sum(per.get(status, 0) for per in self.counts.values())

    def summary(self) -> str:
        if self.already_imported_at is not None:
            at = beijing(self.already_imported_at)
            return (f"此数据包已于 {at:%Y-%m-%d %H:%M}（北京时间）导入，"
                    "没有需要合并的新内容。")
        counts = [("新增", NEW), ("更新", UPDATED), ("未变", UNCHANGED), ("本机较新保留", KEPT),
                  ("冲突", CONFLICT), ("删除", DELETED)]
        parts_ = [f"{label} {self.total(status)}" for label, status in counts
                  if self.total(status)]  # what happened, without a row of zeros
        if not parts_:
            return "数据包中没有记录"
        return "，".join(parts_) + " 条记录" + self._headline()

    #: How many clashing document numbers are named before the rest are only counted.
    CLASHES_NAMED = 5

    def clash_notes(self) -> list[str]:
        """What the import says of document numbers used on two computers: those it found
        (the first few named, in number order) and how many an earlier import found that still
        wait; in a preview, what the merge will do."""
        out = []
        found = sorted(self.number_clashes, key=_natural)
        if found:
            named = "、".join(found[:self.CLASHES_NAMED])
            if len(found) > self.CLASHES_NAMED:
                named += f" 等 {len(found)} 个编号"
            named += "" if named.endswith("编号") else " "
            done = ("合并时会登记为冲突" if self.dry_run else "已登记为冲突")
            out.append(f"文书编号 {named}在两台电脑上都用过：使用这些编号的文书都保留、不会改号，"
                       f"{done}，请在“冲突”中核实后登记处理情况。")
        if self.number_clashes_known:
            out.append("此前导入时已发现的文书编号重复还有 "
                       f"{self.number_clashes_known} 个尚未处理，见“冲突”。")
        return out

    def notes(self) -> list[str]:
        """What the import says beside its counts: that the package came in before, the
        records changed on both sides, document numbers used twice, and the merge's warnings
        (records it skipped, files it did not keep, …)."""
        out = []
        if self.already_imported_at is not None:
            out.append(self.summary())
        if self.conflicts:
            kept = "都会保留，合并后" if self.dry_run else "都已保留，请"
            out.append(f"有 {len(self.conflicts)} 条记录双方都改过：两个版本{kept}"
                       "在“数据交换 → 冲突”中逐项决定。")
        out.extend(self.clash_notes())
        out.extend(self.warnings)
        return out

    #: How many changed records the import log keeps to be read again (the counts are
    #: always complete).
    CHANGES_LOGGED = 1000

    #: The records a supervisor reads first when a package's changes are listed: its
    #: inspections and documents, then the units and people; their parts (findings, photos,
    #: signatures, …) last.
    FIRST_KINDS = ("inspections", "notices", "rechecks", "rectification_reports",
                   "notice_extensions", "entities", "draws", "inspectors")

    def changes_first(self) -> list[Change]:
        """The listed changes, conflicts first, then by :attr:`FIRST_KINDS`, else as the
        package holds them."""
        rank = {kind: n for n, kind in enumerate(self.FIRST_KINDS)}
        return sorted(self.changes, key=lambda c: (c.status != CONFLICT,
                                                   rank.get(c.kind, len(rank))))

    def details(self) -> dict[str, Any]:
        """What the import log keeps of a merge, to be read again from 收到的数据包
        (:func:`sync.history.import_record`)."""
        i = self.info
        issuer = i.issuer or {}
        return {
            "notes": self.notes(),
            "changes": [[c.kind, c.uuid, c.status, c.label]
                        for c in self.changes_first()[:self.CHANGES_LOGGED]],
            "organisation": issuer.get("organisation") or None,
            "jurisdiction": issuer.get("jurisdiction_name") or None,
            "files": list(i.file_names),
            "encrypted": i.encrypted,
            "parts": i.parts,
            "app_version": i.app_version,
            "documents_added": self.documents_added,
            "audit_added": self.audit_added,
            "backup": self.backup.name if self.backup is not None else None,
        }

    @property
    def conflicts_to_settle(self) -> int:
        """Conflicts the merge leaves for a person: records changed on both sides and
        document numbers used twice."""
        return len(self.conflicts) + len(self.number_clashes)

    def _headline(self) -> str:
        """What a supervisor counts among the records that came in or changed: inspections
        and rectification documents (the findings, signatures and photos are theirs)."""
        moved = (NEW, UPDATED)
        said = [(label, sum(self.counts.get(kind, {}).get(s, 0) for s in moved), unit)
                for kind, label, unit in (("inspections", "检查记录", "次"),
                                          ("notices", "整改文书", "份"))]
        said = [x for x in said if x[1]]
        if not said or sum(n for _, n, _ in said) == sum(self.total(s) for s in moved):
            return ""  # nothing else came in: the totals say it already
        return f"；新增或更新的{'、'.join(f'{label} {n} {unit}' for label, n, unit in said)}"

    def as_json(self) -> dict[str, Any]:
        i = self.info
        return {
            "dry_run": self.dry_run,
            "package": {"id": i.package_id, "sha256": i.sha256, "files": list(i.file_names),
                        "device": {"id": i.device_id, "name": i.device_name,
                                   "fingerprint": i.fingerprint},
                        "trust": i.trust, "exported_at": i.exported_at, "demo": i.demo,
                        "issuer": i.issuer, "app_version": i.app_version,
                        "schema_revision": i.schema_revision, "selection": i.selection,
                        "counts": i.counts, "encrypted": i.encrypted, "parts": i.parts},
            "already_imported_at": (self.already_imported_at.isoformat()
                                    if self.already_imported_at else None),
            "counts": self.counts,
            "totals": {s: self.total(s) for s in (NEW, UPDATED, UNCHANGED, KEPT, CONFLICT,
                                                  DELETED)},
            "changes": [{"kind": c.kind, "uuid": c.uuid, "status": c.status, "label": c.label}
                        for c in self.changes],
            "conflicts": [{"kind": c.kind, "uuid": c.uuid, "label": c.label}
                          for c in self.conflicts],
            "number_clashes": list(self.number_clashes),
            "number_clashes_known": self.number_clashes_known,
            "documents_added": self.documents_added, "audit_added": self.audit_added,
            "receipt": str(self.receipt) if self.receipt else None,
            "warnings": list(self.warnings),
        }


def _natural(text: str) -> tuple[Any, ...]:
    """A sort key that puts 第2号 before 第10号."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def work_dir() -> Path:
    """Where received packages are joined and decrypted (removed again after each import)."""
    return data_dir() / "tmp"


def _scratch() -> Path:
    folder = work_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def opened(paths: Sequence[Path], *, password: str | None = None,
           limits: Limits = LIMITS, tracker: Tracker | None = None,
           folder: Path | None = None) -> Iterator[tuple[Package, bool, int]]:
    """The checked package from its file (or its parts), decrypted; temporary files go."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise PackageError("没有选择数据包文件。")
    for p in paths:
        if p.is_dir():
            raise PackageError(f"{p} 是文件夹：请选择其中的数据包文件（.sypkg）。")
        if not p.is_file():
            raise PackageError(f"找不到数据包文件：{p}")
    check = tracker.check if tracker else None
    made: list[Path] = []
    scratch = folder or work_dir()

    def temp() -> Path:
        scratch.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="received-", suffix=".tmp", dir=scratch)
        os.close(fd)
        made.append(Path(name))
        return Path(name)

    try:
        count = len(paths)
        if count > 1 or parts.is_part(paths[0]):
            if count == 1:
                raise PackageError(f"{paths[0].name} 是分卷之一，请同时选择全部分卷。")
            joined = temp()
            with joined.open("wb") as out:
                parts.join(paths, out, max_bytes=limits.total_bytes)
            source = joined
        else:
            source = paths[0]
        digest = file_sha256(source, check=check)
        encrypted = crypto.is_encrypted(source)
        if encrypted:
            if not password:
                raise NeedsPassword("数据包已加密，请输入密码。")
            plain = temp()
            with plain.open("wb") as out:
                crypto.decrypt_file(source, out, password, max_bytes=limits.total_bytes,
                                    check=check)
            source = plain
        package = open_package(source, digest, limits, check=check)
        try:
            yield package, encrypted, count
        finally:
            package.close()
    except (crypto.CryptoError, parts.PartsError) as exc:
        raise PackageError(str(exc)) from None
    except OSError as exc:
        raise PackageError(f"读取数据包失败：{exc.strerror or exc}") from None
    finally:
        for p in made:
            p.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            scratch.rmdir()  # only when empty


def describe_package(session: Any, pkg: Package, file_names: Sequence[str], *,
                     encrypted: bool, count: int, own_fingerprint: str | None) -> PackageInfo:
    """Who sent the package and how far it is trusted; PackageError for a bad signature, a
    revoked device, or a key that does not belong to the device it claims."""
    m = pkg.manifest
    device = m["device"]
    try:
        datetime.fromisoformat(m["exported_at"])
    except ValueError:
        raise PackageError("数据包清单中的导出时间无效。") from None
    public_key = device.get("public_key")
    fingerprint = device.get("fingerprint")
    known_as: str | None = None
    if pkg.signed is None:
        trust = UNSIGNED
    else:
        public_key = pkg.signed.public_key  # verified over every byte of the package
        if keys.fingerprint(bytes.fromhex(public_key)) != fingerprint:
            raise PackageError("数据包中的设备指纹与其公钥不符，数据包可能被篡改。")
        known = session.get(TrustedDevice, fingerprint)
        if known is not None and known.status == "revoked":
            raise PackageError(f"数据包来自已撤销信任的设备“{known.name}”，已拒绝导入。")
        if (known is not None and known.status == "trusted") or fingerprint == own_fingerprint:
            trust = TRUSTED
            if known is not None and known.name not in ("", device.get("name"),
                                                          fingerprint[:8]):
                known_as = known.name
        else:
            same_device = session.scalar(select(TrustedDevice).where(
                TrustedDevice.device_id == device.get("id"), TrustedDevice.status == "trusted"))
            if same_device is not None:
                raise PackageError(
                    f"数据包自称来自已信任的设备“{same_device.name}”，但签名密钥不同"
                    f"（{keys.show_fingerprint(fingerprint)}），可能是伪造的，已拒绝导入。")
            seen = session.scalar(select(ImportLog.fingerprint).where(
                ImportLog.device_id == device.get("id"), ImportLog.fingerprint.is_not(None),
                ImportLog.fingerprint != fingerprint))
            if seen is not None:
                raise PackageError(
                    "数据包自称来自以前导入过的设备，但签名密钥与那时不同"
                    f"（{keys.show_fingerprint(fingerprint)}），可能是伪造的，已拒绝导入。")
            trust = UNKNOWN
    return PackageInfo(
        known_as=known_as,
        package_id=m["package_id"], sha256=pkg.sha256, file_names=tuple(file_names),
        device_id=str(device.get("id") or ""), device_name=str(device.get("name") or ""),
        fingerprint=fingerprint, public_key=public_key, trust=trust,
        exported_at=m["exported_at"], demo=bool(m["demo"]), issuer=dict(m.get("issuer") or {}),
        app_version=str(m["app_version"]), schema_revision=str(m["schema_revision"]),
        selection=dict(m.get("selection") or {}), counts=dict(m.get("counts") or {}),
        encrypted=encrypted, parts=count)


def _holds_records(session: Any) -> bool:
    for model in (Entity, Inspection, Notice):
        if session.scalar(select(func.count()).select_from(model)):
            return True
    return False


def _demo_rule(session: Any, info: PackageInfo) -> bool:
    """True when importing makes the database a demo database. PackageError when the
    package and the database do not mix (demo with real, real with demo)."""
    local_demo = bool(get_setting(session, DEMO))
    if info.demo and not local_demo:
        if _holds_records(session):
            raise PackageError("这是演示数据包，只能导入演示数据库或空数据库；"
                               "本数据库存有正式数据，已拒绝导入。")
        return True
    if not info.demo and local_demo:
        raise PackageError("这是正式数据包，不能导入演示数据库。请在正式数据库中导入。")
    return False


def import_package(db: Database, paths: Sequence[Path], *, password: str | None = None,
                   trust_unknown: bool = False, dry_run: bool = False,
                   receipt_dir: Path | None = None, key: keys.DeviceKey | None = None,
                   user: str | None = None, limits: Limits = LIMITS,
                   progress: Progress | None = None,
                   is_cancelled: IsCancelled | None = None) -> ImportReport:
    """Check and merge a package (its parts, in any order). See the module docstring."""
    tracker = Tracker(progress, is_cancelled, cancel_message="已取消导入，数据库没有改动。")
    tracker.report(0, 100, "校验数据包")
    names = tuple(Path(p).name for p in paths)
    with opened(paths, password=password, limits=limits, tracker=tracker) as (pkg, enc, count):
        with db.session() as s:
            info = describe_package(s, pkg, names, encrypted=enc, count=count,
                                    own_fingerprint=key.fingerprint if key else None)
            becomes_demo = _demo_rule(s, info)
            previous = s.scalar(select(ImportLog.at).where(
                ImportLog.package_sha256 == info.sha256).order_by(ImportLog.at))
            max_evidence = int(get_setting(s, "evidence_max_bytes", DEFAULT_MAX_EVIDENCE))
        if info.trust in (UNKNOWN, UNSIGNED) and not trust_unknown and not dry_run:
            who = (f"未签名的数据包（自称来自“{info.device_name}”）" if info.trust == UNSIGNED
                   else f"来自未信任设备“{info.device_name}”（指纹 "
                        f"{keys.show_fingerprint(info.fingerprint or '')}）的数据包")
            raise NeedsTrust(f"这是{who}。请与对方核对指纹，确认无误后再导入"
                             "（命令行加 --trust，或先在“设备”中信任该设备）。")
        if previous is not None:
            counts = {k: {UNCHANGED: n} for k, n in info.counts.items() if n}
            return ImportReport(info, dry_run, counts, already_imported_at=previous)
        trust = CONFIRMED if info.trust in (UNKNOWN, UNSIGNED) else info.trust
        return _merge(db, pkg, info, trust=trust, dry_run=dry_run, becomes_demo=becomes_demo,
                      receipt_dir=receipt_dir, key=key, user=user, tracker=tracker,
                      max_evidence=max_evidence)


def _refuse_damaged(db: Database, tracker: Tracker) -> None:
    """Nothing is merged into (nor backed up from) a database file that fails the integrity
    check."""
    assert db.path is not None  # a file: a server's integrity is the operator's
    try:
        problem = quick_check_file(db.path, tracker.cancelled)
    except Cancelled:
        tracker.check()
        raise
    if problem is not None:
        raise DatabaseError(f"数据库未通过完整性检查（{problem}），未导入，数据库和已有的备份"
                            "都没有改动。数据库文件可能已损坏，请先从备份恢复。")


#: On a server, another program may be importing into the same database at the same moment.
#: An import that collides with one (both brought the same new record: unique_violation; each
#: waits on rows the other holds: deadlock_detected; a lock held too long) is rolled back and
#: run again from the start, seeing what the other committed. The last try takes the import
#: lock alone, so it cannot collide.
RETRY_STATES = frozenset({"23505", "40P01", "40001", "55P03"})
SERVER_ATTEMPTS = 5
#: The advisory lock every server import holds shared, and the last try holds alone.
IMPORT_LOCK = 0x5348_4A49


class _TryAgain(Exception):
    """This attempt collided with another program's import; nothing of it was kept."""


def _merge(db: Database, pkg: Package, info: PackageInfo, **kwargs: Any) -> ImportReport:
    if db.is_sqlite:  # one writer at a time: SQLite itself waits
        return _merge_once(db, pkg, info, alone=False, **kwargs)
    tracker: Tracker = kwargs["tracker"]
    for attempt in range(1, SERVER_ATTEMPTS + 1):
        try:
            return _merge_once(db, pkg, info, alone=attempt == SERVER_ATTEMPTS, **kwargs)
        except _TryAgain:
            tracker.report(5, 100, f"另一程序正在导入相同的记录，第 {attempt + 1} 次尝试")
    raise AssertionError("the last attempt runs alone and cannot collide")


def _collided(db: Database, exc: BaseException) -> bool:
    from models.db import error_chain

    if db.is_sqlite:
        return False
    return any(getattr(getattr(e, "orig", e), "sqlstate", None) in RETRY_STATES
               for e in error_chain(exc))


def _server_transaction(db: Database, session: Any, info: PackageInfo, *,
                        alone: bool) -> datetime | None:
    """On a server: wait for locks as long as another import needs; hold the import lock
    (shared, or alone on the last try) and this package's own lock, then look again whether
    the package was imported meanwhile (its time, or None)."""
    from sqlalchemy import text

    if db.is_sqlite:
        return None
    session.execute(text("SET LOCAL lock_timeout = '10min'"))
    session.execute(text("SELECT pg_advisory_xact_lock(:k)" if alone
                         else "SELECT pg_advisory_xact_lock_shared(:k)"), {"k": IMPORT_LOCK})
    session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:sha, 0))"),
                    {"sha": info.sha256})
    at: datetime | None = session.scalar(
        select(ImportLog.at).where(ImportLog.package_sha256 == info.sha256)
        .order_by(ImportLog.at))
    return at


def _merge_once(db: Database, pkg: Package, info: PackageInfo, *, alone: bool, trust: str,
                dry_run: bool, becomes_demo: bool, receipt_dir: Path | None,
                key: keys.DeviceKey | None, user: str | None, tracker: Tracker,
                max_evidence: int) -> ImportReport:
    backup = None
    if not dry_run:
        db.require_writable()
        if db.path is not None:  # a server's backups are the operator's pg_dump
            tracker.report(3, 100, "检查数据库完整性")
            _refuse_damaged(db, tracker)
            tracker.report(5, 100, "备份数据库")
            try:
                backup = backup_database(db.path, db.backup_dir, "import")
            except (OSError, Exception) as exc:  # sqlite3.Error as well
                raise DatabaseError(disk_full_message(exc) or
                                    f"导入前备份数据库失败，未导入：{exc}") from None
    session = db.sessions()
    session.info["device_id"] = db.device_id
    try:
        previous = _server_transaction(db, session, info, alone=alone)
    except BaseException:
        session.rollback()
        session.close()
        raise
    if previous is not None:  # another program imported this very package meanwhile
        session.rollback()
        session.close()
        counts = {k: {UNCHANGED: n} for k, n in info.counts.items() if n}
        return ImportReport(info, dry_run, counts, already_imported_at=previous)
    held = None if dry_run or key is None else tempfile.TemporaryFile(dir=_scratch())
    merger = Merger(session, pkg, evidence_root=db.evidence_root, dry_run=dry_run,
                    from_device=info.sender, tracker=tracker,
                    max_evidence_bytes=max_evidence, held=held)
    committed = False
    try:
        result = merger.run()
        if becomes_demo:
            set_setting(session, DEMO, True)
        report = ImportReport(
            info, dry_run, result.counts, tuple(result.changes), tuple(result.conflicts),
            tuple(result.number_clashes), result.documents_added, result.audit_added,
            backup=backup, warnings=tuple(result.warnings),
            number_clashes_known=result.number_clashes_known)
        log = ImportLog(package_sha256=info.sha256, package_id=info.package_id,
                        file_name=info.file_names[0] if info.file_names else None,
                        device_id=info.device_id, device_name=info.device_name,
                        fingerprint=info.fingerprint, public_key=info.public_key,
                        trust=trust, demo=info.demo,
                        exported_at=datetime.fromisoformat(info.exported_at),
                        counts=result.counts,
                        conflicts=len(result.conflicts) + len(result.number_clashes), user=user,
                        details=report.details())
        session.add(log)
        tracker.check()
        if dry_run:
            session.rollback()
        else:
            tracker.report(95, 100, "写入数据库")
            session.commit()
            committed = True
    except BaseException as exc:
        session.rollback()
        if held is not None:
            held.close()
        if db.is_sqlite:
            for path in merger.result.written_files:
                path.unlink(missing_ok=True)
        else:  # another import may be about to name the same file (files go by content)
            _forget_unclaimed(db, merger.result.written_files)
        if backup is not None:
            backup.unlink(missing_ok=True)
        if not dry_run:
            _clean_leftovers(db)
        if isinstance(exc, PackageError | Cancelled):
            raise
        if not alone and _collided(db, exc):
            raise _TryAgain from exc
        if isinstance(exc, SQLAlchemyError | OSError):
            full = disk_full_message(exc)
            if full is not None:
                raise DatabaseError(full) from None
            if "locked" in str(exc):
                raise DatabaseError("数据库正被另一个程序占用，未导入。请稍后再试。") from None
            if isinstance(exc, SQLAlchemyError):
                raise PackageError(f"数据包中的记录不能存入数据库（{_short(exc)}），"
                                   "未导入。") from None
        raise
    finally:
        session.close()
    receipt = None
    try:
        if committed and held is not None and key is not None:
            tracker.report(98, 100, "写入回执")
            held.seek(0)
            receipt = write_receipt(db, info, held, key=key,
                                    folder=receipt_dir or data_dir() / "receipts",
                                    counts=result.held_counts)
    finally:
        if held is not None:
            held.close()
    tracker.report(100, 100, "完成")
    return replace(report, receipt=receipt)


def _forget_unclaimed(db: Database, written: list[Path]) -> None:
    """On a server, remove what a failed import wrote, except a file another import holds
    (its bucket is locked: it is storing or naming the file now) or a committed row names;
    what stays is an orphan the evidence clean-up removes later. Best effort."""
    from collections import defaultdict

    from sqlalchemy import text, union

    from models.inspection import Evidence, Signature
    from models.rectification import NoticeAttachment
    from sync.merge_base import evidence_lock

    by_bucket: dict[int, list[Path]] = defaultdict(list)
    for path in written:
        by_bucket[evidence_lock(path.stem)].append(path)
    try:
        with db.session() as s:
            for key in sorted(by_bucket):
                if not s.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}):
                    continue
                shas = sorted({p.stem for p in by_bucket[key]})
                named = set(s.scalars(union(
                    select(Evidence.sha256).where(Evidence.sha256.in_(shas)),
                    select(NoticeAttachment.sha256).where(NoticeAttachment.sha256.in_(shas)),
                    select(Signature.image_sha256).where(Signature.image_sha256.in_(shas)))))
                for path in by_bucket[key]:
                    if path.stem not in named:
                        path.unlink(missing_ok=True)
    except Exception:  # best effort: an orphan is harmless
        pass


def _clean_leftovers(db: Database) -> None:
    """After a failed import, files no row refers to (older ones, left by an earlier failure
    or crash) go too; a failure here must not hide the import's own error."""
    from services.evidence_clean import clean_orphans

    try:
        with db.session() as s:
            clean_orphans(s, db.evidence_root, dry_run=False)
    except Exception:  # best effort
        pass


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    return text[:120]
