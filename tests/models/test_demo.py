"""`demo`: realistic data in its own database, marked as demo, with consistent counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from main import main
from models.compliance import counts_of, tally
from models.credit_code import is_valid
from models.db import open_database
from models.demo_names import demo_data
from models.evidence_store import evidence_root, object_path
from models.findings import missing_on_fail
from models.inspection import DRAFT, SIGNED, Finding, Inspection, Signature
from models.rectification import Notice
from models.registry import Conflict, Entity, Inspector
from models.settings import DEMO, get_setting
from models.signatures import signing_gaps

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
            assert len(notices) == 10 and all(n.demo for n in notices)
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
