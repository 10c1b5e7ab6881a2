"""The rectification board's table: a lazy model over windowed notice queries.

Rows are :class:`services.notice_queries.NoticeInfo`, fetched a window at a time
(``canFetchMore``/``fetchMore``). Days remaining or overdue are counted as of a given day, so a
test (or a supervisor looking back) sees the board as it stood on that day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from gui.models.base import ALIGN_CENTER, ATTENTION, MUTED, ROW_ROLE, Index
from gui.models.paged import PagedTableModel
from models.db import Database, Session
from rules.china_time import today as china_today
from rules.notice_status import CLOSED, REFERRED, REORDERED
from rules.workdays import MODE_LABELS
from services.notice_queries import NoticeInfo, count_notices, list_notices

BATCH = 200
HEADERS = ("文号", "文书", "被检查单位", "状态", "剩余/逾期", "整改期限", "主管部门", "送达",
           "问题数")
DOC, TITLE, UNIT, STATUS, LEFT, DEADLINE, DEPT, SERVED_ON, ITEMS = range(len(HEADERS))
#: Short labels for the 文书 column (the full title is in the tooltip and the detail pane).
SHORT_TITLES = {
    "hrss_order": "劳监指令书", "health_opinion": "卫生监督意见书",
    "fire_immediate": "责令立即改正", "fire_deadline": "责令限期改正",
    "other_immediate": "责令立即改正",
    "other_deadline": "责令限期改正", "supervision_order": "督办通知",
    "supervision_feedback": "督查反馈意见", "advice": "整改建议", "referral": "移送函",
}
SOON = QColor("#b45309")  # three days or fewer left
OVERDUE_BG = QColor("#fde8e6")


def short_title(n: NoticeInfo) -> str:
    return SHORT_TITLES.get(n.kind_code, n.title)


def remaining_text(n: NoticeInfo, as_of: date) -> str:
    waiting = n.awaiting_action_days(as_of)
    if waiting is not None:
        return f"{n.board_label(as_of)} {waiting} 天"
    if n.is_referral and n.status == "served":
        return "待反馈"
    late = n.recheck_days_late(as_of)
    if late is not None:
        return f"复查超期 {late} 天"
    if n.status == "reported" and n.recheck_due is not None:
        ahead = (n.recheck_due - as_of).days
        return "今天须复查" if ahead == 0 else f"复查剩 {ahead} 天"
    left = n.days_left(as_of)
    if left is None:
        return "—"
    if left < 0:
        # only an order is overdue; advice past its date binds no one
        return f"逾期 {-left} 天" if n.is_overdue(as_of) else f"已过期限 {-left} 天"
    return "今天到期" if left == 0 else f"剩 {left} 天"


def deadline_text(n: NoticeInfo) -> str:
    if n.deadline is not None:
        return f"{n.deadline:%Y-%m-%d}"
    if n.deadline_mode == "none":
        return "无期限"
    if n.deadline_mode == "immediate":
        return "立即改正"
    return f"{n.deadline_days}个{MODE_LABELS[n.deadline_mode]}"  # counted from 送达


class NoticeListModel(PagedTableModel[NoticeInfo]):
    """Lazy (see :class:`PagedTableModel`), filtered by status and text in SQL."""

    def __init__(self, db: Database, parent: Any = None, *, batch: int = BATCH,
                 as_of: date | None = None) -> None:
        super().__init__(db, len(HEADERS), parent, batch=batch)
        self._status: str | None = "open"
        self._search: str | None = None
        self._as_of = as_of

    @property
    def as_of(self) -> date:
        return self._as_of or china_today()

    @property
    def status_filter(self) -> str | None:
        return self._status

    def set_filter(self, *, status: str | None = None, search: str | None = None) -> None:
        self._status = status
        self._search = (search or "").strip() or None
        self.reload()

    def set_as_of(self, day: date | None) -> None:
        self._as_of = day
        self.reload()

    def _count(self, session: Session) -> int:
        return count_notices(session, status=self._status, as_of=self.as_of, search=self._search)

    def _fetch(self, session: Session, offset: int) -> list[NoticeInfo]:
        return list_notices(session, status=self._status, as_of=self.as_of,
                            search=self._search, offset=offset, limit=self._batch)

    # --- Qt model ---------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        n = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(n, col)
        if role == ROW_ROLE:
            return n
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(ALIGN_CENTER) if col in (STATUS, DEADLINE, LEFT, SERVED_ON, ITEMS) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == DEADLINE:
                return n.deadline_note or ("自送达之日起计算" if n.deadline is None else None)
            if col == TITLE:
                what = ("移送主管部门处理并反馈" if n.is_referral else "责令/指令类文书"
                        if n.is_order else "建议类文书（不具强制力）")
                return f"{n.title}（{what}）"
            if col == UNIT:
                return (f"主送：{n.addressee}\n被检查单位：{n.unit_name}" if n.is_referral
                        else n.unit_name)
            if col == LEFT and n.awaiting_action_days(self.as_of) is not None:
                return "复查未通过，尚未再次责令、立案或移送"
            if col == LEFT and n.recheck_due is not None and n.status == "reported":
                return (f"已收到整改报告，应于 {n.recheck_due:%Y-%m-%d} 前复查"
                        + ("（已超过复查时限）" if n.recheck_days_late(self.as_of) else ""))
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col in (STATUS, LEFT) and (n.awaiting_action_days(self.as_of) is not None
                                          or n.recheck_days_late(self.as_of) is not None):
                return QBrush(ATTENTION)
            left = n.days_left(self.as_of)
            if col in (STATUS, LEFT) and n.is_overdue(self.as_of):
                return QBrush(ATTENTION)
            if col == LEFT and left is not None and 0 <= left <= 3:
                return QBrush(SOON)
            if col == LEFT and left is not None and left < 0:
                return QBrush(MUTED)  # advice past its date: nothing is overdue
            if n.status in (CLOSED, REORDERED):
                return QBrush(MUTED)
            if col == STATUS and n.status == REFERRED:
                return QBrush(ATTENTION)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and (
                n.is_overdue(self.as_of) or n.recheck_days_late(self.as_of) is not None):
            return QBrush(OVERDUE_BG)
        return None

    def _text(self, n: NoticeInfo, col: int) -> str:
        if col == DOC:
            return n.doc_number
        if col == UNIT:
            return n.unit_name
        if col == STATUS:
            label = n.board_label(self.as_of)
            return f"{label}（{n.escalation}）" if n.escalation else label
        if col == DEADLINE:
            return deadline_text(n)
        if col == LEFT:
            return remaining_text(n, self.as_of)
        if col == TITLE:
            return short_title(n)
        if col == DEPT:
            return n.department
        if col == SERVED_ON:
            return f"{n.served_on:%Y-%m-%d}" if n.served_on else "—"
        return str(n.item_count)
