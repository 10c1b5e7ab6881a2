"""Proposing and issuing rectification documents from an inspection's findings.

Which document an item calls for is data (``checklists/data/notice_types.yaml``): the item's
competent department and obligation, and the inspection type, choose it. One notice holds
several findings of one department that call for the same kind of document. An item whose
obligation cannot ground an order (推荐标准, 鼓励) is never written into an order; issuing
refuses it in Chinese.

The issuing body is the user's own organisation (settings 机关名称 / 机关代字 / 本机关部门类别,
:func:`own_department`). It orders (or gives its opinion) only on items of its own competence;
a 法定义务 / 规范义务 item of another department's competence gets a 移送函 addressed to that
department (:func:`referral_addressee`), which asks it to handle the problems and feed back.
It never issues to a unit outside its jurisdiction (:func:`jurisdiction_problem`).

Each notice item carries a 存在问题 (``problem``, a statement of fact prefilled from the
inspector's note and measured value, :func:`problem_text`) and a 整改要求 (``requirement``,
:func:`requirement_text`); both can be edited before issue and may hold no question mark.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.checklist_model import ChecklistItem
from checklists.notice_types import NoticeKind, NoticeTypes, notice_types
from checklists.snapshot import SnapshotError
from checklists.template_model import issuing_obligation
from models.held import get_held
from models.inspection import Finding, Inspection, InspectionCounts, InspectionOfficer
from models.rectification import Notice, NoticeItem
from models.registry import Entity
from rules.china_time import beijing_date
from rules.inspection_status import DRAFT, FAIL, PARTIAL
from rules.limits import LONG_TEXT_MAX
from rules.notice_status import FAILED, ISSUED, REORDERED
from rules.text_check import check_text
from rules.workdays import MODES
from services.audit import audit
from services.checklist_snapshot import inspection_checklist
from services.issuing_body import (
    jurisdiction_problem,
    own_department,
    referral_addressee,
)
from services.notice_queries import NoticeError, NoticeInfo, notice_info
from services.notice_texts import (
    QUESTION_MARKS,
    problem_text,
    provision_text,
    requirement_text,
)
from services.numbering import take_number
from services.settings import JURISDICTION, ORGANISATION, get_setting

NON_COMPLIANT = (FAIL, PARTIAL)


@dataclass(frozen=True)
class ProposedItem:
    finding_id: int
    item_code: str
    question: str
    result: str
    obligation: str
    department: str
    provision: str
    requirement: str
    note: str | None
    problem: str = ""  # 存在问题, a statement of fact
    # the item's basis is checked only to the law or standard, not to the article: the
    # document cites the law alone, and the issuer is told before issuing
    article_unverified: bool = False


@dataclass(frozen=True)
class ProposedNotice:
    kind_code: str
    title: str
    is_order: bool
    department: str
    deadline_mode: str
    deadline_days: int
    items: tuple[ProposedItem, ...]
    addressee: str = ""  # the unit, or for a 移送函 the competent department
    is_referral: bool = False

    @property
    def finding_ids(self) -> list[int]:
        return [i.finding_id for i in self.items]


def issue_blocker(session: Session, inspection_id: int) -> str | None:
    """The reason no document can be issued for this inspection at all (Chinese), or None:
    for the issue dialog to show before anything is confirmed."""
    inspection = _inspection(session, inspection_id)
    entity = get_held(session, Entity, inspection.entity_id)
    if entity is None:
        return "找不到被检查单位。"
    problem = jurisdiction_problem(session, entity)
    if problem:
        return problem
    issuer = own_department(session)
    if issuer is None:
        return ("尚未设置本机关的部门类别，无法判断哪些问题属于本机关职责。"
                "请在“设置”中选择本机关部门类别（如“卫生健康”）。")
    return _took_part_problem(session, inspection_id, issuer)


def _issuer(session: Session) -> str:
    issuer = own_department(session)
    if issuer is None:
        raise NoticeError("尚未设置本机关的部门类别，无法判断哪些问题属于本机关职责。"
                          "请在“设置”中选择本机关部门类别（如“卫生健康”）。")
    return issuer


def propose_notices(session: Session, inspection_id: int, *,
                    immediate: Collection[str] = (),
                    types: NoticeTypes | None = None) -> list[ProposedNotice]:
    """The notices an inspection's 不符合 / 部分符合 findings call for, one per kind and
    department. Findings already on a notice that is still in force are left out.

    ``immediate`` names item codes the inspector marks as correctable on the spot; they get
    the 责令立即改正 kind where the rules have one.
    """
    types = types or notice_types()
    inspection = _inspection(session, inspection_id)
    issuer = _issuer(session)
    entity = get_held(session, Entity, inspection.entity_id)
    region = get_setting(session, JURISDICTION) or None
    items = _items(session, inspection)
    covered = _covered_findings(session, inspection_id)
    groups: dict[tuple[str, str], list[ProposedItem]] = {}
    findings = session.scalars(select(Finding).where(Finding.inspection_id == inspection_id,
                                                     Finding.result.in_(NON_COMPLIANT))
                               .order_by(Finding.position))
    for f in findings:
        if f.id in covered or f.item_code not in items:
            continue
        item = items[f.item_code]
        department = item.competent_department
        kind = types.choose(inspection_kind=inspection.kind, department=department,
                            obligation=issuing_obligation(item.obligation, item.legal_basis),
                            immediate=f.item_code in immediate, issuer=issuer)
        basis = provision_text(item)
        groups.setdefault((kind.code, department), []).append(ProposedItem(
            f.id, f.item_code, item.question, f.result, item.obligation, department,
            basis, requirement_text(item.question, basis), f.note, problem_text(item, f),
            any(not b.article_verified for b in item.legal_basis)))
    out = []
    for (code, department), rows in groups.items():
        kind = types.kinds[code]
        to = (referral_addressee(department, region) if kind.is_referral
              else (entity.name if entity else ""))
        out.append(ProposedNotice(code, kind.title, kind.is_order, department,
                                  kind.deadline_mode, kind.deadline_days, tuple(rows), to,
                                  kind.is_referral))
    return sorted(out, key=lambda p: (p.is_referral, not p.is_order, p.department,
                                      p.kind_code))


def issue_notice(session: Session, *, inspection_id: int, kind_code: str,
                 finding_ids: Sequence[int], issued_on: date,
                 issued_by: Sequence[str] = (), requirement: str | None = None,
                 item_requirements: Mapping[int, str] | None = None,
                 deadline_mode: str | None = None, deadline_days: int | None = None,
                 user: str | None = None, demo: bool | None = None,
                 item_problems: Mapping[int, str] | None = None,
                 _parent: Notice | None = None) -> NoticeInfo:
    """Issue one rectification document for some findings of a completed inspection.

    Takes the next number of this device's block for the kind's 代字 in ``issued_on``'s year
    in the caller's transaction (see :mod:`services.numbering`), snapshots each finding's
    question, provision broken, 存在问题 (``item_problems`` by finding id overrides the
    default, :func:`problem_text`) and 整改要求 (``item_requirements`` overrides
    :func:`requirement_text`), and writes the audit log. A 移送函 is addressed to the competent
    department (:func:`referral_addressee`), any other kind to the unit. The deadline
    mode/days default to the kind's; the deadline itself is fixed at 送达
    (:func:`services.notice_loop.serve_notice`).

    Raises :class:`NoticeError` (Chinese) when the inspection is a draft, a finding is not
    non-compliant or belongs elsewhere, is already on a notice in force, or calls for another
    kind of document (e.g. a 推荐标准 item in an order, or another department's item in an
    order instead of a 移送函), the unit lies outside the jurisdiction, or a problem or
    requirement holds a question mark; :class:`NumberingError` when this
    device has no number left. Signature is stable: demo data and the GUI call it.
    """
    types = notice_types()
    kind = types.kinds.get(kind_code)
    if kind is None:
        raise NoticeError(f"未知的文书种类：{kind_code}")
    inspection = _inspection(session, inspection_id)
    if inspection.status == DRAFT:
        raise NoticeError("检查尚未完成，不能开具整改文书。请先完成检查记录。")
    if not finding_ids:
        raise NoticeError("请至少选择一个不符合的检查项。")
    mode = deadline_mode or kind.deadline_mode
    days = kind.deadline_days if deadline_days is None else deadline_days
    _check_deadline(kind, mode, days)
    org = (get_setting(session, ORGANISATION) or "").strip()
    if not org:
        raise NoticeError("尚未设置机关名称，不能开具文书。请先在“设置”中填写机关名称。")
    if issued_on < beijing_date(inspection.started_at):
        raise NoticeError("开具日期不能早于检查日期。")
    entity = get_held(session, Entity, inspection.entity_id)
    assert entity is not None
    refused = jurisdiction_problem(session, entity)
    if refused:
        raise NoticeError(refused)
    issuer = _issuer(session)
    _check_took_part(session, inspection_id, issuer)
    items = _items(session, inspection)
    covered = _covered_findings(session, inspection_id,
                                ignore=_parent.id if _parent is not None else None)
    rows = _findings(session, inspection_id, finding_ids)
    department = None
    for f in rows:
        if f.id in covered:
            raise NoticeError(f"检查项 {f.item_code} 已在另一份未办结的整改文书中。")
        if f.result not in NON_COMPLIANT:
            raise NoticeError(f"检查项 {f.item_code} 的结果是“{f.result}”，不需要整改。")
        item = items.get(f.item_code)
        if item is None:
            raise NoticeError(f"检查清单中找不到检查项 {f.item_code}。")
        _check_kind(types, inspection.kind, item, kind, issuer)
        if department not in (None, item.competent_department):
            raise NoticeError("一份文书只能写同一主管部门的检查项"
                              f"（{department}、{item.competent_department}）。")
        department = item.competent_department
    assert department is not None
    problems = {f.id: _edited(item_problems, f.id, "存在问题", f.item_code) or
                problem_text(items[f.item_code], f) for f in rows}
    wanted = {f.id: _edited(item_requirements, f.id, "整改要求", f.item_code) or
              requirement_text(items[f.item_code].question, provision_text(items[f.item_code]))
              for f in rows}
    region = get_setting(session, JURISDICTION) or None
    addressee = referral_addressee(department, region) if kind.is_referral else entity.name
    number = take_number(session, suffix=kind.suffix, year=issued_on.year,
                         style=kind.number_style)
    notice = Notice(
        inspection_id=inspection.id, entity_id=entity.id,
        parent_id=_parent.id if _parent is not None else None, kind_code=kind.code,
        title=kind.title, department=department, is_order=kind.is_order,
        legal_basis=[c.text for c in kind.legal_basis], org_name=org,
        doc_word=number.doc_word, doc_year=number.year, doc_seq=number.seq,
        doc_number=number.text, issued_device=number.device, addressee=addressee,
        status=ISSUED, issued_on=issued_on,
        issuer_department=issuer, unit_name=entity.name,
        legal_basis_verified=kind.basis_verified,
        issued_by=[n.strip() for n in issued_by if n and n.strip()],
        requirement=check_text(requirement, label="整改要求", limit=LONG_TEXT_MAX,
                               error=NoticeError), deadline_mode=mode,
        deadline_days=days, demo=bool(inspection.demo if demo is None else demo))
    session.add(notice)
    session.flush()
    get_held(session, Notice, notice.id)  # kept loaded for the steps that follow (送达, …)
    for pos, f in enumerate(rows):
        item = items[f.item_code]
        session.add(NoticeItem(
            notice_id=notice.id, finding_id=f.id, finding_uuid=f.uuid, item_code=f.item_code,
            question=item.question, result=f.result, obligation=item.obligation,
            provision=provision_text(item), requirement=wanted[f.id], problem=problems[f.id],
            note=f.note, position=pos))
    session.flush()
    audit(session, "issue_notice", "notices", notice.uuid,
          {"doc_number": notice.doc_number, "kind": kind.code, "inspection": inspection.uuid,
           "findings": [f.uuid for f in rows], "deadline_mode": mode, "deadline_days": days,
           "issuer_department": issuer, "addressee": addressee,
           "parent": _parent.uuid if _parent is not None else None}, user=user)
    return notice_info(notice, len(rows))


def issue_further_order(session: Session, notice_id: int, *, issued_on: date,
                        issued_by: Sequence[str] = (), requirement: str | None = None,
                        deadline_mode: str | None = None, deadline_days: int | None = None,
                        user: str | None = None) -> NoticeInfo:
    """After a failed recheck: a new document of the same kind for the items still not put
    right (all items if the recheck did not judge them one by one), with a new number. The
    failed notice becomes 已再次责令 and the new one names it as its parent."""
    parent = session.get(Notice, notice_id)
    if parent is None:
        raise NoticeError(f"找不到整改文书（编号 {notice_id}）")
    if parent.status != FAILED:
        raise NoticeError("只有复查未通过的文书才能再次责令改正。")
    if parent.inspection_id is None:
        raise NoticeError("这份文书没有对应的检查记录，不能再次责令。")
    items = list(session.scalars(select(NoticeItem).where(NoticeItem.notice_id == parent.id)
                                 .order_by(NoticeItem.position)))
    still = [i for i in items if i.recheck_result != "符合"] or items
    ids = [i.finding_id for i in still if i.finding_id is not None]
    parent.status = REORDERED
    session.flush()
    info = issue_notice(session, inspection_id=parent.inspection_id, kind_code=parent.kind_code,
                        finding_ids=ids, issued_on=issued_on, issued_by=issued_by,
                        requirement=requirement or parent.requirement,
                        item_requirements={i.finding_id: i.requirement for i in still
                                           if i.finding_id is not None},
                        item_problems={i.finding_id: i.problem for i in still
                                       if i.finding_id is not None and i.problem},
                        deadline_mode=deadline_mode or parent.deadline_mode,
                        deadline_days=deadline_days, user=user, demo=parent.demo,
                        _parent=parent)
    audit(session, "reorder_notice", "notices", parent.uuid,
          {"further_order": info.uuid, "doc_number": info.doc_number}, user=user)
    return info


@dataclass(frozen=True)
class Candidate:
    """A completed inspection with non-compliant findings, for the issue dialog."""

    inspection_id: int
    entity_name: str
    kind: str
    started_on: date
    non_compliant: int

    @property
    def label(self) -> str:
        return (f"{self.entity_name}（{self.kind}，{self.started_on:%Y-%m-%d}，"
                f"不符合/部分符合 {self.non_compliant} 项）")


def candidate_inspections(session: Session, *, search: str | None = None,
                          limit: int = 300) -> list[Candidate]:
    """Completed or signed inspections with 不符合/部分符合 findings, newest first."""
    failing = InspectionCounts.failed + InspectionCounts.partial
    query = (select(Inspection.id, Entity.name, Inspection.kind, Inspection.started_at, failing)
             .join(Entity, Entity.id == Inspection.entity_id)
             .join(InspectionCounts, InspectionCounts.inspection_id == Inspection.id)
             .where(Inspection.status != DRAFT, failing > 0)
             .order_by(Inspection.started_at.desc(), Inspection.id.desc()).limit(limit))
    if search and search.strip():
        query = query.where(Entity.name.ilike(f"%{search.strip()}%"))
    out = []
    for iid, name, kind, started, n in session.execute(query):
        day = beijing_date(started)
        out.append(Candidate(int(iid), str(name), str(kind), day, int(n)))
    return out


def _inspection(session: Session, inspection_id: int) -> Inspection:
    row = get_held(session, Inspection, inspection_id)
    if row is None:
        raise NoticeError(f"找不到检查记录（编号 {inspection_id}）")
    return row


def _check_took_part(session: Session, inspection_id: int, issuer: str) -> None:
    problem = _took_part_problem(session, inspection_id, issuer)
    if problem:
        raise NoticeError(problem)


def _took_part_problem(session: Session, inspection_id: int, issuer: str) -> str | None:
    """A document in this office's name only for an inspection its own officers took part
    in: one made by another body's officers alone (merged from its package) is that body's
    to follow up. An inspection whose officers' departments are not recorded is not judged."""
    took_part = {d for d in session.scalars(select(InspectionOfficer.department).where(
        InspectionOfficer.inspection_id == inspection_id)) if d}
    if took_part and issuer not in took_part:
        return (f"这次检查由{'、'.join(sorted(took_part))}的检查人员进行，本机关（{issuer}）没有"
                "人员参加，不能以本机关的名义开具文书；应由实施检查的机关开具。")
    return None


