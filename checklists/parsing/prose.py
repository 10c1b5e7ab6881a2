"""Running text with numbered items (一、 （一） 1. （1） 第一条 …) into a Draft.

A numbered item with numbered children is a section; the lowest-level items are measures.
Items under 总体要求 / 指导思想 / 任务目标 (and the headings themselves) are preamble: they
are kept as sections and their text goes to the document-level targets.
"""

from __future__ import annotations

import re

from checklists.parsing.draft import Draft, DraftSection
from checklists.parsing.lexicon import lexicon
from checklists.parsing.model import UnitRole
from checklists.parsing.structure import Item, Stream, walk
from checklists.parsing.text import compact, strip_tags
from checklists.parsing.units import parse_unit_clause, split_unit_clause

#: A heading's text up to this long, with no full stop, is all title (a wrapped heading).
_HEADING_MAX = 40
_PREAMBLE_TITLE_MAX = 15
#: A heading that ends with a full stop within this many characters is titled up to it.
_HEADING_TITLE_MAX = 30
_STOP = re.compile("[。;；]")
#: A note in brackets after a heading: （注：排在第一位的为牵头单位）.
_NOTE = re.compile(r"\s?\(注[:：][^()]*\)")


def own_text(stream: Stream, item: Item) -> str:
    return strip_tags(stream.text[item.marker.body_start:item.end]).strip()


def heading_title(stream: Stream, item: Item) -> str:
    """The title of a section heading: its first line, or up to its first full stop, without
    a bracketed note."""
    return _NOTE.sub("", _heading_title(stream, item)).strip()


def _heading_title(stream: Stream, item: Item) -> str:
    own = own_text(stream, item)
    stop = _STOP.search(own)
    if stop is None and len(compact(own)) <= _HEADING_MAX:
        return own.strip(" :：")
    if stop is not None and len(compact(own[: stop.start()])) <= _HEADING_TITLE_MAX:
        return own[: stop.start()].strip(" :：")  # 任务目标。2025年…
    line_end = stream.line_end(item.marker.line)
    first = strip_tags(stream.text[item.marker.body_start:line_end]).strip()
    stop = _STOP.search(first)
    if stop is not None:
        first = first[: stop.start()]
    return first.strip(" :：")


def is_preamble_title(title: str) -> bool:
    squeezed = compact(title)
    return len(squeezed) <= _PREAMBLE_TITLE_MAX and any(
        word in squeezed for word in lexicon().preamble_titles)


def is_business(stream: Stream, item: Item) -> bool:
    """The item is a notice's own business (一、会议时间 / 二、参会人员 / 三、检查方式和时间安排)
    or a question of a 问答 page, not a measure: its first line, or the words before a colon,
    are business titles (joined by 和/及/与), or it asks a question. An item under which units
    are named is never business."""
    line_end = stream.line_end(item.marker.line)
    first = compact(strip_tags(stream.text[item.marker.body_start:line_end]))
    words = re.split("[:：。]", first, maxsplit=1)[0]
    titles = lexicon().business_titles
    business = (words in titles or first.endswith(("?", "？"))
                or all(part in titles for part in re.split("[和及与、]", words)))
    if not business:
        return False
    end = _subtree_end(item)
    labelled = re.compile(lexicon().label_re.pattern + r"\s?[:：]")  # 责任单位：, not 各责任单位
    return labelled.search(stream.text[item.marker.body_start:end]) is None


def _subtree_end(item: Item) -> int:
    while item.children:
        item = item.children[-1]
    return item.end


def _closing_paragraph(stream: Stream, item: Item, roots: list[Item]) -> bool:
    """A top-level item written as one paragraph among top-level items that have items of
    their own (六、强化组织实施。各地要…): a section, not a measure, unless it names the units
    that carry it out."""
    if item.parent is not None or item.children or not any(root.children for root in roots):
        return False
    if compact(item.title).strip(":：") in lexicon().closing_titles:
        return True
    return split_unit_clause(own_text(stream, item))[1] is None


def _heading_units(title: str, own: str) -> tuple[str, list[tuple[str, UnitRole]]]:
    """(the heading without its unit clause, the units it names for the measures under it).

    The clause may follow the heading's words in brackets or on a line of its own
    (（三）提升服务 / 责任单位：X、Y) before the first item under it."""
    body, clause = split_unit_clause(own)
    lead = _LEAD_HEADING.fullmatch(compact(title))
    if clause is None and lead is not None:
        # 一、市卫生健康委牵头（5项）: the tasks below are grouped by the body that leads them
        units = parse_unit_clause(lead.group("clause")).units
        if units and all(role == "lead" for _, role in units):
            return title, units
    if clause is None or not body.strip():
        return title, []
    kept, _ = split_unit_clause(title)
    kept = kept if compact(kept) and len(compact(kept)) < len(compact(title)) else title
    if compact(body) and compact(kept).startswith(compact(body)):
        kept = body
    return kept.strip(" :：;；"), parse_unit_clause(clause).units


