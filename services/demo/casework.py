"""Casework in the demo data: 整改 notices taken through the loop with the public API of
:mod:`services.notices`, and 双随机 draws made with :mod:`services.draw_records` (see
:mod:`services.demo.fill`).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.inspection import (
    Finding,
    Inspection,
    InspectionCounts,
    InspectionOfficer,
    SnapshotItem,
)
from rules.inspection_status import (
    COMPLETED,
    ENFORCEMENT,
    FAIL,
    PARTIAL,
    SIGNED,
    SUPERVISION,
)
from services.demo.names import person

FEEDBACK = ("已将移送问题纳入本部门执法检查计划，责令该单位限期整改，整改情况另行函告。",
            "已组织现场核查，该单位已完成整改，附整改前后照片。",
            "已立案调查，处理结果将另行函告。")
#: Hazards that can be put right on the spot (责令立即改正).
ON_THE_SPOT = re.compile("堆放|杂物|锁闭|占用|堵塞|明火|吸烟|电动车|充电|遮挡")
SPOT_SEARCH = 60  # inspections looked at for such a hazard
SERVICE_METHODS = ("直接送达", "直接送达", "直接送达", "留置送达", "邮寄送达")
#: What the recipient said on refusing to sign for a document (留置送达).
REFUSALS = ("称负责人不在，无权签收", "称对检查结论有异议", "称须请示上级单位后再签收")
# other bodies of the city whose packages the supervisor has merged: department, 机关代字
FEEDBACK_KIND = "supervision_feedback"
OTHER_OFFICES = (("消防救援", "中卫消"), ("人力资源和社会保障", "中卫人社"))
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
    from services.notices import own_department, propose_notices

    _reserve_blocks(session, today)
    # documents in the user's name only for inspections its own officers took part in (an
    # inspection by the 消防救援 or 人社 officers alone is theirs to follow up), signed by them
    own_dept = own_department(session) or ""
    officers = {iid: people[own_dept] for iid, people in _officers_by_department(session).items()
                if people.get(own_dept)}
    candidates = list(session.execute(
        select(Inspection.id, Inspection.started_at, Inspection.kind).join(
            InspectionCounts, InspectionCounts.inspection_id == Inspection.id)
        .where(Inspection.status.in_((COMPLETED, SIGNED)),
               (InspectionCounts.failed + InspectionCounts.partial) > 0)
        .order_by(Inspection.id)).all())
    candidates = [c for c in candidates if c[0] in officers]
    rng.shuffle(candidates)
    # A few 部门督查 first (督办通知, 督查反馈意见); then mostly inspections with findings of
    # the user's own department (卫生健康), whose 意见书 the demo follows to 销号, and every
    # fourth one from the rest (建议, 移送函).
    supervision = [c for c in candidates if c[2] == SUPERVISION]
    # one whose findings call for a 督查反馈意见 (a body without enforcement powers, or an
    # encouraged measure) comes first, so the demo holds both kinds of 督查 document
    feedback = next((c for c in supervision if any(
        p.kind_code == FEEDBACK_KIND for p in propose_notices(session, c[0]))), None)
    if feedback is not None:
        supervision.remove(feedback)
        supervision.insert(0, feedback)
    supervision = supervision[:max(4, target // 20)]
    chosen = {c[0] for c in supervision}
    candidates = [c for c in candidates if c[0] not in chosen]
    own = set(session.scalars(select(Finding.inspection_id).where(
        Finding.department == own_dept,
        Finding.result.in_((FAIL, PARTIAL))).distinct()))
    mine = [c for c in candidates if c[0] in own]
    rest = [c for c in candidates if c[0] not in own]
    candidates = []
    while mine or rest:
        candidates += [mine.pop() for _ in range(3) if mine]
        if rest:
            candidates.append(rest.pop())
    candidates = supervision + candidates
    picked: list[tuple[int, datetime, Any]] = []
    for iid, started, _kind in candidates:
        if len(picked) >= target or stop():
            break
        picked.extend((iid, started, p) for p in propose_notices(session, iid))
    # issued in the order of the inspections, so that each kind's numbers follow the days
    # they were issued on, as an office's do
    extended: list[int] = []  # notices given an 延期
    for iid, started, proposal in sorted(picked[:target], key=lambda c: c[1]):
        if stop():
            break
        _take_through(session, rng, today, iid, started, proposal, officers[iid], extended)


def add_other_offices(session: Session, rng: random.Random, today: date, region: str,
                      per_office: int, stop: Callable[[], bool]) -> None:
    """Documents of the city's 消防救援支队 and 人力资源和社会保障局 as the supervisor holds them
    after merging their packages: each issued under that body's own name, 机关代字 and number
    block, for findings of its own department (责令立即改正 and 限期改正通知书, 限期改正指令书),
    and taken through the same loop. The user's own settings are restored afterwards."""
    from services.issuing_body import referral_addressee
    from services.notices import propose_notices
    from services.settings import ORG_CODE, ORG_DEPARTMENT, ORGANISATION, get_setting, set_setting

    keys = (ORGANISATION, ORG_CODE, ORG_DEPARTMENT)
    saved = {key: get_setting(session, key) for key in keys}
    spot_codes = _spot_codes(session)
    officers = _officers_by_department(session)
    extended: list[int] = []
    try:
        for department, code in OTHER_OFFICES:
            set_setting(session, ORGANISATION, referral_addressee(department, region))
            set_setting(session, ORG_CODE, code)
            set_setting(session, ORG_DEPARTMENT, department)
            _reserve_blocks(session, today)
            rows = session.execute(
                select(Inspection.id, Inspection.started_at).join(
                    Finding, Finding.inspection_id == Inspection.id)
                .where(Inspection.status.in_((COMPLETED, SIGNED)),
                       Inspection.kind == ENFORCEMENT, Finding.department == department,
                       Finding.result.in_((FAIL, PARTIAL)))
                .distinct().order_by(Inspection.id)).all()
            # only inspections this department's own officers took part in: its documents
            # are signed by them
            rows = [r for r in rows if officers.get(r[0], {}).get(department)]
            # one hazard that can be put right on the spot (杂物, 锁闭, 明火 …) gets a
            # 责令立即改正通知书: the first inspection that found one comes first (only
            # inspections with such a finding of this department are looked at)
            spot: dict[int, list[str]] = {}
            found = _with_spot_hazard(session, department, spot_codes)
            for iid, _started in rows[:SPOT_SEARCH]:
                if iid not in found:
                    continue
                codes = [item.item_code for p in propose_notices(session, iid)
                         if p.department == department and p.is_order for item in p.items
                         if ON_THE_SPOT.search(item.question)]
                if codes:
                    spot[iid] = codes[:1]
                    rows.sort(key=lambda r: r[0] != iid)
                    break
            made = 0
            for iid, started in rows:
                if made >= per_office or stop():
                    break
                immediate = spot.get(iid, [])
                names = officers[iid][department]
                for proposal in propose_notices(session, iid, immediate=immediate):
                    if (proposal.department == department and proposal.is_order
                            and _take_through(session, rng, today, iid, started, proposal,
                                              names, extended)):
                        made += 1
    finally:
        for key, value in saved.items():
            set_setting(session, key, value)


