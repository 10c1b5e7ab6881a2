"""Character-level normalisation shared by the parser and the document id.

Inside the parser, text is NFKC-normalised so that full-width and half-width punctuation
compare equal ("（一）" and "(一)" are the same marker). What the parser hands out (titles,
text, unit names) goes through :func:`display`, which puts Chinese punctuation back where it
sits between Chinese characters, so the result reads naturally and does not depend on which
width the source used.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Characters NFKC would turn into something else that reads worse: ① → 1, ㎡ → m2, … → ...
_PROTECTED = re.compile("[\u2460-\u2473\u33a1\u2103\u2026]")
_WS = re.compile(r"\s+")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,200})?/?>")

_CJK_RANGES = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F),
)
# Punctuation that counts as "Chinese context" on either side of an ASCII mark.
_CJK_PUNCT = set("。、，；：？！“”‘’《》〈〉【】〔〕（）「」『』…—·")

_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def nfkc(text: str) -> str:
    """NFKC, except for the few characters listed in ``_PROTECTED``."""
    if not _PROTECTED.search(text):
        return unicodedata.normalize("NFKC", text)
    out: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        out.append(unicodedata.normalize("NFKC", text[pos:m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(unicodedata.normalize("NFKC", text[pos:]))
    return "".join(out)


def compact(text: str) -> str:
    """The text with every whitespace character removed."""
    return _WS.sub("", text)


def collapse(text: str) -> str:
    """Runs of whitespace become one space; the ends are stripped."""
    return _WS.sub(" ", text).strip()


_BLOCK_END = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h[1-6]|/title)\s*/?>", re.IGNORECASE)
_CELL_END = re.compile(r"<\s*/t[dh]\s*>", re.IGNORECASE)
_SCRIPT = re.compile(r"<(script|style)[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_HINT = re.compile(r"<\s*(?:p|div|br|span|td|tr|table|strong|a)\b", re.IGNORECASE)


def html_to_text(text: str) -> str:
    """A web page saved as text with its markup left in: paragraph and line ends become line
    breaks, cells TABs, scripts and tags go, entities (&nbsp; &ldquo;) are decoded. Text with
    no markup is returned as it is."""
    if not _HTML_HINT.search(text):
        return text
    text = _SCRIPT.sub("", text)
    text = _CELL_END.sub("\t", _BLOCK_END.sub("\n", text))
    text = re.sub(r"<[^<>]{0,500}>", "", text)
    return html.unescape(text).replace("\xa0", " ")


def strip_tags(text: str) -> str:
    """Remove HTML tags such as ``<p>`` left by web pages, and decode entities."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def is_cjk(ch: str) -> bool:
    if not ch:
        return False
    code = ord(ch[0])
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def is_cjk_context(ch: str) -> bool:
    return is_cjk(ch) or ch in _CJK_PUNCT


def join_parts(left: str, right: str) -> str:
    """Join two fragments of one paragraph that a line break separated.

    Chinese text is written without spaces, so a break inside it is simply removed. Only two
    Latin words or numbers that the break separated get a space between them.
    """
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
        return f"{left} {right}"
    return left + right


def display(text: str) -> str:
    """Normalised text as handed out: no stray spaces between Chinese characters, and
    Chinese punctuation where a mark sits next to Chinese text."""
    text = collapse(text)
    if not text:
        return text
    chars = list(text)
    out: list[str] = []
    n = len(chars)
    for i, ch in enumerate(chars):
        prev = out[-1] if out else ""
        nxt = chars[i + 1] if i + 1 < n else ""
        if ch == " ":
            if is_cjk_context(prev) or is_cjk_context(nxt) or prev in _TO_FULL or nxt in _TO_FULL:
                continue
            out.append(ch)
            continue
        if ch in _TO_FULL:
            after = nxt if nxt != " " else (chars[i + 2] if i + 2 < n else "")
            if ch == "(":
                full = is_cjk_context(prev) or is_cjk_context(after)
            elif ch == ")":
                full = is_cjk_context(prev) or is_cjk_context(after) or _opened_full(out)
            else:
                full = is_cjk_context(prev) or is_cjk_context(after)
            out.append(_TO_FULL[ch] if full else ch)
            continue
        out.append(ch)
    return "".join(out)


def _opened_full(out: list[str]) -> bool:
    """Whether the innermost open bracket before this point is a full-width one."""
    depth = 0
    for ch in reversed(out):
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            if depth == 0:
                return ch == "（"
            depth -= 1
    return False


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(text: str) -> int | None:
    """A Chinese numeral (一, 十二, 二十, 一百零三, 一万零五) as an int, else None."""
    if not text:
        return None
    if "万" in text:
        high, _, low = text.partition("万")
        upper = cn_to_int(high) if high else 1
        lower = cn_to_int(low) if low else 0
        if upper is None or lower is None:
            return None
        return upper * 10000 + lower
    if all(ch in _CN_DIGITS for ch in text) and len(text) > 1:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


_DIGITS = "零一二三四五六七八九"


def _below_ten_thousand(value: int) -> str:
    """0 < value < 10000 as written in Chinese: 一百零一, 一千零二十, 三千."""
    out, zero = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit, value = divmod(value, size)
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + unit
            zero = False
        else:
            zero = True
    return out


def int_to_cn(value: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一, 100 → 一百, 105 → 一百零五, 10000 → 一万: any number,
    as section numbers are written (十 alone for ten, not 一十)."""
    if value < 0:
        return "负" + int_to_cn(-value)
    if value == 0:
        return _DIGITS[0]
    if value >= 10**16:  # never a section number: leave it in digits
        return str(value)
    groups = []
    for unit in ("", "万", "亿", "万亿"):
        value, part = divmod(value, 10000)
        groups.append((part, unit))
        if not value:
            break
    out = ""
    for part, unit in reversed(groups):
        if not part:
            continue
        if out and part < 1000:
            out += "零"
        out += _below_ten_thousand(part) + unit
    if out.startswith("一十"):
        out = out[1:]
    return out


_DATE_CN = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
                      r"([一二三四五六七八九十]{1,3})日")
_DATE_NUM = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})")


def iso_date(text: str) -> str | None:
    """The first date in ``text`` as yyyy-mm-dd.

    Reads 2024年10月29日, 2023-01-16 and 二〇二二年十二月二十日.
    """
    m = _DATE_NUM.search(text)
    if m:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DATE_CN.search(text)
        if not m:
            return None
        year = cn_to_int(m.group(1)) or 0
        month = cn_to_int(m.group(2)) or 0
        day = cn_to_int(m.group(3)) or 0
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
