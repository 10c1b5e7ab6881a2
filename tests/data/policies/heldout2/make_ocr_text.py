"""Build 09_bayi_ocr_spaced.txt from src/09_bayi_source.txt the way an OCR copy of a scanned
paper looks: lines broken where the scan's lines end (every 30 characters), stray spaces
between characters (every character on some lines, a few on others), some full-width
punctuation read as half-width. Deterministic (fixed seed)."""
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20240930)
HALF = {"：": ":", "（": "(", "）": ")", "，": ",", "；": ";"}
def noisy(line):
    mode = rng.random()
    out = []
    for ch in line.lstrip("　"):
        if ch in HALF and rng.random() < 0.25:
            ch = HALF[ch]
        out.append(ch)
    if mode < 0.35:        # every character spaced out
        return " ".join(out)
    if mode < 0.8:         # a stray space here and there
        s = ""
        for ch in out:
            s += ch
            if rng.random() < 0.12:
                s += " "
        return s
    return "".join(out)
lines = []
for para in (HERE / "src" / "09_bayi_source.txt").read_text(encoding="utf-8").splitlines():
    p = para.lstrip("　")
    chunks = [p[i:i + 30] for i in range(0, len(p), 30)] or [""]
    lines.extend(noisy(c) for c in chunks)
(HERE / "09_bayi_ocr_spaced.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
