"""The bulk of the demo data: inspections with their officers, findings, stored counts and
signatures, written in batches through the bulk inserts an import uses (:mod:`models.bulk`;
see :mod:`services.demo.fill`).

Results follow a per-unit compliance propensity; measured items are judged against their
threshold as :mod:`services.findings` would; progress, date and text items get an answer of their
kind. A finished inspection is lawful as the services require: every 不符合 item has its note,
and - since the demo has no photos - an item whose failure needs a photo is judged 部分符合.
Notes are written for their item (:class:`NoteWriter`): a measured value against the item's
standard, or the item's question turned into what was found, with a detail chosen by keywords
of the question from ``demo_data.yaml``. Counted units (个, 层, 人, 次, 名, 天, 日) get integers.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checklists.notice_types import load_notice_types
from checklists.template_model import PROGRESS_CHOICES, AnswerSpec
from models.base import table_of
from models.bulk import BulkInserter
from models.inspection import (
    Evidence,
    Finding,
    Inspection,
    InspectionCounts,
    InspectionOfficer,
    Signature,
)
from models.registry import Entity, Inspector
from rules.compliance import compliance_rate
from rules.inspection_status import (
    COMPLETED,
    DRAFT,
    ENFORCEMENT,
    FAIL,
    NOT_APPLICABLE,
    NOT_CHECKED,
    PARTIAL,
    PASS,
    ROLE_OFFICER,
    ROLE_PARTY,
    ROLE_WITNESS,
    SIGNED,
    SUPERVISION,
)
from services.checklist_snapshot import ItemSpec, store_snapshots
from services.demo.names import DemoUnit, demo_data, person, phone

DAYS = 548  # eighteen months
BEIJING = timedelta(hours=8)

# Themes per unit type (a theme listed twice is picked twice as often), and the departments
# whose inspectors go.
THEMES = {
    "childcare": ("托育机构消防安全", "托育机构备案与运营管理"),
    "employer": ("女职工劳动保护", "女职工劳动保护", "母婴设施"),
    "public_place": ("母婴设施",),
    "government": ("部门督查",),
}
DEPARTMENTS = {
    "托育机构消防安全": ("消防救援", "卫生健康"), "托育机构备案与运营管理": ("卫生健康",),
    "女职工劳动保护": ("人力资源和社会保障",), "母婴设施": ("卫生健康", "市场监管"),
    "部门督查": ("卫生健康",),
}

INTEGER_UNITS = frozenset(("个", "层", "人", "次", "名", "天", "日", "家", "张", "所", "户", "间"))
_NEGATED = ("未", "不", "无", "没有")


def measured_value(rng: random.Random, spec: AnswerSpec, want_pass: bool) -> float:
    """A plausible measured value near the item's threshold that meets it (or not)."""
    t = float(spec.threshold if spec.threshold is not None else 0)
    top = float(spec.threshold_max) if spec.threshold_max is not None else t
    c = spec.comparator or ">="
    whole = (spec.unit or "") in INTEGER_UNITS or (t >= 20 and float(t).is_integer())
    for _ in range(30):
        if c == "range":
            value = (rng.uniform(t, top) if want_pass else
                     rng.choice((t * rng.uniform(0.5, 0.95), top * rng.uniform(1.05, 1.4))))
        elif c in ("<=", "<"):
            value = t * (rng.uniform(0.35, 1.0) if want_pass else rng.uniform(1.05, 1.7))
        elif c == "=":
            value = t if want_pass else t * rng.choice((0.8, 1.2))
        else:
            value = t * (rng.uniform(1.0, 1.5) if want_pass else rng.uniform(0.5, 0.97))
        if whole:  # a count from 0; a storey from 1 (首层)
            value = float(max(1 if spec.unit == "层" else 0, round(value)))
            if not want_pass and spec.meets(value) and c in ("<=", "<"):
                value += 1
            elif not want_pass and spec.meets(value) and value >= 1:
                value -= 1
        else:
            value = round(value, 1)
        if spec.meets(value) == want_pass:
            return value
    return t


def fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class NoteWriter:
    """情况说明 written for the item they explain (see the module docstring)."""

    def __init__(self, data: dict[str, Any], rng: random.Random) -> None:
        self.rng = rng
        self.leads: dict[str, str] = data["note_leads"]
        self.phrases: list[dict[str, Any]] = data["note_phrases"]
        self.fallback: dict[str, dict[str, list[str]]] = data["note_fallback"]
        self.groups: dict[str, dict[str, Any] | None] = {}
        self.statements: dict[str, str] = {}  # finding_statement of each question

    def lead(self, methods: tuple[str, ...]) -> str:
        method = methods[0] if methods else "查阅资料"
        return self.leads.get(method, "经检查")

    def detail(self, question: str, methods: tuple[str, ...], result: str) -> str:
        key = "fail" if result == FAIL else "partial"
        if question not in self.groups:  # the first group with a keyword in the question
            self.groups[question] = next(
                (g for g in self.phrases if any(k in question for k in g["keys"])), None)
        group = self.groups[question]
        if group is not None:
            return str(self.rng.choice(group[key]))
        method = methods[0] if methods and methods[0] in self.fallback else "查阅资料"
        return str(self.rng.choice(self.fallback[method][key])).replace(
            "{item}", asked_for(question))

    def measured(self, question: str, spec: AnswerSpec, value: float,
                 methods: tuple[str, ...]) -> str:
        subject = spec.label or subject_of(question)
        unit = spec.unit or ""
        verb = "实测" if methods and methods[0] in ("测量", "现场测试") else "为"
        t = spec.threshold
        standard = spec.threshold_text()
        c = spec.comparator
        if (c == "range" and t is not None and value < t) or c in (">=", ">"):
            judged = "低于标准"
        elif c == "range":
            judged = "高于标准"
        elif c in ("<=", "<"):
            judged = "超过标准"
        else:
            judged = "不符合标准"
        return (f"{self.lead(methods)}，{subject}{verb}{fmt_number(value)}{unit}，"
                f"{judged}（{standard}）。")

    def note(self, question: str, methods: tuple[str, ...], result: str) -> str:
        if result == FAIL:
            found = self.statements.get(question)
            if found is None:
                found = self.statements[question] = finding_statement(question)
            return (f"{self.lead(methods)}，{found}；"
                    f"{self.detail(question, methods, result)}。")
        detail = self.detail(question, methods, result)
        if "但" in detail:  # 已公示，但内容不完整 says what is done and what is not already
            return f"{self.lead(methods)}，{detail}。"
        return f"{self.lead(methods)}，基本符合要求，但{detail}。"


def asked_for(question: str) -> str:
    """What a question asks to be done or in place (是否建立女职工特殊保护制度？ -> 建立女职工
    特殊保护制度; 消防车通道是否畅通？ -> 消防车通道畅通): its subject and the first clause after
    是否, without the notes in brackets."""
    text = question.strip().rstrip("？?").strip()
    head, rest = text.split("是否", 1) if "是否" in text else ("", text)
    rest = _first_clause(rest)
    while (bare := re.sub(r"（[^（）]{3,}）", "", rest)) != rest:  # notes, not 专（兼）职
        rest = bare
    rest = rest.strip().removeprefix("已经").removeprefix("已")
    return f"{head.rstrip('，, ')}{rest}" or text


def subject_of(question: str) -> str:
    """What a measured item measures: the words before its 是否 (独立母婴室的使用面积)."""
    head = question.split("是否", 1)[0].rstrip("，,")
    return head.removesuffix("的") or "实测值"


