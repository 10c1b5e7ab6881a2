"""An item's detail as the entry form shows it: how to check, the evidence asked for, the legal
basis and the measures it carries out."""

from __future__ import annotations

import html

from services.inspection_entry import EntryRow


def details_html(entry: EntryRow) -> str:
    item = entry.item
    e = html.escape
    parts = [f"<p><b>{e(item.question)}</b></p>"]
    if item.answer.threshold_text():
        parts.append(f"<p>判定标准：{e(item.answer.threshold_text())}</p>")
    if item.how_to_check:
        parts.append("<p><b>检查方法</b></p><ul>" +
                     "".join(f"<li>{e(s)}</li>" for s in item.how_to_check) + "</ul>")
    if item.check_detail:
        parts.append(f"<p>{e(item.check_detail)}</p>")
    if item.evidence:
        parts.append("<p><b>应收集的证据</b></p><ul>" +
                     "".join(f"<li>{e(s)}</li>" for s in item.evidence) + "</ul>")
    if item.legal_basis:
        rows = []
        for b in item.legal_basis:
            excerpt = f"<br/><span style='color:#4b5563'>{e(b.excerpt)}</span>" \
                if b.excerpt else ""
            rows.append(f"<li>{e(b.served_citation())}{excerpt}</li>")
        parts.append("<p><b>法律依据</b></p><ul>" + "".join(rows) + "</ul>")
    if item.measures:
        parts.append("<p><b>依据的政策措施</b></p><ul>" + "".join(
            f"<li>{e(m.document_title)} {e(m.ref)}：{e(m.title)}</li>" for m in item.measures)
            + "</ul>")
    if item.note:
        parts.append(f"<p style='color:#8a4b00'>{e(item.note)}</p>")
    return "".join(parts)