def _spot_codes(session: Session) -> set[str]:
    """The codes of the stored checklists' items that ask about a hazard that can be put
    right on the spot."""
    codes = set()
    for (content,) in session.execute(select(SnapshotItem.content)):
        item = json.loads(content)
        if ON_THE_SPOT.search(str(item.get("question") or "")):
            codes.add(str(item.get("code")))
    return codes


def _with_spot_hazard(session: Session, department: str, codes: set[str]) -> set[int]:
    """The inspections with a finding of ``department`` not (fully) met on such an item."""
    if not codes:
        return set()
    return set(session.scalars(select(Finding.inspection_id).where(
        Finding.department == department, Finding.result.in_((FAIL, PARTIAL)),
        Finding.item_code.in_(sorted(codes))).distinct()))


def _reserve_blocks(session: Session, today: date) -> None:
    from services.numbering import NumberingError, document_suffixes, reserve_block

    for year in range(today.year - 2, today.year + 1):
        for suffix in document_suffixes():
            try:
                reserve_block(session, suffix=suffix, year=year, start=1, end=9999,
                              note="演示数据")
            except NumberingError:
                pass  # already reserved by an earlier fill


def _officers_by_department(session: Session) -> dict[int, dict[str, list[str]]]:
    officers: dict[int, dict[str, list[str]]] = {}
    for iid, name, department in session.execute(select(
            InspectionOfficer.inspection_id, InspectionOfficer.name,
            InspectionOfficer.department)):
        officers.setdefault(iid, {}).setdefault(department or "", []).append(name)
    return officers