#: A heading that is only the bodies leading the tasks under it: 市卫生健康委牵头（5项）.
_LEAD_HEADING = re.compile(r"(?P<clause>[^，。；:：]{2,60}?(?:共同)?牵头(?:负责)?)"
                           r"(?:[(（](?:共)?\d{1,3}项[)）])?")


#: A line that introduces notes, not measures: the numbered items after it are its notes.
_NOTES = re.compile(r"(?:说明|注释|注|备注|填表说明|附注)[:：]?")


def _drop_notes(stream: Stream, items: list[Item]) -> list[Item]:
    """``items`` without the numbered notes that follow a 说明：/注释： line (1．孩次按…计算),
    at any depth."""
    kept: list[Item] = []
    noting: str | None = None  # the style of the notes being skipped
    for item in items:
        line = item.marker.line
        before = compact(stream.lines[line - 1].text) if line > 0 else ""
        if _NOTES.fullmatch(before):
            noting = item.marker.style
        if noting is not None and item.marker.style == noting:
            continue
        noting = None
        item.children = _drop_notes(stream, item.children)
        kept.append(item)
    return kept


def draft_from_items(stream: Stream, roots: list[Item]) -> Draft:
    roots = _drop_notes(stream, roots)
    draft = Draft()
    sections: dict[int, DraftSection] = {}
    skipped: set[int] = set()
    absorbed: set[int] = set()  # items whose numbered parts are one measure's enumeration
    subheads: dict[int, str] = {}  # per parent item (0: the top level), the subhead in force
    opening = _head_subhead(stream, roots)
    if opening is not None:
        subheads[0] = opening
    for item in walk(roots):
        parent = item.parent
        if parent is not None and id(parent) in absorbed:
            absorbed.add(id(item))
            continue
        if (parent is not None and id(parent) in skipped) or is_business(stream, item):
            skipped.add(id(item))
            continue
        if _enumeration(stream, item):  # 1、X。(1)…；(2)…；(3)…。 is one measure
            absorbed.add(id(item))
        item.title = heading_title(stream, item)
        item.preamble = (parent is not None and parent.preamble) or is_preamble_title(item.title)
        first_line = item.marker.line
        last_line = stream.line_of(max(item.end - 1, item.marker.start))
        source = [line.index for line in stream.lines[first_line:last_line + 1]]
        whole = id(item) in absorbed
        if (item.children and not whole) or item.preamble or _closing_paragraph(
                stream, item, roots):
            title, units = _heading_units(item.title, own_text(stream, item))
            if not units and parent is not None and id(parent) in sections:
                units = list(sections[id(parent)].units)
            section = DraftSection(item.path(), item.number, title, item.preamble, units)
            sections[id(item)] = section
            draft.sections.append(section)
            if item.preamble:
                draft.preamble.append(own_text(stream, item))
            continue
        enclosing = sections.get(id(parent)) if parent is not None else None
        span_end = _subtree_end(item) if whole else item.end
        cut = _trailing_start(stream, item, span_end)
        after = _subhead(stream.text[cut:span_end]) if cut is not None else None
        if cut is None and not whole:
            cut, after = _subhead_after_sentence(stream, item)
        body = strip_tags(stream.text[item.marker.body_start:span_end if cut is None else cut]
                          ).strip()
        if whole or cut is not None:
            last_line = stream.line_of(max((cut or span_end) - 1, item.marker.start))
            source = [line.index for line in stream.lines[first_line:last_line + 1]]
        key = id(parent) if parent is not None else 0
        draft.add_measure(item.number, enclosing, body, source, _inner_units(stream, item)
                          if whole else [], subheads.get(key))
        draft.measures[-1].doubts.extend(
            (f"编号跳过了“{wanted}”：请对照原文核对是否漏了一项" if at == item.marker.start
             else f"其中有一行以“{found}”开头，但接下来应是“{wanted}”：可能缺了一项，"
                  "或者这一行不是新的一项")
            for at, found, wanted in stream.gaps if item.marker.start <= at < span_end)
        if cut is not None and after is None:
            rest = compact(strip_tags(stream.text[cut:span_end]))
            if rest:
                draft.measures[-1].dropped = rest
        if after is not None:
            subheads[key] = after
    return draft


