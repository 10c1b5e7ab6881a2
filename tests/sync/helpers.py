"""Laptops for the exchange tests: each its own database, device id, key and evidence folder,
and a way to make packages that pass the signature but carry something else inside."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.db import Database
from models.system import DEVICE_ID
from services.settings import JURISDICTION, ORG_CODE, ORG_DEPARTMENT, ORGANISATION, set_setting
from sync import keys
from sync.export import ExportResult, ExportSelection, export_package
from sync.importer import ImportReport, import_package
from sync.package import append_trailer
from sync.records import content_hashes
from tests import engines


@dataclass
class Laptop:
    name: str
    db: Database
    key: keys.DeviceKey
    folder: Path

    def export(self, name: str = "out.sypkg", selection: ExportSelection | None = None,
               **kwargs: Any) -> ExportResult:
        with self.db.session() as s:
            return export_package(s, self.folder / name, selection or ExportSelection(),
                                  key=self.key, evidence_root=self.db.evidence_root, **kwargs)

    def import_(self, *paths: Path, **kwargs: Any) -> ImportReport:
        kwargs.setdefault("trust_unknown", True)
        kwargs.setdefault("receipt_dir", self.folder / "receipts")
        return import_package(self.db, list(paths), key=self.key, **kwargs)

    def hashes(self) -> dict[str, str]:
        with self.db.session() as s:
            return content_hashes(s)

    def close(self) -> None:
        self.db.dispose()


def laptop(folder: Path, name: str, template: Path | None = None, *,
           jurisdiction: str | None = None, org: str | None = None) -> Laptop:
    """A fresh installation: its own database (with the catalog when ``template`` is given),
    its own device id and key, and an organisation in the jurisdiction."""
    db = engines.fresh_database(folder, name, template)
    device = str(uuid.uuid4())
    with db.session() as s:
        set_setting(s, DEVICE_ID, device)
        if jurisdiction:
            set_setting(s, JURISDICTION, jurisdiction)
        set_setting(s, ORGANISATION, org or f"中宁县卫生健康局（{name}）")
        set_setting(s, ORG_CODE, "中宁")
        set_setting(s, ORG_DEPARTMENT, "卫生健康")
    db.device_id = device
    return Laptop(name, db, keys.load_or_create(folder / f"{name}-keys"), folder)


def db_bytes(db: Database) -> str:
    """A hash of the database's content: the file's bytes as SQLite would read it (after a
    checkpoint); on a server, every row of every table."""
    if db.path is None:
        return _server_rows_hash(db)
    conn = sqlite3.connect(db.path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return hashlib.sha256(db.path.read_bytes()).hexdigest()


def _server_rows_hash(db: Database) -> str:
    from sqlalchemy import inspect, text

    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            digest.update(table.encode())
            rows = sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{table}"')))
            digest.update("\n".join(rows).encode())
    return digest.hexdigest()


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def repack(source: Path, target: Path, *, key: keys.DeviceKey | None,
           members: Mapping[str, bytes | None] | None = None,
           manifest: Callable[[dict[str, Any]], None] | None = None,
           extra: Mapping[str, bytes] | None = None, keep_hashes: bool = False) -> Path:
    """A copy of a package with members replaced (bytes), removed (None) or added, the manifest
    edited, the member hashes recomputed (unless ``keep_hashes``) and signed with ``key``."""
    members = dict(members or {})
    with zipfile.ZipFile(source) as zf:
        body = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
        data = json.loads(zf.read("manifest.json"))
    for name, value in members.items():
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    listed = dict(body)
    for name, value in (extra or {}).items():
        body[name] = value  # present in the zip, not necessarily in the manifest
    if not keep_hashes:
        data["members"] = {n: {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
                           for n, b in sorted(listed.items())}
    if key is not None:
        data["device"]["public_key"] = key.public_hex
        data["device"]["fingerprint"] = key.fingerprint
    else:  # an unsigned package, as another tool might write it
        data["device"].pop("public_key", None)
        data["device"].pop("fingerprint", None)
    if manifest is not None:
        manifest(data)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", raw)
        for name, value in body.items():
            zf.writestr(name, value)
    if key is not None:
        append_trailer(target, key)
    return target


def read_member(package: Path, name: str) -> bytes:
    with zipfile.ZipFile(package) as zf:
        return zf.read(name)
