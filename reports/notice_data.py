"""What a rectification document and a 复查意见书 print, as plain dataclasses.

The builders in :mod:`reports.notice` and :mod:`reports.recheck` take these, never ORM rows,
so they can be tested and benchmarked without a database. :func:`load_notice` reads one notice
(with its findings, the inspection, the unit, the officers, 送达 and rechecks) from a Session.

A document's *family* decides its wording (see ``reports/notice_wording.yaml``):

=============  ==========================================================
``labour``     劳动保障监察限期改正指令书 (人社)
``health``     卫生监督意见书 (卫健)
``order``      责令立即改正通知书 / 责令限期改正通知书 (消防 and the others)
``supervise``  督办通知 (a 公文 to a government department under 督查, with a reply date)
``feedback``   督查反馈意见 (a 公文 to a government department under 督查)
``advice``     建议 (推荐标准 and 鼓励 items): its wording orders nothing
``referral``   移送函 to the competent department (a 公文, not served on the unit)
=============  ==========================================================

What a document prints about a problem is a statement of fact (存在问题) and a requirement
(整改要求), never the checklist question; the texts and their wording come from
:mod:`reports.notice_wording`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reports.notice_wording import (
    ORDERS,
    NoticeDataError,
    as_advice,
    measured_text,
    official_text,
    requirement_of,
    statement_of,
)
from rules.china_time import beijing_date, chinese_date
from rules.notice_status import failed_within_period


@dataclass(frozen=True)
class NoticeItem:
    """One problem the document addresses."""

    code: str  # checklist item code (never printed in the body)
    problem: str  # 存在问题: a statement of fact, never the checklist question
    provisions: tuple[str, ...]  # the provisions it breaks, as cited in the checklist
    requirement: str  # 整改要求 / 监督意见 / 建议
    department: str | None = None  # the competent department (joint inspections)
    result: str = ""  # 不符合 / 部分符合


@dataclass(frozen=True)
class Officer:
    name: str
    cert_no: str | None = None  # 执法证号
    department: str | None = None


@dataclass(frozen=True)
class Service:
    """送达: how the document reached the unit. Empty fields print as blanks to fill in."""

    served_on: date | None = None
    method: str | None = None  # 直接送达 / 留置送达 / 邮寄送达 …
    place: str | None = None
    recipient: str | None = None  # 受送达人 (the person who signed)
    server: str | None = None  # 送达人
    note: str | None = None
    refused: bool = False  # 留置送达: the recipient refused to sign
    refusal: str | None = None  # 拒收事由
    witnesses: tuple[str, ...] = ()  # 见证人


@dataclass(frozen=True)
class NoticeData:
    notice_id: int | str
    family: str  # see FAMILIES
    title: str  # 劳动保障监察限期改正指令书, 责令限期改正通知书, …
    number: str  # 文书编号, e.g. 中宁卫责改〔2026〕第12号
    organisation: str  # 机关名称 that issues it
    addressee: str  # 被检查单位名称
    items: tuple[NoticeItem, ...]
    issued_on: date
    inspected_on: date | None = None
    place: str | None = None  # where the inspection took place
    addressee_address: str | None = None
    credit_code: str | None = None
    immediate: bool = False  # 责令立即改正
    deadline: date | None = None
    recheck_on: date | None = None
    officers: tuple[Officer, ...] = ()
    contact: str | None = None  # 联系人及电话 of the issuing office
    legal_basis: tuple[str, ...] = ()  # the document's own basis, only citations with an article
    requirement: str | None = None  # an overall 整改要求 written at issue
    service: Service = field(default_factory=Service)
    demo: bool = False
    unit: str | None = None  # the inspected unit, when the addressee is another body (移送函)
    province: str | None = None  # the unit's province, for 本省 in the texts
    attachments: tuple[str, ...] = ()  # 附件说明 of a 公文

    @property
    def unit_name(self) -> str:
        return self.unit or self.addressee


@dataclass(frozen=True)
class RecheckItem:
    code: str
    problem: str
    requirement: str
    outcome: str  # 已整改 / 未整改 / 部分整改
    note: str | None = None


@dataclass(frozen=True)
class RecheckData:
    """复查意见书: the result of checking a notice's items again."""

    notice: NoticeData
    number: str  # the 复查意见书's own number; "" prints a blank to fill in
    rechecked_on: date
    items: tuple[RecheckItem, ...]
    conclusion: str  # passed | failed | partial
    officers: tuple[Officer, ...] = ()
    opinion: str | None = None  # free text written by the inspector
    follow_up: str | None = None  # 再次责令 / 立案 / 移送, or None when passed
    escalation_basis: tuple[str, ...] = ()  # verified citations for what follows a refusal
    next_deadline: date | None = None  # 继续整改 by this day (督办, 反馈, 建议)
    #: an order found not put right before its deadline: that deadline, which still runs
    within_deadline: date | None = None


