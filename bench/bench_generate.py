"""Benchmark: generating a checklist must take under 100 ms.

Generates every shipped theme against each seed document and against all five together
(部门督查 for several departments), and prints the slowest and the median generation next to
the budget and to a floor measured in the same run: turning the catalog views into JSON,
which any generator has to at least read once.

    .venv/bin/python bench/bench_generate.py
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checklists.catalog_view import from_parsed
from checklists.checklist_model import Selection
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.templates import load_themes
from checklists.vocabulary import load_vocabulary
from services.catalog_store import bundled_policy_files

BUDGET_MS = 100.0
ROUNDS = 5
DEPARTMENTS = ("卫生健康", "人力资源和社会保障", "医疗保障", "教育")


def main() -> int:
    catalog = from_parsed(parse_text(body, source_name=name)
                          for name, body in bundled_policy_files())
    themes = load_themes()
    vocab = load_vocabulary()
    as_of = date(2026, 1, 15)
    doc_sets = [(d.id,) for d in catalog] + [tuple(d.id for d in catalog)]
    selections = []
    for theme in themes:
        for docs in doc_sets:
            if theme.kind == "supervision":
                selections += [Selection(themes=(theme.code,), documents=docs, departments=(d,))
                               for d in DEPARTMENTS]
                selections.append(Selection(themes=(theme.code,), documents=docs,
                                            entity_type="township_government"))
            else:
                selections.append(Selection(themes=(theme.code,), documents=docs))
    selections.append(Selection(themes=tuple(t.code for t in themes),
                                documents=tuple(d.id for d in catalog),
                                departments=DEPARTMENTS[:1]))
    generate(selections[0], catalog, themes, as_of=as_of, vocab=vocab)  # warm caches

    timings: list[float] = []
    slowest = ("", 0.0, 0)
    for sel in selections:
        best = float("inf")
        for _ in range(ROUNDS):
            start = time.perf_counter()
            checklist = generate(sel, catalog, themes, as_of=as_of, vocab=vocab)
            best = min(best, (time.perf_counter() - start) * 1000)
        timings.append(best)
        if best > slowest[1]:
            slowest = ("+".join(sel.themes) + f" × {len(sel.documents)} 份文件", best,
                       len(checklist.items))

    floor = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        json.dumps([dataclasses.asdict(d) for d in catalog], ensure_ascii=False)
        floor = min(floor, (time.perf_counter() - start) * 1000)

    print(f"checklists generated: {len(selections)} selections × best of {ROUNDS}")
    print(f"median generate:  {statistics.median(timings):7.2f} ms")
    print(f"slowest generate: {slowest[1]:7.2f} ms  ({slowest[0]}, {slowest[2]} items)")
    print(f"budget:           {BUDGET_MS:7.2f} ms")
    print(f"floor (catalog views → JSON, same run): {floor:7.2f} ms")
    ok = slowest[1] < BUDGET_MS
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
