"""Casework in the demo data: 整改 notices taken through the loop with the public API of
:mod:`services.notices`, and 双随机 draws made with :mod:`services.draw_records` (see
:mod:`services.demo.fill`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.inspection import Finding, Inspection, InspectionCounts, InspectionOfficer
from rules.inspection_status import COMPLETED, ENFORCEMENT, FAIL, PARTIAL, SIGNED
from services.demo.names import person

FEEDBACK = ("已将移送问题纳入本部门执法检查计划，责令该单位限期整改，整改情况另行函告。",
            "已组织现场核查，该单位已完成整改，附整改前后照片。",
            "已立案调查，处理结果将另行函告。")
EXTENSION_REASONS = ("整改涉及设施改造，需采购和安装，申请延长整改期限。",
                     "母婴室改造需待场地腾退后施工，申请延期。",
                     "制度修订需经职工代表大会审议通过，申请延期。")


def add_draws(session: Session, now: datetime, region: str) -> None:
    """Two 双随机 draws on the register: one on record, one discarded with its reason."""
    from services.draw_records import DrawError, discard_draw, perform_draw

    batches = (("周建华", "黄河 枸杞 7391", None),
               ("马玉兰", "沙坡头 2468", "见证人到场前误操作抽取"))
    for n, (witness, words, discard) in enumerate(batches):
        try:
            info = perform_draw(
                session, title=f"{now.year}年托育机构消防安全双随机抽查（第{n + 1}批）",
                theme="托育机构消防安全", kind=ENFORCEMENT, n=8, per_entity=2,
                witness_name=witness, witness_input=words, entity_types=["childcare"],
                region_codes=[region], departments=["消防救援", "卫生健康"],
                operator="演示", demo=True, now=now - timedelta(days=20 - n))
        except DrawError:
            return
        if discard:
            discard_draw(session, info.id, reason=discard)


def add_notices(session: Session, rng: random.Random, today: date, target: int,
             stop: Callable[[], bool]) -> None:
    """整改 notices through the public API of services.notices: issued for finished inspections
    with non-compliant findings, served, and - as their deadlines pass - reported, rechecked
    and closed (销号); some rechecks fail and some notices are left overdue. Findings outside
    the user's own department go, as the rules decide, to a 移送函 to the competent
    department, which is served and - mostly - answered (已反馈)."""
    from checklists.notice_types import notice_types
    from services.notices import (
        NoticeError,
        NumberingError,
        close_notice,
        decide_extension,
        issue_notice,
        own_department,
        propose_notices,
        record_feedback,
        record_recheck,
        request_extension,
        reserve_block,
        serve_notice,
        submit_report,
    )

    types = notice_types()
    suffixes = sorted({k.suffix for k in types.kinds.values()}
                      | {getattr(types, "recheck_suffix", None) or ""} - {""})
    for year in range(today.year - 2, today.year + 1):
        for suffix in suffixes:
            try:
                reserve_block(session, suffix=suffix, year=year, start=1, end=9999,
                              note="演示数据")
            except NumberingError:
                pass  # already reserved by an earlier fill
    candidates = list(session.execute(
        select(Inspection.id, Inspection.started_at).join(
            InspectionCounts, InspectionCounts.inspection_id == Inspection.id)
        .where(Inspection.status.in_((COMPLETED, SIGNED)),
               (InspectionCounts.failed + InspectionCounts.partial) > 0)
        .order_by(Inspection.id)).all())
    rng.shuffle(candidates)
    # Mostly inspections with findings of the user's own department (卫生健康), whose
    # 意见书 the demo follows to 销号; every fourth one from the rest (建议, 移送函).
    own = set(session.scalars(select(Finding.inspection_id).where(
        Finding.department == own_department(session),
        Finding.result.in_((FAIL, PARTIAL))).distinct()))
    mine = [c for c in candidates if c[0] in own]
    rest = [c for c in candidates if c[0] not in own]
    candidates = []
    while mine or rest:
        candidates += [mine.pop() for _ in range(3) if mine]
        if rest:
            candidates.append(rest.pop())
    officers: dict[int, list[str]] = {}
    for iid, name in session.execute(select(InspectionOfficer.inspection_id,
                                            InspectionOfficer.name)):
        officers.setdefault(iid, []).append(name)
    made = 0
    methods = ("直接送达", "直接送达", "直接送达", "留置送达", "邮寄送达")
    for iid, started in candidates:
        if made >= target or stop():
            break
        issued = min(started.date() + timedelta(days=rng.randint(1, 3)), today)
        people = officers.get(iid, [])
        for proposal in propose_notices(session, iid):
            if made >= target:
                break
            try:
                notice = issue_notice(session, inspection_id=iid, kind_code=proposal.kind_code,
                                      finding_ids=proposal.finding_ids, issued_on=issued,
                                      issued_by=people)
                made += 1
                served = min(issued + timedelta(days=rng.randint(0, 3)), today)
                if issued == today and rng.random() < 0.5:
                    continue  # 待送达
                method = rng.choice(methods)
                refused = method == "留置送达"
                info = serve_notice(
                    session, notice.id, served_on=served, method=method, recipient=person(rng),
                    refused=refused,
                    refusal="受送达人以负责人不在为由拒绝签收" if refused else None,
                    witnesses=[f"{person(rng)}（所在村（社区）工作人员）"] if refused else ())
                if proposal.is_referral:
                    answered = served + timedelta(days=rng.randint(5, 30))
                    if answered <= today and rng.random() < 0.8:
                        record_feedback(session, notice.id, received_on=answered,
                                        text=rng.choice(FEEDBACK))
                    continue
                if info.is_referral:  # 移送函: the receiving department's feedback
                    if served + timedelta(days=10) < today and rng.random() < 0.7:
                        record_feedback(session, notice.id,
                                        received_on=served + timedelta(days=rng.randint(5, 10)),
                                        text="已依职责调查处理，责令该单位整改。")
                    continue
                due = info.deadline
                if due is not None and rng.random() < 0.1 and served + timedelta(days=2) <= due:
                    # the unit asks for more time (延期) before its deadline; mostly granted
                    asked = served + timedelta(days=rng.randint(1, max(1, (due - served).days)))
                    ext = request_extension(session, notice.id, requested_on=asked,
                                            reason=rng.choice(EXTENSION_REASONS),
                                            requested_deadline=due + timedelta(days=15))
                    granted = rng.random() < 0.8
                    decide_extension(session, ext.id, granted=granted,
                                     decided_on=min(asked + timedelta(days=2), due),
                                     decided_by=people[0] if people else "检查员",
                                     new_deadline=due + timedelta(days=15) if granted else None)
                    due = due + timedelta(days=15) if granted else due
                if due is None or due >= today or rng.random() < 0.12:
                    continue  # 整改中, or left overdue without a report
                received = max(served, due - timedelta(days=rng.randint(0, 5)))
                submit_report(session, notice.id, received_on=received,
                              summary="已按要求完成整改，附整改前后照片及制度文本。",
                              submitted_by=person(rng))
                checked = min(received + timedelta(days=rng.randint(1, 4)), today)
                passed = rng.random() < 0.85
                record_recheck(session, notice.id, checked_on=checked, inspectors=people[:2],
                               passed=passed, note=None if passed else "所列问题仍未整改到位")
                if passed:
                    close_notice(session, notice.id,
                                 closed_on=min(checked + timedelta(days=1), today),
                                 closed_by=people[0])
            except (NoticeError, NumberingError):
                continue
