"""Benchmark: the report font is found once and remembered across runs.

Each figure is measured in a fresh Python process (ReportLab already imported), the median of
several runs, all against one cache folder of the benchmark's own:

- cold: ``find_font()`` with no cache file: the search (well-known paths, ``fc-list``, each
  candidate tried with ReportLab) and the registration of the body and heading fonts;
- warm: ``find_font()`` with the cache file the cold run wrote: reading it, checking the files
  and registering the same fonts; "lookup" is the warm run without the registration;
- floor: registering the same font files with ReportLab (``TTFont`` + ``registerFont``) and
  nothing else, which any run that embeds them pays.

The warm lookup (cache read and checks) should take a few ms.

    .venv/bin/python bench/bench_font.py [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOKUP_BUDGET_MS = 5.0

FIND = """
import json, sys, time
sys.path.insert(0, {root!r})
import reportlab.pdfbase.ttfonts, reportlab.pdfbase.pdfmetrics
import reports.fonts as fonts
real, spent = fonts.try_font, [0.0]
def timed(*args, **kwargs):
    t = time.perf_counter()
    try:
        return real(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - t
fonts.try_font = timed
t = time.perf_counter()
font = fonts.find_font()
total = time.perf_counter() - t
print(json.dumps({{"total": total, "register": spent[0], "body": font.body_path,
                  "heading": font.heading_path}}))
"""

FLOOR = """
import json, sys, time
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
t = time.perf_counter()
for n, path in enumerate(dict.fromkeys({paths!r})):
    pdfmetrics.registerFont(TTFont(f"F{{n}}", path, subfontIndex=0))
print(json.dumps({{"total": time.perf_counter() - t}}))
"""


def child(code: str, cache: Path) -> dict[str, float | str | None]:
    env = {**os.environ, "SHENGYU_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    result: dict[str, float | str | None] = json.loads(out.strip().splitlines()[-1])
    return result


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    cold: list[float] = []
    warm: list[float] = []
    lookup: list[float] = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        cache_file = cache / "report-font.json"
        found: dict[str, float | str | None] = {}
        for _ in range(runs):
            cache_file.unlink(missing_ok=True)
            found = child(FIND.format(root=str(ROOT)), cache)
            cold.append(float(found["total"] or 0))
            if not cache_file.is_file():
                print("no font was remembered (none found, or the cache is not writable)")
                return 1
            again = child(FIND.format(root=str(ROOT)), cache)
            assert again["body"] == found["body"] and again["heading"] == found["heading"]
            warm.append(float(again["total"] or 0))
            lookup.append(float(again["total"] or 0) - float(again["register"] or 0))
            paths = [found["body"], found["heading"]]
            floor.append(float(child(FLOOR.format(paths=paths), cache)["total"] or 0))
    print(f"report font: body {found['body']}, heading {found['heading']} "
          f"(median of {runs} fresh processes)")
    print(f"  cold find_font    {ms(cold)}   (search, then register)")
    print(f"  warm find_font    {ms(warm)}   (cache, then register)")
    print(f"    lookup          {ms(lookup)}   (budget {LOOKUP_BUDGET_MS:.0f} ms: read, check)")
    print(f"  floor             {ms(floor)}   (registering the same files, nothing else)")
    print(f"  warm / floor      {statistics.median(warm) / statistics.median(floor):7.2f} ×")
    return 0 if statistics.median(lookup) * 1000 <= LOOKUP_BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
