"""Benchmark: the demo fill, through the bulk inserts an import uses, within 3× of a plain
``executemany`` of the same rows.

Fills a fresh database (the bundled catalog already loaded) at the given scale (default 7:
10,500 inspections, some 300,000 findings) and prints, each measured in a fresh process of
the same run:

- fill: the whole ``fill_demo`` and its commit (units, roster, a checklist generated per unit,
  inspections, officers, findings, counts, signatures, notices, draws), and the CPU time of
  it spent in :class:`models.bulk.BulkInserter` (the path an import writes its rows through);
- the same fill with the bulk path binding through SQLAlchemy Core,
  ``connection.execute(insert(table), rows)`` (the path a driver with named parameters takes);
- floor: a plain ``sqlite3`` ``executemany`` of the same rows - every row the fill added, read
  back from its database - into a copy of the same starting database (same schema, indexes
  and triggers; the program's write-ahead log, full sync and page cache; its foreign keys
  enforced, as the program's connection enforces them, checked at the commit so that the
  tables can go in any order; ``INSERT OR REPLACE`` only into the settings and the other
  tables that held rows before), in one transaction, with the share of it for the tables the
  bulk path writes; the median of three runs, one before and two after the second fill (the
  machine's other work makes single figures vary). The same floor with foreign keys not
  checked at all is printed beside it (one run): what checking them costs any writer.

Each figure is given elapsed and in CPU time of its process: on a shared machine the elapsed
times move with the other work, the CPU times much less. The budget is on elapsed time.

    .venv/bin/python bench/bench_demo.py [SCALE]
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_RATIO = 3.0
BUDGET_S = 180.0
SKIP = ("sqlite_", "alembic_version", "measure_search")  # bookkeeping, the catalog's FTS index


def fresh_copy(template: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def checkpoint(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fill(work: Path, scale: float, core: bool) -> dict[str, Any]:
    """One fill in this process; the time in the bulk path and the tables it wrote."""
    import models.bulk
    from models.db import open_database
    from services.demo.fill import fill_demo

    spent = [0.0]
    tables: dict[str, int] = {}
    insert = models.bulk.BulkInserter.insert

    def timed(self: Any, connection: Any, table: Any, rows: Any, names: Any = None) -> None:
        started = time.process_time()
        insert(self, connection, table, rows, names)
        spent[0] += time.process_time() - started
        tables[table.name] = tables.get(table.name, 0) + len(rows)

    models.bulk.BulkInserter.insert = timed  # type: ignore[method-assign]
    if core:
        models.bulk._plan = lambda *args: None
    path = fresh_copy(work / "template.sqlite", work / ("core.sqlite" if core else "demo.sqlite"))
    db = open_database(path)
    started, cpu = time.perf_counter(), time.process_time()
    with db.session() as s:
        fill_demo(s, scale=scale, evidence_root=db.evidence_root)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.dispose()
    checkpoint(path)
    return {"seconds": elapsed, "cpu": cpu, "bulk": spent[0], "tables": tables,
            "mb": path.stat().st_size / 1e6}


Rows = dict[str, tuple[list[str], list[tuple[Any, ...]], bool]]


def added_rows(demo: Path, template: Path) -> Rows:
    """Every row the fill added (or changed), per table, as sqlite3 reads it, and whether the
    table held rows before (the settings: changed rows replace the old ones)."""
    conn = sqlite3.connect(demo)
    conn.execute("ATTACH DATABASE ? AS before", (str(template),))
    names = [r[0] for r in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")]
    out = {}
    for table in names:
        if table.startswith(SKIP):
            continue
        cols = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')]
        listed = ", ".join(f'"{c}"' for c in cols)
        rows = conn.execute(f'SELECT {listed} FROM main."{table}" EXCEPT '
                            f'SELECT {listed} FROM before."{table}"').fetchall()
        if rows:
            held = conn.execute(f'SELECT 1 FROM before."{table}" LIMIT 1').fetchone()
            out[table] = (cols, rows, held is not None)
    conn.close()
    return out


def floor(work: Path, bulk_tables: list[str], foreign_keys: bool = True) -> dict[str, Any]:
    data = added_rows(work / "demo.sqlite", work / "template.sqlite")
    conn = sqlite3.connect(fresh_copy(work / "template.sqlite", work / "floor.sqlite"))
    # the program's own connection settings, so that the floor differs only in how rows are
    # bound and sent: the write-ahead log, full sync, the same page cache, foreign keys
    from models.db import PAGE_CACHE_KIB

    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    per: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    with conn:
        # checked at the commit: the tables go in name order, parents not always first
        conn.execute("PRAGMA defer_foreign_keys=ON")
        for table, (cols, rows, held) in data.items():
            t = time.process_time()
            conn.executemany(f'INSERT {"OR REPLACE " if held else ""}INTO "{table}" '
                             f'({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})',
                             rows)
            per[table] = time.process_time() - t
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    return {"seconds": elapsed, "cpu": cpu, "rows": sum(len(r) for _, r, _ in data.values()),
            "tables": len(data), "bulk_cpu": sum(per.get(t, 0.0) for t in bulk_tables),
            "bulk_rows": sum(len(data[t][1]) for t in bulk_tables if t in data)}


def run(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--phase", *args], check=True,
                          capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        name, work = sys.argv[2], Path(sys.argv[3])
        if name in ("floor", "floor-unchecked"):
            print(json.dumps(floor(work, json.loads(sys.argv[4]), name == "floor")))
        else:
            print(json.dumps(fill(work, float(sys.argv[4]), core=name == "core")))
        return 0
    from models.db import open_database
    from services.catalog_store import ensure_bundled_catalog

    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 7.0
    with tempfile.TemporaryDirectory(prefix="shengyu-bench-demo-") as tmp:
        work = Path(tmp)
        db = open_database(work / "template.sqlite")
        with db.session() as s:
            ensure_bundled_catalog(s)
        db.dispose()
        checkpoint(work / "template.sqlite")
        demo = run("fill", str(work), str(scale))
        tables = json.dumps(sorted(demo["tables"]))
        floors = [run("floor", str(work), tables)]
        core = run("core", str(work), str(scale))
        floors += [run("floor", str(work), tables) for _ in range(2)]
        unchecked = run("floor-unchecked", str(work), tables)
        base = sorted(floors, key=lambda f: f["seconds"])[1]  # the median of three
        conn = sqlite3.connect(work / "demo.sqlite")
        inspections, findings = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                 for t in ("inspections", "findings"))
        conn.close()
    ratio = demo["seconds"] / base["seconds"]
    cpu_ratio = demo["cpu"] / base["cpu"]
    bulk_rows = sum(demo["tables"].values())
    print(f"demo --scale {scale:g}: {inspections} inspections, {findings} findings; "
          f"{base['rows']} rows in {base['tables']} tables, {demo['mb']:.0f} MB")
    print("                        elapsed      CPU")
    print(f"  fill                  {demo['seconds']:7.2f} s {demo['cpu']:7.2f} s   "
          f"({ratio:.2f}× the floor elapsed, {cpu_ratio:.2f}× in CPU; "
          f"budget ≤ {BUDGET_RATIO:.0f}×)")
    print(f"  fill, Core binding    {core['seconds']:7.2f} s {core['cpu']:7.2f} s   "
          f"({core['seconds'] / base['seconds']:.2f}×, {core['cpu'] / base['cpu']:.2f}×; "
          "connection.execute(insert(table), rows))")
    print(f"  floor                 {base['seconds']:7.2f} s {base['cpu']:7.2f} s   "
          f"(sqlite3 executemany of the same rows; median of "
          f"{', '.join(format(f['seconds'], '.2f') for f in floors)} s)")
    print(f"  floor, foreign keys   {unchecked['seconds']:7.2f} s {unchecked['cpu']:7.2f} s   "
          f"(not checked: the fill is {demo['seconds'] / unchecked['seconds']:.2f}× it)")
    print(f"  the {bulk_rows} rows of the bulk path "
          f"({', '.join(sorted(demo['tables']))}), in CPU:")
    print(f"    bulk path           {demo['bulk']:7.2f} s   "
          f"({demo['bulk'] / base['bulk_cpu']:.2f}× their floor)")
    print(f"    Core binding        {core['bulk']:7.2f} s   "
          f"({core['bulk'] / base['bulk_cpu']:.2f}× their floor)")
    print(f"    floor               {base['bulk_cpu']:7.2f} s")
    ok = ratio <= BUDGET_RATIO and demo["seconds"] <= BUDGET_S
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
