"""Benchmark: ``demo --scale N`` must fill 10,000 inspections and 200,000 findings in minutes.

Fills a fresh database at the given scale (default 7: 10,500 inspections) and prints the time
taken and the rows written, next to a floor measured in the same run: a plain
``sqlite3`` ``executemany`` of as many inspection and finding rows (same columns; the
snapshot text stored once and referenced by id, as the app stores it) into bare tables of a
fresh file, in one transaction.

    .venv/bin/python bench/bench_demo.py [SCALE]
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from models.db import open_database
from models.evidence_store import evidence_root
from models.inspection import Finding, Inspection
from services.catalog_store import ensure_bundled_catalog
from services.checklist_snapshot import inspection_snapshot
from services.demo.fill import fill_demo

BUDGET_S = 180.0


def floor(folder: Path, inspections: int, findings: int, snapshot: str) -> float:
    conn = sqlite3.connect(folder / "floor.sqlite")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE s (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, content TEXT)")
    conn.execute("CREATE TABLE i (id INTEGER PRIMARY KEY, uuid TEXT, status TEXT, themes TEXT,"
                 " snapshot_id INTEGER REFERENCES s (id), started_at TEXT)")
    conn.execute("CREATE TABLE f (id INTEGER PRIMARY KEY, uuid TEXT, inspection_id INTEGER,"
                 " item_code TEXT, position INTEGER, answer TEXT, result TEXT, note TEXT,"
                 " answered INTEGER, UNIQUE (inspection_id, item_code))")
    per = max(1, findings // max(inspections, 1))
    start = time.perf_counter()
    with conn:
        conn.execute("INSERT INTO s VALUES (1, ?, ?)", ("0" * 64, snapshot))
        conn.executemany("INSERT INTO i VALUES (?,?,?,?,?,?)",
                         ((n, f"u{n}", "signed", '["母婴设施"]', 1, "2026-01-01")
                          for n in range(inspections)))
        conn.executemany("INSERT INTO f VALUES (?,?,?,?,?,?,?,?,?)",
                         ((n, f"f{n}", n // per, f"C{n % per}", n % per, '{"type":"compliance"}',
                           "符合", None, 1) for n in range(findings)))
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> int:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 7.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "demo.sqlite")
        with db.session() as s:
            ensure_bundled_catalog(s)
        start = time.perf_counter()
        with db.session() as s:
            fill_demo(s, scale=scale, evidence_root=evidence_root(db.path))
        elapsed = time.perf_counter() - start
        with db.session() as s:
            inspections = s.scalar(select(func.count()).select_from(Inspection)) or 0
            findings = s.scalar(select(func.count()).select_from(Finding)) or 0
            first = s.scalars(select(Inspection.id).limit(1)).one()
            snapshot = json.dumps(inspection_snapshot(s, first), ensure_ascii=False)
        size = db.path.stat().st_size / 1e6
        db.dispose()
        base = floor(folder, inspections, findings, snapshot)
    print(f"demo --scale {scale:g}: {inspections} inspections, {findings} findings, "
          f"{size:.0f} MB")
    print(f"  fill            {elapsed:7.1f} s   (budget {BUDGET_S:.0f} s)")
    print(f"  floor (sqlite3) {base:7.1f} s   (executemany of the same rows)")
    print(f"  ratio           {elapsed / base:7.1f} ×")
    return 0 if elapsed <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