#: An unnumbered subhead is a short phrase: no digits, no commas, at most this long.
_SUBHEAD_MAX = 30
_SUBHEAD_BREAKS = re.compile(r"[\d,，、;；:：()（）《》“”]")
#: Without a unit clause before it, a subhead must be shorter still.
_SUBHEAD_ALONE_MAX = 20


def _subhead(text: str, limit: int = _SUBHEAD_MAX) -> str | None:
    """``text`` as an unnumbered subhead (完善生育休假制度。), or None if it is not one."""
    squeezed = compact(strip_tags(text))
    core = squeezed.rstrip("。.")
    if not 4 <= len(core) <= limit or _SUBHEAD_BREAKS.search(core) or "。" in core:
        return None
    return core


def _head_subhead(stream: Stream, roots: list[Item]) -> str | None:
    """A subhead on the line just before the first measure, after a sentence."""
    first = roots[0].marker.line
    if first < 2 or roots[0].children:
        return None
    before = stream.text[stream.starts[first - 2]:stream.starts[first - 1]].rstrip()
    if not before.endswith("。"):
        return None
    return _subhead(stream.text[stream.starts[first - 1]:stream.starts[first]],
                    _SUBHEAD_ALONE_MAX)


def _enumeration(stream: Stream, item: Item) -> bool:
    """The item's children are parts of one measure, not measures of their own: leaves each
    but the last ending with ；or ，(1、扩大供给。(1)…；(2)…；(3)…。), or the （1）/① points of
    a 1. item, none of which names units of its own (1.落实休假。（1）产假…（2）陪产假…
    （责任单位：…) ."""
    kids = item.children
    if not kids:
        return False
    if len(kids) >= 2 and not any(k.children for k in kids) and all(
            own_text(stream, k).rstrip().endswith((";", "；", ",", "，")) for k in kids[:-1]):
        return True
    if item.marker.style != "num" or any(k.marker.style not in ("pnum", "circ") for k in kids):
        return False
    leaves = [k for k in walk(kids) if not k.children]
    if not any(split_unit_clause(own_text(stream, k))[1] is not None for k in leaves[:-1]):
        return True
    # points that name their own units, under a 1. whose siblings are measures of their own:
    # still one measure at the level of its siblings (2.加强住房支持。（1）…（责任单位：X）
    # （2）…（责任单位：Y）between 1. and 3., each a measure)
    siblings = [k for k in (item.parent.children if item.parent is not None else [])
                if k is not item and k.marker.style == item.marker.style]
    return any(not k.children for k in siblings)


def _inner_units(stream: Stream, item: Item) -> list[tuple[str, UnitRole]]:
    """The units named by the points of a measure written as points, but for the last point's
    (read with the measure's own clause): （1）…（责任单位：X）（2）…（责任单位：Y）."""
    found: list[tuple[str, UnitRole]] = []
    leaves = [k for k in walk(item.children) if not k.children]
    for leaf in leaves[:-1]:
        clause = split_unit_clause(own_text(stream, leaf))[1]
        if clause is not None:
            found.extend(u for u in parse_unit_clause(clause).units if u not in found)
    return found


def _trailing_start(stream: Stream, item: Item, span_end: int | None = None) -> int | None:
    """Where text that is no part of a measure starts: the line after the one that closes the
    measure's unit clause (an unnumbered subhead, 本措施自…起施行). None if there is none."""
    stop = item.end if span_end is None else span_end
    first = item.marker.line
    last = stream.line_of(max(stop - 1, item.marker.start))
    for k in range(first, last):
        end = stream.line_end(k)
        segment = stream.text[item.marker.body_start:end].rstrip()
        if not segment or segment[-1] not in ")]】〕" or not _balanced(segment):
            continue  # 各县（市）/ 区人民政府）: a bracket inside the clause, not its end
        following = stream.text[end:stop].lstrip()
        if not following or following[0] in "([【〔" or lexicon().label_re.match(following):
            continue
        if split_unit_clause(segment)[1] is not None:
            return end
    return None


def _balanced(text: str) -> bool:
    """Every bracket opened in ``text`` is closed."""
    return sum(text.count(c) for c in "([【〔") == sum(text.count(c) for c in ")]】〕")


def _subhead_after_sentence(stream: Stream, item: Item) -> tuple[int | None, str | None]:
    """(where it starts, the subhead): a measure's last line as a subhead of the measures
    after it, when it is a short phrase alone on its line after a line that ends a sentence."""
    last = stream.line_of(max(item.end - 1, item.marker.start))
    if last <= item.marker.line:
        return None, None
    start = stream.starts[last]
    before = stream.text[stream.starts[last - 1]:start].rstrip()
    found = _subhead(stream.text[start:item.end], _SUBHEAD_ALONE_MAX)
    if not before.endswith("。") or found is None:
        return None, None
    return start, found
