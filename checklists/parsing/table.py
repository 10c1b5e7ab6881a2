"""Task tables: one measure per row, columns named by a header row.

A row is one line with its cells separated by TABs (the .docx reader writes tables that way,
and so do copies from spreadsheets and web pages), or, where a copy put every cell on a line
of its own, as many lines as the header has cells. A row that a line break cut in two is put
back together by counting its cells. A header repeated on every page is skipped; the group
column (举措) is carried forward where it is empty, and a repeated group is the same group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checklists.parsing.draft import Draft, DraftSection
from checklists.parsing.lexicon import lexicon
from checklists.parsing.lines import Line
from checklists.parsing.metadata import date_line, is_org
from checklists.parsing.structure import match_marker
from checklists.parsing.text import compact, int_to_cn, strip_tags
from checklists.parsing.units import parse_unit_clause

_GROUP = re.compile("举措|类别|领域|板块|方面|分类|重点任务|任务类别|工作类别|项目")
_NUMBER = re.compile("^(序号|编号|序|编码)$")
_CONTENT = re.compile("内容|措施|任务|事项|工作|要求|项目名称")
_DEADLINE = re.compile("时限|时间|期限|进度")
_SECTION_NUMBER = re.compile(r"[一二三四五六七八九十]{1,3}[、.]?|\([一二三四五六七八九十]{1,3}\)")
_PEOPLE = re.compile("领导|责任人|联系人|负责人")
_HEADER_CELL_MAX = 10
_GROUP_MAX = 40  # a group heading on a line of its own is at most this long


@dataclass(frozen=True)
class Header:
    first: int  # index of the header's first line
    last: int  # index of its last line
    kinds: tuple[str, ...]  # per column: group number content lead responsible deadline other
    names: tuple[str, ...]
    one_cell_per_line: bool = False  # each cell on a line of its own, not TAB-separated


def _classify(cells: list[str]) -> tuple[str, ...] | None:
    lex = lexicon()
    kinds: list[str] = []
    for raw in cells:
        cell = compact(strip_tags(raw))
        if not cell or _PEOPLE.search(cell):  # 牵头领导, 责任人: people, not bodies
            kinds.append("other")
        elif "牵头" in cell or any(label in cell for label in lex.lead_labels):
            kinds.append("lead")
        elif any(label in cell for label in lex.responsible_labels) or re.search(
                "(单位|部门|责任分工|职责分工)$", cell):
            kinds.append("responsible")
        elif _NUMBER.match(cell):
            kinds.append("number")
        elif _DEADLINE.search(cell):
            kinds.append("deadline")
        elif _GROUP.fullmatch(cell):
            kinds.append("group")
        elif _CONTENT.search(cell):
            kinds.append("content")
        else:
            kinds.append("other")
    contents = [i for i, k in enumerate(kinds) if k == "content"]
    if len(contents) >= 2 and "group" not in kinds:
        kinds[contents[0]] = "group"
        for i in contents[1:-1]:
            kinds[i] = "other"
    if "content" not in kinds and "group" in kinds:
        # 重点任务 as the only text column holds the tasks themselves
        kinds[len(kinds) - 1 - kinds[::-1].index("group")] = "content"
    if "content" not in kinds or not ({"lead", "responsible"} & set(kinds)):
        return None
    return tuple(kinds)


def _header_like(text: str) -> bool:
    """Every cell a short heading word: no digits, no punctuation."""
    cells = [compact(strip_tags(c)) for c in text.split("\t")]
    return all(len(c) <= _HEADER_CELL_MAX and not re.search(r"[\d,，。;；:：、]", c) for c in cells)


def find_header(lines: list[Line]) -> Header | None:
    """The first table header: a TAB-separated row naming a content and a unit column.

    A header that a line break cut in two is joined back while the next line still holds
    only short heading words.
    """
    for i, line in enumerate(lines):
        if "\t" not in line.full or not _header_like(line.full):
            continue
        below = lines[i + 1].full if i + 1 < len(lines) else ""
        if "\t" in below and _header_like(below) and below.count("\t") > line.full.count("\t"):
            # a header over two rows (责任单位 above 牵头单位 | 配合单位): the lower row names
            # every column
            cells = below.split("\t")
            kinds = _classify(cells)
            if kinds is not None:
                return Header(i, i + 1, kinds, tuple(compact(c) for c in cells))
        merged = _two_row_header(line.full, below)
        if merged is not None:
            kinds = _classify(merged)
            if kinds is not None:
                return Header(i, i + 1, kinds, tuple(compact(c) for c in merged))
        row, j = line.full, i
        while j + 1 < len(lines) and _header_like(row + lines[j + 1].full):
            row, j = row + lines[j + 1].full, j + 1
        cells = row.split("\t")
        kinds = _classify(cells)
        if kinds is not None:
            return Header(i, j, kinds, tuple(compact(c) for c in cells))
    return None


def _two_row_header(upper: str, lower: str) -> list[str] | None:
    """The column names of a header over two rows with the same cells (序号 | 工作任务 | 责任单位
    | (empty) above (empty) | (empty) | 牵头单位 | 配合单位): each column named by its lower
    cell, else its upper one; None when ``lower`` is no such sub-header."""
    if "\t" not in lower or not _header_like(lower) or lower.count("\t") != upper.count("\t"):
        return None
    tops = [compact(strip_tags(c)) for c in upper.split("\t")]
    subs = [compact(strip_tags(c)) for c in lower.split("\t")]
    if not any(subs) or not any(not sub and top for top, sub in zip(tops, subs, strict=True)):
        return None
    return [sub or top for top, sub in zip(tops, subs, strict=True)]


Row = tuple[list[str], list[int]]  # cells, source line numbers


def _rows(lines: list[Line], header: Header) -> tuple[list[Row], list[Line]]:
    """The table's rows (cells, source line numbers) and the lines between and after them."""
    width = len(header.kinds)
    rows: list[Row] = []
    outside: list[Line] = []
    buf: str | None = None
    held: list[int] = []

    def flush() -> None:
        if buf is None:
            return
        if "\t" in buf:
            rows.append((buf.split("\t"), [lines[p].index for p in held]))
        else:
            outside.extend(lines[p] for p in held)

    for pos in range(header.last + 1, len(lines)):
        line = lines[pos]
        if buf is not None:
            if "\t" not in buf:
                # A line before a row: a group heading (short) joins the row; prose does not.
                absorb = len(compact(buf)) <= _GROUP_MAX
            elif buf.count("\t") < width - 1:
                # a short section row (一、 | 完善母婴设施建设) ends where a numbered row starts
                absorb = not (header.kinds[0] == "number" and "\t" in line.full and re.fullmatch(
                    r"\d{1,3}[.、]?", compact(line.full.split("\t", 1)[0])) is not None)
            else:
                # A complete row: only a cell that a line break cut continues on the next line.
                following = lines[pos + 1].full if pos + 1 < len(lines) else ""
                absorb = ("\t" not in line.full and not line.blank_before
                          and match_marker(line.text, 0) is None
                          and not is_org(line.text) and date_line(line.text) is None
                          and (bool(buf.rsplit("\t", 1)[-1].strip())
                               or _repeats_header(buf, header)
                               or _starts_row(following, header)))
            if absorb:
                # inside a quoted spreadsheet cell a line break separates items (two units)
                buf += ("\n" if buf.count('"') % 2 else "") + line.full
                held.append(pos)
                continue
        flush()
        buf, held = line.full, [pos]
    flush()
    return rows, outside


