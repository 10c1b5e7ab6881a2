"""回头看: a unit's earlier findings (non-compliant first), its open items, and carrying answers
forward only to items whose text is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from models.db import Database
from rules.inspection_status import FAIL, NOT_CHECKED, PARTIAL, PASS, SELF_CHECK
from services.findings import get_finding, record_finding
from services.inspection_access import InspectionError
from services.inspection_lifecycle import complete_inspection
from services.lookback import carry_forward, history_for_entity
from services.result_counts import counts_of, tally
from tests.services.inspection_fixtures import (
    AREA,
    assert_integrity,
    changed,
    checklist,
    new_entity,
    new_inspection,
    officers,
)

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


@pytest.fixture(autouse=True)
def _sound_database(db: Database) -> Iterator[None]:
    yield
    assert_integrity(db)


def visit(db: Database, entity: int, day: int, answers: dict[str, dict[str, object]],
          c: object = None, complete: bool = True) -> int:
    with db.session() as s:
        made = new_inspection(s, kind=SELF_CHECK, people=officers(1), entity_id=entity,
                              started_at=datetime(2026, 1, day, 9, 0, tzinfo=UTC),
                              c=c)  # type: ignore[arg-type]
        for code, answer in answers.items():
            record_finding(s, made.id, code, **answer)  # type: ignore[arg-type]
        if complete:
            complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        return made.id


def test_history_puts_non_compliant_first_and_lists_open_items(db: Database) -> None:
    with db.session() as s:
        unit = new_entity(s)
    first = visit(db, unit, 5, {"FXM-A01": {"result": FAIL, "note": "未设母婴室"},
                                "FXM-B01": {"result": PARTIAL, "note": "缺尿布台"},
                                "FXN-A01": {"result": PASS}})
    second = visit(db, unit, 20, {"FXM-A01": {"result": PASS},
                                  "FXN-A01": {"result": FAIL, "note": "制度未公示"}})
    visit(db, unit, 25, {"FXM-A01": {"result": FAIL, "note": "草稿"}}, complete=False)
    with db.session() as s:
        history = history_for_entity(s, unit)
    assert [p.summary.id for p in history.inspections] == [second, first]  # newest first
    results = [f.result for f in history.inspections[1].findings]
    assert results[:3] == [FAIL, PARTIAL, PASS]
    assert set(results[3:]) == {NOT_CHECKED}
    open_items = {o.item_code: o.result for o in history.open_items}
    assert open_items == {"FXN-A01": FAIL, "FXM-B01": PARTIAL}  # FXM-A01 fixed on the 20th


def test_an_inspection_looks_back_only_at_those_before_it(db: Database) -> None:
    with db.session() as s:
        unit = new_entity(s)
    first = visit(db, unit, 5, {"FXM-A01": {"result": FAIL, "note": "未设母婴室"}})
    middle = visit(db, unit, 12, {"FXN-A01": {"result": FAIL, "note": "制度未公示"}})
    last = visit(db, unit, 20, {"FXM-A01": {"result": PASS}})
    with db.session() as s:
        seen_from_middle = history_for_entity(s, unit, exclude_inspection_id=middle)
        seen_from_last = history_for_entity(s, unit, exclude_inspection_id=last)
    # the inspection of the 12th, opened again, does not count the 20th's as earlier
    assert [p.summary.id for p in seen_from_middle.inspections] == [first]
    assert {o.item_code for o in seen_from_middle.open_items} == {"FXM-A01"}
    assert [p.summary.id for p in seen_from_last.inspections] == [middle, first]
    # as the 20th's inspection began, both problems were still open
    assert {o.item_code for o in seen_from_last.open_items} == {"FXM-A01", "FXN-A01"}


def test_carry_forward_copies_unchanged_items_and_marks_them(db: Database) -> None:
    with db.session() as s:
        unit = new_entity(s)
    before = visit(db, unit, 5, {"FXM-A01": {"result": FAIL, "note": "未设母婴室"},
                                 AREA: {"value": 12}, "FXN-A01": {"result": PASS},
                                 "FXN-A03": {"result": PASS}})
    edited = changed(checklist(), "FXN-A01", question="修改后的问题？")
    now = visit(db, unit, 20, {"FXN-A03": {"result": FAIL, "note": "本次新答"}}, c=edited,
                complete=False)
    with db.session() as s:
        report = carry_forward(s, now, before)
        (past,) = history_for_entity(s, unit, exclude_inspection_id=now).inspections
    assert past.units[AREA] == "㎡"  # a measured value is shown with its unit
    assert report.copied == ("FXM-A01", AREA)
    assert report.changed == ("FXN-A01",)
    assert report.kept == ("FXN-A03",)
    with db.session() as s:
        source = get_finding(s, before, "FXM-A01")
        carried = get_finding(s, now, "FXM-A01")
        assert (carried.result, carried.note, carried.carried_from) == (FAIL, "未设母婴室",
                                                                        source.uuid)
        assert get_finding(s, now, AREA).value_number == 12
        assert get_finding(s, now, "FXN-A01").result == NOT_CHECKED  # text changed: not carried
        assert get_finding(s, now, "FXN-A03").note == "本次新答"
        assert counts_of(s, now) == tally(s, now)
        mine = record_finding(s, now, "FXM-A01", result=PASS)
    assert mine.carried_from is None  # once changed, the answer is the inspector's own


def test_carry_forward_refuses_another_units_inspection(db: Database) -> None:
    with db.session() as s:
        a, b = new_entity(s, "甲单位"), new_entity(s, "乙单位")
    theirs = visit(db, a, 5, {"FXM-A01": {"result": PASS}})
    mine = visit(db, b, 6, {}, complete=False)
    with pytest.raises(InspectionError, match="同一被检查单位"), db.session() as s:
        carry_forward(s, mine, theirs)
    with pytest.raises(InspectionError, match="先退回草稿"), db.session() as s:
        carry_forward(s, theirs, mine)


def test_open_items_and_past_answers_say_what_their_own_checklist_asked(db: Database) -> None:
    """An item asked differently since (or dropped from today's checklist) is named as the
    inspection that found it asked it."""
    with db.session() as s:
        unit = new_entity(s)
    older = changed(checklist(), "FXN-A01", question="旧清单的问法？")
    visit(db, unit, 5, {"FXN-A01": {"result": FAIL, "note": "制度未公示"}}, c=older)
    visit(db, unit, 20, {"FXM-A01": {"result": PARTIAL, "note": "缺尿布台"}})
    with db.session() as s:
        history = history_for_entity(s, unit)
    asked = {o.item_code: o.question for o in history.open_items}
    current = next(i.question for i in checklist().items if i.code == "FXM-A01")
    assert asked == {"FXN-A01": "旧清单的问法？", "FXM-A01": current}
    newest, oldest = history.inspections
    assert oldest.questions["FXN-A01"] == "旧清单的问法？"
    assert newest.questions["FXM-A01"] == current