def _take_through(session: Session, rng: random.Random, today: date, iid: int,
                  started: datetime, proposal: Any, people: list[str],
                  extended: list[int]) -> bool:
    """Issue one proposed notice and take it as far through the loop as its dates allow:
    served (some 留置送达 before a witness), a 移送函 answered, a deadline extended, a report
    received, rechecked (some fail) and closed. False when the services refuse it."""
    from services.notices import (
        NoticeError,
        NumberingError,
        close_notice,
        decide_extension,
        issue_notice,
        record_feedback,
        record_recheck,
        request_extension,
        serve_notice,
        submit_report,
    )

    issued = min(started.date() + timedelta(days=rng.randint(1, 3)), today)
    try:
        notice = issue_notice(session, inspection_id=iid, kind_code=proposal.kind_code,
                              finding_ids=proposal.finding_ids, issued_on=issued,
                              issued_by=people)
    except (NoticeError, NumberingError):
        return False
    try:
        served = min(issued + timedelta(days=rng.randint(0, 3)), today)
        if issued == today and rng.random() < 0.5:
            return True  # 待送达
        # 留置送达 (a refusal before a witness) only for an order; advice is handed or posted
        method = rng.choice(SERVICE_METHODS if proposal.is_order else SERVICE_METHODS[:3] +
                            SERVICE_METHODS[4:])
        refused = method == "留置送达"
        info = serve_notice(
            session, notice.id, served_on=served, method=method, recipient=person(rng),
            refused=refused,
            refusal=rng.choice(REFUSALS) if refused else None,
            witnesses=[f"{person(rng)}（所在村（社区）工作人员）"] if refused else ())
        if proposal.is_referral:
            answered = served + timedelta(days=rng.randint(5, 30))
            if answered <= today and rng.random() < 0.8:
                record_feedback(session, notice.id, received_on=answered,
                                text=rng.choice(FEEDBACK))
            return True
        if info.is_referral:  # 移送函: the receiving department's feedback
            if served + timedelta(days=10) < today and rng.random() < 0.7:
                record_feedback(session, notice.id,
                                received_on=served + timedelta(days=rng.randint(5, 10)),
                                text="已依职责调查处理，责令该单位整改。")
            return True
        due = info.deadline
        # the first order that can be extended is, so every demo shows an 延期; then one in ten
        wanted = not extended or rng.random() < 0.1
        if due is not None and wanted and served + timedelta(days=2) <= due:
            extended.append(notice.id)
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
            return True  # 整改中, or left overdue without a report
        received = max(served, due - timedelta(days=rng.randint(0, 5)))
        submit_report(session, notice.id, received_on=received,
                      summary="已按要求完成整改，附整改前后照片及制度文本。",
                      submitted_by=person(rng))
        checked = min(received + timedelta(days=rng.randint(1, 4)), today)
        passed = rng.random() < 0.85
        if not passed:  # found not put right: a failed recheck comes after the deadline
            checked = min(max(checked, due + timedelta(days=rng.randint(1, 3))), today)
        record_recheck(session, notice.id, checked_on=checked, inspectors=people[:2],
                       passed=passed,
                       note=None if passed else "整改报告所述措施现场核实未落实，有关问题依然存在")
        if passed:
            close_notice(session, notice.id,
                         closed_on=min(checked + timedelta(days=1), today),
                         closed_by=people[0])
    except (NoticeError, NumberingError):
        pass
    return True
