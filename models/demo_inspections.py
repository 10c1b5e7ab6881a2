"""The bulk of the demo data: inspections with their officers, findings, stored counts and
signatures, written with ``executemany`` in batches (see :mod:`models.demo`).

Results follow a per-unit compliance propensity; measured items are judged against their
threshold as :mod:`models.findings` would; progress, date and text items get an answer of their
kind. A finished inspection is lawful as the services require: every 不符合 item has its note,
and - since the demo has no photos - an item whose failure needs a photo is judged 部分符合.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checklists.template_model import PROGRESS_CHOICES
from models.checklist_snapshot import ItemSpec
from models.demo_names import DemoUnit, demo_data, person, phone
from models.inspection import (
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
    SIGNED,
    SUPERVISION,
    Finding,
    Inspection,
    InspectionCounts,
    InspectionOfficer,
    Signature,
)
from models.registry import Entity, Inspector

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

@dataclass
class Plan:
    checklists: dict[str, tuple[dict[str, Any], tuple[ItemSpec, ...], str, tuple[str, ...]]]


class IdMaker:
    """Explicit primary keys and reproducible uuids for the bulk inserts."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        self.rng = rng
        self.next = {m: (session.scalar(select(func.max(m.id))) or 0) + 1
                     for m in (Entity, Inspection, Finding, InspectionOfficer, Signature)}

    def take(self, model: Any, n: int = 1) -> int:
        first = self.next[model]
        self.next[model] = first + n
        return first

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def sync_fields(ids: IdMaker, device: str | None, when: datetime) -> dict[str, Any]:
    return {"uuid": ids.uuid(), "sync_rev": 1, "updated_at": when, "device_id": device}


def unit_group(type_code: str) -> str:
    from checklists.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    return next(g for g in THEMES if vocab.is_a(type_code, g))


def plan_key(theme: str, unit: DemoUnit) -> str:
    return json.dumps([theme, unit.type_code, unit.county_code, unit.facts], sort_keys=True,
                      ensure_ascii=False)


