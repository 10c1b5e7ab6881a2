"""Loading an inspection for a change, with the state rules every change obeys.

draft → completed → signed. Findings, officers and evidence change only in a draft; the record
fields (times, people present, notices, statement) also while completed; signatures are taken
on a completed record; a signed record changes no more — it is amended by a new version.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.inspection import Inspection
from rules.inspection_status import COMPLETED, DRAFT, SIGNED


class InspectionError(ValueError):
    """An inspection cannot be changed as asked. The message is Chinese."""


class InspectionLocked(InspectionError):
    """The inspection is signed; only an amendment (a new version) can change it."""


class UncheckedItems(InspectionError):
    """Items are still unanswered: the inspection completes only once they are answered, or
    with the reason they were not checked. ``items`` holds (code, question) pairs in order."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        shown = "、".join(code for code, _ in items[:8]) + ("等" if len(items) > 8 else "")
        super().__init__(f"还有 {len(items)} 项未检查（{shown}）：请逐项检查，"
                         "或说明这些项未检查的原因后再完成检查")
        self.items = items


def load(session: Session, inspection_id: int) -> Inspection:
    row = session.get(Inspection, inspection_id)
    if row is None:
        raise InspectionError(f"找不到检查记录（编号 {inspection_id}）")
    return row


def find_inspection_id(session: Session, text: str) -> int:
    """An inspection named by its uuid (as ``inspections --json`` prints it) or its number."""
    from sqlalchemy import select

    text = text.strip()
    found = session.scalar(select(Inspection.id).where(Inspection.uuid == text))
    if found is None and text.isdigit():
        found = session.scalar(select(Inspection.id).where(Inspection.id == int(text)))
    if found is None:
        raise InspectionError(f"找不到检查记录：{text}")
    return int(found)


def status_of(session: Session, inspection_id: int) -> str:
    """The inspection's status (draft, completed, signed)."""
    return load(session, inspection_id).status


def require_status(row: Inspection, allowed: tuple[str, ...], action: str) -> None:
    """Raise a Chinese error naming ``action`` when ``row`` is not in one of ``allowed``."""
    if row.status in allowed:
        return
    if row.status == SIGNED:
        raise InspectionLocked(f"检查记录已签名，不能{action}；如需更正，请制作更正版本。")
    if row.status == COMPLETED and DRAFT in allowed:
        raise InspectionError(f"检查已完成，不能{action}；如需修改，请先退回草稿。")
    if row.status == DRAFT and COMPLETED in allowed:
        raise InspectionError(f"检查尚未完成，不能{action}。")
    raise InspectionError(f"检查记录当前状态下不能{action}。")


def editable(session: Session, inspection_id: int, action: str = "修改检查结果") -> Inspection:
    """A draft inspection, or a Chinese error saying why it cannot be changed."""
    row = load(session, inspection_id)
    require_status(row, (DRAFT,), action)
    return row
