"""Word's automatic numbering, written out as text.

A .docx whose items are numbered by Word (一、 （一） 1. set in numbering.xml, not typed) holds
no numbers in its text; the parser needs them. :class:`WordNumbering` reads the numbering
definitions once and gives each numbered paragraph its label, counting as Word does: a level
counts on from its start value, and a deeper level starts again when a shallower one moves on.
Bullets give no label. Only the formats policy documents use are written out; any other
format falls back to Arabic digits.
"""

from __future__ import annotations

from typing import Any

from checklists.parsing.text import int_to_cn

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
            "ideographTraditional", "japaneseCounting", "taiwaneseCounting",
            "taiwaneseCountingThousand"}
_CIRCLED = {"decimalEnclosedCircle", "decimalEnclosedCircleChinese"}
_MAX_LEVELS = 9


class WordNumbering:
    """The numbering definitions of one document and the running counts."""

    def __init__(self, numbering_xml: Any | None, styles: dict[str, tuple[str, int]]) -> None:
        # numId -> abstractNumId; abstractNumId -> level -> (format, text, start)
        self._nums: dict[str, str] = {}
        self._starts: dict[tuple[str, int], int] = {}  # (numId, level) -> startOverride
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._styles = styles  # paragraph style id -> (numId, level)
        self._counts: dict[str, list[int]] = {}
        if numbering_xml is None:
            return
        for abstract in numbering_xml.iter(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = _int(lvl.get(f"{_W}ilvl"), 0)
                levels[ilvl] = (_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "",
                                _int(_val(lvl, "start"), 1))
            self._levels[abstract.get(f"{_W}abstractNumId") or ""] = levels
        for num in numbering_xml.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId") or ""
            self._nums[num_id] = _val(num, "abstractNumId") or ""
            for override in num.iter(f"{_W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    ilvl = _int(override.get(f"{_W}ilvl"), 0)
                    self._starts[(num_id, ilvl)] = _int(start, 1)

    def label(self, paragraph: Any) -> str:
        """The number Word shows before ``paragraph`` (a w:p element), or ""."""
        num_id, level = self._numbering_of(paragraph)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        levels = self._levels.get(self._nums[num_id], {})
        if level not in levels or not 0 <= level < _MAX_LEVELS:
            return ""
        counts = self._counts.setdefault(num_id, [0] * _MAX_LEVELS)
        counts[level] += 1
        for deeper in range(level + 1, _MAX_LEVELS):
            counts[deeper] = 0
        fmt, text, _start = levels[level]
        if fmt in ("bullet", "none"):
            return ""
        out = text
        for k in range(level, -1, -1):  # %1 … %9 stand for the counts of levels 1 … 9
            if f"%{k + 1}" in out:
                value = counts[k] - 1 + self._start(num_id, k, levels)
                shown = _format(levels.get(k, (fmt, "", 1))[0], max(value, 1))
                out = out.replace(f"%{k + 1}", shown)
        return out

    def _start(self, num_id: str, level: int, levels: dict[int, tuple[str, str, int]]) -> int:
        return self._starts.get((num_id, level), levels.get(level, ("", "", 1))[2])

    def _numbering_of(self, paragraph: Any) -> tuple[str | None, int]:
        ppr = paragraph.find(f"{_W}pPr")
        if ppr is None:
            return None, 0
        num_pr = ppr.find(f"{_W}numPr")
        style = ppr.find(f"{_W}pStyle")
        from_style = self._styles.get(style.get(f"{_W}val") or "") if style is not None else None
        if num_pr is None:
            return from_style if from_style else (None, 0)
        num_id = _val(num_pr, "numId")
        level = _int(_val(num_pr, "ilvl"), from_style[1] if from_style else 0)
        return (num_id or (from_style[0] if from_style else None)), level


def style_numbering(styles_xml: Any | None) -> dict[str, tuple[str, int]]:
    """Paragraph styles that carry numbering (标题 1 numbered 一、): style id -> (numId, level)."""
    out: dict[str, tuple[str, int]] = {}
    if styles_xml is None:
        return out
    for style in styles_xml.iter(f"{_W}style"):
        ppr = style.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is None:
            continue
        num_id = _val(num_pr, "numId")
        if num_id:
            out[style.get(f"{_W}styleId") or ""] = (num_id, _int(_val(num_pr, "ilvl"), 0))
    return out


def _format(fmt: str, value: int) -> str:
    if fmt in _CHINESE:
        return int_to_cn(value)
    if fmt in _CIRCLED and value <= 20:
        return chr(0x2460 + value - 1)
    if fmt in ("lowerLetter", "upperLetter") and value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(value)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}")
    return child.get(f"{_W}val") if child is not None else None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