def _starts_row(text: str, header: Header) -> bool:
    """Whether a line begins a row by itself: its first cell fits the first column."""
    if "\t" not in text:
        return False
    first = compact(strip_tags(text.split("\t", 1)[0]))
    if not first:
        return True
    if header.kinds[0] == "number":
        return re.fullmatch(r"\d{1,3}[.、]?", first) is not None or (
            match_marker(first + " ", 0) is not None)
    if header.kinds[0] == "group":
        return match_marker(first, 0) is not None
    return False


def _repeats_header(row: str, header: Header) -> bool:
    """A header row repeated on a new page (its last cell may be cut off, and the page's
    running title may have been taken for a group heading before its first cell)."""
    names = [compact(strip_tags(c)) for c in row.split("\t")]
    width = len(header.names) - 1
    if names[:width] == list(header.names[:width]):
        return True
    return (width > 1 and names[1:width] == list(header.names[1:width])
            and bool(names) and names[0].endswith(header.names[0]))


def _group(cell: str, count: int) -> tuple[str, str]:
    """(number, title) of a group cell such as ``一、深化生育服务保障``."""
    found = match_marker(cell, 0)
    if found is not None:
        return found[2], cell[found[3]:].strip()
    return int_to_cn(count), cell


def _number(cell: str, fallback: int) -> str:
    squeezed = compact(cell)
    digits = re.fullmatch(r"(\d{1,3})[.、]?", squeezed)
    if digits:
        return digits.group(1)
    found = match_marker(squeezed + " ", 0)
    if found is not None and found[3] >= len(squeezed):
        return found[2]
    return squeezed or str(fallback)


