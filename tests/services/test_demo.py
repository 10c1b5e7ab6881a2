"""`demo`: realistic data in its own database, marked as demo, with consistent counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from main import main
from models.db import open_database
from models.evidence_store import evidence_root, object_path
from models.inspection import Finding, Inspection, InspectionOfficer, Signature
from models.rectification import Notice
from models.registry import Conflict, Entity, Inspector
from rules.credit_code import is_valid
from rules.inspection_status import DRAFT, FAIL, SIGNED
from services.demo.inspections import finding_statement, measured_value
from services.demo.names import demo_data
from services.findings import missing_on_fail
from services.result_counts import counts_of, tally
from services.settings import (
    DEMO,
    JURISDICTION,
    ORG_CODE,
    ORG_DEPARTMENT,
    ORGANISATION,
    get_setting,
)
from services.signatures import signing_gaps

SCALE = "0.05"  # 15 units, 75 inspections: the whole pipeline, quickly


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--scale", SCALE]) == 0
    return path


def test_demo_counts_stored_per_inspection_equal_a_recount(demo_path: Path) -> None:
    db = open_database(demo_path)
    try:
        with db.session() as s:
            ids = s.scalars(select(Inspection.id)).all()
            assert len(ids) == 75
            assert s.scalar(select(func.count()).select_from(Finding)) > 75 * 5
            for inspection_id in ids:
                assert counts_of(s, inspection_id) == tally(s, inspection_id)
    finally:
        db.dispose()


def test_demo_units_are_in_zhongwei_with_valid_unique_credit_codes(demo_path: Path) -> None:
    towns = {t for c in demo_data()["counties"] for t in c["townships"]}
    db = open_database(demo_path)
    try:
        with db.session() as s:
            units = s.scalars(select(Entity)).all()
        assert len(units) == 15
        codes = [u.credit_code for u in units]
        assert all(c is not None and is_valid(c) for c in codes)
        assert len(set(codes)) == len(codes) and len({u.name for u in units}) == len(units)
        assert {u.region_code for u in units} <= {"640521", "640502", "640522"}
        for u in units:
            assert u.address is not None and u.address.startswith("宁夏回族自治区中卫市")
            assert any(t in u.address for t in towns)
    finally:
        db.dispose()


def test_every_demo_record_is_marked_and_stamped_with_this_device(demo_path: Path) -> None:
    db = open_database(demo_path)
    try:
        with db.session() as s:
            assert get_setting(s, DEMO) is True
            assert s.scalars(select(Entity.demo).distinct()).all() == [True]
            assert s.scalars(select(Inspection.demo).distinct()).all() == [True]
            for model in (Entity, Inspection, Finding, Inspector, Conflict, Signature):
                assert s.scalars(select(model.device_id).distinct()).all() == [db.device_id]
            assert s.scalar(select(func.count()).select_from(Conflict)) >= 3
            notices = s.scalars(select(Notice)).all()
            own = [n for n in notices if n.org_name == "中卫市卫生健康委员会"]
            assert len(own) == 10 and all(n.demo for n in notices)
            assert {n.device_id for n in notices} == {db.device_id}
    finally:
        db.dispose()


def test_finished_demo_inspections_are_lawful_and_signed_ones_have_signature_images(
        demo_path: Path) -> None:
    db = open_database(demo_path)
    try:
        with db.session() as s:
            rows = s.scalars(select(Inspection)).all()
            statuses = {r.status for r in rows}
            assert SIGNED in statuses and len(statuses) >= 2
            oldest = min(r.started_at for r in rows)
            assert oldest > datetime.now(UTC) - timedelta(days=560)
            for row in rows:
                if row.status == DRAFT:
                    continue
                assert missing_on_fail(s, row.id) == []
                if row.status == SIGNED:
                    assert signing_gaps(s, row) == []
            images = s.scalars(select(Signature.image_sha256).distinct()).all()
        root = evidence_root(demo_path)
        assert images and all(object_path(root, h, ".png").exists() for h in images if h)
    finally:
        db.dispose()


def test_running_demo_again_does_not_duplicate(demo_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(demo_path), "demo", "--scale", SCALE]) == 0
    assert "未重复生成" in capsys.readouterr().out
    db = open_database(demo_path)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Entity)) == 15
            assert s.scalar(select(func.count()).select_from(Inspection)) == 75
    finally:
        db.dispose()


def test_inspections_json_lists_the_demo_inspections(demo_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", str(demo_path), "inspections", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["inspections"]
    assert len(rows) == 75 and all(r["demo"] for r in rows)
    themes = {t for r in rows for t in r["themes"]}
    assert {"女职工劳动保护", "母婴设施"} & themes
    first = rows[0]["counts"]
    assert first["total"] == first["answered"] + first["未检查"] > 0


def test_fresh_refuses_to_delete_a_database_that_is_not_a_demo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real.sqlite"
    open_database(real).dispose()
    assert main(["--db", str(real), "demo", "--fresh", "--scale", SCALE]) == 2
    assert "不是演示数据库" in capsys.readouterr().err
    assert real.exists()


def test_the_demo_user_is_the_city_and_addresses_only_units_in_its_jurisdiction(
        demo_path: Path) -> None:
    from checklists.regions import ancestors

    db = open_database(demo_path)
    try:
        with db.session() as s:
            assert (get_setting(s, JURISDICTION), get_setting(s, ORGANISATION),
                    get_setting(s, ORG_CODE), get_setting(s, ORG_DEPARTMENT)) == (
                "640500", "中卫市卫生健康委员会", "中卫", "卫生健康")
            assert all("640500" in ancestors(code)
                       for code in s.scalars(select(Entity.region_code).distinct()))
            government = s.scalars(select(Entity.region_code).where(
                Entity.type_code == "government_department").distinct()).all()
            assert set(government) <= {"640521"}  # supervised against 中宁县's task list
            notices = s.scalars(select(Notice)).all()
            assert notices and all(n.doc_number.startswith("中卫") for n in notices)
            # findings outside 卫生健康 never get a 卫生监督意见书
            assert all(n.department == "卫生健康" for n in notices
                       if n.kind_code == "health_opinion")
    finally:
        db.dispose()


def test_demo_notes_are_written_for_their_item(demo_path: Path) -> None:
    db = open_database(demo_path)
    try:
        with db.session() as s:
            rows = s.execute(select(Finding.item_code, Finding.result, Finding.note,
                                    Finding.value_number, Finding.answer)
                             .where(Finding.result == FAIL)).all()
    finally:
        db.dispose()
    assert rows
    stock = {"现场测量与标准不符", "台账记录不连续，缺少近三个月的记录"}
    for code, _result, note, value, answer in rows:
        assert note and note.startswith("经") and note not in stock
        if answer.get("type") == "measure" and answer.get("threshold") is not None:
            unit = answer.get("unit") or ""
            assert f"{value:g}{unit}" in note and "标准" in note, (code, note)
            if unit in ("个", "层", "人", "次", "名", "天", "日"):
                assert float(value).is_integer(), (code, value)


@pytest.mark.parametrize(("question", "found"), [
    ("是否配备婴儿床？", "未配备婴儿床"),
    ("对怀孕7个月以上的女职工，是否未安排夜班劳动？", "对怀孕7个月以上的女职工，安排夜班劳动"),
    ("托育场所内是否无人吸烟、饮酒？", "托育场所内有人吸烟、饮酒"),
    ("疏散通道、安全出口是否畅通，未被占用、堵塞、封闭？", "疏散通道、安全出口不畅通"),
    ("是否已落实《中宁县…重点任务清单》第10项“强化住房政策支持”？",
     "未落实《中宁县…重点任务清单》第10项“强化住房政策支持”"),
    ("是否制定了禁止性骚扰的规章制度，并明确了负责机构或人员？", "未制定禁止性骚扰的规章制度"),
])
def test_a_failed_question_reads_as_what_was_found(question: str, found: str) -> None:
    assert finding_statement(question) == found


def test_a_note_speaks_of_its_own_item() -> None:
    """A 消防车通道 is not a 疏散通道; a measure of a policy document is not a facility; a
    detail with no phrase of its own names what the item asks."""
    import random

    from services.demo.inspections import NoteWriter

    notes = NoteWriter(demo_data(), random.Random(5))
    partial = "部分符合"
    for _ in range(20):
        lane = notes.note("消防车通道是否畅通？", ("查看现场",), FAIL)
        assert "消防车通道" in lane and "疏散通道" not in lane and "杂物" not in lane
        policy = notes.note("是否已落实“加强母婴设施建设”？", ("查阅资料",), FAIL)
        assert "设施损坏" not in policy and "储物间" not in policy
        vague = notes.note("是否对孕期女职工安排工间休息？", ("查阅资料",), partial)
        assert "对孕期女职工安排工间休息" in vague, vague


def test_measured_values_respect_the_unit_and_stay_near_the_threshold() -> None:
    import random

    from checklists.template_model import AnswerSpec

    rng = random.Random(3)
    floors = AnswerSpec("measure", "最高楼层", "<=", 3, None, "层")
    area = AnswerSpec("measure", "使用面积", ">=", 10, None, "㎡")
    loan = AnswerSpec("measure", "贷款额度", "range", 20, 30, "万元")
    for _ in range(50):
        bad, good = measured_value(rng, floors, False), measured_value(rng, floors, True)
        assert bad.is_integer() and 4 <= bad <= 6 and good.is_integer() and 1 <= good <= 3
        low = measured_value(rng, area, False)
        assert 5 <= low < 10 and round(low, 1) == low
        assert 20 <= measured_value(rng, loan, True) <= 30
        assert not loan.meets(measured_value(rng, loan, False))
    ground = AnswerSpec("measure", "婴幼儿用房所在最高楼层", "<=", 1, None, "层")
    assert {measured_value(rng, ground, True) for _ in range(50)} == {1.0}  # 首层, never 0


def test_a_demo_childcare_centre_is_checked_against_its_own_fire_resistance_grade(
        demo_path: Path) -> None:
    """Of the items on the storeys a grade allows (XF-A02, A11, A12), each record holds only
    the one for its building's 耐火等级."""
    graded = {"XF-A02", "XF-A11", "XF-A12"}
    db = open_database(demo_path)
    try:
        with db.session() as s:
            held = s.execute(select(Finding.inspection_id, Finding.item_code).where(
                Finding.item_code.in_(graded))).all()
    finally:
        db.dispose()
    per: dict[int, set[str]] = {}
    for inspection_id, code in held:
        per.setdefault(inspection_id, set()).add(code)
    assert per and all(len(codes) == 1 for codes in per.values()), per


