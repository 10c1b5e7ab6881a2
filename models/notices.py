"""The rectification (整改) loop's public API, in one place for the GUI, the CLI and demo data.

Typical use, each call inside one ``db.session()`` (services never commit)::

    reserve_block(s, suffix="责改", year=2026, start=1, end=200)       # once per device
    for p in propose_notices(s, inspection_id):                       # grouped per kind/dept
        n = issue_notice(s, inspection_id=inspection_id, kind_code=p.kind_code,
                         finding_ids=p.finding_ids, issued_on=day, issued_by=["张三", "李四"])
    serve_notice(s, n.id, served_on=day, method="直接送达")            # deadline runs from here
    submit_report(s, n.id, received_on=..., summary="已整改")
    record_recheck(s, n.id, checked_on=..., inspectors=["张三", "李四"], passed=True)
    close_notice(s, n.id, closed_on=..., closed_by="张三")              # 销号

Signatures of these functions are stable.
"""

from __future__ import annotations

from models.notice_issue import (
    ProposedItem,
    ProposedNotice,
    issue_further_order,
    issue_notice,
    propose_notices,
)
from models.notice_loop import (
    ESCALATIONS,
    close_notice,
    decide_extension,
    escalate,
    record_recheck,
    request_extension,
    serve_notice,
    submit_report,
)
from models.notice_queries import (
    FILTERS,
    OVERDUE,
    RECHECK_WINDOW,
    NoticeDetail,
    NoticeError,
    NoticeInfo,
    OverdueInfo,
    count_notices,
    get_notice,
    list_notices,
    notice_detail,
    open_notices_for_entity,
    overdue_notices,
)
from models.numbering import NumberingError, list_blocks, reserve_block

recheck = record_recheck  # short alias

__all__ = [
    "ESCALATIONS", "FILTERS", "OVERDUE", "RECHECK_WINDOW", "NoticeDetail", "NoticeError",
    "NoticeInfo", "NumberingError", "OverdueInfo", "ProposedItem", "ProposedNotice",
    "close_notice", "count_notices", "decide_extension", "escalate", "get_notice",
    "issue_further_order", "issue_notice", "list_blocks", "list_notices", "notice_detail",
    "open_notices_for_entity", "overdue_notices", "propose_notices", "recheck",
    "record_recheck", "request_extension", "reserve_block", "serve_notice", "submit_report",
]
