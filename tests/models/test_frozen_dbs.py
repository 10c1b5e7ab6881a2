"""Every released schema's database opens in this version, upgrades, and keeps every row.

The files in tests/data/db were written by tests/data/db/freeze.py when their schema was
released; they are never regenerated. Each is copied, opened through the app's normal path
(which backs it up and migrates it), and compared row by row with the copy it started from.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zlib
from collections import Counter
from pathlib import Path

import pytest

from models.db import head_revision, open_database
from services.catalog import search_measures
from services.catalog_store import ensure_bundled_catalog
from sync.history import import_history, import_record
from tests.conftest import ROOT
from tests.services.inspection_fixtures import list_columns_drift

FROZEN = sorted((ROOT / "tests" / "data" / "db").glob("schema-*.sqlite"))

#: Columns that later migrations moved elsewhere, each checked by its own comparison:
#: the inspection's checklist snapshot went to ``checklist_snapshots`` in 0008.
MOVED = {"inspections": {"checklist"}}


def _snapshot_hashes(conn: sqlite3.Connection) -> dict[str, str]:
    """Inspection uuid -> SHA-256 of its checklist snapshot's canonical JSON, wherever the
    schema keeps it."""
    columns = {c[1] for c in conn.execute('PRAGMA table_info("inspections")')}
    if not columns:
        return {}
    if "checklist" in columns:
        rows = [(u, json.loads(t)) for u, t in
                conn.execute("SELECT uuid, checklist FROM inspections")]
    else:  # the frame, with its items put back
        items = dict(conn.execute("SELECT id, content FROM checklist_snapshot_items"))
        rows = []
        for uuid, frame in conn.execute("SELECT i.uuid, s.frame FROM inspections i "
                                        "JOIN checklist_snapshots s ON s.id = i.snapshot_id"):
            value = json.loads(zlib.decompress(frame))
            value["items"] = [json.loads(items[r]) for r in value["items"]]
            rows.append((uuid, value))
    return {uuid: hashlib.sha256(_canonical(value)).hexdigest() for uuid, value in rows}


def _canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Ordinary tables (not SQLite's own, not the full-text index's shadow tables)."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'measure_search%' AND name != 'alembic_version' ORDER BY name")]
    return {n: [c[1] for c in conn.execute(f'PRAGMA table_info("{n}")')] for n in names}


def _rows(conn: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    cols = ", ".join(f'"{c}"' for c in columns)
    return conn.execute(f'SELECT {cols} FROM "{table}" ORDER BY rowid').fetchall()


def test_frozen_copies_exist_for_the_released_schemas() -> None:
    names = {p.name for p in FROZEN}
    assert {"schema-0001.sqlite", "schema-0002.sqlite", "schema-0004.sqlite",
            "schema-0005.sqlite", "schema-0006.sqlite", "schema-0007.sqlite"} <= names


@pytest.mark.parametrize("frozen", FROZEN, ids=lambda p: p.stem)
def test_a_released_database_upgrades_without_losing_anything(frozen: Path,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite"
    shutil.copyfile(frozen, path)
    before_conn = sqlite3.connect(frozen)
    try:
        revision = before_conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        before = {t: (cols, _rows(before_conn, t, cols))
                  for t, cols in ((t, [c for c in cols if c not in MOVED.get(t, ())])
                                  for t, cols in _tables(before_conn).items())}
        snapshots_before = _snapshot_hashes(before_conn)
        assert snapshots_before or "inspections" not in before, "frozen copies hold inspections"
    finally:
        before_conn.close()
    assert before["policy_documents"][1], "the frozen copy should hold the catalog"

    db = open_database(path, backup_dir=tmp_path / "backups")
    try:
        backups = list((tmp_path / "backups").glob("*.sqlite"))
        if revision != head_revision():
            assert len(backups) == 1, "a pending migration must be preceded by a backup"
        with db.session() as s:
            assert ensure_bundled_catalog(s) == 0  # same ids: nothing re-imported
            assert search_measures(s, "托育服务"), "full-text search survives the upgrade"
            # a package imported before its import's notes were kept is read again by its
            # counts (0011)
            for entry in import_history(s):
                record = import_record(s, entry.id)
                assert record is not None and not record.kept and record.counts
    finally:
        db.dispose()

    after_conn = sqlite3.connect(path)
    try:
        assert after_conn.execute(
            "SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        assert after_conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert after_conn.execute("PRAGMA foreign_key_check").fetchall() == []
        after_tables = _tables(after_conn)
        for table, (cols, rows) in before.items():
            assert table in after_tables, f"table {table} disappeared"
            assert set(cols) <= set(after_tables[table]), f"columns of {table} disappeared"
            after_rows = Counter(_rows(after_conn, table, cols))
            lost = Counter(rows) - after_rows  # the app may add rows on opening, never drop one
            assert not lost, f"rows of {table} lost or changed: {list(lost)[:3]}"
        # every inspection keeps exactly the snapshot it had; identical ones are stored once
        snapshots_after = _snapshot_hashes(after_conn)
        assert {u: snapshots_after.get(u) for u in snapshots_before} == snapshots_before
        if "checklist_snapshots" in after_tables:
            stored = after_conn.execute("SELECT sha256, content FROM checklist_snapshot_items")
            for sha, text in stored:  # each item named by the hash of its text, once
                assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha
            named = {sha for (sha,) in after_conn.execute(
                "SELECT sha256 FROM checklist_snapshots")}
            assert named == set(snapshots_after.values())
            distinct = after_conn.execute("SELECT count(*) FROM checklist_snapshots").fetchone()
            assert distinct[0] == len(set(snapshots_after.values()))
        # the list's stored rate and superseded flag were back-filled (0009)
        if snapshots_before:
            assert after_conn.execute("SELECT count(*) FROM inspection_counts").fetchone()[0]
        assert list_columns_drift(path) == []
    finally:
        after_conn.close()
