"""``parse_text``: one importer for every layout, from raw text to a ParsedDocument."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from checklists.parsing.cards import task_cards
from checklists.parsing.draft import Draft, DraftMeasure
from checklists.parsing.enumerations import split_enumerations
from checklists.parsing.errors import PolicyFormatError
from checklists.parsing.ids import document_id
from checklists.parsing.lexicon import lexicon
from checklists.parsing.lines import Line, clean_lines, remove_duplicate_blocks
from checklists.parsing.metadata import (
    date_line,
    find_metadata,
    is_org,
    issued_title,
    issuer_in_title,
    signature,
    tail_start,
)
from checklists.parsing.model import (
    FLAG_TITLE_CUT,
    FLAG_TO_VERIFY,
    ParsedDocument,
    ParsedMeasure,
    ParsedSection,
    ParsedTarget,
    ParsedUnit,
)
from checklists.parsing.pdf_tables import layout_table
from checklists.parsing.prose import draft_from_items
from checklists.parsing.sentence_units import sentence_units
from checklists.parsing.structure import build_stream, find_items
from checklists.parsing.table import find_cell_header, find_header, parse_table
from checklists.parsing.targets import extract_targets
from checklists.parsing.text import compact, display, html_to_text, nfkc
from checklists.parsing.titles import make_title
from checklists.parsing.unit_rules import (
    division_of_labour,
    first_unit_leads,
    inheritance_statements,
    section_closings,
    split_deadline,
    unit_doubts,
)
from checklists.parsing.units import parse_unit_clause, split_unit_clause, unit_objects
from checklists.regions import detect_region


def parse_text(text: str, *, source_name: str | None = None) -> ParsedDocument:
    """Sections, measures (number, path, title, text, units, targets) and metadata of a
    policy document. A text with no recognisable measures (a notice, a news page) gives its
    metadata, no measures and a note saying so; only an empty text raises PolicyFormatError."""
    if not text.strip():
        raise PolicyFormatError("文件内容为空，没有可导入的政策文字。")
    warnings: list[str] = []
    lines, raw = clean_lines(_spaced_table(html_to_text(text)))
    lines, blocks = remove_duplicate_blocks(lines)
    lines = task_cards(lines)
    if blocks:
        warnings.append(f"文本中有 {blocks} 处整段重复（提取时重复输出），已去除重复部分。")
    options = [_read_body(wrapper, body) for wrapper, body in split_wrapper_options(lines)]
    wrapper, draft, head, tail, notes = max(
        options, key=lambda option: len(option[1].measures))  # the first of the fullest
    warnings.extend(notes)
    news = _news_report(text, draft)
    if news:
        draft = Draft(sections=[], measures=[], preamble=[])
    if not draft.measures:
        warnings.insert(0, NO_MEASURES_NOTE)

    meta = find_metadata(head, tail)
    if wrapper:  # the 印发 notice: its number, signature and date are the document's own
        outer = find_metadata(wrapper, wrapper)
        meta = replace(meta, title=issued_title(wrapper) or meta.title or outer.title,
                       issuers=meta.issuers or outer.issuers,
                       doc_number=meta.doc_number or outer.doc_number,
                       date=meta.date or outer.date)
    if meta.date is None and not meta.issuers:
        # the 落款 stands above an appendix (附表, 注释): look for it anywhere after the head
        date, issuers = signature([line for line in lines if line.text.strip()][len(head):])
        meta = replace(meta, date=date, issuers=tuple(dict.fromkeys(map(display, issuers))))
    if draft.measures and meta.title and meta.title.endswith("通知"):
        # a notice (关于做好…工作的通知) signed and dated, then the plan it sends under its
        # own title: the measures are the plan's, and so is the title
        embedded = _embedded_title(lines, min(draft.measures[0].source_lines, default=-1))
        if embedded is not None:
            meta = replace(meta, title=embedded)
    if not meta.issuers and issuer_in_title(meta.title):
        meta = replace(meta, issuers=(str(issuer_in_title(meta.title)),))
    if not draft.measures and not (meta.title or meta.doc_number or meta.issuers or meta.date):
        raise PolicyFormatError(
            "未在文本中找到带编号的措施（如“一、”“（一）”“1.”或任务表格），也没有识别出"
            "文件标题、文号、发文单位或日期：这段文字不像政策文件，未导入。")
    title = meta.title or (news and _headline(head)) or _fallback_title(head, source_name,
                                                                       warnings)
    if draft.measures and meta.title and _NOT_POLICY.search(compact(meta.title)):
        # a 公示 or a 政策解读 restates or lists; its numbered points are no measures
        draft = Draft(sections=[], measures=[], preamble=[])
        warnings.insert(0, NO_MEASURES_NOTE)
    region = (detect_region(title) or detect_region("".join(meta.issuers))
              or detect_region("".join(line.text for line in head)))

    doc_flags: list[str] = []
    stage = _NOT_ISSUED.search(compact(title))
    if stage is not None and draft.measures:
        warnings.insert(0, f"这是{stage.group(0)}，不是正式印发的文件：已标记“{FLAG_TO_VERIFY}”。"
                           "据此生成的检查项，请在正式文件印发后对照核对。")
        doc_flags.append(FLAG_TO_VERIFY)
    around = "".join(compact(line.text) for line in head + tail) + "".join(draft.preamble)
    for note in _lost(around):
        warnings.append(f"文件头部或前言：{note}，已标记“{FLAG_TO_VERIFY}”。")
        if FLAG_TO_VERIFY not in doc_flags:
            doc_flags.append(FLAG_TO_VERIFY)

    doc_targets: list[ParsedTarget] = []
    for part in draft.preamble:
        doc_targets.extend(extract_targets(display(part)))

    split_enumerations(draft)
    measures, inherited = _measures(draft, raw, warnings)
    measures = division_of_labour(measures, compact(nfkc(text)), warnings)
    if any(p.search(compact(text)) for p in lexicon().first_unit_leads):
        measures = first_unit_leads(measures, warnings)
    return ParsedDocument(
        id=document_id(text),
        title=title,
        region=region.name if region else None,
        region_code=region.code if region else None,
        issuers=meta.issuers,
        doc_number=meta.doc_number,
        date=meta.date,
        sections=tuple(ParsedSection(s.path, s.number, display(s.title), s.preamble)
                       for s in draft.sections),
        measures=tuple(measures),
        targets=tuple(doc_targets),
        inherited_units=tuple(inherited),
        flags=tuple(doc_flags),
        warnings=tuple(warnings),
        source_text=text,
    )


#: Titles of documents that carry no measures of their own, whatever they number: a 公示 of
#: a list, a 政策解读 or 答记者问 restating a policy, the 纪要 of a meeting.
_NOT_POLICY = re.compile(r"(?:的公示|公示公告|政策解读|解读|答记者问|问答|会议纪要|纪要)$")


#: The title of a plan or of measures: what a notice may send after its own 落款.
_PLAN_TITLE = re.compile(r"(?:方案|措施|意见|办法|细则|规划|计划|清单|规定|举措|任务)$")
_PLAN_TITLE_LEN = (6, 60)
_SENTENCE_MARK = re.compile(r"[，。；：,;:]")
_NUMBERED = re.compile(r"[一二三四五六七八九十(（\d]")


def _embedded_title(lines: list[Line], first_measure: int) -> str | None:
    """The title standing alone on its line after a notice's dated 落款 and before the first
    measure (沧州市2025年托育服务提质扩容工作方案), else None."""
    dated = False
    for line in lines:
        if first_measure >= 0 and line.index >= first_measure:
            break
        text = compact(line.text)
        if date_line(text) is not None:
            dated = True
            continue
        shortest, longest = _PLAN_TITLE_LEN
        if (dated and shortest <= len(text) <= longest and _PLAN_TITLE.search(text)
                and not _SENTENCE_MARK.search(text) and not _NUMBERED.match(text)):
            return display(text)
    return None


#: A document not yet issued, as its title says: a draft out for comment or for review.
_NOT_ISSUED = re.compile(r"征求意见稿|送审稿|讨论稿|草案|初稿")


#: The note on a document in which no measure was recognised.
NO_MEASURES_NOTE = ("未在文本中找到带编号的措施（如“一、”“（一）”“1.”或任务表格）："
                    "只导入了文件的标题、文号、发文单位和日期。如果这是政策文件正文，"
                    "请在核对时把措施所在的行标为“措施”。")


_ATTACHMENT = re.compile(r"附件\d{0,2}[:：]?")

Body = tuple[list[Line], Draft, list[Line], list[Line], list[str]]


def _spaced_table(text: str) -> str:
    """Text whose task table lines its columns up with spaces (copied from a PDF or a plain
    text file) gets that table as TAB-separated rows; any other text is left as it is."""
    if "\t" in text or "  " not in text:
        return text
    for wide in (True, False):
        table = layout_table(text, wide=wide)
        if table is not None:
            return "\n".join(table)
    return text


def _read_body(wrapper: list[Line], lines: list[Line]) -> Body:
    """(wrapper, draft, head, tail, notes) of one candidate body: a task table, numbered
    prose, or paragraphs that end with their units."""
    notes: list[str] = []
    header = find_header(lines) or find_cell_header(lines)
    if header is not None:
        draft, head, tail = parse_table(lines, header)
        before = lines[:header.first]
        prose, prose_head, _tail, _doubled = _parse_prose([_label_alone(x) for x in before])
        own = [m for m in prose.measures if split_unit_clause(m.body)[1] is not None]
        if own:  # numbered measures with their units in the text, then a table of more
            draft = Draft(sections=prose.sections + draft.sections,
                          measures=own + draft.measures, preamble=prose.preamble)
            head = prose_head
        return wrapper, draft, head, tail, notes
    draft, head, tail, doubled = _parse_prose([_label_alone(line) for line in lines])
    if doubled:
        notes.append("分页处重复的字已去除：" + "；".join(doubled) + "。")
    if not draft.measures:
        draft, head, tail = _paragraph_draft(lines)
        if draft.measures:
            notes.append(f"文件中的措施没有编号：按段落识别出 {len(draft.measures)} 项"
                         "（每段以责任单位结尾），编号为程序所加，请核对。")
    return wrapper, draft, head, tail, notes


_REPORT_MARKERS_MIN = 2


def _news_report(text: str, draft: Draft) -> bool:
    """Whether the text reports on a policy (a news item) instead of being it: it bears the
    marks of a report and no numbered paragraph names a unit."""
    squeezed = compact(nfkc(text))
    marks = sum(marker in squeezed for marker in lexicon().report_markers)
    if marks < _REPORT_MARKERS_MIN:
        return False
    return not any(split_unit_clause(dm.body)[1] or dm.units for dm in draft.measures)


def _headline(head: list[Line]) -> str | None:
    """A news item's headline: its first line of some length that is no sentence and not
    the name of the site's body (上饶市妇女联合会 above its navigation)."""
    for line in head:
        text = display(line.text)
        if (8 <= len(compact(text)) <= 60 and not re.search("[。:：]", text)
                and not is_org(text)):
            return text
    return None