def _items(session: Session, inspection: Inspection) -> dict[str, ChecklistItem]:
    try:
        checklist = inspection_checklist(session, inspection.id)
    except SnapshotError as exc:
        raise NoticeError(f"检查清单快照无法读取：{exc}") from exc
    return {i.code: i for i in checklist.items}


def _findings(session: Session, inspection_id: int, ids: Iterable[int]) -> list[Finding]:
    wanted = list(dict.fromkeys(ids))
    rows = {f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_(wanted)))}
    out = []
    for fid in wanted:
        f = rows.get(fid)
        if f is None or f.inspection_id != inspection_id:
            raise NoticeError(f"检查结果（编号 {fid}）不属于这次检查。")
        out.append(f)
    return sorted(out, key=lambda f: f.position)


def _covered_findings(session: Session, inspection_id: int, *,
                      ignore: int | None = None) -> set[int]:
    """Findings already on a notice in force (not replaced by a further order)."""
    query = (select(NoticeItem.finding_id).join(Notice, Notice.id == NoticeItem.notice_id)
             .where(Notice.inspection_id == inspection_id, Notice.status != REORDERED,
                    NoticeItem.finding_id.is_not(None)))
    if ignore is not None:
        query = query.where(Notice.id != ignore)
    return {int(x) for x in session.scalars(query) if x is not None}


