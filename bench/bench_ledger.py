"""Benchmark: the 台账 over 10,000 inspections / 200,000 findings must take under 15 s.

The data is the demo database that ``bench_report_summary.py`` uses (scale 7: about 10,500
inspections and 250,000 findings), made once with ``main.py --db PATH demo --scale 7`` and kept
at PATH (default: a file in the system temporary folder; pass another path as the first
argument). The figure is the whole ``build_ledger_xlsx`` over every inspection: SQL, the four
sheets and the saved file. The floor, measured in the same run, is a minimal openpyxl
write-only script that writes as many rows and columns of plain values (no styles, no dates,
no SQL) to the three data sheets.

    .venv/bin/python bench/bench_ledger.py [PATH]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_report_summary import ensure_demo  # noqa: E402  (this folder is sys.path[0])

from models.db import open_database  # noqa: E402
from reports.data import ReportSelection  # noqa: E402
from reports.ledger import (  # noqa: E402
    FINDING_COLUMNS,
    INSPECTION_COLUMNS,
    NOTICE_COLUMNS,
    build_ledger_xlsx,
)

BUDGET_S = 15.0


def floor_script(out: Path, shape: list[tuple[str, int, int]]) -> float:
    """openpyxl write-only, plain values, the same sheets × rows × columns; seconds."""
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows, columns in shape:
        ws = wb.create_sheet(title)
        row = [i if i % 2 else "宁安镇某单位" for i in range(columns)]
        for _ in range(rows + 1):
            ws.append(row)
    wb.save(out)
    return time.perf_counter() - start


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(tempfile.gettempdir()) / "shengyu-bench-demo-x7.sqlite")
    ensure_demo(path)
    out = Path(tempfile.mkdtemp(prefix="bench-ledger-"))

    db = open_database(path)
    start = time.perf_counter()
    with db.session() as s:
        result = build_ledger_xlsx(s, ReportSelection(), out / "台账.xlsx",
                                   as_of=date(2026, 6, 30))
    elapsed = time.perf_counter() - start
    db.dispose()
    size = (out / "台账.xlsx").stat().st_size

    shape = [("检查台账", result.inspections, len(INSPECTION_COLUMNS)),
             ("检查结果台账", result.findings, len(FINDING_COLUMNS)),
             ("整改台账", result.notices, len(NOTICE_COLUMNS))]
    floor = floor_script(out / "floor.xlsx", shape)
    cells = sum(rows * cols for _, rows, cols in shape)

    ok = elapsed < BUDGET_S
    print(f"ledger: {result.inspections} inspections, {result.findings} findings, "
          f"{result.notices} notices, {result.draws} draws ({cells:,} cells, "
          f"{size / 1e6:.1f} MB)")
    print(f"build_ledger_xlsx:                      {elapsed:7.2f} s   budget < {BUDGET_S:.0f} s")
    print(f"floor (openpyxl write-only, plain values): {floor:7.2f} s")
    print(f"ratio ledger / floor:                   {elapsed / floor:7.2f}")
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
