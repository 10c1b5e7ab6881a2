"""Throwaway checker for heldout7 (run with /work/main/.venv/bin/python, from anywhere).

Extracts each document independently of the tool (txt as is; docx paragraphs and table cells in
body order, nested tables recursively, merged cells once; pdf with pypdf minus the `— N —` /
`- N -` footers) and checks, after NFKC and whitespace removal:
* every title_starts occurs, in order;
* every unit has balanced brackets and occurs in its measure's span: from its start to the next
  measure's start (the last: up to a closing marker). Exceptions, by layout: 04 (units to the
  left of the task) from the previous measure's start; 05 the closing 分工 sentence; 09 lead
  units in the nearest 一、… head above the measure;
* title, 文号, issuers and date occur in the text.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLOSING = ("三、保障措施", "五、加强组织保障", "三、工作要求", "各牵头单位请于", "本措施自", "注：", "三、保障措施")


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def docx_text(path: Path) -> str:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []

    def walk(parent, container):
        for child in container.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                out.append(Paragraph(child, parent).text)
            elif tag == "tbl":
                table = Table(child, parent)
                for row in table.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        walk(cell, cell._tc)

    doc = Document(str(path))
    walk(doc, doc.element.body)
    return "\n".join(out)


def pdf_text(path: Path) -> str:
    import pypdf

    lines = []
    for page in pypdf.PdfReader(str(path)).pages:
        for line in page.extract_text().splitlines():
            if re.fullmatch(r"\s*[—-]\s*\d+\s*[—-]\s*", line):
                continue
            lines.append(line)
    return "\n".join(lines)


def text_of(path: Path) -> str:
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".pdf":
        return pdf_text(path)
    return path.read_text(encoding="utf-8")


def balanced(unit: str) -> bool:
    u = unicodedata.normalize("NFKC", unit)
    return u.count("(") == u.count(")")


def check(path: Path, spec: dict) -> list[str]:
    text = norm(text_of(path))
    errors = []
    starts = []
    pos = 0
    for m in spec["measures"]:
        key = norm(m["title_starts"])
        i = text.find(key, pos)
        if i < 0:
            errors.append(f"title_starts not found in order: {m['title_starts']}")
            starts.append(pos)
            continue
        starts.append(i)
        pos = i + len(key)
    ends = [*starts[1:], len(text)]
    if starts:
        tail = text[starts[-1]:]
        cut = [tail.find(norm(c)) for c in CLOSING if tail.find(norm(c)) > 0]
        if cut:
            ends[-1] = starts[-1] + min(cut)
    stem = path.name[:2]
    for k, m in enumerate(spec["measures"]):
        lo, hi = starts[k], ends[k]
        if stem == "04":
            lo = starts[k - 1] if k else 0
        span = text[lo:hi]
        for role in ("lead_units", "responsible_units"):
            for unit in m[role]:
                if not balanced(unit):
                    errors.append(f"unbalanced unit {unit}")
                u = norm(unit)
                if u in span:
                    continue
                if stem == "05":
                    clause = text[text.find(norm("以上第1—5项")):]
                    clause = clause[: clause.find("。") + 1]
                    if role == "responsible_units" and u in clause:
                        continue
                    ranges = re.findall(r"第(\d+)—(\d+)项由(.+?)牵头", clause)
                    if role == "lead_units" and any(int(a) <= k + 1 <= int(b) and w == u for a, b, w in ranges):
                        continue
                if stem == "09" and role == "lead_units":
                    heads = [h for h in re.finditer(r"[一二三四五六]、[^。]*?牵头\(\d+项\)", text[:lo])]
                    if heads and u in heads[-1].group(0):
                        continue
                errors.append(f"{m['title_starts']}: {role} {unit} not in its span")
    for field in ("title", "doc_number"):
        if spec[field] and norm(spec[field]) not in text:
            errors.append(f"{field} not in text: {spec[field]}")
    for issuer in spec["issuers"]:
        if norm(issuer) not in text:
            errors.append(f"issuer not in text: {issuer}")
    if spec["date"]:
        y, mth, d = (int(x) for x in spec["date"].split("-"))
        if norm(f"{y}年{mth}月{d}日") not in text:
            errors.append(f"date not in text: {spec['date']}")
    return errors


def main() -> int:
    bad = 0
    for spec_path in sorted(HERE.glob("*.expected.json")):
        stem = spec_path.name[: -len(".expected.json")]
        doc = next(p for p in HERE.iterdir() if p.stem == stem and p.suffix in (".txt", ".docx", ".pdf"))
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        errors = check(doc, spec)
        print(f"{'OK ' if not errors else 'BAD'} {doc.name} ({len(spec['measures'])} measures)")
        for e in errors:
            print("    ", e)
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