def parse_table(lines: list[Line], header: Header) -> tuple[Draft, list[Line], list[Line]]:
    """The measures of a task table, the lines before it (title, 文号) and the lines after
    and between its rows (落款) for metadata."""
    if header.one_cell_per_line:
        rows, after = _cell_rows(lines, header)
    else:
        rows, after = _rows(lines, header)
    return _draft(rows, header), lines[: header.first], after


#: A header cell on a line of its own is at most this long; at least this many make a header.
_CELL_HEADER_MIN = 3
_CELL_HEADER_MAX = 10
_ROW_NUMBER = re.compile(r"(\d{1,3})[.、]?")


def find_cell_header(lines: list[Line]) -> Header | None:
    """A table saved one cell per line: header cells (序号 / 任务 / 牵头单位 / 责任单位 / 完成
    时限) each on a line of their own, naming a content and a unit column."""
    i = 0
    while i < len(lines):
        run = i
        while run < len(lines) and run - i < _CELL_HEADER_MAX and _header_cell(lines[run]):
            run += 1
        for end in range(run, i + _CELL_HEADER_MIN - 1, -1):
            cells = [compact(line.text) for line in lines[i:end]]
            kinds = _classify(cells)
            if kinds is not None and kinds[-1] != "other":
                return Header(i, end - 1, kinds, tuple(cells), one_cell_per_line=True)
        i = max(run, i + 1)
    return None


def _header_cell(line: Line) -> bool:
    return "\t" not in line.full and bool(compact(line.text)) and _header_like(line.text)


def _cell_rows(lines: list[Line], header: Header) -> tuple[list[Row], list[Line]]:
    """Rows of a one-cell-per-line table. With a number column, a row starts at the line that
    holds the next number; without one, every ``width`` lines make a row. A cell cut over two
    lines is joined into the content cell; the last row takes no more lines than it needs."""
    width = len(header.kinds)
    body = lines[header.last + 1:]
    if not body:
        return [], []
    chunks: list[list[Line]] = []
    if header.kinds[0] == "number":
        expected = None
        for line in body:
            m = _ROW_NUMBER.fullmatch(compact(line.text))
            value = int(m.group(1)) if m else None
            if value is not None and (expected is None or value == expected):
                chunks.append([line])
                expected = value + 1
            elif chunks:
                chunks[-1].append(line)
        if not chunks:
            return [], body
    else:
        chunks = [body[k:k + width] for k in range(0, len(body), width)]
    after: list[Line] = []
    if len(chunks[-1]) > width:
        after = chunks[-1][width:]
        chunks[-1] = chunks[-1][:width]
    rows = [(_fit(chunk, header), [line.index for line in chunk]) for chunk in chunks]
    return rows, after