def test_demo_records_hold_photos_beside_failed_items_and_a_refusal_before_a_witness(
        demo_path: Path) -> None:
    from models.evidence_store import report_copy_path, thumbnail_path
    from models.inspection import Evidence, Finding

    db = open_database(demo_path)
    try:
        with db.session() as s:
            photos = s.execute(select(Evidence.sha256, Finding.result).join(
                Finding, Finding.id == Evidence.finding_id)).all()
            refusals = s.scalars(select(Signature).where(Signature.refused.is_(True))).all()
            witnesses = s.scalars(select(Signature).where(Signature.role == "见证人")).all()
        root = evidence_root(demo_path)
        assert photos and all(result in ("不符合", "部分符合") for _sha, result in photos)
        assert all(thumbnail_path(root, sha).exists() and report_copy_path(root, sha).exists()
                   for sha, _ in photos)
        assert refusals and all(r.witness_name and r.refusal_reason for r in refusals)
        assert {w.inspection_id for w in witnesses} == {r.inspection_id for r in refusals}
    finally:
        db.dispose()


def test_the_demo_holds_every_kind_of_document_and_every_turn_of_the_loop(
        tmp_path: Path) -> None:
    """Every document the program prints can be reviewed from the demo: each kind of notice
    (those of the city's fire brigade and HR bureau under their own name and 代字), a 留置送达
    before a witness, an extension, a failed and a passed recheck, a 移送函 with feedback and
    a voided draw; the user's own settings are left as they were."""
    from checklists.notice_types import notice_types
    from models.draw import Draw
    from models.rectification import NoticeExtension, Recheck

    path = tmp_path / "demo.sqlite"
    assert main(["--db", str(path), "demo", "--scale", "0.3"]) == 0
    db = open_database(path)
    try:
        with db.session() as s:
            notices = s.scalars(select(Notice)).all()
            titles = {n.title for n in notices}
            assert titles == {k.title for k in notice_types().kinds.values()}
            bodies = {n.kind_code: n.org_name for n in notices}
            assert bodies["fire_deadline"] == "中卫市消防救援支队"
            assert bodies["hrss_order"] == "中卫市人力资源和社会保障局"
            assert bodies["health_opinion"] == "中卫市卫生健康委员会"
            assert all(n.doc_number.startswith("中卫消") for n in notices
                       if n.kind_code.startswith("fire_"))
            assert any(n.service_refused and n.service_witnesses for n in notices)
            assert any(n.kind_code == "referral" and n.feedback_text for n in notices)
            assert s.scalar(select(func.count()).select_from(NoticeExtension)) > 0
            assert set(s.scalars(select(Recheck.passed).distinct())) == {True, False}
            assert s.scalar(select(func.count()).select_from(Draw).where(
                Draw.discarded_at.is_not(None))) == 1
            assert (get_setting(s, ORGANISATION), get_setting(s, ORG_CODE),
                    get_setting(s, ORG_DEPARTMENT)) == ("中卫市卫生健康委员会", "中卫", "卫生健康")
            # each body signs its documents with its own officers, who took part in the
            # inspection; a recheck that finds the problem not put right is after the deadline
            departments = {"中卫市卫生健康委员会": "卫生健康", "中卫市消防救援支队": "消防救援",
                           "中卫市人力资源和社会保障局": "人力资源和社会保障"}
            for n in notices:
                took_part = {o.name for o in s.scalars(select(InspectionOfficer).where(
                    InspectionOfficer.inspection_id == n.inspection_id,
                    InspectionOfficer.department == departments[n.org_name]))}
                assert n.issued_by and set(n.issued_by) <= took_part, n.doc_number
            for check in s.scalars(select(Recheck).where(Recheck.passed.is_(False))):
                notice = s.get(Notice, check.notice_id)
                assert notice is not None and notice.deadline is not None
                assert check.checked_on > notice.deadline, notice.doc_number
    finally:
        db.dispose()


