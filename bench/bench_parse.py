"""Parsing the five bundled policy documents, against the 1.0 s budget; and how parsing grows
with the size of the text.

Prints the best of several runs of ``parse_text`` over all five seeds, next to the budget and,
as a floor measured in the same run, the time to merely read the five files and NFKC-normalise
their text. Then parses 10 KB, 100 KB and 1 MB of policy text (the seeds one after another,
each line marked with its copy's number so that no block repeats) and prints the time per KB,
which stays about flat when parsing is linear.

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
    print("growth with the size of the text:")
    for size in (10_000, 100_000, 1_000_000):
        text = _corpus(size)
        seconds = _best(1 if size > 100_000 else 3, lambda t=text: parse_text(t))
        print(f"  {size // 1000:5d} KB: {seconds:7.3f} s  ({seconds / size * 1e6:.2f} ms per KB)")
    return 0 if parse < BUDGET_S else 1


def _corpus(size: int) -> str:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    out: list[str] = []
    total, k = 0, 0
    while total < size:
        for body in texts:
            block = "\n".join(line + f"（{k}）" if line.strip() else line
                              for line in body.splitlines())
            out.append(block)
            total += len(block.encode())
            k += 1
            if total >= size:
                break
    return "\n\n".join(out).encode()[:size].decode(errors="ignore")


if __name__ == "__main__":
    raise SystemExit(main())