# -- wording -------------------------------------------------------------------------------------


# -- printed texts -------------------------------------------------------------------------------


def cn_date(value: date | None, blank: str = "　　　　年　　月　　日") -> str:
    """2026年3月5日; a blank to fill in by hand when the date is not known."""
    return blank if value is None else chinese_date(value)


# -- loading from the database -------------------------------------------------------------------


def family_of(title: str, kind_code: str = "", is_order: bool = True, klass: str = "") -> str:
    """The wording family of a document, from its kind's class and its printed title."""
    if klass == "referral" or "移送" in title or kind_code == "referral":
        return "referral"
    if "指令书" in title:
        return "labour"
    if "卫生监督意见书" in title:
        return "health"
    if "督办" in title:
        return "supervise"
    if "反馈" in title:
        return "feedback"
    if "建议" in title or "advice" in kind_code or "recommend" in kind_code:
        return "advice"
    if "责令" in title or is_order:
        return "order"
    return "advice"


def cited_basis(raw: Any) -> tuple[str, ...]:
    """The notice's own legal basis, keeping only citations that name an article.

    An entry is a citation string or a mapping with ``document`` and ``clause``; a basis with no
    article (未核实, or a placeholder such as 所违反条款所在的法律、法规) is not printed, since
    the document must not cite what was not checked.
    """
    out: list[str] = []
    for entry in raw or ():
        if isinstance(entry, dict):
            if not entry.get("clause") or entry.get("verified") == "未核实":
                continue
            text = f"{entry.get('document', '')}{entry['clause']}"
        else:
            text = str(entry)
        if re.search(r"第.+条", text) and text.startswith("《"):
            out.append(text.strip())
    return tuple(out)


def _item_from_row(row: Any, finding: Any, province: str | None,
                   family: str = "order") -> NoticeItem:
    provisions = tuple(official_text(p.strip(), province)
                       for p in (row.provision or "").replace("\n", "；").split("；")
                       if p.strip() and "未列法律依据" not in p)
    measured = measured_text(getattr(finding, "answer", None),
                             getattr(finding, "value_number", None))
    problem = statement_of(getattr(row, "problem", None), row.question, row.result, row.note,
                           measured)
    requirement = requirement_of(row.requirement, row.question, provisions)
    if family == "advice":  # a 建议书 recommends; it never orders
        requirement = as_advice(requirement)
    return NoticeItem(row.item_code, official_text(problem, province), provisions,
                      official_text(requirement, province), result=row.result)


def province_of(region_code: str | None, *texts: str | None) -> str | None:
    """The province (自治区, 直辖市) of a region code, or of the first region named in texts."""
    from checklists.regions import ancestors, detect_region, region_by_code

    codes = ancestors(region_code) if region_code else []
    if not codes:
        for text in texts:
            found = detect_region(text or "")
            if found is not None:
                codes = ancestors(found.code)
                break
    for code in codes:
        region = region_by_code(code)
        if region is not None and region.level == "province":
            return region.name
    return None


def _kind(kind_code: str) -> Any:
    from checklists.notice_types import notice_types

    return notice_types().kinds.get(kind_code)


def _referral_addressee(notice: Any, unit: str, region_code: str | None) -> str:
    """The competent department a 移送函 goes to: the stored addressee when it is not the unit,
    else the department's standard name in the unit's region."""
    if notice.addressee and notice.addressee != unit:
        return str(notice.addressee)
    from checklists.departments import department_kinds
    from checklists.regions import region_by_code

    kind = next((k for k in department_kinds() if k.label == notice.department), None)
    region = region_by_code(region_code)
    if kind is not None and region is not None:
        template = kind.local_names.get(region.code) or kind.names.get(region.level)
        parent = region_by_code(region.parent)
        if template:
            return template.format(region=region.name, short=region.short,
                                   parent=parent.name if parent else "",
                                   parent_short=parent.short if parent else "")
    return f"{notice.department}主管部门"


