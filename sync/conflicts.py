"""Conflicts waiting for a person: two revisions of one record side by side, field by field,
and the resolution, which is a new revision that has seen both and so travels back to every
laptop that held either (they converge when they import the next package).

A clash of document numbers (two laptops that issued the same 文号) is listed here too; it is
resolved by a person noting how it was handled, never by renumbering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.sync import SyncConflict
from models.system import AuditEntry
from rules.china_time import chinese_date
from rules.version_vector import NEWER, bumped, compare, effective, merged
from sync.devices import senders_by_package
from sync.kinds import BY_NAME, describe
from sync.records import UuidMaps, columns, row_data, values_of

LOCAL, INCOMING, MERGED, NOTED = "local", "incoming", "merged", "noted"
RESOLUTION_LABELS = {LOCAL: "采用本机版本", INCOMING: "采用对方版本", MERGED: "逐项合并",
                     NOTED: "已知悉", "elsewhere": "已在其他设备解决"}
REASON_LABELS = {"concurrent": "双方同时修改", "doc_number": "文书编号重复"}

#: Field names as people read them; fields not listed show their column name.
FIELD_LABELS = {
    "name": "名称", "result": "检查结果", "note": "说明", "value_number": "实测值",
    "value_text": "填写内容", "status": "状态", "place": "检查地点", "started_at": "开始时间",
    "ended_at": "结束时间", "recorder": "记录人", "party_name": "负责人或在场人",
    "party_position": "职务", "party_phone": "联系电话", "party_statement": "当事人意见",
    "caption": "照片说明", "address": "地址", "contact_name": "联系人",
    "contact_phone": "联系电话", "credit_code": "统一社会信用代码", "type_code": "单位类型",
    "region_code": "行政区划", "facts": "单位情况", "department": "部门", "cert_no": "执法证号",
    "deadline": "整改期限", "served_on": "送达日期", "requirement": "整改要求",
    "problem": "存在问题", "summary": "整改情况", "reason": "理由", "answered": "已作答",
    "answered_at": "作答时间", "doc_number": "文书编号", "addressee": "主送", "title": "标题",
    "active": "在岗", "recusal_note": "回避情况", "completed_at": "完成时间",
    "signed_at": "签名时间", "closed_on": "销号日期", "closed_by": "销号人",
}


class ConflictError(ValueError):
    """A conflict cannot be resolved as asked. The message is Chinese."""


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    kind: str
    kind_label: str
    uuid: str
    label: str
    reason: str
    kept: str
    from_device: str | None
    detected_at: datetime
    status: str
    resolution: str | None

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    local: Any
    incoming: Any

    @property
    def differs(self) -> bool:
        return bool(self.local != self.incoming)


@dataclass(frozen=True)
class ConflictDetail:
    info: ConflictInfo
    local_device: str | None
    incoming_device: str | None
    local_updated: str | None
    incoming_updated: str | None
    fields: tuple[FieldDiff, ...]
    #: a clash of document numbers: each document that carries the number, as a person
    #: tells them apart (its title, whom it is addressed to, who issued it and when)
    documents: tuple[str, ...] = ()
    #: a concurrent conflict resolved here: the side each field was taken from
    taken: Mapping[str, str] | None = None
    #: why the decision can no longer be changed here (None: it can, see ``again``)
    final_because: str | None = None

    @property
    def can_decide_again(self) -> bool:
        return self.taken is not None and self.final_because is None

    @property
    def differing(self) -> tuple[FieldDiff, ...]:
        return tuple(f for f in self.fields if f.differs)


def display_value(name: str, value: Any) -> str:
    """A field's value as a person reads it: a region, a unit's type and its facts by their
    names (宁夏回族自治区 中卫市 中宁县; 托育机构; 托位数：30；耐火等级：二级), yes or no,
    times in 北京时间, an empty value said so."""
    if value is None or value == "" or value == {} or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "region_code" and isinstance(value, str):
        from checklists.regions import region_path

        return region_path(value)
    if name == "type_code" and isinstance(value, str):
        from checklists.vocabulary import load_vocabulary

        return load_vocabulary().type_label(value)
    if name == "facts" and isinstance(value, dict):
        from checklists.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        parts = []
        for code, v in value.items():
            fact = vocab.fact(code)
            label, unit = (fact.label, fact.unit or "") if fact else (code, "")
            if isinstance(v, bool):
                unit = ""
            parts.append(f"{label}：{display_value('', v)}{unit}")
        return "；".join(parts)
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            from rules.china_time import beijing

            return f"{beijing(datetime.fromisoformat(value)):%Y-%m-%d %H:%M}"
        except ValueError:
            return value
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def display_pair(name: str, local: Any, incoming: Any) -> tuple[str, str]:
    """Both sides of a field as a person compares them: of a unit's facts only those that
    differ, the number of the others said."""
    if name == "facts" and isinstance(local, dict) and isinstance(incoming, dict) \
            and local != incoming:
        differing = [k for k in dict.fromkeys([*local, *incoming])
                     if local.get(k) != incoming.get(k)]
        same = len(set(local) | set(incoming)) - len(differing)
        tail = f"（其余 {same} 项相同）" if same else ""

        def only_differing(side: dict[str, Any]) -> str:
            return display_value(name, {k: side.get(k) for k in differing}) + tail

        return only_differing(local), only_differing(incoming)
    return display_value(name, local), display_value(name, incoming)


def _info(c: SyncConflict, senders: Mapping[str, str] | None = None) -> ConflictInfo:
    """A conflict in a list; ``senders`` names the device of each package as the user now
    names it (a device trusted under a name after the conflict was found included)."""
    kind = BY_NAME.get(c.kind)
    data = (c.incoming or {}).get("data") or (c.local or {}).get("data") or c.local or {}
    label = (f"文书编号 {c.local.get('doc_number')}" if c.reason == "doc_number"
             else describe(c.kind, data))
    sender = (senders or {}).get(c.package_sha256 or "") or c.from_device
    return ConflictInfo(c.id, c.kind, kind.label if kind else c.kind, c.uuid, label, c.reason,
                        c.kept, sender, c.detected_at, c.status, c.resolution)


def list_conflicts(session: Session, *, status: str | None = "open") -> list[ConflictInfo]:
    query = select(SyncConflict).order_by(SyncConflict.detected_at.desc(), SyncConflict.id)
    if status:
        query = query.where(SyncConflict.status == status)
    senders = senders_by_package(session)
    return [_info(c, senders) for c in session.scalars(query)]


def count_conflicts(session: Session, status: str = "open") -> int:
    """How many conflicts are open (or have the given ``status``: ``resolved``)."""
    return int(session.scalar(select(func.count()).select_from(SyncConflict)
                              .where(SyncConflict.status == status)) or 0)


def _row(session: Session, conflict_id: int) -> SyncConflict:
    row = session.get(SyncConflict, conflict_id)
    if row is None:
        raise ConflictError(f"没有编号为 {conflict_id} 的冲突。")
    return row


def conflict_detail(session: Session, conflict_id: int) -> ConflictDetail:
    """Both revisions, field by field (the one in force here is ``kept``)."""
    c = _row(session, conflict_id)
    info = _info(c, senders_by_package(session))
    if c.reason == "doc_number":
        uuids = list(c.local.get("uuids") or ())
        return ConflictDetail(info, None, None, None, None, (
            FieldDiff("doc_number", "文书编号", c.local.get("doc_number"),
                      c.incoming.get("doc_number")),
            FieldDiff("uuids", "文书", "、".join(uuids),
                      "、".join(c.incoming.get("uuids") or ()))),
            documents=_documents(session, c.kind, uuids))
    local, incoming = c.local.get("data") or {}, c.incoming.get("data") or {}
    names = list(dict.fromkeys([*local, *incoming]))
    fields = tuple(FieldDiff(n, FIELD_LABELS.get(n, n), local.get(n), incoming.get(n))
                   for n in names)
    taken = _taken(session, c)
    return ConflictDetail(info, c.local.get("device_id"), c.incoming.get("device_id"),
                          c.local.get("updated_at"), c.incoming.get("updated_at"), fields,
                          taken=taken,
                          final_because=None if taken is None else _why_final(session, c, taken))


def _taken(session: Session, c: SyncConflict) -> dict[str, str] | None:
    """The side each field of a concurrent conflict resolved on this computer was taken from
    (a field merge as the audit log recorded it); None for any other conflict."""
    if c.reason != "concurrent" or c.status != "resolved" or \
            c.resolution not in (LOCAL, INCOMING, MERGED):
        return None
    local, incoming = (c.local or {}).get("data") or {}, (c.incoming or {}).get("data") or {}
    names = list(dict.fromkeys([*local, *incoming]))
    if c.resolution != MERGED:
        return dict.fromkeys(names, c.resolution)
    picks: dict[str, Any] = {}
    for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "resolve_conflict",
                                     AuditEntry.record_id == c.uuid,
                                     AuditEntry.origin.is_(None))
            .order_by(AuditEntry.id.desc())):
        detail = entry.detail or {}
        if detail.get("conflict") in (None, c.id):  # entries before it was noted: the latest
            picks = dict(detail.get("fields") or {})
            break
    return {n: INCOMING if picks.get(n) == INCOMING else LOCAL for n in names}


def _why_final(session: Session, c: SyncConflict, taken: Mapping[str, str]) -> str | None:
    """Why a decision taken here can no longer be changed: the record was deleted or changed
    after it (a later edit, here or brought by a package, would be overwritten)."""
    kind = BY_NAME.get(c.kind)
    if kind is None:
        return f"不认识的记录种类：{c.kind}"
    row = session.execute(select(*columns(kind)).where(kind.table.c.uuid == c.uuid)).first()
    if row is None:
        return "该记录已被删除。"
    current = row_data(kind, row, UuidMaps(session))
    local, incoming = (c.local or {}).get("data") or {}, (c.incoming or {}).get("data") or {}
    decided = {n: incoming.get(n) if side == INCOMING else local.get(n)
               for n, side in taken.items()}
    if any(current.get(n) != v for n, v in decided.items()):
        return ("该记录在作出决定之后又被修改过，重新处理会覆盖后来的修改；"
                "如需更正，请直接修改该记录。")
    return None


def _documents(session: Session, kind: str, uuids: list[str]) -> tuple[str, ...]:
    """Each document of a number clash as a person tells them apart."""
    from models.rectification import Notice, Recheck
    from rules.notice_status import STATUS_LABELS

    out = []
    computers = _computers(session)

    def on(device: str | None) -> str:
        return f"，{computers[device]}" if device in computers else ""

    if kind == "rechecks":
        for check, notice in session.execute(
                select(Recheck, Notice).join(Notice, Notice.id == Recheck.notice_id)
                .where(Recheck.uuid.in_(uuids)).order_by(Recheck.checked_on, Recheck.id)):
            out.append(f"复查意见书（复查《{notice.title}》{notice.doc_number or ''}，"
                       f"{notice.unit_name or notice.addressee}），于{_day(check.checked_on)}复查，"
                       f"{'合格' if check.passed else '未通过'}{on(check.issued_device)}")
    else:
        for n in session.scalars(select(Notice).where(Notice.uuid.in_(uuids))
                                 .order_by(Notice.issued_on, Notice.id)):
            unit = n.unit_name or n.addressee
            to = f"主送{n.addressee}，" if n.addressee and n.addressee != unit else ""
            out.append(f"《{n.title}》，{unit}，{to}{n.org_name or '开具机关不详'}"
                       f"于{_day(n.issued_on)}开具，{STATUS_LABELS.get(n.status, n.status)}"
                       f"{on(n.issued_device)}")
    missing = len(uuids) - len(out)
    if missing > 0:
        out.append(f"另有 {missing} 份已不在本机")
    return tuple(out)


def _computers(session: Session) -> dict[str, str]:
    """Which computer a device id is, as the user knows it: this one, a device trusted under
    a name, or the name a device gave itself in a package received from it."""
    from models.sync import ImportLog, TrustedDevice

    names: dict[str, str] = {}
    for device, name in session.execute(select(ImportLog.device_id, ImportLog.device_name)
                                        .order_by(ImportLog.at)):
        if device and name:
            names[device] = f"由“{name}”开具"
    for device, name in session.execute(select(TrustedDevice.device_id, TrustedDevice.name)):
        if device and name:
            names[device] = f"由“{name}”开具"
    own = session.info.get("device_id")
    if own:
        names[str(own)] = "由本机开具"
    return names


def _day(value: Any) -> str:
    return chinese_date(value) if value is not None else "日期不详"


def resolve_conflict(session: Session, conflict_id: int, choice: str, *,
                     fields: Mapping[str, str] | None = None, user: str | None = None,
                     again: bool = False) -> ConflictInfo:
    """Resolve: keep this laptop's revision, take the other, or merge field by field
    (``fields`` maps a field name to ``local`` or ``incoming``; the rest stay local).
    The record gets a new revision that has seen both sides.

    With ``again``, a decision taken here is changed (a wrong side taken by mistake): allowed
    while the record is as that decision left it; the new decision is one more revision,
    which travels like the first."""
    c = _row(session, conflict_id)
    if c.status != "open":
        if not again:
            raise ConflictError("该冲突已经解决。如需改变决定，请重新处理。")
        if c.reason != "concurrent":
            raise ConflictError("文书编号重复已登记为已知悉，无需重新处理。")
        taken = _taken(session, c)
        if taken is None:
            raise ConflictError("该冲突是在另一台电脑上处理的，本机不能更改那里的决定；"
                                "如需更正，请直接修改该记录。")
        final = _why_final(session, c, taken)
        if final is not None:
            raise ConflictError(final)
    if c.reason == "doc_number":
        if choice != NOTED:
            raise ConflictError("文书编号重复只能登记为“已知悉”，不会自动改号。")
        return _close(session, c, NOTED, user)
    if choice not in (LOCAL, INCOMING, MERGED):
        raise ConflictError("请选择采用本机版本、对方版本或逐项合并。")
    kind = BY_NAME.get(c.kind)
    if kind is None:
        raise ConflictError(f"不认识的记录种类：{c.kind}")
    table = kind.table
    row = session.execute(select(*columns(kind)).where(table.c.uuid == c.uuid)).first()
    if row is None:
        raise ConflictError("该记录已被删除，无法按此冲突修改。")
    maps = UuidMaps(session)
    current = row_data(kind, row, maps)
    local, incoming = c.local.get("data") or {}, c.incoming.get("data") or {}
    if choice == LOCAL:
        data = dict(local)
    elif choice == INCOMING:
        data = dict(incoming)
    else:
        picks = dict(fields or {})
        unknown = set(picks) - set(local) - set(incoming)
        if unknown:
            differing = [FIELD_LABELS.get(n, n) for n in dict.fromkeys([*local, *incoming])
                         if local.get(n) != incoming.get(n)]
            raise ConflictError(f"没有这些字段：{'、'.join(sorted(unknown))}。"
                                f"双方不同的字段是：{'、'.join(differing) or '（无）'}")
        data = {n: (incoming.get(n) if picks.get(n) == INCOMING else local.get(n))
                for n in dict.fromkeys([*local, *incoming])}
    device = session.info.get("device_id") or "?"
    vector = bumped(merged(merged(effective(row[5], row[4], row[2]),
                                  c.local.get("vv") or {}), c.incoming.get("vv") or {}), device)
    values = values_of(kind, data)
    for name, target in kind.refs.items():
        ref = values.get(name)
        values[name] = None if ref is None else maps.id(target, ref)
    changed = {k: v for k, v in values.items() if k in {f.name for f in kind.fields}}
    session.execute(update(table).where(table.c.id == row[0]).values(
        **changed, sync_vv=vector, sync_rev=int(row[2] or 1) + 1, device_id=device,
        updated_at=datetime.now(UTC)).execution_options(synchronize_session=False))
    session.add(AuditEntry(action="resolve_conflict", table_name=kind.name, record_id=c.uuid,
                           user=user, device_id=session.info.get("device_id"),
                           detail={"choice": choice, "fields": dict(fields or {}),
                                   "before": current, "conflict": c.id,
                                   **({"again": True} if c.status != "open" else {})}))
    if kind.name == "findings":
        from services.result_counts import recount

        recount(session, int(changed["inspection_id"]))
    return _close(session, c, choice, user)


def _close(session: Session, c: SyncConflict, resolution: str, user: str | None
           ) -> ConflictInfo:
    c.status, c.resolution = "resolved", resolution
    c.resolved_at, c.resolved_by = datetime.now(UTC), user
    session.flush()
    return _info(c)


def close_resolved_elsewhere(session: Session, uuid: str, vector: Mapping[str, int]) -> None:
    """An incoming revision that has seen both sides of an open conflict resolves it here."""
    for c in session.scalars(select(SyncConflict).where(SyncConflict.uuid == uuid,
                                                        SyncConflict.status == "open",
                                                        SyncConflict.reason == "concurrent")):
        both = merged((c.local or {}).get("vv") or {}, (c.incoming or {}).get("vv") or {})
        # a person's resolution is one edit past both sides; the side kept meanwhile is not
        if compare(dict(vector), both) == NEWER:
            _close(session, c, "elsewhere", None)
