"""Merging a checked package into the database, in the caller's one transaction.

Each record is compared with the local one by version vector (:mod:`rules.version_vector`):

=============  ==================================================================================
new            not here: inserted (unless this laptop deleted it since: then it stays deleted)
updated        the package's revision was made from this one or a later one: it replaces it
unchanged      the same revision, with the same content
kept          this laptop's revision is newer: kept, never replaced by an older one
conflict       both sides changed the record since their common revision: both revisions are
               kept as a conflict for a person, and meanwhile both laptops keep the same one
               (a signed record before an unsigned one, then the later edit, then the larger
               content hash), so that two laptops that exchange both ways end identical
=============  ==================================================================================

A signed inspection and what it locks (officers, findings, photos, signatures) never change:
different content under it is tampering, and the whole package is refused. So is the same
revision with different content, a reference to a record that is neither here nor in the
package, a record that fails the schema, and one uuid twice with different content.

Evidence files are written (temporary name, flush, rename) before the rows that name them are
committed; the caller removes the files this merge wrote if the transaction does not commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from checklists.snapshot import SnapshotError, from_snapshot
from models.bulk import BulkInserter, bulk_work
from models.dialect import is_sqlite
from models.sync import PendingRef, SyncConflict, Tombstone
from models.utc import iso
from rules.inspection_status import SIGNED
from rules.progress import Tracker
from rules.version_vector import CONCURRENT, EQUAL, NEWER, OLDER, compare, effective, merged
from services.catalog_store import index_document, restore_document
from services.checklist_snapshot import (
    snapshot_id,
    snapshot_ids,
    store_snapshot,
    store_snapshots,
)
from services.result_counts import recount_many, refresh_superseded
from sync.conflicts import close_resolved_elsewhere
from sync.format import PackageError, json_depth, loads, strict_json
from sync.kinds import BY_NAME, KINDS, LOCKED_CHILDREN, Kind, canonical, content_of, describe
from sync.merge_after import AfterRecords
from sync.merge_base import (
    BATCH,
    CONFLICT,
    DELETED,
    KEPT,
    LIST_MAX,
    NEW,
    STATUS_LABELS,
    UNCHANGED,
    UPDATED,
    Change,
    MergeResult,
    aware,
)
from sync.merge_rows import RowWriter
from sync.package import Package
from sync.records import UuidMaps, chunks, columns, row_data, values_of
from sync.schema import record_validator, validate

__all__ = ["CONFLICT", "DELETED", "KEPT", "NEW", "STATUS_LABELS", "UNCHANGED", "UPDATED",
           "Change", "MergeResult", "Merger"]

class Merger(RowWriter, AfterRecords):
    def __init__(self, session: Session, package: Package, *, evidence_root: Path,
                 dry_run: bool, from_device: str, tracker: Tracker,
                 max_evidence_bytes: int, held: IO[bytes] | None = None) -> None:
        self.s = session
        self.pkg = package
        self.root = evidence_root
        self.dry_run = dry_run
        self.from_device = from_device
        self.tracker = tracker
        self.max_evidence = max_evidence_bytes
        self.result = MergeResult(held=held)
        self.maps = UuidMaps(session)
        self.seen: dict[str, bytes] = {}
        self.unit_names: dict[str, str] = {}  # by uuid: the units of inspections listed
        self.twins = 0  # units brought that share a credit code with one held here
        self.status: dict[int, str] = {int(i): str(s) for i, s in session.execute(
            text("SELECT id, status FROM inspections"))}
        self.incoming_signed: set[str] = set()  # inspection uuids signed in the package
        self.deferred: list[tuple[Kind, list[dict[str, Any]]]] = []
        self.snapshots: dict[str, int] = {}  # sha -> local snapshot id
        self.touched_inspections: set[int] = set()
        self.touched_documents: set[str] = set()
        self.tombstones = {t.uuid: t for t in session.scalars(select(Tombstone))}
        self.pending = {(p.uuid, p.column): p.target_uuid
                        for p in session.scalars(select(PendingRef))}
        self.next_id: dict[str, int] = {}
        self.file_locks: set[int] | None = None if is_sqlite(session) else set()
        self.bulk = BulkInserter()
        self.open_conflicts = set(session.scalars(select(SyncConflict.uuid).where(
            SyncConflict.status == "open")))

    # ----------------------------------------------------------------------- the whole merge

    @bulk_work()
    def run(self) -> MergeResult:
        self._catalog()
        self._store_snapshots()
        for n, kind in enumerate(KINDS):
            self.tracker.report(10 + 80 * n // len(KINDS), 100, f"合并{kind.label}")
            self._kind(kind)
            if kind.name == "signatures":
                self._flush_deferred()
        self._flush_deferred()
        self.tracker.report(90, 100, "合并删除记录和审计记录")
        self._tombstones()
        self._resolve_pending()
        self._audit()
        if self.touched_inspections:
            recount_many(self.s, sorted(self.touched_inspections))
        refresh_superseded(self.s)  # a newer version came, or a version was deleted
        for doc_id in sorted(self.touched_documents):
            index_document(self.s, doc_id)
        self._number_clashes()
        return self.result

    # ----------------------------------------------------------------------- catalog

    def _catalog(self) -> None:
        for name in self.pkg.members_under("catalog/"):
            payload = self.pkg.read_json(name, "政策文件")
            validate("catalog", payload, "数据包中的政策文件")
            if name != f"catalog/{payload['id']}.json":
                raise PackageError(f"数据包中的政策文件名称与内容不符：{name}")
            try:
                if restore_document(self.s, payload):
                    self.result.documents_added += 1
            except ValueError as exc:
                raise PackageError(str(exc)) from None

    #: Snapshots checked and stored together (their items encoded once for the lot).
    SNAPSHOT_BATCH = 100

    def _store_snapshots(self) -> None:
        """Every checklist snapshot the package carries, checked and stored before any record,
        in the order of their names. Two imports storing overlapping checklists on a server at
        once then take the same rows in the same order, and wait for each other instead of
        deadlocking (which storing each when an inspection first names it would risk)."""
        prefix, suffix = "snapshots/", ".json"
        carried = sorted(name[len(prefix):-len(suffix)]
                         for name in self.pkg.members_under(prefix) if name.endswith(suffix))
        stored = snapshot_ids(self.s, carried)
        self.snapshots.update(stored)
        new = [sha for sha in carried if sha not in stored]
        for start in range(0, len(new), self.SNAPSHOT_BATCH):
            batch = new[start:start + self.SNAPSHOT_BATCH]
            ids = store_snapshots(self.s, [self._read_snapshot(sha) for sha in batch])
            self.snapshots.update(zip(batch, ids, strict=True))

    def _read_snapshot(self, sha: str) -> dict[str, Any]:
        """The package's snapshot named ``sha``, its name checked against its bytes and its
        items against their hashes."""
        name = f"snapshots/{sha}.json"
        if name not in self.pkg.names:
            raise PackageError("数据包中的检查记录引用了一份检查清单快照，数据包没有附带，"
                               "本机也没有。")
        data = self.pkg.read_bytes(name, "检查清单快照")
        if hashlib.sha256(data).hexdigest() != sha:  # its name is the hash of its bytes
            raise PackageError(f"检查清单快照与其名称不符：{name}")
        snapshot: dict[str, Any] = loads(data, "检查清单快照", self.pkg.limits.json_depth)
        try:
            from_snapshot(snapshot)
        except (SnapshotError, KeyError, TypeError, ValueError) as exc:
            raise PackageError(f"数据包中的检查清单快照无效：{exc}") from None
        return snapshot

    def _snapshot_ref(self, sha: str) -> int:
        """The local id of the snapshot named ``sha``: stored with the package's snapshots,
        stored here already, or (a package that names a snapshot it does not carry) none."""
        known = self.snapshots.get(sha)
        if known is not None:
            return known
        found = snapshot_id(self.s, sha)
        if found is None:
            found = store_snapshot(self.s, self._read_snapshot(sha))  # refused: not carried
        self.snapshots[sha] = found
        return found

    # ----------------------------------------------------------------------- records

    def _lines(self, kind: Kind) -> Iterator[list[dict[str, Any]]]:
        check = record_validator(kind.name)
        json_fields = [f.name for f in kind.fields if f.kind == "json"]
        depth = self.pkg.limits.json_depth
        batch: list[dict[str, Any]] = []
        for line in self.pkg.lines(f"records/{kind.name}.jsonl"):
            try:
                obj = strict_json(line)
            except (ValueError, RecursionError):
                raise PackageError(f"数据包中的{kind.label}记录不是有效的 JSON。") from None
            check(obj)
            data = obj["data"]
            if line.count(b"[") + line.count(b"{") >= depth:  # else it cannot be that deep
                for name in json_fields:
                    value = data[name]
                    if isinstance(value, dict | list):
                        json_depth(value, depth)
            uid = obj["uuid"]
            digest = hashlib.blake2b(line.strip(), digest_size=16).digest()
            previous = self.seen.get(uid)
            if previous is not None:
                if previous != digest:
                    raise PackageError(f"数据包中同一条记录（{uid}）出现两次且内容不同。")
                continue
            self.seen[uid] = digest
            batch.append(obj)
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _kind(self, kind: Kind) -> None:
        for batch in self._lines(kind):
            self.tracker.check()
            self._batch(kind, batch)
        if kind.name == "entities":
            self._twins_counted()

    def _locked(self, kind: Kind, row: Any) -> bool:
        if kind.name == "inspections":
            return self.status.get(row[0]) == SIGNED
        if kind.name in LOCKED_CHILDREN:
            parent = row[6 + [f.name for f in kind.fields].index("inspection_id")]
            return self.status.get(parent) == SIGNED
        return False

    def _incoming_locked(self, kind: Kind, data: dict[str, Any]) -> bool:
        if kind.name == "inspections":
            return data.get("status") == SIGNED
        if kind.name in LOCKED_CHILDREN:
            return data.get("inspection_id") in self.incoming_signed
        return False

    def _batch(self, kind: Kind, batch: list[dict[str, Any]]) -> None:
        if kind.name == "inspections" and len(self.result.changes) < LIST_MAX:
            self._load_unit_names(batch)
        t = kind.table
        here = self.maps.id  # every local uuid of the kind, loaded once
        uuids = [o["uuid"] for o in batch if here(kind.name, o["uuid"]) is not None]
        local = {}
        for chunk in chunks(uuids):
            # On a server, the rows this batch may change are locked until the import commits,
            # and read as another import left them: no update is lost to a concurrent one.
            # (SQLite has a single writer and ignores FOR UPDATE.)
            for row in self.s.execute(select(*columns(kind)).where(t.c.uuid.in_(chunk))
                                      .with_for_update()):
                local[row[1]] = row
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for obj in batch:
            data = obj["data"]
            if kind.name == "inspections" and data.get("status") == SIGNED:
                self.incoming_signed.add(obj["uuid"])
            found = local.get(obj["uuid"])
            if found is None:
                tomb = self.tombstones.get(obj["uuid"])
                if tomb is not None and compare(obj["vv"], dict(tomb.sync_vv or {})) in (
                        OLDER, EQUAL):
                    self._note(kind, obj, KEPT)
                    continue
                inserts.append(obj)
                self._note(kind, obj, NEW)
                continue
            status = self._classify(kind, obj, found)
            if status == UPDATED:
                updates.append(obj)
        if inserts and kind.name == "entities":
            self._same_credit_code(inserts)
        if inserts:
            self._insert(kind, inserts)
        if updates:
            rows = [self._row_values(kind, o, for_update=True) for o in updates]
            if kind.name == "inspections":
                self.deferred.append((kind, rows))
            else:
                self._update(kind, rows)
        self._files(kind, inserts + updates)

    def _classify(self, kind: Kind, obj: dict[str, Any], row: Any) -> str:
        mine = effective(row[5], row[4], row[2])
        theirs = obj["vv"]
        relation = compare(theirs, mine)
        local_data = row_data(kind, row, self.maps, self.pending)
        incoming = obj["data"]
        same = _same(kind, local_data, incoming, row)
        if self._locked(kind, row):
            if same or relation == OLDER:
                self._note(kind, obj, UNCHANGED if same else KEPT, mine)
                return UNCHANGED
            raise PackageError(
                f"数据包中已签名的{kind.label}（{describe(kind.name, incoming)}）与本机的内容不同："
                "已签名的记录不能改动，数据包可能被篡改，已拒绝导入。")
        if relation == EQUAL:
            if same:
                self._note(kind, obj, UNCHANGED, mine)
                return UNCHANGED
            raise PackageError(
                f"数据包中的{kind.label}（{describe(kind.name, incoming)}）"
                "与本机同一版本的内容不同，数据包可能被篡改，已拒绝导入。")
        if relation == NEWER:
            self._note(kind, obj, UPDATED)
            if obj["uuid"] in self.open_conflicts:
                close_resolved_elsewhere(self.s, obj["uuid"], theirs)
            return UPDATED
        if relation == OLDER:
            self._note(kind, obj, KEPT, mine)
            return KEPT
        assert relation == CONCURRENT
        vector = merged(theirs, mine)
        if same:
            self._meta(kind, row[0], vector)
            self._note(kind, obj, UNCHANGED, vector)
            return UNCHANGED
        local_key = (self._locked(kind, row), str(iso(row[3]) or ""),
                     hashlib.sha256(content_of(row[1], local_data)).hexdigest())
        their_key = (self._incoming_locked(kind, incoming), str(obj.get("updated_at") or ""),
                     hashlib.sha256(content_of(obj["uuid"], incoming)).hexdigest())
        incoming_wins = their_key > local_key
        self._conflict(kind, obj, row, local_data, mine, "incoming" if incoming_wins else "local")
        if incoming_wins:
            obj["vv"] = vector
            self._note(kind, obj, CONFLICT)
            return UPDATED
        self._meta(kind, row[0], vector)
        self._note(kind, obj, CONFLICT, vector)
        return CONFLICT

    #: How many units sharing a credit code with one held here are named; the rest counted.
    TWINS_NAMED = 10

    def _same_credit_code(self, inserts: list[dict[str, Any]]) -> None:
        """A unit the package brings that carries the 统一社会信用代码 of a unit held here (two
        inspectors registered the same enterprise offline): both are kept, and the user told,
        since lists, figures and follow-up would otherwise split across the two."""
        codes: dict[str, str] = {}
        for obj in inserts:
            code, name = obj["data"].get("credit_code"), obj["data"].get("name")
            if isinstance(code, str) and code:
                codes.setdefault(code, str(name or ""))
        entities = BY_NAME["entities"].table
        kept = "合并后两条都会保留" if self.dry_run else "两条都已保留"
        for chunk in chunks(sorted(codes)):
            for code, held in self.s.execute(
                    select(entities.c.credit_code, entities.c.name)
                    .where(entities.c.credit_code.in_(chunk)).order_by(entities.c.id)):
                self.twins += 1
                if self.twins <= self.TWINS_NAMED:
                    self.result.warnings.append(
                        f"数据包中的被检查单位“{codes[code]}”与本机已有的“{held}”统一社会信用代码"
                        f"相同（{code}），可能是同一单位。{kept}，请在“被检查单位”中核对。")

    def _twins_counted(self) -> None:
        """After the units: how many more share a credit code than were named."""
        more = self.twins - self.TWINS_NAMED
        if more > 0:
            self.result.warnings.append(
                f"另有 {more} 个被检查单位与本机已有单位的统一社会信用代码相同，请在“被检查单位”中"
                "按信用代码查找核对。")

    def _load_unit_names(self, batch: list[dict[str, Any]]) -> None:
        """The names of the units a batch of inspections belongs to (stored already: the
        package's units are merged before its inspections), for the list of changes."""
        wanted = sorted({u for o in batch if isinstance(u := o["data"].get("entity_id"), str)
                         and u not in self.unit_names})
        entities = BY_NAME["entities"].table
        for chunk in chunks(wanted):
            for uid, name in self.s.execute(select(entities.c.uuid, entities.c.name)
                                            .where(entities.c.uuid.in_(chunk))):
                self.unit_names[uid] = name

    def _label(self, kind: Kind, obj: dict[str, Any]) -> str:
        """A changed record in a few words; an inspection with its unit's name."""
        text = describe(kind.name, obj["data"])
        if kind.name == "inspections":
            unit = self.unit_names.get(obj["data"].get("entity_id") or "")
            if unit:
                return f"{unit} {text}"
        return text

    def _note(self, kind: Kind, obj: dict[str, Any], status: str,
              held: dict[str, int] | None = None) -> None:
        self.result.count(kind.name, status)
        if self.result.held is not None:
            self.result.held.write(canonical([kind.name, obj["uuid"], status,
                                              held or obj["vv"]]) + b"\n")
            per = self.result.held_counts.setdefault(kind.name, {})
            per[status] = per.get(status, 0) + 1
        if status in (UNCHANGED, KEPT):
            return
        listed = len(self.result.changes) < LIST_MAX
        if not listed and status != CONFLICT:
            return
        change = Change(kind.name, obj["uuid"], status, self._label(kind, obj))
        if listed:
            self.result.changes.append(change)
        if status == CONFLICT:
            self.result.conflicts.append(change)

    def _conflict(self, kind: Kind, obj: dict[str, Any], row: Any, local_data: dict[str, Any],
                  mine: dict[str, int], kept: str) -> None:
        self.s.add(SyncConflict(
            kind=kind.name, uuid=obj["uuid"], reason="concurrent",
            local={"vv": mine, "updated_at": iso(row[3]), "device_id": row[4],
                   "data": local_data},
            incoming={"vv": obj["vv"], "updated_at": obj.get("updated_at"),
                      "device_id": obj.get("device_id"), "data": obj["data"]},
            kept=kept, package_sha256=self.pkg.sha256, from_device=self.from_device))

    # ----------------------------------------------------------------------- writing rows

    def _resolve(self, kind: Kind, obj: dict[str, Any], values: dict[str, Any]) -> None:
        """References from uuids to local ids; a missing optional one waits (PendingRef)."""
        for name, target in kind.refs.items():
            ref = values[name]
            if ref is None:
                continue
            local_id = self.maps.id(target, ref)
            if local_id is not None:
                values[name] = local_id
                continue
            field_ = next(f for f in kind.fields if f.name == name)
            if not field_.nullable:
                raise PackageError(
                    f"数据包中的{kind.label}（{describe(kind.name, obj['data'])}）引用的"
                    f"{BY_NAME[target].label}既不在数据包中，本机也没有，数据包不完整。")
            values[name] = None
            self.s.merge(PendingRef(kind=kind.name, uuid=obj["uuid"], column=name,
                                    target_kind=target, target_uuid=ref))
            self.pending[(obj["uuid"], name)] = ref

    def _row_values(self, kind: Kind, obj: dict[str, Any], *, for_update: bool
                    ) -> dict[str, Any]:
        try:
            values = values_of(kind, obj["data"])
        except (ValueError, OverflowError):
            raise PackageError(f"数据包中的{kind.label}记录有无效的日期或时间"
                               f"（{describe(kind.name, obj['data'])}）。") from None
        self._resolve(kind, obj, values)
        if kind.name == "inspections":
            values["snapshot_id"] = self._snapshot_ref(obj["data"]["checklist_sha256"])
        elif kind.name == "draw_results":
            ids = [self.maps.id("inspectors", u) for u in obj["data"]["inspector_uuids"] or ()]
            values["inspector_ids"] = [i for i in ids if i is not None]
        elif kind.name == "measure_units":
            self._check_measure(obj, values)
        values.update(uuid=obj["uuid"], sync_rev=obj["rev"], sync_vv=obj["vv"],
                      device_id=obj.get("device_id"),
                      updated_at=aware(obj.get("updated_at")))
        if for_update:
            values["_id"] = self.maps.id(kind.name, obj["uuid"])
        return values

    def _check_measure(self, obj: dict[str, Any], values: dict[str, Any]) -> None:
        measure = self.s.execute(text("SELECT document_id FROM measures WHERE id = :m"),
                                 {"m": values["measure_id"]}).first()
        if measure is None:
            raise PackageError(f"数据包中指派的责任单位引用的政策措施 {values['measure_id']} "
                               "本机没有，数据包也没有附带其政策文件。")
        self.touched_documents.add(measure[0])
        if values.get("department_id") is not None:
            found = self.s.execute(text("SELECT 1 FROM departments WHERE id = :d"),
                                   {"d": values["department_id"]}).first()
            if found is None:
                values["department_id"] = None


def _same(kind: Kind, local: dict[str, Any], incoming: dict[str, Any], row: Any) -> bool:
    if kind.name == "inspections":
        incoming = {k: v for k, v in incoming.items() if k != "checklist_sha256"}
    return local == incoming