def load_notice(session: Any, notice_id: int) -> NoticeData:
    """One notice as the builders print it; :class:`NoticeDataError` if there is no such notice.

    The officers' 执法证号 come from the inspection the notice was issued on; names in the
    notice's ``issued_by`` that the inspection does not list are printed without a number.
    """
    from sqlalchemy import select

    from models.inspection import Finding, Inspection, InspectionOfficer
    from models.rectification import Notice
    from models.rectification import NoticeItem as NoticeItemRow
    from models.registry import Entity

    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeDataError(f"没有编号为 {notice_id} 的整改文书。")
    entity = session.get(Entity, notice.entity_id)
    rows = session.scalars(select(NoticeItemRow).where(NoticeItemRow.notice_id == notice.id)
                           .order_by(NoticeItemRow.position, NoticeItemRow.id)).all()
    ids = [r.finding_id for r in rows if r.finding_id is not None]
    findings = {f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_(ids)))}
    inspected_on: date | None = None
    place: str | None = None
    certs: dict[str, tuple[str | None, str | None]] = {}
    if notice.inspection_id is not None:
        inspection = session.get(Inspection, notice.inspection_id)
        if inspection is not None:
            from models.utc import from_db

            started = from_db(inspection.started_at)
            inspected_on = beijing_date(started) if started is not None else None
            place = inspection.place
            for o in session.scalars(select(InspectionOfficer)
                                     .where(InspectionOfficer.inspection_id == inspection.id)
                                     .order_by(InspectionOfficer.position)):
                certs[o.name] = (o.cert_no, o.department)
    names = list(notice.issued_by or []) or list(certs)
    officers = tuple(Officer(n, *certs.get(n, (None, None))) for n in names)
    address = entity.address if entity is not None else None
    region_code = entity.region_code if entity is not None else None
    unit = getattr(notice, "unit_name", None) or (entity.name if entity is not None
                                                  else notice.addressee)
    if region_code is None:  # a unit without a region: the first region its texts name
        from checklists.regions import detect_region

        found = next((r for r in (detect_region(t or "") for t in (address, unit,
                                                                  notice.org_name)) if r), None)
        region_code = found.code if found is not None else None
    province = province_of(region_code)
    kind = _kind(notice.kind_code)
    family = family_of(notice.title, notice.kind_code, bool(notice.is_order),
                       kind.klass if kind is not None else "")
    addressee = notice.addressee
    attachments: tuple[str, ...] = ()
    if family == "referral":
        addressee = _referral_addressee(notice, unit, region_code)
        if notice.inspection_id is not None:
            attachments = ("现场检查笔录（复印件）",)
    refused = bool(getattr(notice, "service_refused", False)) or notice.service_method == "留置送达"
    return NoticeData(
        notice_id=notice.id,
        family=family,
        title=notice.title,
        number=notice.doc_number,
        organisation=notice.org_name,
        addressee=addressee,
        items=tuple(_item_from_row(r, findings.get(r.finding_id), province, family)
                    for r in rows),
        issued_on=notice.issued_on,
        inspected_on=inspected_on,
        place=place,
        addressee_address=address,
        credit_code=entity.credit_code if entity is not None else None,
        immediate=notice.deadline_mode == "immediate",
        deadline=notice.deadline,
        recheck_on=_recheck_due(session, notice.deadline),
        requirement=notice.requirement,
        officers=officers,
        legal_basis=cited_basis(notice.legal_basis),
        service=Service(served_on=notice.served_on, method=notice.service_method,
                        place=address, recipient=notice.service_recipient,
                        note=notice.service_note, refused=refused,
                        refusal=getattr(notice, "service_refusal", None),
                        witnesses=tuple(getattr(notice, "service_witnesses", None) or ())),
        demo=bool(notice.demo),
        unit=unit if unit != addressee else None,
        province=province,
        attachments=attachments,
        contact=_own_contact(session, notice.org_name),
    )


def _own_contact(session: Any, org_name: str | None) -> str | None:
    """The office's 联系人及电话 (设置), on the documents it issued itself only."""
    from services.settings import ORG_CONTACT, ORGANISATION, get_setting

    own = (get_setting(session, ORGANISATION) or "").strip()
    contact = (get_setting(session, ORG_CONTACT) or "").strip()
    return contact if contact and own and own == (org_name or "").strip() else None