def split_wrapper_options(lines: list[Line]) -> list[tuple[list[Line], list[Line]]]:
    """The ways to read the text: as it is, or, for a 印发 notice with attachments, each
    attachment as the document (附件1 the task list, 附件2 a form to fill in)."""
    wrapper, body = split_wrapper(lines)
    if not wrapper:
        return [([], lines)]
    marks = [k for k, line in enumerate(lines) if _ATTACHMENT.fullmatch(compact(line.text))]
    out = [(wrapper, body)]
    for k, mark in enumerate(marks[:-1]):
        part = lines[mark + 1:marks[k + 1]]
        if len(part) >= 3:
            out.insert(len(out) - 1, (lines[:mark], part))
    return out


def split_wrapper(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """(the 印发 notice around a document, the document) — or ([], lines) when there is none.

    A notice that issues a plan (关于印发《…》的通知) may number its own instructions (一、二、
    三、) before the attachment that holds the plan; those are the notice's, not measures. The
    plan starts after the last line that is only 附件 (or 附件1): the notice keeps what comes
    before it."""
    opening = "".join(compact(line.text) for line in lines[:3])
    if not ("印发" in opening and "通知" in opening):
        return [], lines
    marks = [k for k, line in enumerate(lines) if _ATTACHMENT.fullmatch(compact(line.text))]
    if not marks or len(lines) - marks[-1] < 3:
        return [], lines
    return lines[:marks[-1]], lines[marks[-1] + 1:]


def _label_alone(line: Line) -> Line:
    """A unit label alone on its line (its value on the next) gets its colon."""
    squeezed = compact(line.text)
    if "\t" not in line.text and lexicon().label_re.fullmatch(squeezed):
        return replace(line, text=squeezed + ":", full=squeezed + ":")
    return line


def _parse_prose(lines: list[Line]) -> tuple[Draft, list[Line], list[Line], list[str]]:
    prose = [replace(line, text=line.text.strip()) for line in lines if line.text.strip()]
    cut = tail_start(prose)
    body, tail = prose[:cut], prose[cut:]
    roots = find_items(build_stream(body, mend_from=len(body)))
    if not roots:
        return Draft(), body, tail, []
    stream = build_stream(body, mend_from=roots[0].marker.line)
    roots = find_items(stream)
    head = body[: roots[0].marker.line]
    return draft_from_items(stream, roots), head, tail, stream.doubled


#: Unnumbered measures are taken only when at least this many paragraphs end with units.
_PARAGRAPHS_MIN = 2


def _paragraph_draft(lines: list[Line]) -> tuple[Draft, list[Line], list[Line]]:
    """Measures written as paragraphs without numbers, each ending with its unit clause
    （责任单位：X）. A paragraph starts on an indented line or after a blank line."""
    prose = [line for line in lines if line.text.strip()]
    cut = tail_start(prose)
    body, tail = prose[:cut], prose[cut:]
    paragraphs: list[list[Line]] = []
    for line in body:
        starts = not paragraphs or line.blank_before or line.full[:1] in (" ", "\u3000", "\t")
        if starts:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    found = [(k, p) for k, p in enumerate(paragraphs)
             if split_unit_clause("".join(x.text.strip() for x in p))[1] is not None]
    draft = Draft()
    if len(found) < _PARAGRAPHS_MIN:
        return draft, body, tail
    for number, (_k, paragraph) in enumerate(found, 1):
        text = "".join(x.text.strip() for x in paragraph)
        draft.add_measure(str(number), None, text, [x.index for x in paragraph], [])
    first = found[0][0]
    head = [x for p in paragraphs[:first] for x in p]
    return draft, head, tail


def _fallback_title(head: list[Line], source_name: str | None, warnings: list[str]) -> str:
    warnings.append("未识别出文件标题，请核对。")
    if source_name:
        return PurePath(source_name).stem
    for line in head:
        if compact(line.text):
            return display(line.text)[:40]
    return "未命名政策文件"


def _lost(text: str) -> list[str]:
    notes: list[str] = []
    for lost in lexicon().lost:
        for m in lost.pattern.finditer(text):
            notes.append(f"“{m.group()}”{lost.note}")
    return notes


def _measures(draft: Draft, raw: list[str],
              warnings: list[str]) -> tuple[list[ParsedMeasure], list[ParsedUnit]]:
    lex = lexicon()
    out: list[ParsedMeasure] = []
    inherited: list[ParsedUnit] = []
    seen_paths: set[str] = set()
    statements = inheritance_statements(raw)
    closing = section_closings(draft)
    for dm in draft.measures:
        first_line = min(dm.source_lines, default=-1)
        while statements and statements[0][0] < first_line:
            for name in statements.pop(0)[1]:
                if all(u.name != name for u in inherited):
                    inherited.append(ParsedUnit(name, "inherited", lex.is_collective(name)))
        written, deadline = split_deadline(dm.body)
        body, clause = split_unit_clause(written)
        if deadline:
            body = f"{body}（完成时限：{deadline}）"
        units = list(dm.units)
        handed_down: list[str] = []
        if clause is not None:
            parsed = parse_unit_clause(clause)
            units.extend(parsed.units)
            handed_down = parsed.inherited
        if not units and dm.section is not None:
            # named once for the section: in its heading, or after its last measure
            units = list(dm.section.units) or list(closing.get(id(dm.section), []))
        elif (dm.section is not None and dm.section.units
              and all(role == "lead" for _, role in dm.section.units)
              and not any(role == "lead" for _, role in units)):
            # the heading names who leads (一、X牵头); the measure, who assists
            units = [*dm.section.units, *(u for u in units if u not in dm.section.units)]
        if not units:
            units = sentence_units(body)  # 市卫生健康委牵头，会同市教育局推进…
        own = unit_objects(units)
        names = {u.name for u in own}
        carried = [u for u in inherited if u.name not in names]
        where = measure_label(dm.number)
        title, was_cut = make_title(body)
        flags: list[str] = []
        if was_cut:
            flags.append(FLAG_TITLE_CUT)
            warnings.append(f"{where}的标题无法按“。”截取，已截为“{title}”，请核对。")
        if dm.dropped:
            shown = dm.dropped if len(dm.dropped) <= 40 else dm.dropped[:40] + "…"
            warnings.append(f"{where}的单位之后的文字“{display(shown)}”"
                            "不属于这一项措施，未计入。")
        notes = _lost(compact(dm.body)) + dm.doubts + unit_doubts(own)
        if notes:
            flags.append(FLAG_TO_VERIFY)
            warnings.extend(f"{where}：{note}，已标记“{FLAG_TO_VERIFY}”。"
                            for note in notes)
        text = display(body)
        out.append(ParsedMeasure(
            number=dm.number,
            path=_unique(dm.path, seen_paths),
            section=(display(dm.subhead) if dm.subhead
                     else display(dm.section.title) if dm.section else None),
            section_path=dm.section.path if dm.section else None,
            title=title,
            text=text,
            source_text=_source(dm, raw),
            lead_units=tuple(u.name for u in own if u.role == "lead"),
            responsible_units=tuple(u.name for u in own if u.role == "responsible"),
            units=tuple(own + carried),
            targets=extract_targets(text),
            flags=tuple(flags),
        ))
        for name in map(display, handed_down):
            if all(u.name != name for u in inherited):
                inherited.append(ParsedUnit(name, "inherited", lex.is_collective(name)))
    return out, inherited


def measure_label(number: str) -> str:
    """How a warning names a measure: 第一条, 第 3 项, 第 （二） 项."""
    shown = display(number)
    return shown if shown.startswith("第") else f"第 {shown} 项"


def _unique(path: str, seen: set[str]) -> str:
    candidate, k = path, 1
    while candidate in seen:
        k += 1
        candidate = f"{path}~{k}"
    seen.add(candidate)
    return candidate


def _source(dm: DraftMeasure, raw: list[str]) -> str:
    if not dm.source_lines:
        return dm.body
    lo, hi = min(dm.source_lines), max(dm.source_lines)
    return "\n".join(raw[lo:hi + 1]).strip()
