"""Benchmark: recording a finding, from key press to committed row, must take under 10 ms.

Drives the real entry form offscreen with 判定后自动跳到下一未答项 on: each timed step is one
key press (1–4) on the item list, which goes through ``services.findings.record_finding``,
commits its own transaction on a database file (WAL, synchronous=FULL) and moves the cursor to
the next unanswered item (showing its question and details) before the key event returns.
When every item is answered the answers are cleared, untimed, and the walk starts again.
Prints the median and the
95th percentile over the presses next to the budget, and the floor measured in the same run on
the same disk: a bare ``sqlite3`` INSERT + commit with synchronous=FULL, timed between the
presses so that both see the same load.

    .venv/bin/python bench/bench_record_finding.py [--presses N] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

BUDGET_MS = 10.0
KEYS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)


class Floor:
    """A bare sqlite3 INSERT + commit (WAL, synchronous=FULL) on the same disk; timed
    between the key presses, so both see the same load on the disk and the processors."""

    def __init__(self, folder: Path) -> None:
        self.conn = sqlite3.connect(folder / "floor.sqlite", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, result TEXT)")
        self.timings: list[float] = []

    def once(self) -> None:
        start = time.perf_counter()
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO t (code, result) VALUES (?, ?)", ("FXM-A01", "符合"))
        self.conn.execute("COMMIT")
        self.timings.append((time.perf_counter() - start) * 1000)

    def close(self) -> None:
        self.conn.close()


def form_presses(folder: Path, presses: int, floor: Floor | None = None) -> list[float]:
    from gui.context import AppEvents, PageContext
    from gui.inspection.entry_form import EntryForm
    from models.db import open_database
    from services.findings import list_findings
    from tests.services.inspection_fixtures import new_inspection

    db = open_database(folder / "bench.sqlite")
    with db.session() as s:
        inspection_id = new_inspection(s).id
    events = AppEvents()
    form = EntryForm(PageContext(db, events), inspection_id)
    form.auto_advance = True
    form.show()
    committed: list[str] = []
    form.committed.connect(lambda f: committed.append(f.item_code))
    timings = []
    moved = 0
    for i in range(presses):
        if form.entry(form.current_code() or "").finding.answered \
                and form.next_unanswered() is None:
            clear_answers(db, inspection_id)
            form.reload()
            form.select_code(form.model.entry(0).code)
        form.table.setFocus()
        if floor is not None:
            floor.once()
        before, here = len(committed), form.current_code()
        start = time.perf_counter()
        QTest.keyClick(form.table, KEYS[i % 4])
        timings.append((time.perf_counter() - start) * 1000)
        assert len(committed) == before + 1, "a key press did not commit a row"
        moved += form.current_code() != here
    assert moved > presses // 2, "the cursor did not move on after most judgements"
    with db.session() as s:
        assert sum(f.answered for f in list_findings(s, inspection_id)) > 0
    form.close()
    form.deleteLater()
    events.deleteLater()
    db.dispose()
    return timings


def clear_answers(db: object, inspection_id: int) -> None:
    from services.findings import list_findings, record_finding

    with db.session() as s:  # type: ignore[attr-defined]
        for f in list_findings(s, inspection_id):
            if f.answered:
                record_finding(s, inspection_id, f.item_code, result="未检查", value=None,
                               note=None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=240)
    parser.add_argument("--dir", type=Path, default=None,
                        help="folder on the disk to measure (default: a temporary folder)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-record-", dir=args.dir))
    try:
        warm = folder / "warm"
        warm.mkdir()
        form_presses(warm, 12)  # warm-up: imports, first queries
        run = folder / "run"
        run.mkdir()
        floor = Floor(run)
        presses = form_presses(run, args.presses, floor)
        floor.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    del app
    median = statistics.median(presses)
    p95 = statistics.quantiles(presses, n=20)[-1]
    print(f"key presses timed:          {len(presses)} (real entry form, offscreen)")
    print(f"median key press → commit:  {median:7.2f} ms")
    print(f"95th percentile:            {p95:7.2f} ms")
    print(f"budget (median):            {BUDGET_MS:7.2f} ms")
    print(f"floor (bare sqlite3 INSERT + commit, synchronous=FULL, same disk, same run): "
          f"{statistics.median(floor.timings):7.2f} ms median")
    ok = median < BUDGET_MS
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
