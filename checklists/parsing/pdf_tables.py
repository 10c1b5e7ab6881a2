"""Task tables in PDFs, read from the page's layout.

Plain text extraction gives a ruled table one text line at a time: the lines of a wrapped cell
end up between the lines of its neighbours. pypdf's layout mode keeps each character at its
place on the page, so the columns line up. A page whose layout text holds a header row
(序号 … 任务 … 单位) is turned into TAB-separated rows: each column is cut out of every line by
the header's positions, a row is anchored at the line that holds its number, and the lines
of a cell (written centred in the row, as tables are) go to the nearest number line.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

_NUMBER = re.compile(r"\d{1,3}")
_HEADER_WORDS = ("序号", "序", "任务", "措施", "内容", "事项", "单位", "部门", "时限", "时间")
#: A header row names at least this many columns.
_HEADER_MIN = 3
#: This many blank lines in a row end the table (the page's bottom margin).
_TABLE_END = 3
_NOTE = re.compile(r"(?:注|说明|备注|附注)\s?[:：]")
_SLACK = 6


def _width(ch: str, wide: bool = False) -> int:
    """Columns a character takes: one in pypdf's layout text, which places every character in
    one; two for a wide (Chinese) character in text aligned for the eye (``wide``)."""
    return 2 if wide and unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _columns(line: str, wide: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, text) of the runs of text in a layout line, in display columns: runs are
    separated by two or more spaces."""
    out: list[tuple[int, int, str]] = []
    col = 0
    start = -1
    text = ""
    gap = 0
    for ch in line:
        if ch == " ":
            gap += 1
            if gap >= 2 and start >= 0:
                out.append((start, col - gap + 1, text.strip()))
                start, text = -1, ""
        else:
            if start < 0:
                start = col
            elif gap:
                text += " " * gap
            gap = 0
            text += ch
        col += _width(ch, wide) if ch != " " else 1
    if start >= 0:
        out.append((start, col, text.strip()))
    return out


def _header(lines: list[str], wide: bool = False) -> tuple[int, int, list[int]] | None:
    """(first line, last line, column start positions) of a table header: one line naming the
    columns, and a second when header cells wrap (序 / 号)."""
    for k, line in enumerate(lines):
        runs = _columns(line, wide)
        if len(runs) < _HEADER_MIN or any(len(t) > 8 for *_p, t in runs):
            continue
        words = "".join(t for *_p, t in runs)
        if sum(w in words for w in _HEADER_WORDS) < 2 or not any(
                w in words for w in ("单位", "部门")):
            continue
        last = k
        below = _columns(lines[k + 1], wide) if k + 1 < len(lines) else []
        if 0 < len(below) < len(runs) and all(len(t) <= 3 for *_p, t in below):
            last = k + 1  # the wrapped ends of header cells: 号, 限
        return k, last, [s for s, _e, _t in runs]
    return None


def _cut(line: str, edges: list[int], wide: bool = False) -> list[str]:
    """The line's text in each column: a run belongs to the column its middle falls in."""
    cells = [""] * (len(edges) + 1)
    for start, end, text in _columns(line, wide):
        middle = (start + end) / 2
        cells[sum(middle >= e for e in edges)] += text
    return cells


