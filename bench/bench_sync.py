"""Benchmark: export, and import into an empty database, of a package of about 10,000
inspections and 200,000 findings (the demo database at ``--scale 7``).

Budget: the import at most 3× its floor, a plain ``sqlite3`` ``executemany`` of the same rows
into an empty database of the same schema, measured in the same run; importing the same
package again faster than the first import; memory under 500 MB throughout (the package is
streamed, never held whole). The export is reported beside the same floor.

The import is the whole ``import_package``: hashing the file, checking every member's hash
and the signature, validating every record against the schema, the backup, the merge in one
transaction, the counts, the import log and the signed receipt. A second figure re-imports
the same records from another package (not short-circuited by the package's hash), which
compares every record with its local revision.

    .venv/bin/python bench/bench_sync.py [PATH]
"""

from __future__ import annotations

import json
import resource
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

from models.db import open_database  # noqa: E402
from services.catalog_store import ensure_bundled_catalog  # noqa: E402
from sync import keys  # noqa: E402
from sync.export import ExportSelection, export_package  # noqa: E402
from sync.importer import import_package  # noqa: E402
from sync.kinds import KINDS  # noqa: E402

SCALE = "7"
BUDGET_RATIO = 3.0
BUDGET_MB = 500


def ensure_demo(path: Path) -> None:
    if path.exists():
        return
    print(f"正在生成演示数据（--scale {SCALE}）：{path}", flush=True)
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), "demo",
                    "--scale", SCALE], check=True, cwd=ROOT)


def empty_copy(template: Path, target: Path) -> Path:
    """A migrated database with the catalog and nothing else."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return target


def floor(source: Path, target: Path) -> tuple[float, int]:
    """Copy the same rows (every travelling table, plus the stored counts) with executemany."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=FULL")
    dst.execute("PRAGMA foreign_keys=OFF")
    tables = [k.name for k in KINDS] + ["inspection_counts"]
    data = {}
    for table in tables:
        cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
        where = " WHERE role = 'assigned'" if table == "measure_units" else ""
        rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}{where}").fetchall()
        data[table] = (cols, rows)
    src.close()
    total = 0
    started = time.perf_counter()
    with dst:
        for table, (cols, rows) in data.items():
            marks = ", ".join("?" for _ in cols)
            dst.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)
            total += len(rows)
    elapsed = time.perf_counter() - started
    dst.close()
    return elapsed, total


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, source: Path, work: Path) -> dict[str, Any]:
    """One measured step, in its own process so that its memory is its own."""
    if name == "floor":
        seconds, rows = floor(source, empty_copy(work / "template.sqlite",
                                                 work / "floor.sqlite"))
        return {"seconds": seconds, "rows": rows}
    if name in ("export", "again"):
        db = open_database(source)
        key = keys.load_or_create(work / "key-a")
        started = time.perf_counter()
        with db.session() as s:
            result = export_package(s, work / f"{name}.sypkg", ExportSelection(), key=key,
                                    evidence_root=db.evidence_root)
        seconds = time.perf_counter() - started
        db.dispose()
        return {"seconds": seconds, "rss_mb": rss_mb(), "total": result.total,
                "counts": result.counts, "size": result.size_bytes}
    target_path = work / "target.sqlite"
    if name == "import":
        empty_copy(work / "template.sqlite", target_path)
    package = work / ("export.sypkg" if name in ("import", "repeat") else "again.sypkg")
    target = open_database(target_path)
    receiver = keys.load_or_create(work / "key-b")
    started = time.perf_counter()
    report = import_package(target, [package], trust_unknown=True, key=receiver,
                            receipt_dir=work)
    seconds = time.perf_counter() - started
    target.dispose()
    return {"seconds": seconds, "rss_mb": rss_mb(), "new": report.total("new"),
            "unchanged": report.total("unchanged"),
            "already": report.already_imported_at is not None}


def run(name: str, source: Path, work: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--phase", name, str(source), str(work)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(phase(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))))
        return 0
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(tempfile.gettempdir()) / "shengyu-bench-demo-x7.sqlite")
    ensure_demo(source)
    work = Path(tempfile.mkdtemp(prefix="shengyu-bench-sync-"))
    try:
        template = work / "template.sqlite"
        db = open_database(template)
        with db.session() as s:
            ensure_bundled_catalog(s)
        db.dispose()
        with sqlite3.connect(template) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fl = run("floor", source, work)
        ex = run("export", source, work)
        run("again", source, work)
        im = run("import", source, work)
        rep = run("repeat", source, work)
        same = run("same", source, work)

        counts = ex["counts"]
        print(f"package: {counts.get('inspections', 0)} inspections, "
              f"{counts.get('findings', 0)} findings, {ex['total']} records, "
              f"{ex['size'] / 1024 / 1024:.1f} MB")
        floor_s = fl["seconds"]
        print(f"floor (sqlite3 executemany of the same {fl['rows']} rows):  {floor_s:7.2f} s")
        print(f"export:                                            {ex['seconds']:7.2f} s  "
              f"({ex['seconds'] / floor_s:.1f}x the floor)")
        ratio = im["seconds"] / floor_s
        print(f"import into an empty database:                     {im['seconds']:7.2f} s  "
              f"({ratio:.2f}x the floor, budget <= {BUDGET_RATIO:.0f}x)")
        print(f"import of the same package again:                  {rep['seconds']:7.2f} s  "
              f"({'already imported' if rep['already'] else 'merged'})")
        print(f"import of the same records in another package:     {same['seconds']:7.2f} s  "
              f"(unchanged {same['unchanged']}, compared record by record)")
        peak = max(ex["rss_mb"], im["rss_mb"], rep["rss_mb"], same["rss_mb"])
        print(f"peak memory: export {ex['rss_mb']:.0f} MB, import {im['rss_mb']:.0f} MB, "
              f"re-import {same['rss_mb']:.0f} MB (budget < {BUDGET_MB} MB)")
        ok = (ratio <= BUDGET_RATIO and rep["seconds"] < im["seconds"] and peak < BUDGET_MB
              and im["new"] == ex["total"])
        print("OK" if ok else "OVER BUDGET")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
