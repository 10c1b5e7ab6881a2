"""Shared helpers for the inspection tests: real checklist snapshots, a unit, officers, and the
database checks every scenario ends with."""

from __future__ import annotations

import dataclasses
import math
import sqlite3
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from checklists.catalog_view import from_parsed
from checklists.checklist_model import Checklist, Selection, answer_hash
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.snapshot import to_snapshot
from checklists.template_model import AnswerSpec
from checklists.templates import load_themes
from models.db import Database
from rules.compliance import compliance_rate
from rules.inspection_status import ENFORCEMENT, FAIL, PARTIAL, PASS
from services.catalog_store import bundled_policy_files
from services.entities import create_entity
from services.inspection_lifecycle import InspectionSummary, OfficerInput, create_inspection

GOOD_THEMES = Path(__file__).resolve().parent.parent / "data" / "themes" / "good"
AREA = "FXM-A02"  # measured: 母婴室使用面积 >= 10 ㎡, photo required when failed
VALID_CODES = ("91350100M000100Y43", "91330100716105852F", "9144030071526726XG",
               "914403001922038216", "91110108558521630L", "91110000710925462X")


@cache
def checklist() -> Checklist:
    """The two test themes (母婴设施, 女职工劳动保护) generated for any unit: eight items, a
    measured one among them, under two competent departments."""
    catalog = from_parsed(parse_text(body, source_name=name)
                          for name, body in bundled_policy_files())
    docs = tuple(d.id for d in catalog if d.short in ("内蒙古", "宝鸡"))
    themes = load_themes(GOOD_THEMES)
    return generate(Selection(themes=("fx_muying", "fx_nvzhigong"), documents=docs), catalog,
                    themes, as_of=date(2026, 1, 15), generated_at=datetime(2026, 1, 15, 9, 0))


def changed(base: Checklist, code: str, **changes: Any) -> Checklist:
    """``base`` with one item changed the way a template edit would (its text hash follows)."""
    items = []
    for item in base.items:
        if item.code == code:
            item = dataclasses.replace(item, **changes)
            item = dataclasses.replace(item, text_hash=answer_hash(
                item.question, item.how_to_check, item.check_detail, item.answer,
                item.legal_basis))
        items.append(item)
    return dataclasses.replace(base, items=tuple(items))


def mixed_checklist() -> Checklist:
    """The test checklist with a progress, a date and a text item, and a note-only rule."""
    c = changed(checklist(), "FXN-A01", answer=AnswerSpec("progress"))
    c = changed(c, "FXN-A02", answer=AnswerSpec("date", label="建成日期"))
    c = changed(c, "FXN-A03", answer=AnswerSpec("text", label="情况说明"))
    return changed(c, "FXM-B01", require_on_fail="note")


def snapshot(c: Checklist | None = None) -> dict[str, Any]:
    return to_snapshot(c or checklist())


def officers(n: int = 2, department: str = "卫生健康") -> list[OfficerInput]:
    return [OfficerInput(f"检查员{i + 1}", department, f"ZF-{department}-{i + 1:03d}")
            for i in range(n)]


def new_entity(session: Session, name: str = "某某商业广场", **extra: Any) -> int:
    return create_entity(session, name=name, type_code="commercial_center",
                         address="中宁县宁安大街1号", **extra).id


def new_inspection(session: Session, *, kind: str = ENFORCEMENT, c: Checklist | None = None,
                   entity_id: int | None = None, **extra: Any) -> InspectionSummary:
    entity = entity_id if entity_id is not None else new_entity(session)
    return create_inspection(session, entity_id=entity, checklist_snapshot=snapshot(c),
                             kind=kind, officers=extra.pop("people", officers()), **extra)


def fill_record(session: Session, inspection_id: int) -> None:
    """The 笔录 fields a 执法检查 must have before it can be completed."""
    from services.inspection_lifecycle import update_record

    update_record(session, inspection_id, recorder="检查员2", party_name="王经理",
                  party_position="店长", party_phone="0955-1234567", credentials_shown=True,
                  recusal_notice_given=True)


def assert_integrity(db: Database) -> None:
    """The database file is sound, every foreign key resolves, and the list's stored rate and
    superseded flag agree with a recomputation."""
    conn = sqlite3.connect(db.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    assert list_columns_drift(db) == []


def list_columns_drift(where: Path | Database) -> list[tuple[Any, ...]]:
    """Inspections whose stored counts row is missing, or whose stored ``rate`` or
    ``superseded`` differs from one recomputed from the findings and the versions present:
    (id, stored rate, stored flag, recomputed rate, recomputed flag). ``where``: a database
    file, or an open database on either engine."""
    sql = ("SELECT i.id, c.inspection_id, c.rate, c.superseded, "
           "(SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.result = :p), "
           "(SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.result = :pa), "
           "(SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.result = :f), "
           "EXISTS (SELECT 1 FROM inspections n WHERE n.supersedes_id = i.id) "
           "FROM inspections i LEFT JOIN inspection_counts c ON c.inspection_id = i.id")
    values = {"p": PASS, "pa": PARTIAL, "f": FAIL}
    if isinstance(where, Database):
        from sqlalchemy import text

        with where.engine.connect() as c:
            rows = [tuple(r) for r in c.execute(text(sql), values)]
    else:
        conn = sqlite3.connect(where)
        try:
            rows = conn.execute(sql, values).fetchall()
        finally:
            conn.close()
    drift = []
    for iid, counted, rate, flag, passed, partial, failed, newer in rows:
        expected = compliance_rate(passed, partial, failed)
        same_rate = (rate is None and expected is None) or (
            rate is not None and expected is not None and math.isclose(rate, expected))
        if counted is None or not same_rate or bool(flag) != bool(newer):
            drift.append((iid, rate, flag, expected, bool(newer)))
    return drift
