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

Who issues what: the user's own organisation (settings 机关名称, 机关代字 and 本机关部门类别
``org_department``, inferred from the 机关名称 when unambiguous, :func:`own_department`) orders
or gives its opinion only on items of its own competence. A 法定义务/规范义务 finding under
another department gets a 移送函 (kind ``referral``, class referral, suffix 移, no deadline)
addressed to that department; it is served, then ends when the department's feedback is
recorded (:func:`record_feedback`); it is never rechecked or 销号'd. 推荐标准/鼓励 items get
建议 whoever issues; 督查 keeps 督办/反馈意见. A unit outside the jurisdiction is refused
(:func:`jurisdiction_problem`, :func:`issue_blocker`).

Fields for the renderers (``reports/``), all on the ORM rows of :mod:`models.rectification`:

* ``Notice.org_name`` / ``issuer_department``: the issuing body and its department kind.
* ``Notice.addressee``: to whom the document is addressed — the unit, or for a 移送函 the
  competent department; ``Notice.unit_name``: the inspected unit (always).
* ``Notice.doc_number``: 执法文书 ``中宁卫责改〔2026〕第12号``; 公文-style kinds (督办通知,
  督查反馈意见, 移送函) ``中宁卫督办〔2026〕12号`` (no 第).
* ``Notice.legal_basis_verified``: False → print "依据待法制审核" instead of ``legal_basis``.
* ``NoticeItem.problem`` (存在问题, statement of fact; older rows: fall back to ``note``) and
  ``NoticeItem.requirement`` (整改要求). Never print ``NoticeItem.question`` as the problem.
* 送达回证: ``Notice.served_on``, ``service_method``, ``service_recipient``; for 留置送达
  ``service_refused`` (True), ``service_refusal`` (拒收事由) and ``service_witnesses``
  (见证人 names); the refusal date is ``served_on``.
* 移送函 feedback: ``Notice.feedback_on`` / ``feedback_text``.
* 复查意见书: ``Recheck.doc_number`` (own number from the 复查 block, e.g.
  ``中宁卫复查〔2026〕第3号``), with ``doc_word``/``doc_year``/``doc_seq``.

Signatures of these functions are stable (new parameters are keyword-only with defaults).
"""

from __future__ import annotations

from services.issuing_body import (
    infer_department,
    jurisdiction_problem,
    own_department,
    referral_addressee,
)
from services.notice_issue import (
    ProposedItem,
    ProposedNotice,
    issue_blocker,
    issue_further_order,
    issue_notice,
    propose_notices,
)
from services.notice_loop import (
    ESCALATIONS,
    close_notice,
    decide_extension,
    escalate,
    record_feedback,
    record_recheck,
    request_extension,
    serve_notice,
    submit_report,
)
from services.notice_queries import (
    AWAITING_ACTION,
    FILTERS,
    OVERDUE,
    RECHECK_WINDOW,
    HistoryStep,
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
from services.notice_texts import problem_text, requirement_text
from services.numbering import NumberingError, list_blocks, reserve_block

recheck = record_recheck  # short alias

__all__ = [
    "AWAITING_ACTION",
    "ESCALATIONS",
    "FILTERS",
    "OVERDUE",
    "RECHECK_WINDOW",
    "HistoryStep",
    "NoticeDetail",
    "NoticeError",
    "NoticeInfo",
    "NumberingError",
    "OverdueInfo",
    "ProposedItem",
    "ProposedNotice",
    "close_notice",
    "count_notices",
    "decide_extension",
    "escalate",
    "get_notice",
    "infer_department",
    "issue_blocker",
    "issue_further_order",
    "issue_notice",
    "jurisdiction_problem",
    "list_blocks",
    "list_notices",
    "notice_detail",
    "open_notices_for_entity",
    "overdue_notices",
    "own_department",
    "problem_text",
    "propose_notices",
    "recheck",
    "record_feedback",
    "record_recheck",
    "referral_addressee",
    "request_extension",
    "requirement_text",
    "reserve_block",
    "serve_notice",
    "submit_report",
]