def finding_statement(question: str) -> str:
    """A question turned into what a 不符合 answer found.

    是否配备婴儿床？ -> 未配备婴儿床; 是否未安排夜班劳动？ -> 安排夜班劳动 (the prohibited act
    happened); 是否已落实… -> 未落实…; 是否无人吸烟 -> 有人吸烟."""
    text = question.strip().rstrip("？?").strip()
    if "是否" not in text:
        return f"{text}不符合要求"
    head, rest = text.split("是否", 1)
    rest = _first_clause(rest)
    while (bare := re.sub(r"（[^（）]*）", "", rest)) != rest:  # nested notes: innermost first
        rest = bare
    rest = rest.strip()
    if any(word in rest for word in ("只", "仅", "无关", "一致", "以外")):
        return f"{head}{rest.removeprefix('已')}的要求未落实"  # a restriction: say it was not met
    if rest.startswith("没有"):
        found = "有" + rest[2:]
    elif rest.startswith("无"):
        found = "有" + rest[1:]
    elif rest.startswith(("未", "不")):
        found = rest[1:]
    else:
        rest = rest.removeprefix("已经").removeprefix("已")
        words = ("具有", "具备", "符合", "能", "清楚", "防滑", "完好", "畅通", "处于", "计入")
        if rest.startswith("有"):
            found = "没有" + rest[1:]
        elif rest.startswith(words):
            found = "不" + rest
        else:
            found = "未" + rest.replace("了", "")
    return head + found