def _fit(chunk: list[Line], header: Header) -> list[str]:
    """The cells of one row, as many as the header has columns. The columns before the
    content are filled from the left and those after it from the right; what is left in the
    middle is the content, and a group cell (merged over several rows, so written only in the
    first) when the first of it is a short heading."""
    cells = [line.text for line in chunk]
    kinds = header.kinds
    width = len(kinds)
    content = kinds.index("content")
    out = [""] * width
    left = [k for k in range(content) if kinds[k] != "group"]
    right = list(range(content + 1, width))
    for k in left:
        if cells:
            out[k] = cells.pop(0)
    for k in reversed(right):
        if len(cells) > 1:
            out[k] = cells.pop()
    group = kinds.index("group") if "group" in kinds[:content] else None
    if group is not None and len(cells) > 1 and _GROUP_CELL.fullmatch(compact(cells[0])):
        out[group] = cells.pop(0)
    out[content] = "".join(cells)
    return out


#: A group cell: a short heading without sentence punctuation.
_GROUP_CELL = re.compile(r"[^。，,；;：:]{2,24}")


def _unquote(cell: str) -> str:
    """A spreadsheet cell that holds a line break is copied in quotes: "…", with "" for "."""
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"').strip()
    return cell


def _draft(rows: list[Row], header: Header) -> Draft:
    kinds = header.kinds
    width = len(kinds)
    draft = Draft()
    section: DraftSection | None = None
    for cells, src in rows:
        cells = [_unquote(strip_tags(c).strip()) for c in cells]
        if len(cells) > width:
            extra = cells[width - 1:]
            cells = [*cells[: width - 1], "\t".join(extra)]
        cells += [""] * (width - len(cells))
        if _repeats_header("\t".join(cells), header):
            continue
        by_kind: dict[str, list[str]] = {}
        for kind, cell in zip(kinds, cells, strict=True):
            by_kind.setdefault(kind, []).append(cell)
        group = " ".join(c for c in by_kind.get("group", []) if c)
        numbered = " ".join(c for c in by_kind.get("number", []) if c)
        if _SECTION_NUMBER.fullmatch(compact(numbered)) and not any(
                c for kind in ("lead", "responsible") for c in by_kind.get(kind, [])):
            # 一、 | 完善母婴设施建设: a section row among rows numbered 1、2、…
            group = compact(numbered) + " ".join(c for c in by_kind.get("content", []) if c)
            by_kind["content"] = []
        if group:
            number, title = _group(group, len(draft.sections) + 1)
            if section is None or (number, compact(title)) != (section.number,
                                                               compact(section.title)):
                section = DraftSection(number, number, title)
                draft.sections.append(section)
        content = " ".join(c for c in by_kind.get("content", []) if c)
        more = [cell for kind in ("lead", "responsible") for cell in by_kind.get(kind, []) if cell]
        if not content and not numbered and more and draft.measures:
            # a task over several rows: the rows below its first name more units
            last = draft.measures[-1]
            for kind in ("lead", "responsible"):
                for cell in by_kind.get(kind, []):
                    label = "牵头单位" if kind == "lead" else "责任单位"
                    last.units.extend(u for u in parse_unit_clause(f"{label}:{cell}").units
                                      if u not in last.units)
            last.source_lines.extend(src)
            continue
        if not content:
            continue
        deadline = "；".join(c for c in by_kind.get("deadline", []) if c)
        if deadline:
            content = f"{content}（完成时限：{deadline}）"
        number = _number(" ".join(by_kind.get("number", [])), len(draft.measures) + 1)
        units = []
        for kind in ("lead", "responsible"):
            for cell in by_kind.get(kind, []):
                label = "牵头单位" if kind == "lead" else "责任单位"
                units.extend(parse_unit_clause(f"{label}:{cell}").units)
        draft.add_measure(number, section, content, src, units)
    return draft
