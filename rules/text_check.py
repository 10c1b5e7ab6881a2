"""Checking text before it is stored: no unpaired surrogates (they cannot be written as UTF-8),
no control characters other than a line break and a tab, and no more than a limit.

Messages are Chinese and say which field, where the bad character is and what the limit is,
so the user can fix the text they typed (the GUI keeps it on screen).
"""

from __future__ import annotations

import unicodedata

#: Control characters that text may hold: line breaks and tabs.
ALLOWED_CONTROLS = frozenset("\n\t")


class TextError(ValueError):
    """A text cannot be stored. The message is Chinese."""


def text_problem(value: str, *, multiline: bool = True) -> str | None:
    """Why ``value`` cannot be stored (Chinese, without the field's name); ``None`` if it
    can."""
    for i, ch in enumerate(value, start=1):
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            return f"第 {i} 个字符是无法保存的残缺字符（不成对的代理字符 U+{code:04X}）"
        if ch in ALLOWED_CONTROLS:
            if ch == "\n" and not multiline:
                return "不能换行"
            continue
        if unicodedata.category(ch) == "Cc":
            return f"第 {i} 个字符是控制字符 U+{code:04X}，不能保存"
    return None


def normalise_newlines(value: str) -> str:
    """Windows and old Mac line breaks become ``\\n`` (typed or pasted text carries them)."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def check_text(value: str | None, *, label: str, limit: int, multiline: bool = True,
               required: bool = False, error: type[ValueError] = TextError) -> str | None:
    """``value`` stripped and checked, ``None`` when empty; raises ``error`` (by default
    :class:`TextError`) with a Chinese message that names ``label``."""
    if value is None:
        text = ""
    else:
        text = normalise_newlines(str(value)).strip()
    if not text:
        if required:
            raise error(f"请填写{label}")
        return None
    if not multiline:
        text = " ".join(text.split("\n")) if "\n" in text else text
    problem = text_problem(text, multiline=multiline)
    if problem is not None:
        raise error(f"{label}中{problem}，请删除后重试。")
    if len(text) > limit:
        raise error(f"{label}最多 {limit} 个字，现在有 {len(text)} 个字，请删减后再保存。")
    return text


def has_unpaired_surrogate(value: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
