"""Parsing the five bundled policy documents, against the 1.0 s budget; and how parsing grows
with the size of the text.

Prints the best of several runs of ``parse_text`` over all five seeds, next to the budget and,
as a floor measured in the same run, the time to merely read the five files and NFKC-normalise
their text. Then parses 10 KB, 100 KB and 1 MB of policy text (the seeds one after another,
each line marked with its copy's number so that no block repeats) and prints the time per KB,
which stays about flat when parsing is linear.

Last, a zip-bomb .docx (a few MB holding 1 GB) is handed to the reader in a child process:
it must be refused within BOMB_SECONDS and BOMB_MB of memory, measured in the same run.

    .venv/bin/python bench/bench_parse.py [--runs N]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checklists.parsing import parse_text  # noqa: E402
from checklists.parsing.model import ParsedDocument  # noqa: E402

BUDGET_S = 1.0
BOMB_SECONDS = 1.0
BOMB_MB = 200
BOMB_UNPACKED = 1 << 30
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
    bomb_ok = _zip_bomb()
    return 0 if parse < BUDGET_S and bomb_ok else 1


_READ = ("import sys, time; from pathlib import Path; sys.path.insert(0, sys.argv[2]); "
         "from checklists.parsing import PolicyFormatError, read_policy_file; "
         "t = time.perf_counter()\n"
         "try:\n    read_policy_file(Path(sys.argv[1])); print('read')\n"
         "except PolicyFormatError as e:\n    print('refused', e)\n"
         "print(time.perf_counter() - t)")


def _zip_bomb() -> bool:
    """Build a .docx holding 1 GB of zeros, let a child process read it; True if refused in
    time and memory."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.docx"
        chunk = b"<w:t>" + b"0" * (1 << 20) + b"</w:t>"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            with z.open("word/document.xml", "w", force_zip64=True) as member:
                for _ in range(BOMB_UNPACKED // len(chunk)):
                    member.write(chunk)
        packed = path.stat().st_size
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out = subprocess.run([sys.executable, "-c", _READ, str(path), str(ROOT)],
                             capture_output=True, text=True, check=False)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = out.stdout.strip().splitlines()
    refused = bool(lines) and lines[0].startswith("refused")
    seconds = float(lines[-1]) if lines else float("inf")
    print(f"zip bomb ({packed / 1e6:.1f} MB holding {BOMB_UNPACKED >> 20} MB): "
          f"{'refused' if refused else 'NOT refused'} in {seconds:.3f} s "
          f"(budget {BOMB_SECONDS:.1f} s), child peak memory {peak_mb:.0f} MB "
          f"(budget {BOMB_MB} MB{'' if before == 0 else ', an earlier child counted'})")
    if refused:
        print("  message: " + lines[0].removeprefix("refused "))
    return refused and seconds < BOMB_SECONDS and peak_mb < BOMB_MB


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