def test_the_party_of_a_demo_record_holds_a_post_such_a_unit_has(demo_path: Path) -> None:
    from services.demo.inspections import unit_group

    posts = demo_data()["party_positions"]
    db = open_database(demo_path)
    try:
        with db.session() as s:
            rows = s.execute(select(Entity.type_code, Inspection.party_position).join(
                Inspection, Inspection.entity_id == Entity.id)).all()
            assert rows
            for type_code, post in rows:
                assert post in posts[unit_group(type_code)], (type_code, post)
    finally:
        db.dispose()


def test_the_demo_writes_its_rows_through_the_bulk_path_of_an_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import models.bulk
    from services.catalog_store import ensure_bundled_catalog
    from services.demo.fill import fill_demo

    written: dict[str, int] = {}
    insert = models.bulk.BulkInserter.insert

    def counted(self: models.bulk.BulkInserter, connection: object, table: object,
                rows: list[object], names: tuple[str, ...] | None = None) -> None:
        written[table.name] = written.get(table.name, 0) + len(rows)  # type: ignore[attr-defined]
        insert(self, connection, table, rows, names)  # type: ignore[arg-type]

    monkeypatch.setattr(models.bulk.BulkInserter, "insert", counted)
    db = open_database(tmp_path / "demo.sqlite")
    try:
        with db.session() as s:
            ensure_bundled_catalog(s)
        with db.session() as s:
            fill_demo(s, scale=0.05)
        with db.session() as s:
            for model in (Entity, Inspection, Finding):
                assert written[model.__tablename__] == s.scalar(
                    select(func.count()).select_from(model))
        assert {"inspection_officers", "inspection_counts", "checklist_snapshots",
                "checklist_snapshot_items"} <= set(written)
        conn = sqlite3.connect(db.path)
        try:  # stored as the ORM stores them: SQLAlchemy's time text, JSON, booleans
            started, demo, themes = conn.execute(
                "SELECT started_at, demo, themes FROM inspections LIMIT 1").fetchone()
        finally:
            conn.close()
        assert datetime.strptime(started, "%Y-%m-%d %H:%M:%S.%f")
        assert demo == 1 and isinstance(json.loads(themes), list)
    finally:
        db.dispose()
