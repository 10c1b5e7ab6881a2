"""Benchmark: the 督查通报 over 10,000 inspections must take under 15 s.

The data is the demo database at scale 7 (about 10,500 inspections and 250,000 findings), made
once with ``main.py --db PATH demo --scale 7`` and kept at PATH (default: a file in the system
temporary folder; pass another path as the first argument). The figure is the whole
``build_summary_pdf`` — SQL aggregation, snapshot reads for the named items, charts and
layout — over every inspection, and again for one region and one theme. The floor, measured
in the same run, is one plain ``sqlite3`` pass that sums the stored counts of the latest
signed versions: the least any summary must read.

    .venv/bin/python bench/bench_report_summary.py [PATH]
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.db import open_database  # noqa: E402
from reports.data import ReportSelection  # noqa: E402
from reports.summary import build_summary_pdf  # noqa: E402

BUDGET_S = 15.0
SCALE = "7"
FLOOR_SQL = """
SELECT count(*), sum(c.passed), sum(c.partial), sum(c.failed)
FROM inspection_counts c JOIN inspections i ON i.id = c.inspection_id
WHERE i.status = 'signed' AND NOT EXISTS (
    SELECT 1 FROM inspections n WHERE n.series_uuid = i.series_uuid AND n.status = 'signed'
    AND n.version > i.version)
"""


def ensure_demo(path: Path) -> None:
    if path.exists():
        return
    print(f"正在生成演示数据（--scale {SCALE}）：{path}", flush=True)
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(path), "demo",
                    "--scale", SCALE], check=True, cwd=ROOT)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(tempfile.gettempdir()) / "shengyu-bench-demo-x7.sqlite")
    ensure_demo(path)
    conn = sqlite3.connect(path)
    t0 = time.perf_counter()
    n, _passed, _partial, _failed = conn.execute(FLOOR_SQL).fetchone()
    floor = time.perf_counter() - t0
    total = conn.execute("SELECT count(*) FROM inspections").fetchone()[0]
    findings = conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    conn.close()

    db = open_database(path)
    out = Path(tempfile.mkdtemp(prefix="bench-summary-"))
    worst = 0.0
    for label, sel in (("全部", ReportSelection()), ("中宁县", ReportSelection(region="中宁")),
                       ("托育机构消防安全", ReportSelection(theme="托育机构消防安全"))):
        t0 = time.perf_counter()
        with db.session() as s:
            result = build_summary_pdf(s, sel, out / "summary.pdf", as_of=date(2026, 6, 30))
        elapsed = time.perf_counter() - t0
        worst = max(worst, elapsed)
        print(f"  {label:<10} {elapsed:6.2f} s  ({result.pages} 页)")
    db.dispose()
    print(f"summary over {total} inspections ({n} counted, {findings} findings): "
          f"worst {worst:.2f} s, budget < {BUDGET_S:.0f} s; floor (sqlite3 sum of counts) "
          f"{floor * 1000:.0f} ms  {'OK' if worst < BUDGET_S else 'OVER BUDGET'}")
    return 0 if worst < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
