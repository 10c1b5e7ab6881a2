"""Parsing the five bundled policy documents, against the 1.0 s budget.

Prints the best of several runs of ``parse_text`` over all five seeds, next to the budget and,
as a floor measured in the same run, the time to merely read the five files and NFKC-normalise
their text.

    .venv/bin/python bench/bench_parse.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checklists.parsing import parse_text  # noqa: E402
from checklists.parsing.model import ParsedDocument  # noqa: E402

BUDGET_S = 1.0
SEEDS = sorted((ROOT / "resources" / "policies").glob("*.txt"))


def _best(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _read_and_normalise() -> list[str]:
    return [unicodedata.normalize("NFKC", p.read_text(encoding="utf-8")) for p in SEEDS]


def _read_and_parse() -> list[ParsedDocument]:
    return [parse_text(p.read_text(encoding="utf-8"), source_name=p.name) for p in SEEDS]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold_start = time.perf_counter()
    docs = _read_and_parse()  # the first run also loads the lexicon and the region data
    cold = time.perf_counter() - cold_start
    floor = _best(args.runs, _read_and_normalise)
    parse = _best(args.runs, _read_and_parse)
    measures = sum(len(d.measures) for d in docs)
    print(f"parse {len(SEEDS)} seeds ({measures} measures): {parse:.3f} s best of {args.runs}, "
          f"{cold:.3f} s first run")
    print(f"  budget:                       {BUDGET_S:.1f} s")
    print(f"  floor (read + NFKC only):     {floor:.4f} s")
    print(f"  parse / budget: {parse / BUDGET_S:.1%}   parse / floor: {parse / floor:.0f}x")
    return 0 if parse < BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
