"""What a merge does after the records: deletions, references that waited, the audit
entries, and documents of two laptops that carry one number."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, text, update

from models.base import table_of
from models.sync import PendingRef, SyncConflict, Tombstone
from models.system import AuditEntry
from rules.version_vector import EQUAL, NEWER, compare, effective, merged
from sync.kinds import BY_NAME, KINDS, Kind, describe
from sync.merge_base import BATCH, DELETED, LIST_MAX, Change, MergeState, aware, parse
from sync.records import columns
from sync.schema import validate


class AfterRecords(MergeState):
    def _tombstones(self) -> None:
        check_kinds = {k.name for k in KINDS}
        for line in self.pkg.lines("tombstones.jsonl"):
            obj = parse(line, "删除记录")
            validate("tombstone", obj, "数据包中的删除记录")
            if obj["kind"] not in check_kinds:
                continue
            kind = BY_NAME[obj["kind"]]
            vector = obj["vv"]
            row = self.s.execute(select(*columns(kind)).where(
                kind.table.c.uuid == obj["uuid"])).first()
            if row is not None:
                relation = compare(vector, effective(row[5], row[4], row[2]))
                if relation in (NEWER, EQUAL) and not self._locked(kind, row):
                    self.s.execute(delete(kind.table).where(kind.table.c.id == row[0])
                                   .execution_options(synchronize_session=False))
                    self.maps.drop(kind.name, obj["uuid"])
                    self.result.count(kind.name, DELETED)
                    self._touch_deleted(kind, row)
                    if len(self.result.changes) < LIST_MAX:
                        self.result.changes.append(Change(kind.name, obj["uuid"], DELETED,
                                                          describe(kind.name, {})))
            mine = self.tombstones.get(obj["uuid"])
            if mine is None:
                tomb = Tombstone(uuid=obj["uuid"], kind=obj["kind"],
                                 deleted_at=aware(obj["deleted_at"]),
                                 device_id=obj.get("device_id"), sync_vv=vector)
                self.s.add(tomb)
                self.tombstones[obj["uuid"]] = tomb
            elif compare(vector, dict(mine.sync_vv or {})) != EQUAL:
                mine.sync_vv = merged(vector, dict(mine.sync_vv or {}))

    def _touch_deleted(self, kind: Kind, row: Any) -> None:
        if kind.name == "findings":
            self.touched_inspections.add(row[6 + [f.name for f in kind.fields]
                                             .index("inspection_id")])

    def _resolve_pending(self) -> None:
        for ref in list(self.s.scalars(select(PendingRef))):
            target_id = self.maps.id(ref.target_kind, ref.target_uuid)
            own = self.maps.id(ref.kind, ref.uuid)
            if own is None:
                self.s.delete(ref)  # the record itself is gone
                continue
            if target_id is None:
                continue
            table = BY_NAME[ref.kind].table
            self.s.execute(update(table).where(table.c.id == own)
                           .values({ref.column: target_id})
                           .execution_options(synchronize_session=False))
            self.pending.pop((ref.uuid, ref.column), None)
            self.s.delete(ref)

    def _audit(self) -> None:
        device = self.s.info.get("device_id")
        rows = []
        origins = set()
        for line in self.pkg.lines("audit.jsonl"):
            obj = parse(line, "审计记录")
            validate("audit", obj, "数据包中的审计记录")
            origins.add(obj["origin"])
            rows.append(obj)
            if len(rows) >= BATCH:
                self._audit_batch(rows, device)
                rows = []
        if rows:
            self._audit_batch(rows, device)

    def _audit_batch(self, rows: list[dict[str, Any]], device: str | None) -> None:
        origins = [r["origin"] for r in rows]
        have = set(self.s.scalars(select(AuditEntry.origin).where(AuditEntry.origin.in_(origins))))
        mine = {f"{device}/{r.split('/', 1)[1]}" for r in origins
                if device and r.startswith(f"{device}/")}
        if mine:
            ids = [int(o.split("/", 1)[1]) for o in mine if o.split("/", 1)[1].isdigit()]
            present = set(self.s.scalars(select(AuditEntry.id).where(
                AuditEntry.id.in_(ids), AuditEntry.origin.is_(None))))
            have |= {f"{device}/{i}" for i in present}
        new = []
        for r in rows:
            if r["origin"] in have:
                continue
            have.add(r["origin"])
            new.append({"origin": r["origin"], "at": aware(r["at"]),
                        "device_id": r["device_id"], "user": r["user"], "action": r["action"],
                        "table_name": r["table_name"], "record_id": r["record_id"],
                        "detail": r["detail"]})
        if new:
            self.s.execute(insert(table_of(AuditEntry)), new)
            self.result.audit_added += len(new)

    def _number_clashes(self) -> None:
        """Documents of different laptops that carry one number: reported, never renumbered.
        A clash an earlier import registered (the same documents, or more of them now) is not
        reported again; those still open are counted."""
        for table, kind in (("notices", "notices"), ("rechecks", "rechecks")):
            rows = self.s.execute(text(
                f"SELECT doc_number, uuid FROM {table} WHERE doc_number IN ("
                f"SELECT doc_number FROM {table} WHERE doc_number IS NOT NULL "
                "GROUP BY doc_number HAVING COUNT(*) > 1) ORDER BY doc_number, uuid")).all()
            groups: dict[str, list[str]] = {}
            for number, uid in rows:
                groups.setdefault(number, []).append(uid)
            for number, uids in groups.items():
                known = list(self.s.scalars(select(SyncConflict).where(
                    SyncConflict.reason == "doc_number", SyncConflict.uuid.in_(uids))))
                if any(set((c.local or {}).get("uuids") or ()) >= set(uids) for c in known):
                    self.result.number_clashes_known += any(c.status == "open" for c in known)
                    continue
                self.result.number_clashes.append(number)
                self.s.add(SyncConflict(kind=kind, uuid=uids[0], reason="doc_number",
                                    local={"doc_number": number, "uuids": uids},
                                    incoming={"doc_number": number, "uuids": uids},
                                    kept="both", package_sha256=self.pkg.sha256,
                                    from_device=self.from_device))
