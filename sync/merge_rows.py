"""Writing merged records: new ids, inserts in bulk (:mod:`models.bulk`), updates, evidence
files."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select, text, update

from models.dialect import is_sqlite
from models.evidence_store import (
    StoreError,
    object_path,
    put_stream,
    report_copy_path,
    thumbnail_path,
)
from rules.inspection_status import SIGNED
from services.evidence import ensure_derivatives
from sync.format import PackageError
from sync.kinds import Kind
from sync.merge_base import MergeState, evidence_lock


class RowWriter(MergeState):
    def _new_id(self, kind: Kind, hint: int | None) -> int:
        taken = self.maps.uuid
        if hint is not None and taken(kind.name, hint) is None:
            return hint
        if kind.name not in self.next_id:
            self.next_id[kind.name] = int(self.s.scalar(select(func.max(kind.table.c.id))) or 0)
        while True:
            self.next_id[kind.name] += 1
            if taken(kind.name, self.next_id[kind.name]) is None:
                return self.next_id[kind.name]

    def _sequence_ids(self, kind: Kind, count: int) -> list[int]:
        """``count`` new ids from the table's own sequence (PostgreSQL): several programs may
        import into one server database at once, and none may hand out an id another took."""
        return list(self.s.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                 "FROM generate_series(1, :n)"), {"t": kind.table.name, "n": count}))

    def _insert(self, kind: Kind, objs: list[dict[str, Any]]) -> None:
        rows = []
        fresh = None if is_sqlite(self.s) else iter(self._sequence_ids(kind, len(objs)))
        for obj in objs:
            values = self._row_values(kind, obj, for_update=False)
            values["id"] = (self._new_id(kind, obj.get("id")) if fresh is None
                            else next(fresh))
            self.maps.add(kind.name, obj["uuid"], values["id"])
            rows.append(values)
            self._touch(kind, values)
            if kind.name == "inspections":
                self.status[values["id"]] = values["status"]
        self.bulk.insert(self.s.connection(), kind.table, rows)

    def _update(self, kind: Kind, rows: list[dict[str, Any]]) -> None:
        names = [c for c in rows[0] if c != "_id"]
        stmt = update(kind.table).where(kind.table.c.id == bindparam("_id")).values(
            {n: bindparam(f"v_{n}", type_=kind.table.c[n].type) for n in names})
        for values in rows:
            self._touch(kind, values)
        params = [{"_id": r["_id"], **{f"v_{n}": r[n] for n in names}} for r in rows]
        self.s.execute(stmt.execution_options(synchronize_session=False), params)

    def _meta(self, kind: Kind, local_id: int, vector: dict[str, int]) -> None:
        """Record that the local revision has seen the other one (no content change)."""
        if kind.name == "inspections" and self.status.get(local_id) == SIGNED:
            return
        self.s.execute(update(kind.table).where(kind.table.c.id == local_id)
                       .values(sync_vv=vector).execution_options(synchronize_session=False))

    def _touch(self, kind: Kind, values: dict[str, Any]) -> None:
        if kind.name == "inspections":
            self.touched_inspections.add(values.get("id") or values["_id"])
        elif kind.name == "findings":
            self.touched_inspections.add(values["inspection_id"])

    def _flush_deferred(self) -> None:
        """Inspections are updated after their locked children: once signed, those rows can
        no longer change (the database's triggers), so they change first."""
        for kind, rows in self.deferred:
            self._update(kind, rows)
            for values in rows:
                self.status[values["_id"]] = values["status"]
        self.deferred = []

    def _files(self, kind: Kind, objs: list[dict[str, Any]]) -> None:
        for obj in objs:
            data = obj["data"]
            if kind.name in ("evidence", "notice_attachments") and data.get("sha256"):
                self._file(data["sha256"], data.get("ext") or "",
                           photo=data.get("kind") == "photo")
            elif kind.name == "signatures" and data.get("image_sha256"):
                self._file(data["image_sha256"], ".png", photo=False)

    def _file(self, sha: str, ext: str, *, photo: bool) -> None:
        if self.file_locks is not None:  # on a server: see merge_base.EVIDENCE_LOCKS
            key = evidence_lock(sha)
            if key not in self.file_locks:
                self.s.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": key})
                self.file_locks.add(key)
        target = object_path(self.root, sha, ext)
        if target.is_file():
            return
        name = f"evidence/{sha}{ext}"
        if name not in self.pkg.names:
            raise PackageError(f"数据包缺少记录所引用的照片或附件文件（{sha[:12]}…{ext}），"
                               "本机也没有，数据包不完整。")
        if self.dry_run:
            return
        try:
            with self.pkg.open(name) as fh:
                put_stream(self.root, fh, ext, self.max_evidence, expect=sha)
        except StoreError as exc:
            raise PackageError(f"照片或附件文件 {sha[:12]}… 无法写入：{exc}") from None
        self.result.written_files.append(target)
        if photo:
            copies = [p for p in (thumbnail_path(self.root, sha), report_copy_path(self.root, sha))
                      if not p.exists()]
            made = ensure_derivatives(self.root, sha, ext)
            self.result.written_files.extend(p for p in copies if p.exists())
            if not made:
                self.result.warnings.append(f"照片 {sha[:12]}… 不是可读的图片，未生成缩略图。")

    # ----------------------------------------------------------------------- the rest