def _gutters(lines: list[str], count: int, wide: bool = False) -> list[int] | None:
    """Positions between the columns: display columns blank on every line of the table,
    taken in the widest runs, ``count - 1`` of them; None when there are not enough."""
    width = max((sum(_width(c, wide) for c in line) for line in lines), default=0)
    used = [False] * (width + 1)
    for line in lines:
        col = 0
        for ch in line:
            w = _width(ch, wide)
            if ch != " ":
                for c in range(col, min(col + w, width)):
                    used[c] = True
            col += w
    gaps: list[tuple[int, int]] = []  # (length, middle)
    c = 0
    first = next((i for i, u in enumerate(used) if u), 0)
    last = max((i for i, u in enumerate(used) if u), default=0)
    c = first
    while c <= last:
        if used[c]:
            c += 1
            continue
        run = c
        while c <= last and not used[c]:
            c += 1
        gaps.append((c - run, (run + c) // 2))
    if len(gaps) < count - 1:
        return None
    return sorted(m for _n, m in sorted(gaps, reverse=True)[:count - 1])


#: A header naming a column of bodies (牵头单位, 配合单位, 责任单位, 责任部门).
_UNIT_HEADER = re.compile("单位|部门|牵头|配合")
#: How the name of a body starts: a level or 各.
_BODY_START = re.compile(r"(?:市|县|区|省|州|盟|旗|各|自治区|中国|国家|团)")
_NAME_END = re.compile(r"(?:局|委|会|部|厅|办|院|行|团|室|中心|府|队|联|组|署|站|所|公司|政府)$")


def _ends_name(text: str) -> bool:
    return _NAME_END.search(text) is not None


def _join_cell(pieces: list[tuple[int, str]], names: bool) -> str:
    """A cell's lines joined; in a column of bodies, lines that each hold whole names
    (市卫生健康委 / 市财政局) are separated with 、."""
    out = ""
    for _i, text in pieces:
        if names and out and _ends_name(out) and _BODY_START.match(text):
            out += "、"
        out += text
    return out


def layout_table(text: str, *, wide: bool = False) -> list[str] | None:
    """The page as lines with its task table as TAB-separated rows (the lines before and after
    the table kept as they are), or None when the page holds no table that reads this way.
    ``wide``: the text is aligned for the eye, a Chinese character two columns wide."""
    lines = [line.rstrip() for line in text.split("\n")]
    found = _header(lines, wide)
    if found is None:
        return None
    first, last, starts = found
    # no cell is wider than the widest gap between two header words, plus some slack
    widest = max(b - a for a, b in pairwise(starts)) + _SLACK
    table: list[str] = []
    at: list[int] = []  # each table line's place on the page: a blank line parts two rows
    blank = 0
    end = len(lines)
    for k in range(last + 1, len(lines)):
        line = lines[k]
        if not line.strip():
            blank += 1
            if blank >= _TABLE_END and table:
                end = k
                break  # rows may stand a blank line apart; several end the table
            continue
        blank = 0
        runs = _columns(line, wide)
        if _NOTE.match(line.strip()) or any(e - b > widest for b, e, _t in runs):
            end = k
            break  # a note under the table, or text across its columns
        table.append(line)
        at.append(k)
    edges = _gutters(lines[first:last + 1] + table, len(starts), wide)
    if edges is None:  # columns set close together: cells start where their header words do
        edges = [start - 1 for start in starts[1:]]
    header = [""] * len(starts)
    for line in lines[first:last + 1]:
        for k, cell in enumerate(_cut(line, edges, wide)):
            header[k] += cell
    body = [_cut(line, edges, wide) for line in table]
    anchors = [i for i, row in enumerate(body) if _NUMBER.fullmatch(row[0].strip())]
    if len(anchors) < 2 or not all(header):
        return None
    pieces: list[list[list[tuple[int, str]]]] = [[[] for _ in starts] for _ in anchors]
    for i, row in enumerate(body):
        # counted in the page's lines, blank ones included: a cell's last line, after which a
        # blank line stands before the next number, is nearer its own row's number
        distances = [abs(at[a] - at[i]) for a in anchors]
        nearest = distances.index(min(distances))  # a tie goes to the row above
        for k, cell in enumerate(row):
            if cell.strip():
                pieces[nearest][k].append((i, cell.strip()))
    units = [k for k, name in enumerate(header) if _UNIT_HEADER.search(name)]
    for r in range(1, len(anchors)):
        for k in units:
            # a name wrapped over more lines than its row's number holds the middle of:
            # its last line lands nearer the next row's number (各县（市、区） / 政府)
            while (pieces[r][k] and pieces[r][k][0][0] < anchors[r] and pieces[r - 1][k]
                   and not _ends_name(pieces[r - 1][k][-1][1])
                   and not _BODY_START.match(pieces[r][k][0][1])):
                pieces[r - 1][k].append(pieces[r][k].pop(0))
            # and the first line of a name that starts just above the next row's number
            # (市卫生健康 / 委 beside 3) belongs to that row
            while (len(pieces[r - 1][k]) > 1 and pieces[r - 1][k][-1][0] > anchors[r - 1]
                   and pieces[r][k] and not _ends_name(pieces[r - 1][k][-1][1])
                   and not _BODY_START.match(pieces[r][k][0][1])):
                pieces[r][k].insert(0, pieces[r - 1][k].pop())
    rows = [[_join_cell(cell, k in units) for k, cell in enumerate(row)] for row in pieces]
    before = [line.strip() for line in lines[:first] if line.strip()]
    after = [line.strip() for line in lines[end:] if line.strip()]
    return [*before, "\t".join(header), *("\t".join(r) for r in rows), *after]