def _recheck_due(session: Any, deadline: date | None) -> date | None:
    """The last day of the recheck window after the deadline (services.notice_queries)."""
    if deadline is None:
        return None
    from services.notice_queries import recheck_due, recheck_window

    return recheck_due(deadline, recheck_window(session))


_OUTCOME = {"通过": "已整改", "符合": "已整改", "passed": "已整改", "不通过": "未整改",
            "不符合": "未整改", "failed": "未整改", "部分符合": "部分整改", "partial": "部分整改"}


def load_recheck(session: Any, notice_id: int, recheck_id: int | None = None) -> RecheckData:
    """The latest (or the given) 复查 of a notice; :class:`NoticeDataError` if none was made."""
    from sqlalchemy import select

    from models.rectification import Notice, Recheck
    from models.rectification import NoticeItem as NoticeItemRow

    notice = load_notice(session, notice_id)
    query = select(Recheck).where(Recheck.notice_id == notice_id)
    if recheck_id is not None:
        query = query.where(Recheck.id == recheck_id)
    recheck = session.scalars(query.order_by(Recheck.checked_on.desc(), Recheck.id.desc())).first()
    if recheck is None:
        raise NoticeDataError(f"整改文书 {notice.number} 尚未复查，不能生成复查意见书。")
    rows = session.scalars(select(NoticeItemRow).where(NoticeItemRow.notice_id == notice_id)
                           .order_by(NoticeItemRow.position, NoticeItemRow.id)).all()
    results = dict(recheck.item_results or {})
    items = []
    for row, printed in zip(rows, notice.items, strict=True):
        raw = results.get(row.uuid) or results.get(row.item_code) or row.recheck_result
        if raw is None:
            raw = "通过" if recheck.passed else "不通过"
        outcome = _OUTCOME.get(str(raw), str(raw))
        items.append(RecheckItem(row.item_code, printed.problem, printed.requirement, outcome))
    outcomes = {i.outcome for i in items}
    if recheck.passed:
        conclusion = "passed"
    elif outcomes & {"已整改", "部分整改"}:
        conclusion = "partial"
    else:
        conclusion = "failed"
    row_notice = session.get(Notice, notice_id)
    kind = _kind(row_notice.kind_code) if row_notice is not None else None
    basis = tuple(c.text for c in kind.escalation_basis
                  if c.clause and c.verified != "未核实") if kind is not None else ()
    next_deadline = within = None
    if kind is not None and failed_within_period(recheck.passed, recheck.checked_on,
                                                 notice.deadline, is_order=kind.is_order):
        within = notice.deadline  # the period given still runs (an early report fell short)
    if kind is not None and not recheck.passed and notice.family not in ORDERS:
        from rules.workdays import count_deadline

        next_deadline = within or count_deadline(recheck.checked_on, kind.deadline_mode,
                                                 kind.deadline_days).due
    return RecheckData(
        notice=notice,
        number=getattr(recheck, "doc_number", None) or "",
        rechecked_on=recheck.checked_on,
        items=tuple(items),
        conclusion=conclusion,
        officers=tuple(Officer(n, *_cert(notice, n)) for n in (recheck.inspectors or [])),
        opinion=recheck.note,
        follow_up=row_notice.escalation if row_notice is not None else None,
        escalation_basis=basis,
        next_deadline=next_deadline,
        within_deadline=within,
    )


def _cert(notice: NoticeData, name: str) -> tuple[str | None, str | None]:
    for o in notice.officers:
        if o.name == name:
            return o.cert_no, o.department
    return None, None


@dataclass(frozen=True)
class NoticeChoice:
    """One notice as the 报告 page lists it."""

    id: int
    number: str
    title: str
    addressee: str
    issued_on: date
    rechecked: bool

    @property
    def label(self) -> str:
        return f"{self.number}　{self.title}　{self.addressee}"


def list_notices(session: Any, *, rechecked_only: bool = False) -> list[NoticeChoice]:
    """Every notice, newest first, saying whether it has been rechecked."""
    from sqlalchemy import select

    from models.rectification import Notice, Recheck

    has = select(Recheck.id).where(Recheck.notice_id == Notice.id).exists()
    stmt = (select(Notice.id, Notice.doc_number, Notice.title, Notice.addressee,
                   Notice.issued_on, has)
            .order_by(Notice.issued_on.desc(), Notice.id.desc()))
    if rechecked_only:
        stmt = stmt.where(has)
    return [NoticeChoice(r[0], r[1], r[2], r[3], r[4], bool(r[5]))
            for r in session.execute(stmt)]
