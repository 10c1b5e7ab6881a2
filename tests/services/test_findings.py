"""Findings: answers by item type, measured values judged against thresholds, stored counts in
step with the findings, the require-on-fail rule at completion, and the compliance rate."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from models.db import Database
from rules.compliance import compliance_rate
from rules.inspection_status import (
    FAIL,
    NOT_APPLICABLE,
    NOT_CHECKED,
    PARTIAL,
    PASS,
    RESULTS,
    ROLE_OFFICER,
    SELF_CHECK,
)
from services.amendments import amend_inspection
from services.evidence import add_evidence
from services.findings import get_finding, record_finding
from services.inspection_access import InspectionError
from services.inspection_lifecycle import complete_inspection, sign_inspection
from services.result_counts import counts_of, overall_rate, tally
from services.signatures import add_signature
from tests.services.inspection_fixtures import (
    AREA,
    assert_integrity,
    checklist,
    mixed_checklist,
    new_inspection,
    officers,
)

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


@pytest.fixture(autouse=True)
def _sound_database(db: Database) -> Iterator[None]:
    yield
    assert_integrity(db)


def draft(db: Database, **extra: object) -> int:
    with db.session() as s:
        return new_inspection(s, kind=SELF_CHECK, people=officers(1), **extra).id  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [
    (10, PASS), ("10.0", PASS), (12.5, PASS), (9.99, FAIL), (0, FAIL)])
def test_a_measured_value_is_judged_with_the_threshold_included(
        db: Database, value: object, expected: str) -> None:
    """母婴室使用面积 ≥ 10 ㎡: exactly 10 meets it (以上 includes the number)."""
    made = draft(db)
    with db.session() as s:
        got = record_finding(s, made, AREA, value=value)
    assert (got.result, got.answered) == (expected, True)


def test_a_measured_result_cannot_contradict_its_value(db: Database) -> None:
    made = draft(db)
    with pytest.raises(InspectionError, match=r"8㎡不合格.*不能判定为符合"), db.session() as s:
        record_finding(s, made, AREA, value=8, result=PASS)
    with pytest.raises(InspectionError, match="应为数字"), db.session() as s:
        record_finding(s, made, AREA, value="十平方")
    with db.session() as s:
        record_finding(s, made, AREA, value=11)
        cleared = record_finding(s, made, AREA, result=NOT_APPLICABLE)
    assert (cleared.result, cleared.value_number) == (NOT_APPLICABLE, None)


def test_a_measured_item_is_judged_by_eye_and_judged_again_when_a_value_is_entered(
        db: Database) -> None:
    """The keys judge every item; a value, once entered, judges it against the standard."""
    made = draft(db)
    with db.session() as s:
        eye = record_finding(s, made, AREA, result=PASS)  # looked, did not measure
        assert (eye.result, eye.value_number, eye.answered) == (PASS, None, True)
        measured = record_finding(s, made, AREA, value=8)
        assert (measured.result, measured.value_number) == (FAIL, 8.0)
        record_finding(s, made, AREA, value=12)
        # the number meets the standard, but the inspector saw more: the verdict is theirs
        over = record_finding(s, made, AREA, result=FAIL)
        assert (over.result, over.value_number) == (FAIL, 12.0)
        noted = record_finding(s, made, AREA, note="面积够但无洗手设施")
        assert noted.result == FAIL  # a note leaves the verdict as it was
        again = record_finding(s, made, AREA, value=13)
        assert again.result == PASS  # a new value judges again
        gone = record_finding(s, made, AREA, value=None)
        assert (gone.result, gone.answered) == ("未检查", False)


def test_compliance_items_take_a_result_and_a_note_but_no_value(db: Database) -> None:
    made = draft(db)
    with db.session() as s:
        got = record_finding(s, made, "FXM-A01", result=PARTIAL, note=" 标识不清 ")
        assert (got.result, got.note) == (PARTIAL, "标识不清")
        kept = record_finding(s, made, "FXM-A01", note="标识已补")  # result left as it was
        assert kept.result == PARTIAL
    with pytest.raises(InspectionError, match="检查结果应为"), db.session() as s:
        record_finding(s, made, "FXM-A01", result="基本符合")
    with pytest.raises(InspectionError, match="不填数值"), db.session() as s:
        record_finding(s, made, "FXM-A01", value=3)
    with pytest.raises(InspectionError, match="没有检查项 XX-01"), db.session() as s:
        record_finding(s, made, "XX-01", result=PASS)


def test_progress_date_and_text_items_keep_their_answers(db: Database) -> None:
    made = draft(db, c=mixed_checklist())
    with db.session() as s:
        assert record_finding(s, made, "FXN-A01", value="推进中").value_text == "推进中"
        assert record_finding(s, made, "FXN-A02", value="2025-06-01").value_text == "2025-06-01"
        assert record_finding(s, made, "FXN-A03", value=" 已制定制度 ").value_text == "已制定制度"
        with pytest.raises(InspectionError, match="已完成、推进中、未启动、滞后"):
            record_finding(s, made, "FXN-A01", value="差不多")
        with pytest.raises(InspectionError, match="2026-03-01"):
            record_finding(s, made, "FXN-A02", value="去年六月")
        with pytest.raises(InspectionError, match="只能选不适用"):
            record_finding(s, made, "FXN-A01", result=PASS)
        counts = counts_of(s, made)
        assert counts.answered == 3 and counts.passed == 0  # answered, no compliance result
        judged = record_finding(s, made, "FXN-A02", result=PASS)  # a date item judged too
        assert (judged.result, judged.value_text) == (PASS, "2025-06-01")


def test_stored_counts_match_the_findings_after_many_updates(db: Database) -> None:
    made = draft(db)
    codes = [i.code for i in checklist().items if i.answer.type == "compliance"]
    rng = random.Random(20260115)
    for _ in range(300):
        with db.session() as s:  # one autosave each, as the GUI does
            code = rng.choice(codes)
            record_finding(s, made, code, result=rng.choice(RESULTS))
            if rng.random() < 0.2:
                record_finding(s, made, AREA, value=rng.choice([None, 5, 10, 15]))
    with db.session() as s:
        stored, actual = counts_of(s, made), tally(s, made)
    assert stored == actual
    assert stored.total == len(checklist().items)
    assert stored.answered == stored.total - sum(
        1 for i in checklist().items if get_result(db, made, i.code) == NOT_CHECKED)


def get_result(db: Database, inspection_id: int, code: str) -> str:
    with db.session() as s:
        return get_finding(s, inspection_id, code).result


def test_a_failed_write_leaves_findings_and_counts_untouched(db: Database) -> None:
    made = draft(db)
    with db.session() as s:
        record_finding(s, made, "FXM-A01", result=PASS)
    with pytest.raises(RuntimeError), db.session() as s:
        record_finding(s, made, "FXM-A01", result=FAIL)
        record_finding(s, made, "FXM-B01", result=FAIL)
        raise RuntimeError("power cut before commit")
    with db.session() as s:
        assert get_finding(s, made, "FXM-A01").result == PASS
        assert get_finding(s, made, "FXM-B01").result == NOT_CHECKED
        assert counts_of(s, made) == tally(s, made)
        assert (counts_of(s, made).passed, counts_of(s, made).failed) == (1, 0)


def test_completion_lists_failed_items_missing_their_note_or_photo(
        db: Database, tmp_path: Path) -> None:
    made = draft(db, c=mixed_checklist())  # FXM-B01 needs a note; AREA needs a photo
    with db.session() as s:
        record_finding(s, made, "FXM-A01", result=FAIL)  # note_or_photo
        record_finding(s, made, "FXM-B01", result=FAIL)
        record_finding(s, made, AREA, value=6)
    with pytest.raises(InspectionError) as err, db.session() as s:
        complete_inspection(s, made, unchecked_reason=UNCHECKED_REASON)
    message = str(err.value)
    assert "FXM-A01：判定为不符合，需要说明或照片" in message
    assert "FXM-B01：判定为不符合，需要说明" in message
    assert f"{AREA}：判定为不符合，需要照片" in message
    photo = tmp_path / "room.jpg"
    Image.new("RGB", (64, 48), (200, 180, 160)).save(photo, "JPEG")
    with db.session() as s:
        record_finding(s, made, "FXM-A01", note="未设置母婴室")
        add_evidence(s, made, photo, store_root=tmp_path / "evidence", item_code="FXM-B01")
        add_evidence(s, made, photo, store_root=tmp_path / "evidence", item_code=AREA)
    with pytest.raises(InspectionError) as err, db.session() as s:
        # a photo does not stand in for a required note
        complete_inspection(s, made, unchecked_reason=UNCHECKED_REASON)
    assert "FXM-B01" in str(err.value) and AREA not in str(err.value)
    with db.session() as s:
        record_finding(s, made, "FXM-B01", note="无尿布台")
        assert complete_inspection(s, made, unchecked_reason=UNCHECKED_REASON).status == "completed"


def test_the_compliance_rate_weighs_partial_as_half_and_leaves_out_na() -> None:
    assert compliance_rate(3, 2, 1) == pytest.approx(4 / 6)
    assert compliance_rate(0, 0, 0) is None


def test_only_the_latest_signed_version_counts_in_the_overall_rate(
        db: Database, tmp_path: Path) -> None:
    made = draft(db)
    with db.session() as s:
        record_finding(s, made, "FXM-A01", result=FAIL, note="无")
        record_finding(s, made, "FXM-B01", result=PASS)
        record_finding(s, made, "FXN-A01", result=NOT_APPLICABLE)
        assert overall_rate(s) is None  # nothing signed yet
        complete_inspection(s, made, unchecked_reason=UNCHECKED_REASON)
        add_signature(s, made, role=ROLE_OFFICER, name="检查员1", png=_png(), store_root=tmp_path)
        sign_inspection(s, made)
        assert overall_rate(s) == pytest.approx(0.5)
        amended = amend_inspection(s, made, reason="复核后更正")
        record_finding(s, amended.id, "FXM-A01", result=PARTIAL)
        assert overall_rate(s) == pytest.approx(0.5)  # the amendment is not signed yet
        complete_inspection(s, amended.id, unchecked_reason=UNCHECKED_REASON)
        add_signature(s, amended.id, role=ROLE_OFFICER, name="检查员1", png=_png(),
                      store_root=tmp_path)
        sign_inspection(s, amended.id)
        assert overall_rate(s) == pytest.approx(0.75)  # (1 + 0.5) / 2, the old version left out
        assert counts_of(s, amended.id).rate == pytest.approx(0.75)


def _png() -> bytes:
    import io

    buf = io.BytesIO()
    Image.new("L", (60, 20), 0).save(buf, "PNG")
    return buf.getvalue()
