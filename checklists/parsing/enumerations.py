"""One numbered item that holds several measures: 一是…二是… each naming its units, or
paragraphs each led by a 【keyword】."""

from __future__ import annotations

import re

from checklists.parsing.draft import Draft, DraftMeasure, DraftSection
from checklists.parsing.text import cn_to_int, compact
from checklists.parsing.titles import make_title
from checklists.parsing.units import split_unit_clause

_ENUMERATOR = re.compile(r"(?:^|(?<=[。;；:：]))\s*([一二三四五六七八九十]{1,2})是")


def split_enumerations(draft: Draft) -> None:
    """A measure written as 一是…（units）；二是…（units）；… is several measures: each 一是
    that names its own units becomes one, under a section titled by the words before 一是."""
    out: list[DraftMeasure] = []
    for dm in draft.measures:
        parts = _enumerated(dm.body) or _tagged(dm.body)
        if parts is None:
            out.append(dm)
            continue
        lead_in, pieces = parts
        title, _ = make_title(lead_in) if compact(lead_in) else (dm.number, False)
        section = DraftSection(dm.path, dm.number, title, units=list(
            dm.section.units) if dm.section else [])
        draft.sections.append(section)
        for number, piece in pieces:
            out.append(DraftMeasure(number, f"{dm.path}/{number}", section,
                                    piece.rstrip(" ;；,，"), dm.source_lines, list(dm.units)))
    draft.measures[:] = out


_TAG = re.compile(r"【(?P<tag>[^【】\d:：]{2,12})】")  # not 【牵头单位：X】


def _tagged(body: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(text before the first tag, [(number, 标签。text), …]) when ``body`` is a run of
    paragraphs each led by a 【keyword】 (【生育补贴】对…；【育儿假】子女…); else None."""
    tags = list(_TAG.finditer(body))
    if len(tags) < 2:
        return None
    lead = compact(body[:tags[0].start()])
    if len(lead) > _TAG_LEAD_MAX and not lead.endswith("。"):
        return None  # an intro of a sentence or two before the tags is the section's own
    ends = [m.start() for m in tags[1:]] + [len(body)]
    pieces = [(str(k), f"{m.group('tag')}。{body[m.end():end]}")
              for k, (m, end) in enumerate(zip(tags, ends, strict=True), start=1)]
    return body[:tags[0].start()].strip(" :：。"), pieces


#: At most this much text may stand before the first 【keyword】 (the section's own words).
_TAG_LEAD_MAX = 40


def _enumerated(body: str) -> tuple[str, list[tuple[str, str]]] | None:
    """(text before 一是, [(一是, its text), …]) when ``body`` enumerates 一是, 二是, … in order
    and at least two of the parts name their own units; else None."""
    found: list[tuple[int, int, str]] = []
    for m in _ENUMERATOR.finditer(body):
        if cn_to_int(m.group(1)) == len(found) + 1:
            found.append((m.start(1), m.end(), m.group(1) + "是"))
    if len(found) < 2:
        return None
    pieces = [(number, body[end:found[k + 1][0] if k + 1 < len(found) else len(body)])
              for k, (_start, end, number) in enumerate(found)]
    named = sum(split_unit_clause(text.rstrip(" ;；,，"))[1] is not None for _n, text in pieces)
    if named < 2:
        return None
    return body[:found[0][0]].strip(" :：。"), pieces
