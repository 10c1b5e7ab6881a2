"""The default texts of a notice item: 存在问题 as a statement of fact, 整改要求 from the
checklist question, and the provisions it rests on. None of them ever holds a question mark."""

from __future__ import annotations

import re

from checklists.checklist_model import ChecklistItem
from checklists.template_model import VERIFICATION_NOTE, served_basis
from models.inspection import Finding
from rules.inspection_status import PARTIAL

QUESTION_MARKS = ("？", "?")


def requirement_text(question: str, basis: str | None = None) -> str:
    """A default 整改要求 from a checklist question: 是否配备婴儿床？ → 应配备婴儿床.

    A question that is no 是否 template gives the neutral ``应符合：<legal basis>``. Never
    holds a question mark.
    """
    text = _statement(question)
    while VERIFICATION_NOTE.search(text):  # （天数待核） stays off paper, nested ones too
        text = VERIFICATION_NOTE.sub("", text)
    if "是否" in text:
        # each clause its own order: 动火作业是否事先审批，作业人员是否持证上岗 →
        # 动火作业应事先审批，作业人员应持证上岗
        return "".join(_clause_order(part) for part in _CLAUSES.split(text))
    return f"应符合：{basis}" if basis else "应符合相关法律、法规和标准的规定"


#: Clause breaks, kept when the text is split at them.
_CLAUSES = re.compile(r"([，,；;])")


def _clause_order(clause: str) -> str:
    """One clause's question as an order: 是否未 → 不得, 是否（已）… → 应…."""
    if "是否未" in clause:
        head, tail = clause.split("是否未", 1)
        return f"{head}不得{tail.replace('、未', '、')}"
    if "是否" in clause:
        head, tail = clause.split("是否", 1)
        tail = _PERFECTIVE.sub("", tail.removeprefix("已"), count=1)
        return f"{head}应{tail}"
    return clause


#: The 了 of a question's verb (是否配备了母婴室 → 应配备母婴室), not that of 了解 or 为了.
_PERFECTIVE = re.compile(r"(?<![为除])了(?![解结])")


def problem_text(item: ChecklistItem, finding: Finding) -> str:
    """A default 存在问题 as a statement of fact, e.g. ``安全出口1个，标准≥2个。<note>``.

    From the measured value against the threshold and the inspector's note; with neither, a
    statement that the requirement is not (or only partly) met. Never a question mark.
    """
    parts: list[str] = []
    spec = item.answer
    note = (finding.note or "").strip()
    if spec.type == "measure" and finding.value_number is not None:
        value = finding.value_number
        shown = (str(int(value)) if float(value).is_integer() else f"{value:g}") + (
            spec.unit or "")
        if shown not in note:  # the inspector's note may state the value already: once
            label = (spec.label or "实测值").strip()
            limit = spec.threshold_text()
            parts.append(f"{label}{shown}" + (f"，标准{limit}" if limit else ""))
    elif finding.value_text and finding.value_text.strip():
        parts.append(f"{(spec.label or '现场情况').strip()}：{finding.value_text.strip()}")
    if finding.note and finding.note.strip():
        parts.append(_without_verdict(finding.note.strip()))
    if not parts:
        wanted = requirement_text(item.question, provision_text(item)).rstrip("。")
        lead = "未完全符合" if finding.result == PARTIAL else "不符合"
        if wanted.startswith("应符合："):  # no question to state: the provisions themselves
            parts.append(f"{lead}{wanted.removeprefix('应符合：')}的规定")
        elif wanted.startswith("应符合"):
            parts.append(f"{lead}{wanted.removeprefix('应符合')}")
        else:
            parts.append(f"{lead}“{wanted}”的要求")
    return _statement("。".join(p.rstrip("。；;，, ") for p in parts) + "。")


#: The inspector's overall verdict before what falls short (基本符合要求，但…): in a notice it
#: would contradict the problem it lists, so only what falls short is kept.
_VERDICT = re.compile(r"^(?P<lead>[^，,。；;]{1,12}[，,])?(?:基本|总体|大部分|已)?"
                      r"(?:符合(?:要求|规定)?|按规定执行)[，,]\s?但(?:是)?")


def _without_verdict(note: str) -> str:
    m = _VERDICT.match(note)
    if m is None or len(note) <= m.end():
        return note
    return (m.group("lead") or "") + note[m.end():]


def _statement(text: str) -> str:
    """Question marks out: a trailing one dropped, any inner one turned into 。."""
    text = text.strip().rstrip("？?").strip()
    for mark in QUESTION_MARKS:
        text = text.replace(mark, "。")
    return text


def provision_text(item: ChecklistItem) -> str:
    return served_basis(item.legal_basis) or "（检查项未列法律依据）"