def _first_clause(text: str) -> str:
    """Up to the first ， outside brackets: the part a negation governs."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "（(《“":
            depth += 1
        elif ch in "）)》”":
            depth -= 1
        elif ch == "，" and depth == 0 and not text[:i].endswith(("之外", "协商")):
            return text[:i]
    return text


@dataclass
class Plan:
    checklists: dict[str, tuple[dict[str, Any], tuple[ItemSpec, ...], str, tuple[str, ...]]]


class IdMaker:
    """Explicit primary keys and reproducible uuids for the bulk inserts.

    The uuids are reproducible per database, never across databases: two demo databases made
    from the same seed would otherwise give one uuid to different records, and exchanging
    packages between them (training for the supervisor's side) would see tampering."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        self.rng = rng
        device = str(session.info.get("device_id") or "")
        self._salt = int.from_bytes(hashlib.sha256(device.encode()).digest()[:16], "big")
        self._masks: dict[int, tuple[int, int, int]] = {}  # for uuids(n), by n
        self.next = {m: (session.scalar(select(func.max(m.id))) or 0) + 1
                     for m in (Entity, Inspection, Finding, InspectionOfficer, Signature,
                               Evidence)}

    def take(self, model: Any, n: int = 1) -> int:
        first = self.next[model]
        self.next[model] = first + n
        return first

    def uuid(self) -> str:
        """The text ``str(uuid.UUID(int=n, version=4))`` gives, made without the object (the
        fill makes some 400,000)."""
        n = (self.rng.getrandbits(128) ^ self._salt) & _V4_KEEP | _V4_SET
        h = n.to_bytes(16, "big").hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


    def uuids(self, n: int) -> list[str]:
        """What ``n`` calls of :meth:`uuid` give, in order, made from one draw of the random
        generator (it gives ``getrandbits(128 * n)`` the very bits of ``n`` draws of 128, the
        first draw lowest) and one conversion to hexadecimal."""
        if n <= 0:
            return []
        masks = self._masks.get(n)
        if masks is None:
            masks = self._masks[n] = (_repeated(self._salt, n), _repeated(_V4_KEEP, n),
                                      _repeated(_V4_SET, n))
        salt, keep, put = masks
        h = ((self.rng.getrandbits(128 * n) ^ salt) & keep | put).to_bytes(16 * n, "big").hex()
        out = []
        for end in range(32 * n, 0, -32):  # the first draw is the last 32 digits
            u = h[end - 32:end]
            out.append(f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}")
        return out


def _repeated(mask: int, n: int) -> int:
    """``mask`` (128 bits) in each of ``n`` consecutive 128-bit places."""
    return int.from_bytes(mask.to_bytes(16, "big") * n, "big")


#: What ``uuid.UUID(version=4)`` does to the bits: the RFC 4122 variant and version 4.
_V4_KEEP = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_V4_SET = (0x8000 << 48) | (4 << 76)


def sync_fields(ids: IdMaker, device: str | None, when: datetime) -> dict[str, Any]:
    return {"uuid": ids.uuid(), "sync_rev": 1, "updated_at": when, "device_id": device}


def unit_group(type_code: str) -> str:
    from checklists.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    return next(g for g in THEMES if vocab.is_a(type_code, g))


def plan_key(theme: str, unit: DemoUnit) -> str:
    return json.dumps([theme, unit.type_code, unit.county_code, unit.facts], sort_keys=True,
                      ensure_ascii=False)


#: A stored demo photo: (sha256, width, height, size in bytes).
DemoPhoto = tuple[str, int, int, int]
#: When the finding at each position is answered: three minutes in, then two per item.
_STEPS: list[timedelta] = []


def _steps(n: int) -> list[timedelta]:
    while len(_STEPS) < n:
        _STEPS.append(timedelta(minutes=2 * len(_STEPS) + 3))
    return _STEPS


#: A finding row's columns, in the order the writer makes its values (some 300,000 rows at a
#: city's scale: tuples, not dicts).
FINDING_COLUMNS = ("item_code", "theme", "answer_type", "department", "text_hash", "answer",
                   "require_on_fail", "id", "inspection_id", "position", "result",
                   "value_number", "value_text", "note", "answered", "answered_at",
                   "carried_from", "uuid", "sync_rev", "updated_at", "device_id")

#: Share of signed records whose party refused to sign before a witness (拒签).
REFUSALS = 0.06
#: Share of failed or partly met items that get a photo besides those that require one.
PHOTOS = 0.25


#: What a unit's representative writes as the party's opinion when signing a record.
PARTY_STATEMENTS = ("对检查记录无异议，将按要求整改。", "情况属实，已知晓整改要求。",
                    "无异议。", "对检查结果无异议，已安排专人负责整改。")

class InspectionWriter:
    """Builds inspection, officer, finding, count, evidence and signature rows; writes them in
    bulk."""

    def __init__(self, session: Session, rng: random.Random, ids: IdMaker,
                 device: str | None, now: datetime, plan: Plan,
                 roster: dict[str, list[Inspector]], conflicts: set[tuple[int, int]],
                 signatures: list[str], photos: list[DemoPhoto] | None = None) -> None:
        self.session, self.rng, self.ids, self.device, self.now = session, rng, ids, device, now
        self.plan, self.conflicts, self.signatures = plan, conflicts, signatures
        self.photos = photos or []
        self.roster = {d: [p for p in people if p.active] for d, people in roster.items()}
        self.data = demo_data()
        self.notes = NoteWriter(self.data, rng)
        self.methods: dict[str, tuple[str, ...]] = {}
        keys = list(plan.checklists)
        stored = store_snapshots(session, [plan.checklists[k][0] for k in keys])
        self.snapshot_ids: dict[str, int] = dict(zip(keys, stored, strict=True))
        for snap, *_ in plan.checklists.values():
            for item in snap.get("items") or []:
                self.methods[item["code"]] = tuple(item.get("how_to_check") or ())
        self.quality: dict[int, float] = {}
        self.advisory_bodies = frozenset(load_notice_types().no_enforcement_powers)
        self.rows: dict[str, list[Any]] = {  # dicts; the findings tuples (FINDING_COLUMNS)
            k: [] for k in ("inspections", "officers", "findings", "counts", "evidence",
                            "signatures")}
        self.bulk = BulkInserter()
        self.answers: dict[int, dict[str, Any]] = {}
        self.fields: dict[int, tuple[Any, ...]] = {}  # by the id of an item the plan holds
        self.copied: dict[int, list[tuple[Any, ...]]] = {}  # the same, for each items tuple
        self.groups: dict[str, str] = {}  # unit_group of each unit type
        self.theme_lists: dict[tuple[str, ...], list[str]] = {}
        self.planned: dict[int, list[tuple[str, str]]] = {}  # each unit's (theme, plan key)
        self.roster_ids = {d: [p.id for p in people] for d, people in self.roster.items()}
        self.eligible: dict[tuple[str, int], list[Inspector]] = {}

    def add(self, unit_ref: tuple[int, DemoUnit]) -> None:
        entity_id, unit = unit_ref
        rng = self.rng
        planned = self.planned.get(entity_id)
        if planned is None:  # the unit's themes that have a checklist, and its keys
            group = self.groups.get(unit.type_code)
            if group is None:
                group = self.groups[unit.type_code] = unit_group(unit.type_code)
            keys = {t: plan_key(t, unit) for t in dict.fromkeys(THEMES[group])}
            planned = self.planned[entity_id] = [
                (t, keys[t]) for t in THEMES[group] if keys[t] in self.plan.checklists]
        if not planned:
            return
        group = self.groups[unit.type_code]
        theme, key = rng.choice(planned)
        _snap, items, content_hash, theme_names = self.plan.checklists[key]
        drawn = rng.choice((0.97, 0.9, 0.82, 0.7, 0.55))
        if unit.facts.get("department_kind") in self.advisory_bodies:
            # a body without enforcement powers is supervised with some findings, so the demo
            # shows the 督查反馈意见 such findings call for
            drawn = min(drawn, 0.7)
        quality = self.quality.setdefault(entity_id, drawn)
        kind = SUPERVISION if theme == "部门督查" else ENFORCEMENT
        started = self._start()
        age = (self.now - started).days
        status = rng.choices((SIGNED, COMPLETED, DRAFT),
                             (85, 10, 5) if age > 60 else (35, 30, 35))[0]
        if status == SIGNED and not self.signatures:
            status = COMPLETED
        iid = self.ids.take(Inspection)
        officers = self._officers(theme, entity_id)
        ended = started + timedelta(minutes=rng.randint(50, 200))
        party = person(rng)
        self.rows["inspections"].append({
            "id": iid, "series_uuid": self.ids.uuid(), "version": 1, "supersedes_id": None,
            "entity_id": entity_id, "kind": kind, "status": status, "demo": True,
            "themes": self._themes(theme_names), "checklist_hash": content_hash,
            "snapshot_id": self.snapshot_ids[key],
            "place": unit.address, "started_at": started,
            "ended_at": None if status == DRAFT else ended, "recorder": officers[-1].name,
            "party_name": party, "party_position": rng.choice(self.data["party_positions"][group]),
            "party_phone": unit.contact_phone or phone(rng), "credentials_shown": True,
            "recusal_notice_given": True, "recusal_requested": False, "recusal_note": None,
            # what the party wrote when signing; nothing on a record not yet signed
            "party_statement": (PARTY_STATEMENTS[iid % len(PARTY_STATEMENTS)]
                                if status == SIGNED else ""),
            "completed_at": None if status == DRAFT else ended,
            "signed_at": ended + timedelta(minutes=10) if status == SIGNED else None,
            "created_at": started, "created_by": officers[0].name,
            "amendment_reason": None, **sync_fields(self.ids, self.device, ended)})
        for pos, p in enumerate(officers):
            self.rows["officers"].append({
                "id": self.ids.take(InspectionOfficer), "inspection_id": iid,
                "inspector_id": p.id, "name": p.name, "department": p.department,
                "cert_no": p.cert_no, "position": pos,
                **sync_fields(self.ids, self.device, started)})
        share = 1.0 if status != DRAFT else rng.uniform(0.0, 0.8)
        self._findings(iid, items, quality, started, status, round(share * len(items)),
                       officers[0].name)
        if status == SIGNED:
            signed = ended + timedelta(minutes=5)
            people = [(ROLE_OFFICER, p.name) for p in officers]
            refused = rng.random() < REFUSALS
            if not refused:
                people.append((ROLE_PARTY, party))
            for role, name in people:
                self._signature(iid, role, name, signed)
            if refused:  # 拒签: the party refuses before a witness, who signs
                witness = person(rng)
                where = f"{rng.choice(self.data['witness_units'])}工作人员"
                self._signature(iid, ROLE_PARTY, party, signed, refused=True,
                                reason=rng.choice(self.data["refusal_reasons"]),
                                witness=(witness, where))
                self._signature(iid, ROLE_WITNESS, witness, signed, witness=(witness, where))

    def _signature(self, iid: int, role: str, name: str, when: datetime, *,
                   refused: bool = False, reason: str | None = None,
                   witness: tuple[str, str] | None = None) -> None:
        self.rows["signatures"].append({
            "id": self.ids.take(Signature), "inspection_id": iid, "role": role, "name": name,
            "image_sha256": None if refused else self.rng.choice(self.signatures),
            "signed_at": when, "refused": refused, "refusal_reason": reason,
            "witness_name": witness[0] if witness and role == ROLE_PARTY else None,
            "witness_id": witness[1] if witness else None,
            **sync_fields(self.ids, self.device, when)})

    def _start(self) -> datetime:
        day = (self.now - timedelta(days=self.rng.randint(1, DAYS))).date()
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        local = datetime.combine(day, time(self.rng.randint(8, 15), self.rng.choice((0, 30))))
        return (local - BEIJING).replace(tzinfo=UTC)

    def _officers(self, theme: str, entity_id: int) -> list[Inspector]:
        depts = DEPARTMENTS[theme]
        picked = self.rng.sample(self._eligible(depts[0], entity_id), 2)
        if len(depts) > 1 and self.rng.random() < 0.25:  # a joint inspection
            picked.append(self.rng.choice(self._eligible(depts[1], entity_id)))
        return picked

    def _eligible(self, department: str, entity_id: int) -> list[Inspector]:
        """The department's active inspectors without a conflict with the unit."""
        found = self.eligible.get((department, entity_id))
        if found is None:
            found = self.eligible[(department, entity_id)] = [
                p for p, pid in zip(self.roster[department], self.roster_ids[department],
                                    strict=True) if (pid, entity_id) not in self.conflicts]
        return found

    def _findings(self, iid: int, items: tuple[ItemSpec, ...], quality: float,
                  started: datetime, status: str, answered_n: int, photographer: str) -> None:
        counts = {"total": len(items), "answered": 0, PASS: 0, FAIL: 0, PARTIAL: 0,
                  NOT_APPLICABLE: 0}
        first = self.ids.take(Finding, len(items))
        out, device = self.rows["findings"], self.device
        uuids = self.ids.uuids(len(items))
        steps = _steps(len(items))
        copied = self.copied.get(id(items))
        if copied is None:  # the plan holds each checklist's items for the whole fill
            copied = self.copied[id(items)] = [self._item_fields(item) for item in items]
        for pos, item in enumerate(items):
            result, number, text, note = NOT_CHECKED, None, None, None
            if pos < answered_n:
                result, number, text, note = self._answer(item, quality, started, status)
            answered = result != NOT_CHECKED or number is not None or text is not None
            counts["answered"] += int(answered)
            if result in counts:
                counts[result] += 1
            when = started + steps[pos]
            out.append((*copied[pos], first + pos, iid, pos, result, number, text,
                        note, answered, when if answered else None, None, uuids[pos], 1,
                        when, device))
            if (result in (FAIL, PARTIAL) and status != DRAFT and self.photos
                    and (item.require_on_fail == "photo" or self.rng.random() < PHOTOS)):
                self._photo(iid, first + pos, when, photographer)
        self.rows["counts"].append({
            "inspection_id": iid, "total": counts["total"], "answered": counts["answered"],
            "passed": counts[PASS], "failed": counts[FAIL], "partial": counts[PARTIAL],
            "not_applicable": counts[NOT_APPLICABLE],
            "rate": compliance_rate(counts[PASS], counts[PARTIAL], counts[FAIL]),
            "superseded": False})

    def _themes(self, names: tuple[str, ...]) -> list[str]:
        """The themes an inspection stores, one list per checklist (written as JSON once)."""
        found = self.theme_lists.get(names)
        if found is None:
            found = self.theme_lists[names] = list(names)
        return found

    def _item_fields(self, item: ItemSpec) -> tuple[Any, ...]:
        """What a finding copies of its item (the first of :data:`FINDING_COLUMNS`); the answer
        spec one dict per item (written as JSON once)."""
        found = self.fields.get(id(item))
        if found is None:
            answer = self.answers.get(id(item.answer))
            if answer is None:
                answer = self.answers[id(item.answer)] = item.answer.to_dict()
            found = self.fields[id(item)] = (
                item.code, item.theme, item.answer.type, item.competent_department,
                item.text_hash, answer, item.require_on_fail)
        return found

    def _photo(self, iid: int, finding_id: int, when: datetime, photographer: str) -> None:
        sha, width, height, size = self.rng.choice(self.photos)
        self.rows["evidence"].append({
            "id": self.ids.take(Evidence), "inspection_id": iid, "finding_id": finding_id,
            "kind": "photo", "sha256": sha, "ext": ".jpg",
            "original_name": f"IMG_{when:%Y%m%d_%H%M%S}.jpg", "mime": "image/jpeg",
            "size_bytes": size, "width": width, "height": height, "captured_at": when,
            "captured_source": "file", "photographer": photographer,
            "caption": self.rng.choice(self.data["photo_captions"]), "added_at": when,
            **sync_fields(self.ids, self.device, when)})

    def _answer(self, item: ItemSpec, quality: float, started: datetime,
                status: str) -> tuple[str, float | None, str | None, str | None]:
        rng, spec = self.rng, item.answer
        if spec.type == "progress":
            return NOT_CHECKED, None, rng.choice(PROGRESS_CHOICES), None
        if spec.type == "date":
            day = started.date() - timedelta(days=rng.randint(30, 900))
            return NOT_CHECKED, None, day.isoformat(), None
        if spec.type == "text":
            return NOT_CHECKED, None, rng.choice(self.data["text_answers"]), None
        want_pass = rng.random() < quality
        number: float | None
        if spec.type == "measure" and spec.threshold is not None:
            number = self._measure(spec, want_pass)
            result = PASS if spec.meets(number) else FAIL
        else:
            number = float(rng.randint(1, 60)) if spec.type == "measure" else None
            r = rng.random()
            result = PASS if want_pass else FAIL if r < 0.55 else PARTIAL if r < 0.85 \
                else NOT_APPLICABLE
        if (result == FAIL and item.require_on_fail == "photo" and status != DRAFT
                and not self.photos):
            # Without demo photos a finished inspection cannot hold a failed item that needs
            # one, so such an item is judged 部分符合 (or measured within the standard).
            if spec.type == "measure" and spec.threshold is not None:
                number, result = self._measure(spec, True), PASS
            else:
                result = PARTIAL
        note = None
        methods = self.methods.get(item.code, ())
        if result == FAIL and number is not None and spec.threshold is not None:
            note = self.notes.measured(item.question, spec, number, methods)
        elif result == FAIL or (result == PARTIAL and rng.random() < 0.7):
            note = self.notes.note(item.question, methods, result)
        return result, number, None, note

    def _measure(self, spec: AnswerSpec, want_pass: bool) -> float:
        return measured_value(self.rng, spec, want_pass)

    def flush(self) -> None:
        for model, key in ((Inspection, "inspections"), (InspectionOfficer, "officers"),
                           (Finding, "findings"), (InspectionCounts, "counts"),
                           (Evidence, "evidence"), (Signature, "signatures")):
            self.bulk.insert(self.session.connection(), table_of(model), self.rows[key],
                             FINDING_COLUMNS if key == "findings" else None)
            self.rows[key] = []
