"""Throwaway check of the hand-made expectations of heldout8 (run with /work/main/.venv/bin/python).

Extracts every document independently of the importer (txt as is; docx paragraphs and table cells in
body order, merged cells once; pdf with pypdf minus the `— N —` / `- N -` page numbers), then checks,
after NFKC and whitespace removal, that every title_starts occurs in order, that every unit has
balanced brackets and occurs inside its measure's span (from its start to the next measure's start,
the last one up to a closing marker; 10: up to the end of the section's closing `以上工作由…。`
sentence), and that title, 文号, issuers and date occur in the text.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from docx import Document
from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
CLOSING = {
    "01": "五、保障措施",
    "02": "各市（含定州、辛集市）政府要切实",
    "03": "本措施自2025年7月1日",
    "04": "注：各县",
    "05": "本措施自印发之日起施行",
    "06": "各级工会女职工组织要对照",
    "09": "注：各县",
    "10": "五、工作要求",
    "11": "三、保障措施",
}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def read_docx(path: Path) -> str:
    doc = Document(str(path))
    out: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for tc in block.iter():
                if not tc.tag.endswith("}tc"):
                    continue
                # a vertically merged cell keeps its text in the first <w:tc>; the others are empty
                paras = [p for p in tc.iter() if p.tag.endswith("}p")]
                out.append("\n".join("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                     for p in paras))
    return "\n".join(out)


def read_pdf(path: Path) -> str:
    lines = []
    for page in PdfReader(str(path)).pages:
        for line in (page.extract_text() or "").splitlines():
            if re.fullmatch(r"\s*[—-]\s*\d+\s*[—-]\s*", line):
                continue
            lines.append(line)
    return "\n".join(lines)


def read(path: Path) -> str:
    if path.suffix == ".docx":
        return read_docx(path)
    if path.suffix == ".pdf":
        return read_pdf(path)
    return path.read_text(encoding="utf-8")


def balanced(unit: str) -> bool:
    return unit.count("（") == unit.count("）") and unit.count("(") == unit.count(")")


def check(expected_path: Path) -> list[str]:
    stem = expected_path.name[: -len(".expected.json")]
    doc = next(p for p in HERE.iterdir() if p.stem == stem and p.suffix in (".txt", ".docx", ".pdf"))
    text = norm(read(doc))
    want = json.loads(expected_path.read_text(encoding="utf-8"))
    problems = []
    starts = []
    pos = 0
    for m in want["measures"]:
        at = text.find(norm(m["title_starts"]), pos)
        if at < 0:
            problems.append(f"title_starts not found in order: {m['title_starts']}")
            at = pos
        starts.append(at)
        pos = at + 1
    key = stem[:2]
    for i, m in enumerate(want["measures"]):
        begin = starts[i]
        if key == "10":
            tail = text.find("以上工作由", begin)
            end = text.find("。", tail) + 1
        elif i + 1 < len(starts):
            end = starts[i + 1]
        else:
            end = text.find(norm(CLOSING[key]), begin) if key in CLOSING else -1
            end = len(text) if end < 0 else end
        span = text[begin:end]
        for unit in m["lead_units"] + m["responsible_units"]:
            if not balanced(unit):
                problems.append(f"{m['number']}: unbalanced unit {unit}")
            if norm(unit) not in span:
                problems.append(f"{m['number']}: unit {unit} not in span")
    if want["title"] and norm(want["title"]) not in text:
        problems.append(f"title not in text: {want['title']}")
    if want["doc_number"] and norm(want["doc_number"]) not in text:
        problems.append(f"doc_number not in text: {want['doc_number']}")
    for issuer in want["issuers"]:
        if norm(issuer) not in text:
            problems.append(f"issuer not in text: {issuer}")
    if want["date"]:
        y, mo, d = (int(x) for x in want["date"].split("-"))
        if f"{y}年{mo}月{d}日" not in text:
            problems.append(f"date not in text: {want['date']}")
    return problems


def main() -> int:
    failed = 0
    for expected_path in sorted(HERE.glob("*.expected.json")):
        problems = check(expected_path)
        n = len(json.loads(expected_path.read_text(encoding="utf-8"))["measures"])
        print(f"{expected_path.name}: {n} measures, {'ok' if not problems else 'FAIL'}")
        for p in problems:
            print("   ", p)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