class InspectionWriter:
    """Builds inspection, officer, finding, count and signature rows; writes them in bulk."""

    def __init__(self, session: Session, rng: random.Random, ids: IdMaker,
                 device: str | None, now: datetime, plan: Plan,
                 roster: dict[str, list[Inspector]], conflicts: set[tuple[int, int]],
                 signatures: list[str]) -> None:
        self.session, self.rng, self.ids, self.device, self.now = session, rng, ids, device, now
        self.plan, self.conflicts, self.signatures = plan, conflicts, signatures
        self.roster = {d: [p for p in people if p.active] for d, people in roster.items()}
        self.data = demo_data()
        self.quality: dict[int, float] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {
            k: [] for k in ("inspections", "officers", "findings", "counts", "signatures")}

    def add(self, unit_ref: tuple[int, DemoUnit]) -> None:
        entity_id, unit = unit_ref
        rng = self.rng
        options = [t for t in THEMES[unit_group(unit.type_code)]
                   if plan_key(t, unit) in self.plan.checklists]
        if not options:
            return
        theme = rng.choice(options)
        snap, items, content_hash, theme_names = self.plan.checklists[plan_key(theme, unit)]
        quality = self.quality.setdefault(entity_id, rng.choice((0.97, 0.9, 0.82, 0.7, 0.55)))
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
            "themes": list(theme_names), "checklist_hash": content_hash, "checklist": snap,
            "place": unit.address, "started_at": started,
            "ended_at": None if status == DRAFT else ended, "recorder": officers[-1].name,
            "party_name": party, "party_position": rng.choice(self.data["party_positions"]),
            "party_phone": unit.contact_phone or phone(rng), "credentials_shown": True,
            "recusal_notice_given": True, "recusal_requested": False, "recusal_note": None,
            "party_statement": "以上记录属实",
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
        self._findings(iid, items, quality, started, status, round(share * len(items)))
        if status == SIGNED:
            signed = ended + timedelta(minutes=5)
            people = [(ROLE_OFFICER, p.name) for p in officers] + [(ROLE_PARTY, party)]
            for role, name in people:
                self.rows["signatures"].append({
                    "id": self.ids.take(Signature), "inspection_id": iid, "role": role,
                    "name": name, "image_sha256": rng.choice(self.signatures),
                    "signed_at": signed, "refused": False, "refusal_reason": None,
                    "witness_name": None, "witness_id": None,
                    **sync_fields(self.ids, self.device, signed)})

    def _start(self) -> datetime:
        day = (self.now - timedelta(days=self.rng.randint(1, DAYS))).date()
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        local = datetime.combine(day, time(self.rng.randint(8, 15), self.rng.choice((0, 30))))
        return (local - BEIJING).replace(tzinfo=UTC)

    def _officers(self, theme: str, entity_id: int) -> list[Inspector]:
        depts = DEPARTMENTS[theme]
        lead = [p for p in self.roster[depts[0]] if (p.id, entity_id) not in self.conflicts]
        picked = self.rng.sample(lead, 2)
        if len(depts) > 1 and self.rng.random() < 0.25:  # a joint inspection
            other = [p for p in self.roster[depts[1]] if (p.id, entity_id) not in self.conflicts]
            picked.append(self.rng.choice(other))
        return picked

    def _findings(self, iid: int, items: tuple[ItemSpec, ...], quality: float,
                  started: datetime, status: str, answered_n: int) -> None:
        counts = {"total": len(items), "answered": 0, PASS: 0, FAIL: 0, PARTIAL: 0,
                  NOT_APPLICABLE: 0}
        first = self.ids.take(Finding, len(items))
        for pos, item in enumerate(items):
            result, number, text, note = NOT_CHECKED, None, None, None
            if pos < answered_n:
                result, number, text, note = self._answer(item, quality, started, status)
            answered = result != NOT_CHECKED or number is not None or text is not None
            counts["answered"] += int(answered)
            if result in counts:
                counts[result] += 1
            when = started + timedelta(minutes=2 * pos + 3)
            self.rows["findings"].append({
                "id": first + pos, "inspection_id": iid, "item_code": item.code,
                "position": pos, "theme": item.theme, "answer_type": item.answer.type,
                "department": item.competent_department, "text_hash": item.text_hash,
                "answer": item.answer.to_dict(), "require_on_fail": item.require_on_fail,
                "result": result, "value_number": number, "value_text": text, "note": note,
                "answered": answered, "answered_at": when if answered else None,
                "carried_from": None, **sync_fields(self.ids, self.device, when)})
        self.rows["counts"].append({
            "inspection_id": iid, "total": counts["total"], "answered": counts["answered"],
            "passed": counts[PASS], "failed": counts[FAIL], "partial": counts[PARTIAL],
            "not_applicable": counts[NOT_APPLICABLE]})

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
        if result == FAIL and item.require_on_fail == "photo" and status != DRAFT:
            # The demo has no photos: a finished inspection cannot hold a failed item that
            # needs one, so such an item is judged 部分符合 (or measured within the standard).
            if spec.type == "measure" and spec.threshold is not None:
                number, result = self._measure(spec, True), PASS
            else:
                result = PARTIAL
        note = None
        if result == FAIL:
            note = rng.choice(self.data["failure_notes"])
        elif result == PARTIAL and rng.random() < 0.7:
            note = rng.choice(self.data["partial_notes"])
        return result, number, None, note

    def _measure(self, spec: Any, want_pass: bool) -> float:
        t = float(spec.threshold)
        candidates = [t * f for f in (1.0, 1.15, 1.4, 2.0, 0.9, 0.7, 0.5)]
        if spec.threshold_max is not None:
            candidates.insert(0, (t + float(spec.threshold_max)) / 2)
        self.rng.shuffle(candidates)
        for value in candidates:
            value = float(round(value)) if t >= 5 else round(value, 1)
            if spec.meets(value) == want_pass:
                return value
        return t

    def flush(self) -> None:
        for model, key in ((Inspection, "inspections"), (InspectionOfficer, "officers"),
                           (Finding, "findings"), (InspectionCounts, "counts"),
                           (Signature, "signatures")):
            rows = self.rows[key]
            if rows:
                _raw_insert(self.session, model.__tablename__, rows)
            self.rows[key] = []


def _raw_insert(session: Session, table: str, rows: list[dict[str, Any]]) -> None:
    """``executemany`` on the DBAPI connection of the session's transaction.

    Values are written as SQLAlchemy writes them on SQLite (UTC datetimes as naive
    ``YYYY-MM-DD HH:MM:SS.ffffff``, booleans as 0/1, JSON as text), so the ORM reads them back
    unchanged; a checklist snapshot shared by many inspections is serialised once.
    """
    columns = list(rows[0])
    cache: dict[int, str] = {}

    def value(v: Any) -> Any:
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, datetime):
            return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(v, dict | list):
            key = id(v)
            if key not in cache:
                cache[key] = json.dumps(v)
            return cache[key]
        return v

    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    session.connection().exec_driver_sql(
        sql, [tuple(value(r[c]) for c in columns) for r in rows])
