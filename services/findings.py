"""Recording findings (检查结果), one per checklist item, with the counts kept in step.

Each call is one autosave: the caller commits at once. A measured value is judged against the
item's threshold here (以上/以下 include the number, as ``AnswerSpec.meets`` says); progress,
date and text items keep their answer as text. Whether a failed item has the note or photo it
needs is checked when the inspection is completed (:func:`missing_on_fail`), not per keystroke.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checklists.template_model import PROGRESS_CHOICES, AnswerSpec
from models.base import utcnow
from models.inspection import Evidence, Finding, InspectionCounts
from models.utc import from_db
from rules.inspection_status import FAIL, NOT_APPLICABLE, NOT_CHECKED, PARTIAL, PASS, RESULTS
from rules.limits import NOTE_MAX
from rules.text_check import check_text
from services.audit import audit
from services.inspection_access import InspectionError, editable
from services.result_counts import apply_change

_ORDER = {FAIL: 0, PARTIAL: 1, PASS: 2, NOT_APPLICABLE: 3, NOT_CHECKED: 4}
_NEED = {"note": "说明", "photo": "照片", "note_or_photo": "说明或照片"}


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET


@dataclass(frozen=True)
class FindingInfo:
    id: int
    uuid: str
    inspection_id: int
    item_code: str
    position: int
    theme: str | None
    answer_type: str
    department: str | None
    result: str
    value_number: float | None
    value_text: str | None
    note: str | None
    answered: bool
    answered_at: datetime | None
    carried_from: str | None
    text_hash: str
    require_on_fail: str

    @property
    def value(self) -> float | str | None:
        return self.value_number if self.answer_type == "measure" else self.value_text


def finding_info(row: Finding) -> FindingInfo:
    return FindingInfo(row.id, row.uuid, row.inspection_id, row.item_code, row.position,
                       row.theme, row.answer_type, row.department, row.result, row.value_number,
                       row.value_text, row.note, bool(row.answered), from_db(row.answered_at),
                       row.carried_from, row.text_hash, row.require_on_fail)


def result_order(result: str) -> int:
    """Sort key putting non-compliant results first."""
    return _ORDER.get(result, 5)


def record_finding(session: Session, inspection_id: int, item_code: str, *,
                   result: str | _Unset = UNSET, value: Any = UNSET,
                   note: str | _Unset | None = UNSET, user: str | None = None) -> FindingInfo:
    """Set an item's answer. Arguments left out keep their stored value; ``value=None``
    clears the value. Raises :class:`InspectionError` in Chinese for a wrong answer."""
    inspection = editable(session, inspection_id)
    row = session.scalars(select(Finding).where(Finding.inspection_id == inspection_id,
                                                Finding.item_code == item_code)).first()
    if row is None:
        raise InspectionError(f"本次检查清单中没有检查项 {item_code}")
    if isinstance(value, str):  # checked here, judged as it is below
        check_text(value, label="填写的内容", limit=NOTE_MAX, error=InspectionError)
    old = (row.result, bool(row.answered))
    before = {"result": row.result, "value": _value(row), "note": row.note}
    new_result, number, text = _judge(row, result, value)
    row.result, row.value_number, row.value_text = new_result, number, text
    if note is not UNSET:
        row.note = check_text(note, label="说明", limit=NOTE_MAX, error=InspectionError)
    row.answered = new_result != NOT_CHECKED or number is not None or text is not None
    after = {"result": row.result, "value": _value(row), "note": row.note}
    if after == before:
        return finding_info(row)
    row.answered_at = utcnow() if row.answered else None
    row.carried_from = None  # the answer is the inspector's own from now on
    counts = session.get(InspectionCounts, inspection_id)
    assert counts is not None, "every inspection has its counts row"
    apply_change(counts, old, (row.result, bool(row.answered)))
    session.flush()
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit(session, "record_finding", "findings", row.uuid,
          {"inspection": inspection.uuid, "item": item_code, "changed": changed}, user=user)
    return finding_info(row)


def list_findings(session: Session, inspection_id: int) -> list[FindingInfo]:
    rows = session.scalars(select(Finding).where(Finding.inspection_id == inspection_id)
                           .order_by(Finding.position))
    return [finding_info(r) for r in rows]


def get_finding(session: Session, inspection_id: int, item_code: str) -> FindingInfo:
    row = session.scalars(select(Finding).where(Finding.inspection_id == inspection_id,
                                                Finding.item_code == item_code)).first()
    if row is None:
        raise InspectionError(f"本次检查清单中没有检查项 {item_code}")
    return finding_info(row)


def missing_on_fail(session: Session, inspection_id: int) -> list[str]:
    """Items judged 不符合 that lack the note or photo their ``require_on_fail`` asks for,
    one Chinese line each (empty when nothing is missing)."""
    photos = dict(session.execute(
        select(Evidence.finding_id, func.count()).where(
            Evidence.inspection_id == inspection_id, Evidence.kind == "photo",
            Evidence.finding_id.is_not(None)).group_by(Evidence.finding_id)).all())
    out = []
    for row in session.scalars(select(Finding).where(
            Finding.inspection_id == inspection_id, Finding.result == FAIL)
            .order_by(Finding.position)):
        rule = row.require_on_fail
        has_note = bool(row.note and row.note.strip())
        has_photo = photos.get(row.id, 0) > 0
        ok = {"note": has_note, "photo": has_photo, "note_or_photo": has_note or has_photo}
        if not ok.get(rule, True):
            out.append(f"{row.item_code}：判定为不符合，需要{_NEED[rule]}")
    return out


def _judge(row: Finding, result: str | _Unset, value: Any) -> tuple[str, float | None, str | None]:
    """The (result, number, text) an answer leaves on the finding."""
    if result is not UNSET and result not in RESULTS:
        raise InspectionError(f"检查结果应为{'、'.join(RESULTS)}之一，而不是“{result}”")
    kind = row.answer_type
    number, text = row.value_number, row.value_text
    current = row.result if result is UNSET else result
    if kind == "compliance":
        if value is not UNSET and value is not None:
            raise InspectionError(f"检查项 {row.item_code} 只需选择检查结果，不填数值")
        return current, None, None
    if result in (NOT_APPLICABLE, NOT_CHECKED) and value in (UNSET, None):
        return str(result), None, None  # judged not applicable / reset: no value stays
    if kind == "measure":
        return _measure(row, result, value, number)
    if kind == "progress" and result is not UNSET and result not in (NOT_APPLICABLE, NOT_CHECKED):
        raise InspectionError(f"检查项 {row.item_code} 请选择进度（已完成、推进中、未启动、滞后），"
                              "检查结果只能选不适用")
    if value is not UNSET:
        text = _text_answer(row, kind, value)
    if text is not None and current == NOT_APPLICABLE:
        if result == NOT_APPLICABLE:
            raise InspectionError(f"检查项 {row.item_code} 判定为不适用时不再填写答案")
        current = NOT_CHECKED  # answering an item takes back its 不适用
    return current, None, text


def _measure(row: Finding, result: str | _Unset, value: Any,
             number: float | None) -> tuple[str, float | None, str | None]:
    spec = AnswerSpec.from_dict(row.answer or {"type": "measure"})
    if value is not UNSET:
        number = _number(row.item_code, value)
    if number is None:
        if value is not UNSET and result is UNSET:
            return NOT_CHECKED, None, None  # the value was cleared: so is the verdict it gave
        # judged by the inspector's eye; a value entered later judges it again
        return (row.result if result is UNSET else str(result)), None, None
    if spec.threshold is None:  # no threshold: the inspector judges
        return (row.result if result is UNSET else str(result)), number, None
    judged = PASS if spec.meets(number) else FAIL
    if result is UNSET:  # a new value judges; a note leaves the verdict as it was
        return (judged if value is not UNSET else row.result), number, None
    if result == PASS and judged == FAIL:
        raise InspectionError(f"检查项 {row.item_code} 的测量值{_fmt(number)}{spec.unit or ''}"
                              f"不合格（标准{spec.threshold_text()}），不能判定为符合；"
                              "如测量有误，请先改正测量值")
    # 不符合 or 部分符合 over a value that meets the standard: the inspector saw more than the
    # number shows (the note says what); the measurement stays on the record.
    return str(result), number, None


def _number(code: str, value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InspectionError(f"检查项 {code} 的测量值应为数字")
    try:
        return float(str(value).strip().replace(",", "")) if isinstance(value, str) \
            else float(value)
    except (TypeError, ValueError):
        raise InspectionError(f"检查项 {code} 的测量值应为数字，而不是“{value}”") from None


def _text_answer(row: Finding, kind: str, value: Any) -> str | None:
    if value is None:
        return None
    if kind == "progress":
        text = str(value).strip()
        if text not in PROGRESS_CHOICES:
            raise InspectionError(f"检查项 {row.item_code} 的进度应为"
                                  f"{'、'.join(PROGRESS_CHOICES)}之一，而不是“{text}”")
        return text
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()
        try:
            return date.fromisoformat(text).isoformat() if text else None
        except ValueError:
            raise InspectionError(f"检查项 {row.item_code} 的日期应写成 2026-03-01 的形式，"
                                  f"而不是“{text}”") from None
    text = str(value).strip()
    return text or None


def _value(row: Finding) -> float | str | None:
    return row.value_number if row.value_number is not None else row.value_text


def _fmt(number: float) -> str:
    return str(int(number)) if number.is_integer() else str(number)
