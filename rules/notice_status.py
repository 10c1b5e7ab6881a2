"""The stored statuses of a rectification document (整改文书) and how they read."""

from __future__ import annotations

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
