"""The stored statuses of a rectification document (整改文书) and how they read."""

from __future__ import annotations

from datetime import date

# Stored notice statuses (code -> label). 逾期 is not stored: it is derived from the deadline.
ISSUED = "issued"  # 待送达
SERVED = "served"  # 整改中 (the deadline runs)
REPORTED = "reported"  # 待复查 (the unit's 整改报告 is in)
PASSED = "passed"  # 复查合格, 待销号
FAILED = "failed"  # 复查未通过, awaiting the next step
CLOSED = "closed"  # 已销号 (only after a passed recheck; a 建议 is 已办结)
REORDERED = "reordered"  # 已再次责令 (a further order replaces it)
REFERRED = "referred"  # 移送立案 (立案 or 移送)
ANSWERED = "answered"  # 移送函: the receiving department's feedback is recorded (办结)
STATUS_LABELS = {
    ISSUED: "待送达", SERVED: "整改中", REPORTED: "待复查", PASSED: "复查合格待销号",
    FAILED: "复查未通过",
    CLOSED: "已销号", REORDERED: "已再次责令", REFERRED: "移送立案", ANSWERED: "已反馈",
}
#: A 移送函 once served waits for the receiving department's feedback, not for a 整改报告.
REFERRAL_STATUS_LABELS = {SERVED: "待反馈"}
OPEN_STATUSES = (ISSUED, SERVED, REPORTED, PASSED, FAILED)


# ---------------------------------------------------------------- one definition of the counts
#
# 整改文书 are of three sorts: orders (责令/指令/督办, is_order), 移送函 (referral) and advice
# (整改建议书, 督查反馈意见: no force). Only an order can be open, overdue or 销号: an advice is
# not an enforcement item, and a 移送函 is transferred and ends with the receiving department's
# feedback. The 督查通报, the ledger, ``notices --json`` and the screens all count with these.

#: Statuses of an order served and not yet finished (未办结).
OPEN_SERVED = tuple(s for s in OPEN_STATUSES if s != ISSUED)


def is_overdue(status: str, deadline: date | None, as_of: date, *, is_order: bool = True) -> bool:
    """An order past its deadline without a 整改报告, or whose recheck failed and awaits the
    next step. Advice and 移送函 are never overdue."""
    if not is_order:
        return False
    if status == FAILED:
        return True
    return status == SERVED and deadline is not None and deadline < as_of


def failed_within_period(passed: bool, checked_on: date, deadline: date | None, *,
                         is_order: bool = True) -> bool:
    """A failed recheck of an order made before its deadline (the unit reported early, and the
    problems are not yet put right): the period it was given still runs, so the order stays
    整改中 and nothing is overdue; the unit is told to finish within it. Only a recheck on or
    after the deadline that fails leaves the order 复查未通过, awaiting a further order, 立案
    or 移送."""
    return is_order and not passed and deadline is not None and checked_on < deadline


def is_closed(status: str, *, is_order: bool = True) -> bool:
    """销号: an order closed after a passed recheck."""
    return is_order and status == CLOSED


def is_open(status: str, *, is_order: bool = True) -> bool:
    """未办结: an order served and not finished."""
    return is_order and status in OPEN_SERVED


def completion_rate(closed: int, served: int) -> float | None:
    """办结率: orders 销号 out of orders served; None with none served."""
    return closed / served if served else None
