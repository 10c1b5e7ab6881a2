"""Task cards: one task per block of labelled lines, the number on a line of its own.

    任务一
    任务名称：落实育儿补贴制度
    工作内容：按照国家和省统一部署……
    牵头单位：市卫健委
    配合单位：市财政局
    完成时限：2025年12月底前

Each card becomes a numbered measure (``1.落实育儿补贴制度。按照……``): the card's number
line and its name line are joined into the measure's first line, the content's label is
dropped, and the unit and deadline lines stay as they are (the parser reads those labels
wherever they stand). Cards keep their own numbers, so cards numbered on across sections
(任务四 under 二、) stay one run.
"""

from __future__ import annotations

import re
from dataclasses import replace

from checklists.parsing.lines import Line
from checklists.parsing.text import cn_to_int, compact

_NUMBER = r"(?P<n>[一二三四五六七八九十百零〇]{1,4}|\d{1,3})"
#: The card's own line: 任务一, 重点任务3, 事项二：, optionally followed by its name.
_CARD = re.compile(rf"(?:重点|工作)?(?:任务|事项|实事|项目){_NUMBER}"
                   rf"(?:[:：、.](?P<name>[^。；;]{{2,40}}))?")
#: The card's name: 任务名称：X.
_NAME = re.compile(r"(?:任务|事项|工作|项目|实事)?名称[:：](?P<name>.{2,60})")
#: The label before the card's content: 工作内容：, 具体措施：, 主要任务：.
_BODY = re.compile(r"(?:工作|任务|具体|主要|重点)(?:内容|措施|举措|要求|任务)[:：]")
#: At least this many cards make the layout.
_MIN_CARDS = 2
#: How far after the card's line its name may stand.
_NAME_REACH = 2


def task_cards(lines: list[Line]) -> list[Line]:
    """``lines`` with each task card turned into a numbered measure; unchanged when the text
    holds fewer than two cards."""
    cards = [k for k, line in enumerate(lines) if _card(line) is not None]
    if len(cards) < _MIN_CARDS:
        return lines
    # a card laid out as a two-column table (名称 | X, 牵头单位 | Y): label and value as text
    lines = [_label_value(line) if k > cards[0] else line for k, line in enumerate(lines)]
    out = list(lines)
    dropped: set[int] = set()
    for k in cards:
        card = _card(lines[k])
        assert card is not None
        number, name = card
        if name is None:
            for j in range(k + 1, min(len(lines), k + 1 + _NAME_REACH)):
                found = _NAME.fullmatch(compact(lines[j].text))
                if found:
                    name = found.group("name").rstrip("。；;")
                    dropped.add(j)
                    break
        end = cards[cards.index(k) + 1] if cards.index(k) + 1 < len(cards) else len(lines)
        body = next((j for j in range(k + 1, end)
                     if j not in dropped and _BODY.match(compact(lines[j].text))), None)
        if name is None or (body is None and not dropped.intersection(range(k + 1, end))):
            continue  # a heading such as 重点任务一：… with items of its own, not a card
        out[k] = replace(lines[k], text=f"{number}.{name}。", full=f"{number}.{name}。")
        if body is not None:
            text = _after_label(lines[body].text)
            out[body] = replace(lines[body], text=text, full=text)
    return [line for j, line in enumerate(out) if j not in dropped]


#: A label cell: a few characters, no digits or punctuation.
_LABEL = re.compile(r"[\u4e00-\u9fff]{2,8}")


def _label_value(line: Line) -> Line:
    """``牵头单位<TAB>市卫健委`` as ``牵头单位：市卫健委``; any other line unchanged."""
    cells = [c.strip() for c in line.full.strip().split("\t")]
    if len(cells) != 2 or not _LABEL.fullmatch(cells[0]) or not cells[1]:
        return line
    text = f"{cells[0]}：{cells[1]}"
    return replace(line, text=text, full=text)


def _card(line: Line) -> tuple[int, str | None] | None:
    m = _CARD.fullmatch(compact(line.text))
    if m is None:
        return None
    raw = m.group("n")
    number = int(raw) if raw.isdigit() else cn_to_int(raw)
    if number is None or number < 1:
        return None
    name = m.group("name")
    return number, name.strip() if name else None


def _after_label(text: str) -> str:
    cut = min((i for i in (text.find("："), text.find(":")) if i >= 0), default=-1)
    return text[cut + 1:].strip()
