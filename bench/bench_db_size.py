"""Benchmark: the database holds the demo data at scale 25 (about a million findings) in at most
600 bytes per finding.

Builds the demo database once (``main.py --db X demo --scale 25``, a few minutes) and keeps it
in the temporary folder for later runs, keyed by the schema revision; then prints the file's
bytes per finding next to the budget and to a floor measured on the same file: the pages of the
``findings`` table alone (its rows, without any index), i.e. what the findings themselves take
however the rest is stored. The largest tables and indexes follow, from SQLite's ``dbstat``.

    .venv/bin/python bench/bench_db_size.py [SCALE] [--db PATH]
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_BYTES = 600.0
SCALE = 25.0
CACHE = Path(tempfile.gettempdir()) / "shengyu-bench"


def demo_database(scale: float) -> Path:
    """The demo database at ``scale`` for the current schema, built if not cached."""
    from models.db import head_revision

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-scale{scale:g}-{head_revision()}.sqlite"
    if path.exists():
        return path
    partial = path.with_suffix(".building.sqlite")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "SHENGYU_DATA_DIR": str(CACHE / "data"),
           "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(partial), "demo",
                    "--scale", f"{scale:g}"], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    checkpoint(partial)
    partial.rename(path)
    print(f"built {path.name} in {time.perf_counter() - start:.0f} s")
    return path


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def main() -> int:
    args = sys.argv[1:]
    db_path = None
    if "--db" in args:
        at = args.index("--db")
        db_path = Path(args[at + 1])
        del args[at:at + 2]
    scale = float(args[0]) if args else SCALE
    path = db_path or demo_database(scale)
    checkpoint(path)
    conn = sqlite3.connect(path)
    try:
        findings = conn.execute("SELECT count(*) FROM findings").fetchone()[0]
        inspections = conn.execute("SELECT count(*) FROM inspections").fetchone()[0]
        snapshots = conn.execute("SELECT count(*) FROM checklist_snapshots").fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        sizes = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name "
                             "ORDER BY 2 DESC").fetchall()
    finally:
        conn.close()
    size = path.stat().st_size
    used = (pages - free) * page
    floor = dict(sizes).get("findings", 0)
    per = size / max(findings, 1)
    print(f"{path.name}: {inspections} inspections, {findings} findings, "
          f"{snapshots} distinct checklist snapshots")
    print(f"file size:                 {size / 1e6:9.1f} MB  ({used / 1e6:.1f} MB in use)")
    print(f"bytes per finding:         {per:9.1f}     (budget {BUDGET_BYTES:.0f})")
    print(f"floor (findings rows only):{floor / max(findings, 1):9.1f}     "
          f"ratio {size / max(floor, 1):.2f} ×")
    print("largest tables and indexes (bytes per finding):")
    for name, bytes_ in sizes[:8]:
        print(f"  {name:40s} {bytes_ / max(findings, 1):8.1f}")
    ok = per <= BUDGET_BYTES
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
