"""The notice counts as SQL: the terms of rules.notice_status (open, overdue, 销号, 办结率) for
queries that count many notices at once. Everything that counts notices uses these."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, or_

from models.rectification import Notice
from rules.notice_status import CLOSED, FAILED, ISSUED, OPEN_SERVED, SERVED

REFERRAL_KIND = "referral"


def referral() -> ColumnElement[bool]:
    """A 移送函: transferred to the competent department, ends with its feedback."""
    return Notice.kind_code == REFERRAL_KIND


def order() -> ColumnElement[bool]:
    """An order (责令/指令/督办): the only notices that can be open, overdue or 销号."""
    return and_(Notice.is_order.is_(True), Notice.kind_code != REFERRAL_KIND)


def advice() -> ColumnElement[bool]:
    """整改建议书 and the like: recommendations without force."""
    return and_(Notice.is_order.is_(False), Notice.kind_code != REFERRAL_KIND)


def unserved() -> ColumnElement[bool]:
    return Notice.status == ISSUED


def overdue(as_of: date) -> ColumnElement[bool]:
    """rules.notice_status.is_overdue as SQL."""
    late = and_(Notice.status == SERVED, Notice.deadline.is_not(None), Notice.deadline < as_of)
    return and_(order(), or_(late, Notice.status == FAILED))


def closed() -> ColumnElement[bool]:
    """rules.notice_status.is_closed as SQL: 销号."""
    return and_(order(), Notice.status == CLOSED)


def open_served() -> ColumnElement[bool]:
    """rules.notice_status.is_open as SQL: 未办结."""
    return and_(order(), Notice.status.in_(OPEN_SERVED))


def served_order() -> ColumnElement[bool]:
    """An order served on its addressee (下达): what 办结率 divides by."""
    return and_(order(), Notice.status != ISSUED)
