"""Benchmark: the 现场检查笔录 of an inspection with 300 items and 30 photos must take at most
1.2× a minimal ReportLab script that renders the same table and images, in the same run.

The inspection is built for real (findings, photos through the evidence store, signatures) in
a temporary database. The floor lays out the same 300 rows (number, question with its code and
legal basis, result, value, note) as Paragraph cells in the same embedded font, in one table
with a repeated header, plus the same 30 thumbnails and 30 report-size photos, with
SimpleDocTemplate and nothing else: no database read, no record header, no page footers, no
signature strip, and ReportLab's own CJK line splitting instead of the program's Chinese
line-breaking rules. Both run with the same ReportLab settings (layout sets binary image
streams). The rounds alternate; the best of each is compared.

    .venv/bin/python bench/bench_report_record.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import paragraph as rl_paragraph

from checklists.snapshot import from_snapshot
from models.db import open_database
from models.evidence_store import evidence_root, report_copy_path, thumbnail_path
from reports.cjk_wrap import REPORTLAB_SPLITTERS
from reports.fonts import find_font
from reports.layout import make_styles
from reports.record import build_record_pdf
from services.evidence import list_evidence
from services.findings import list_findings
from services.inspection_record import get_record
from tests.reports.report_fixtures import big_checklist, full_inspection

ITEMS, PHOTOS, ROUNDS, BUDGET = 300, 30, 7, 1.2


def floor(rows: list[list[str]], thumbs: list[Path], photos: list[Path], styles: object) -> float:
    """The same table and images with the plainest ReportLab code, wrapped by ReportLab's own
    CJK line splitting (not the program's Chinese line-breaking rules)."""
    s = styles
    ours = rl_paragraph.cjkFragSplit, rl_paragraph.wordSplit
    rl_paragraph.cjkFragSplit, rl_paragraph.wordSplit = REPORTLAB_SPLITTERS
    try:
        return _floor(rows, thumbs, photos, s)
    finally:
        rl_paragraph.cjkFragSplit, rl_paragraph.wordSplit = ours


def _floor(rows: list[list[str]], thumbs: list[Path], photos: list[Path], s: object) -> float:
    t0 = time.perf_counter()
    cells = [[Paragraph(c, s.cell) for c in r] for r in rows]  # type: ignore[attr-defined]
    cells = [[c if c.text else "" for c in r] for r in cells]
    for i, th in enumerate(thumbs):
        cells[1 + i * (ITEMS // PHOTOS)][5] = Image(str(th), width=24 * mm, height=18 * mm)
    table = Table(cells, colWidths=[9 * mm, 60 * mm, 16 * mm, 23 * mm, 30 * mm, 27 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    story = [table] + [Image(str(p), width=78 * mm, height=58 * mm) for p in photos]
    SimpleDocTemplate(BytesIO(), pagesize=A4).build(story)
    return time.perf_counter() - t0


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-record-"))
    db = open_database(work / "bench.sqlite")
    store = evidence_root(db.path)
    iid = full_inspection(db, store, work, photos=PHOTOS, c=big_checklist(ITEMS),
                          fail_measures=False)
    with db.session() as s:
        findings = list_findings(s, iid)
        items = {i.code: i for i in from_snapshot(get_record(s, iid).checklist).items}
        evidence = [e for e in list_evidence(s, iid) if e.kind == "photo"]
    assert len(evidence) == PHOTOS, len(evidence)
    font = find_font()
    styles = make_styles(font)
    rows = [["序号", "检查内容及依据", "结果", "测得值／标准", "情况说明", "现场照片"]]
    rows += [[str(f.position + 1), f"{items[f.item_code].question} [{f.item_code}] 依据："
              + "；".join(b.citation() for b in items[f.item_code].legal_basis),
              f.result, "" if f.value is None else str(f.value), f.note or "", ""]
             for f in findings]
    thumbs = [thumbnail_path(store, e.sha256) for e in evidence]
    photos = [report_copy_path(store, e.sha256) for e in evidence]

    ours, base = [], []
    for _ in range(ROUNDS):
        base.append(floor(rows, thumbs, photos, styles))
        t0 = time.perf_counter()
        with db.session() as s:
            result = build_record_pdf(s, iid, work / "record.pdf", store_root=store, font=font)
        ours.append(time.perf_counter() - t0)
    ratio = min(ours) / min(base)
    print(f"record: {ITEMS} items, {PHOTOS} photos, {result.pages} pages; font {font.description}")
    print(f"  build_record_pdf   best {min(ours) * 1000:7.0f} ms  median "
          f"{statistics.median(ours) * 1000:7.0f} ms")
    print(f"  minimal ReportLab  best {min(base) * 1000:7.0f} ms  median "
          f"{statistics.median(base) * 1000:7.0f} ms")
    verdict = "OK" if ratio <= BUDGET else "OVER BUDGET"
    print(f"  ratio {ratio:.2f}× (budget ≤ {BUDGET}×)  {verdict}")
    db.dispose()
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