def _edited(texts: Mapping[int, str | None] | None, finding_id: int, what: str,
            code: str) -> str | None:
    """An edited 存在问题 / 整改要求, stripped; refused with a question mark in it."""
    text = check_text((texts or {}).get(finding_id), label=f"检查项 {code} 的{what}",
                      limit=LONG_TEXT_MAX, error=NoticeError) or ""
    if any(mark in text for mark in QUESTION_MARKS):
        raise NoticeError(f"检查项 {code} 的{what}应写成陈述句，不能带问号：{text}")
    return text or None


def _check_kind(types: NoticeTypes, inspection_kind: str, item: ChecklistItem,
                kind: NoticeKind, issuer: str | None = None) -> None:
    acting = issuing_obligation(item.obligation, item.legal_basis)
    allowed = {types.choose(inspection_kind=inspection_kind, department=item.competent_department,
                            obligation=acting, immediate=flag, issuer=issuer).code
               for flag in (False, True)}
    if kind.code in allowed:
        return
    if allowed == {types.referral_kind}:
        act = "责令改正" if kind.is_order else "出具意见"
        raise NoticeError(f"检查项 {item.code} 属于{item.competent_department}部门的职责，"
                          f"本机关（{issuer}）不能对其{act}，"
                          f"应出具《{types.kinds[types.referral_kind].title}》移送主管部门处理。")
    if kind.is_referral:
        raise NoticeError(f"检查项 {item.code} 属于本机关职责，应由本机关直接处理，不需要移送。")
    proper = "、".join(f"《{types.kinds[c].title}》" for c in sorted(allowed))
    if kind.is_order and item.obligation not in ("法定义务", "规范义务"):
        raise NoticeError(f"检查项 {item.code} 属于{item.obligation}，只能提出建议，"
                          f"不能写入《{kind.title}》责令改正。")
    if kind.is_order and acting != item.obligation:
        raise NoticeError(f"检查项 {item.code} 的依据未读到原文或可靠转载，只能提出建议，"
                          f"不能写入《{kind.title}》责令改正。")
    raise NoticeError(f"检查项 {item.code}（{item.competent_department}，{item.obligation}）"
                      f"应出具{proper}，不能写入《{kind.title}》。")


def _check_deadline(kind: NoticeKind, mode: str, days: int) -> None:
    if mode not in MODES:
        raise NoticeError(f"未知的期限计算方式：{mode}")
    if days < 0:
        raise NoticeError("整改期限天数不能为负数。")
    if mode in ("calendar", "working") and days < 1:
        raise NoticeError("限期改正的期限应至少 1 天。")
    if kind.is_order and mode == "none":
        raise NoticeError(f"《{kind.title}》必须写明整改期限。")
