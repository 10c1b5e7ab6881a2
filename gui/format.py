"""How values are written on screen: roles, targets, dates, times, regions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from checklists.catalog_view import TargetView

ROLE_LABELS = {"lead": "牵头", "responsible": "责任", "inherited": "继承", "assigned": "指派"}
ROLE_HINTS = {
    "lead": "文件写明的牵头单位",
    "responsible": "文件写明的责任单位",
    "inherited": "文件统一列出、适用于全部措施的单位",
    "assigned": "导入后由检查人员补充指派的单位",
}
COMPARATOR_LABELS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "达到"}


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def roles_label(roles: Sequence[str]) -> str:
    return "、".join(role_label(r) for r in roles)


def number(value: float) -> str:
    return f"{value:g}"


def requirement(t: TargetView) -> str:
    """The quantity a target asks for, in words: 不低于 4.5 个, 80%–90%."""
    unit = t.unit or ""
    if t.comparator == "range" and t.value_max is not None:
        return f"{number(t.value)}{unit}–{number(t.value_max)}{unit}"
    return f"{COMPARATOR_LABELS.get(t.comparator, t.comparator)} {number(t.value)}{unit}"


def deadline(t: TargetView) -> str:
    if t.recurrent:
        return t.recurrent
    return date(t.deadline) or "—"


def date(value: str | None) -> str:
    """An ISO date, month or year as Chinese readers write it: 2024年10月29日."""
    if not value:
        return ""
    parts = value.split("-")
    out = f"{parts[0]}年"
    if len(parts) > 1:
        out += f"{int(parts[1])}月"
    if len(parts) > 2:
        out += f"{int(parts[2])}日"
    return out


def region_path(code: str | None) -> str:
    """A region with the regions above it: 宁夏回族自治区 中卫市 中宁县."""
    from checklists.regions import region_path  # not needed at start-up

    return region_path(code)


def esc(text: str | None) -> str:
    """``text`` for HTML, as ``html.escape`` writes it (without loading that module and its
    table of named characters at start-up)."""
    return ((text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` as HTML with the given character spans marked."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        if end <= start:
            continue
        out.append(esc(text[pos:start]))
        out.append(
            f'<span style="background-color:#ffe58a;color:#5c3b00;">{esc(text[start:end])}</span>'
        )
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def iso_time(text: str | None, *, seconds: bool = False) -> str:
    """A stored ISO time (UTC, with or without its offset) in 北京时间; the text as it is when
    it is not a time."""
    if not text:
        return ""
    from datetime import UTC, datetime  # not needed at start-up

    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return str(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return local_time(value, seconds=seconds)


def local_time(value: datetime | None, *, seconds: bool = False) -> str:
    """A stored (UTC) time in 北京时间, for display, whatever the computer's time zone."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        from rules.china_time import beijing  # not needed at start-up

        value = beijing(value)
    return value.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
