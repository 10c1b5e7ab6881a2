"""Throwaway consistency check of the hand-written expectations (run with /work/main/.venv/bin/python).

Extracts each document independently of the importer (txt as is; docx paragraphs and table cells
in body order, merged cells once, <w:br/> as a line break; pdf with pypdf minus the running header
and the `- N -` footer lines) and checks, after NFKC and removing whitespace: every title_starts
occurs in order; every unit has balanced brackets and occurs between its measure's start and the next measure's start (the
last one: up to the document's closing marker); title (without 《》), 文号, issuers and date occur in the text.
"""
import glob
import json
import re
import sys
import unicodedata

import pypdf
from docx import Document
from docx.oxml.ns import qn

END = {  # closing marker after the last measure
    "01": "五、保障措施", "02": "各牵头单位要会同", "03": "五、保障措施", "04": "各成员单位要按照",
    "05": "本措施自", "08": None, "09": "四、工作要求", "10": "四、组织实施",
}


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def docx_text(path):
    d = Document(path)
    out = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append("".join(t.text if t.tag == qn("w:t") else "\n"
                               for t in el.iter(qn("w:t"), qn("w:br"))))
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                for tc in tr.iter(qn("w:tc")):
                    vm = tc.find(qn("w:tcPr") + "/" + qn("w:vMerge"))
                    if vm is not None and vm.get(qn("w:val")) != "restart":
                        continue
                    out.append("\n".join("".join(t.text for t in p.iter(qn("w:t")))
                                         for p in tc.iter(qn("w:p"))))
    return "\n".join(out)


def pdf_text(path, header):
    lines = []
    for page in pypdf.PdfReader(path).pages:
        for line in page.extract_text().splitlines():
            if re.fullmatch(r"\s*-\s*\d+\s*-\s*", line) or norm(line) == norm(header):
                continue
            lines.append(line)
    return "\n".join(lines)


def date_forms(iso):
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


bad = 0
for exp_path in sorted(glob.glob("*.expected.json")):
    name = exp_path[: -len(".expected.json")]
    exp = json.load(open(exp_path, encoding="utf-8"))
    doc = glob.glob(name + ".txt") + glob.glob(name + ".docx") + glob.glob(name + ".pdf")
    path = doc[0]
    if path.endswith(".txt"):
        text = open(path, encoding="utf-8").read()
    elif path.endswith(".docx"):
        text = docx_text(path)
    else:
        text = pdf_text(path, exp["title"])
    t = norm(text)
    problems = []
    starts = []
    pos = 0
    for m in exp["measures"]:
        i = t.find(norm(m["title_starts"]), pos)
        if i < 0:
            problems.append(f"title_starts not found in order: {m['title_starts']}")
            starts.append(None)
            continue
        starts.append(i)
        pos = i + 1
    marker = END.get(name[:2])
    end_all = t.find(norm(marker), pos) if marker else len(t)
    if end_all < 0:
        end_all = len(t)
    for k, m in enumerate(exp["measures"]):
        if starts[k] is None:
            continue
        nxt = next((s for s in starts[k + 1:] if s is not None), end_all)
        span = t[starts[k]:nxt]
        for u in m["lead_units"] + m["responsible_units"]:
            if u.count("（") != u.count("）"):
                problems.append(f"{m['number']}: unit {u} has unbalanced brackets")
            if norm(u) not in span:
                problems.append(f"{m['number']}: unit {u} not in span")
    for field in ("title", "doc_number"):
        if exp[field] and norm(exp[field]) not in re.sub("[《》]", "", t):
            problems.append(f"{field} not in text: {exp[field]}")
    for iss in exp["issuers"]:
        if norm(iss) not in t:
            problems.append(f"issuer not in text: {iss}")
    if exp["date"] and norm(date_forms(exp["date"])) not in t:
        problems.append(f"date not in text: {exp['date']}")
    print(f"{name}: {len(exp['measures'])} measures, {'ok' if not problems else 'FAIL'}")
    for p in problems:
        print("   ", p)
    bad += bool(problems)
sys.exit(1 if bad else 0)
