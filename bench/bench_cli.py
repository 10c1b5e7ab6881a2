"""Benchmark: ``inspections --json`` over 10,000 inspections within 2× ``import sqlalchemy``.

The data is the demo database at scale 7 (about 10,500 inspections), shared with
``bench_report_summary.py`` and made once with ``main.py --db PATH demo --scale 7``. Each run is
a fresh process, as a script calling the program sees it: from spawning
``python main.py --db PATH inspections --json`` to its exit, the JSON read back and its rows
counted. The floor, in the same run and alternating with it, is a fresh
``python -c "import sqlalchemy"``, which any command that reads the database through the ORM
pays. ``--pretty`` (indented JSON) and the plain table are timed beside it for reference.

    .venv/bin/python bench/bench_cli.py [PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 2.0
MIN_INSPECTIONS = 10_000


def _timed(args: list[str]) -> tuple[float, str]:
    # as installed: the modules' compiled bytecode is kept (the warm-up run writes it)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"运行失败（{' '.join(args)}）：\n{done.stderr}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path,
                        default=Path(tempfile.gettempdir()) / "shengyu-bench-demo-x7.sqlite")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_report_summary import ensure_demo

    ensure_demo(args.path)
    program = [sys.executable, str(ROOT / "main.py"), "--db", str(args.path), "inspections"]
    floor_cmd = [sys.executable, "-c", "import sqlalchemy"]

    _elapsed, out = _timed([*program, "--json"])  # warm the page cache, count the rows
    rows = len(json.loads(out)["inspections"])
    if rows < MIN_INSPECTIONS:
        print(f"提示：数据库只有 {rows:,} 次检查，少于 {MIN_INSPECTIONS:,}", file=sys.stderr)
    _timed(floor_cmd)

    floor, compact, pretty, table = [], [], [], []
    for _ in range(args.runs):  # alternating, so that both see the same load
        floor.append(_timed(floor_cmd)[0])
        compact.append(_timed([*program, "--json"])[0])
        pretty.append(_timed([sys.executable, str(ROOT / "main.py"), "--db", str(args.path),
                              "--pretty", "inspections", "--json"])[0])
        table.append(_timed(program)[0])

    def line(label: str, values: list[float]) -> float:
        median = statistics.median(values)
        runs = ", ".join(f"{v * 1000:.0f}" for v in values)
        print(f"{label:<44} median {median * 1000:6.0f} ms  (runs: {runs})")
        return median

    print(f"{rows:,} inspections, {args.path.stat().st_size / 1024 / 1024:,.0f} MB")
    base = line('python -c "import sqlalchemy" (floor)', floor)
    got = line("inspections --json", compact)
    line("--pretty inspections --json (reference)", pretty)
    line("inspections, as a table (reference)", table)
    ratio = got / base
    verdict = "within budget" if ratio <= BUDGET else "OVER BUDGET"
    print(f"inspections --json: {ratio:.2f}x the floor, budget <= {BUDGET:.1f}x: {verdict}")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
