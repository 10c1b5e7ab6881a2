"""Benchmark: the inspections list over 100,000 findings must open and filter in under 200 ms,
and the process must stay under 400 MB.

A child process builds a database with 5,000 inspections × 20 findings (plus their stored
counts) through SQLAlchemy Core inserts into the real, migrated schema. This process then
times, best of several rounds: building the 现场检查 page (its lazy model counts the rows and
fetches the first window), applying a status filter, and sorting by 符合率. Next to them it
prints a floor measured in the same run — the bare sqlite3 query for the first window — and
what counting findings per row instead of reading stored counts would cost.

    .venv/bin/python bench/bench_inspection_list.py [--keep DB]
"""

from __future__ import annotations

import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BUDGET_MS = 200.0
BUDGET_MB = 400.0
INSPECTIONS = 5_000
ITEMS = 20
ENTITIES = 400
ROUNDS = 5
THEMES = (["母婴设施"], ["女职工劳动保护"], ["托育机构消防安全"], ["母婴设施", "女职工劳动保护"])
REGIONS = ("640521", "640502", "640522", "610300", "620400", "450223")


def build(path: Path) -> None:
    """The database: entities, inspections, findings and inspection_counts, fast."""
    from sqlalchemy import insert

    from models.db import open_database
    from models.inspection import Finding, Inspection, InspectionCounts
    from models.registry import Entity
    from rules.inspection_status import FAIL, NOT_APPLICABLE, NOT_CHECKED, PARTIAL, PASS

    rnd = random.Random(7)
    db = open_database(path)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    results = (PASS, PASS, PASS, FAIL, PARTIAL, NOT_APPLICABLE, NOT_CHECKED)
    with db.session() as s:
        s.execute(insert(Entity), [
            {"uuid": str(uuid.uuid4()), "name": f"演示单位{i:04d}", "type_code": "enterprise",
             "facts": {}, "region_code": REGIONS[i % len(REGIONS)], "demo": True,
             "created_at": now, "updated_at": now} for i in range(ENTITIES)])
        s.execute(insert(Inspection), [
            {"uuid": str(uuid.uuid4()), "series_uuid": str(uuid.uuid4()), "version": 1,
             "entity_id": 1 + i % ENTITIES, "kind": ("执法检查", "督查", "自查")[i % 3],
             "status": ("draft", "completed", "signed")[rnd.randrange(3)], "demo": True,
             "themes": THEMES[i % len(THEMES)], "checklist_hash": "0" * 64, "checklist": {},
             "started_at": now - timedelta(hours=7 * i), "created_at": now, "updated_at": now,
             "party_statement": "以上记录属实"} for i in range(INSPECTIONS)])
        findings, counts = [], []
        for insp in range(1, INSPECTIONS + 1):
            tally = {PASS: 0, FAIL: 0, PARTIAL: 0, NOT_APPLICABLE: 0}
            answered = 0
            for pos in range(ITEMS):
                result = rnd.choice(results)
                if result != NOT_CHECKED:
                    tally[result] += 1
                    answered += 1
                findings.append({
                    "uuid": str(uuid.uuid4()), "inspection_id": insp,
                    "item_code": f"ITEM-{pos:02d}", "position": pos, "theme": "母婴设施",
                    "answer_type": "compliance", "department": "卫生健康",
                    "text_hash": "0" * 64, "answer": {"type": "compliance"},
                    "require_on_fail": "note_or_photo", "result": result,
                    "answered": result != NOT_CHECKED, "updated_at": now})
            counts.append({"inspection_id": insp, "total": ITEMS, "answered": answered,
                           "passed": tally[PASS], "failed": tally[FAIL],
                           "partial": tally[PARTIAL], "not_applicable": tally[NOT_APPLICABLE]})
        s.execute(insert(Finding), findings)
        s.execute(insert(InspectionCounts), counts)
    db.dispose()


def best_ms(fn: object, rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build(Path(sys.argv[2]))
        return 0
    keep = Path(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[1] == "--keep" else None
    tmp = tempfile.TemporaryDirectory()
    path = keep or Path(tmp.name) / "bench.sqlite"
    if not path.exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(path)], check=True)
        print(f"built {INSPECTIONS} inspections × {ITEMS} findings "
              f"in {time.perf_counter() - start:.1f} s")

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from gui.context import AppEvents, PageContext
    from gui.pages.inspections import InspectionsPage
    from models.db import open_database

    app = QApplication.instance() or QApplication([])
    db = open_database(path)
    events = AppEvents()
    ctx = PageContext(db=db, events=events)
    with db.session() as s:
        findings = s.connection().exec_driver_sql("SELECT count(*) FROM findings").scalar()
    pages: list[InspectionsPage] = []

    def open_page() -> None:
        page = InspectionsPage(ctx)
        pages.append(page)

    start = time.perf_counter()
    open_page()  # the first open also pays for imports and caches
    cold_ms = (time.perf_counter() - start) * 1000
    open_ms = best_ms(open_page)
    page = pages[-1]
    assert page.model.rowCount() > 0

    def status_filter() -> None:
        page.status_combo.setCurrentIndex(page.status_combo.findData("completed"))
        page.status_combo.setCurrentIndex(page.status_combo.findData("signed"))

    filter_ms = best_ms(status_filter) / 2

    flip = [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]

    def sort() -> None:
        flip.reverse()
        page.table.sortByColumn(6, flip[0])

    sort_ms = best_ms(sort)

    def fetch_more() -> None:
        page.model.reload()
        page.model.fetchMore()

    more_ms = best_ms(fetch_more)
    page.status_combo.setCurrentIndex(0)
    total = page.model.total()
    for p in pages:
        p.deleteLater()
    app.processEvents()

    conn = sqlite3.connect(path)
    window = ("SELECT i.id, e.name, i.kind, i.themes, i.status, i.version, i.started_at, c.* "
              "FROM inspections i JOIN entities e ON e.id = i.entity_id "
              "LEFT JOIN inspection_counts c ON c.inspection_id = i.id "
              "ORDER BY i.started_at DESC LIMIT 200")
    floor_ms = best_ms(lambda: conn.execute(window).fetchall())
    naive_ms = best_ms(lambda: conn.execute(
        "SELECT i.id, sum(f.result = '符合'), sum(f.result = '不符合'), count(*) "
        "FROM inspections i JOIN findings f ON f.inspection_id = i.id "
        "GROUP BY i.id ORDER BY i.started_at DESC LIMIT 200").fetchall(), rounds=2)
    conn.close()
    db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    worst = max(open_ms, filter_ms, sort_ms)
    print(f"inspections: {total}, findings: {findings}, best of {ROUNDS}")
    print(f"first open (imports, caches):     {cold_ms:7.2f} ms")
    print(f"open page (count + first window): {open_ms:7.2f} ms")
    print(f"status filter:                    {filter_ms:7.2f} ms")
    print(f"sort by 符合率 (SQL):              {sort_ms:7.2f} ms")
    print(f"reload + fetch next window:       {more_ms:7.2f} ms")
    print(f"budget per step:                  {BUDGET_MS:7.2f} ms")
    print(f"floor (sqlite3, first window):    {floor_ms:7.2f} ms")
    print(f"counting findings per row instead:{naive_ms:7.2f} ms")
    print(f"peak RSS:                         {peak_mb:7.1f} MB  (budget {BUDGET_MB:.0f} MB)")
    ok = worst < BUDGET_MS and peak_mb < BUDGET_MB
    print("OK" if ok else "OVER BUDGET")
    tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
