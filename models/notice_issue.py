"""Proposing and issuing rectification documents from an inspection's findings.

Which document an item calls for is data (``checklists/data/notice_types.yaml``): the item's
competent department and obligation, and the inspection type, choose it. One notice holds
several findings of one department that call for the same kind of document. An item whose
obligation cannot ground an order (推荐标准, 鼓励) is never written into an order; issuing
refuses it in Chinese.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.checklist_model import ChecklistItem
from checklists.notice_types import NoticeKind, NoticeTypes, notice_types
from checklists.snapshot import SnapshotError, from_snapshot
from models.audit_trail import audit
from models.inspection import DRAFT, FAIL, PARTIAL, Finding, Inspection, InspectionCounts
from models.notice_queries import NoticeError, NoticeInfo, notice_info
from models.numbering import take_number
from models.rectification import FAILED, ISSUED, REORDERED, Notice, NoticeItem
from models.registry import Entity
from models.settings import ORGANISATION, get_setting
from models.workdays import MODES

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


@dataclass(frozen=True)
class ProposedNotice:
    kind_code: str
    title: str
    is_order: bool
    department: str
    deadline_mode: str
    deadline_days: int
    items: tuple[ProposedItem, ...]

    @property
    def finding_ids(self) -> list[int]:
        return [i.finding_id for i in self.items]


def requirement_text(question: str) -> str:
    """A default 整改要求 from a checklist question: 是否配备婴儿床？ → 应配备婴儿床."""
    text = question.strip().rstrip("？?").strip()
    if "是否未" in text:
        head, tail = text.split("是否未", 1)
        return f"{head}不得{tail.replace('、未', '、')}"
    if "是否" in text:
        return text.replace("是否", "应", 1)
    return f"应整改到位：{text}"


def provision_text(item: ChecklistItem) -> str:
    parts = [f"{b.document}{b.clause or ''}" for b in item.legal_basis]
    return "；".join(parts) if parts else "（检查项未列法律依据）"


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
    items = _items(inspection)
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
                            obligation=item.obligation, immediate=f.item_code in immediate)
        groups.setdefault((kind.code, department), []).append(ProposedItem(
            f.id, f.item_code, item.question, f.result, item.obligation, department,
            provision_text(item), requirement_text(item.question), f.note))
    out = []
    for (code, department), rows in groups.items():
        kind = types.kinds[code]
        out.append(ProposedNotice(code, kind.title, kind.is_order, department,
                                  kind.deadline_mode, kind.deadline_days, tuple(rows)))
    return sorted(out, key=lambda p: (not p.is_order, p.department, p.kind_code))


def issue_notice(session: Session, *, inspection_id: int, kind_code: str,
                 finding_ids: Sequence[int], issued_on: date,
                 issued_by: Sequence[str] = (), requirement: str | None = None,
                 item_requirements: Mapping[int, str] | None = None,
                 deadline_mode: str | None = None, deadline_days: int | None = None,
                 user: str | None = None, demo: bool | None = None,
                 _parent: Notice | None = None) -> NoticeInfo:
    """Issue one rectification document for some findings of a completed inspection.

    Takes the next number of this device's block for the kind's 代字 in ``issued_on``'s year
    in the caller's transaction (see :mod:`models.numbering`), snapshots each finding's
    question, provision broken and 整改要求 (``item_requirements`` by finding id overrides the
    default), and writes the audit log. The deadline mode/days default to the kind's; the
    deadline itself is fixed at 送达 (:func:`models.notice_loop.serve_notice`).

    Raises :class:`NoticeError` (Chinese) when the inspection is a draft, a finding is not
    non-compliant or belongs elsewhere, is already on a notice in force, or calls for another
    kind of document (e.g. a 推荐标准 item in an order); :class:`NumberingError` when this
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
    if issued_on < inspection.started_at.astimezone().date():
        raise NoticeError("开具日期不能早于检查日期。")
    items = _items(inspection)
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
        _check_kind(types, inspection.kind, item, kind)
        if department not in (None, item.competent_department):
            raise NoticeError("一份文书只能写同一主管部门的检查项"
                              f"（{department}、{item.competent_department}）。")
        department = item.competent_department
    assert department is not None
    entity = session.get(Entity, inspection.entity_id)
    assert entity is not None
    number = take_number(session, suffix=kind.suffix, year=issued_on.year)
    notice = Notice(
        inspection_id=inspection.id, entity_id=entity.id,
        parent_id=_parent.id if _parent is not None else None, kind_code=kind.code,
        title=kind.title, department=department, is_order=kind.is_order,
        legal_basis=[c.text for c in kind.legal_basis], org_name=org,
        doc_word=number.doc_word, doc_year=number.year, doc_seq=number.seq,
        doc_number=number.text, addressee=entity.name, status=ISSUED, issued_on=issued_on,
        issued_by=[n.strip() for n in issued_by if n and n.strip()],
        requirement=(requirement or "").strip() or None, deadline_mode=mode,
        deadline_days=days, demo=bool(inspection.demo if demo is None else demo))
    session.add(notice)
    session.flush()
    overrides = item_requirements or {}
    for pos, f in enumerate(rows):
        item = items[f.item_code]
        session.add(NoticeItem(
            notice_id=notice.id, finding_id=f.id, finding_uuid=f.uuid, item_code=f.item_code,
            question=item.question, result=f.result, obligation=item.obligation,
            provision=provision_text(item),
            requirement=(overrides.get(f.id) or "").strip() or requirement_text(item.question),
            note=f.note, position=pos))
    session.flush()
    audit(session, "issue_notice", "notices", notice.uuid,
          {"doc_number": notice.doc_number, "kind": kind.code, "inspection": inspection.uuid,
           "findings": [f.uuid for f in rows], "deadline_mode": mode, "deadline_days": days,
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
        query = query.where(Entity.name.like(f"%{search.strip()}%"))
    out = []
    for iid, name, kind, started, n in session.execute(query):
        day = started.astimezone().date() if started.tzinfo else started.date()
        out.append(Candidate(int(iid), str(name), str(kind), day, int(n)))
    return out


def _inspection(session: Session, inspection_id: int) -> Inspection:
    row = session.get(Inspection, inspection_id)
    if row is None:
        raise NoticeError(f"找不到检查记录（编号 {inspection_id}）")
    return row


def _items(inspection: Inspection) -> dict[str, ChecklistItem]:
    try:
        checklist = from_snapshot(inspection.checklist)
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


def _check_kind(types: NoticeTypes, inspection_kind: str, item: ChecklistItem,
                kind: NoticeKind) -> None:
    allowed = {types.choose(inspection_kind=inspection_kind, department=item.competent_department,
                            obligation=item.obligation, immediate=flag).code
               for flag in (False, True)}
    if kind.code in allowed:
        return
    proper = "、".join(f"《{types.kinds[c].title}》" for c in sorted(allowed))
    if kind.is_order and item.obligation not in ("法定义务", "规范义务"):
        raise NoticeError(f"检查项 {item.code} 属于{item.obligation}，只能提出建议，"
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
