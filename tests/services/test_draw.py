"""The 双随机 draw: pools hashed first, seed from the witness, every draw kept, replayable."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from checklists.templates import load_themes
from models.db import Database
from models.draw import DrawResult
from models.inspection import InspectionOfficer
from rules import random_draw as dr
from rules.inspection_status import DRAFT, ENFORCEMENT
from rules.random_draw import INSPECTED, VOID
from services.catalog import load_catalog
from services.draw_followup import create_draw_inspections, publication
from services.draw_records import (
    DrawError,
    draw_pools,
    get_draw,
    list_draws,
    perform_draw,
    replay_draw,
    set_outcome,
)
from services.entities import create_entity
from services.inspection_lifecycle import get_summary
from services.roster import add_inspector, declare_conflict, update_inspector

THEME = "托育机构消防安全"
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _register(db: Database, units: int = 8) -> dict[str, list[int]]:
    with db.session() as s:
        ents = [create_entity(s, name=f"宁安镇第{i + 1}托育园", type_code="childcare_center",
                              region_code="640521", address=f"中宁县宁安镇{i + 1}号").id
                for i in range(units)]
        ents.append(create_entity(s, name="中宁县某某商贸有限公司", type_code="enterprise",
                                  region_code="640521").id)
        ents.append(create_entity(s, name="沙坡头区某托育中心", type_code="childcare_center",
                                  region_code="640502").id)
        people = [add_inspector(s, name=n, department="卫生健康", cert_no=f"ZF64{i:04d}").id
                  for i, n in enumerate(("马文", "李静", "王强", "张敏", "杨帆"))]
        people.append(add_inspector(s, name="无证人员", department="卫生健康").id)
        idle = add_inspector(s, name="停用人员", department="卫生健康", cert_no="ZF649999").id
        update_inspector(s, idle, active=False)
    return {"entities": ents, "inspectors": people}


def _draw(db: Database, **extra: object) -> int:
    args: dict[str, object] = {
        "title": "2026年第一季度托育机构消防安全双随机抽查", "theme": THEME, "kind": ENFORCEMENT,
        "n": 3, "per_entity": 2, "witness_name": "周见证", "witness_input": "七二九一 春风",
        "entity_types": ["childcare"], "region_codes": ["640521"], "now": WHEN}
    args.update(extra)
    with db.session() as s:
        return perform_draw(s, **args).id  # type: ignore[arg-type]


def test_pools_follow_the_filters_and_leave_out_uncertified_and_inactive_people(
        db: Database) -> None:
    _register(db)
    with db.session() as s:
        pools = draw_pools(s, entity_types=["childcare"], region_codes=["640500"])
        county = draw_pools(s, entity_types=["childcare"], region_codes=["640521"])
    assert len(pools.entities) == 9  # the city takes both counties; the company is no childcare
    assert len(county.entities) == 8
    assert sorted(i.name for i in pools.inspectors) == ["张敏", "李静", "杨帆", "王强", "马文"]
    assert pools.entity_pool_hash != county.entity_pool_hash


def test_pool_hash_is_canonical_sorted_json_of_ids_uuids_and_names() -> None:
    rows = [dr.PoolRow(2, "b-uuid", "乙"), dr.PoolRow(1, "a-uuid", "甲")]
    expected = hashlib.sha256('[[1,"a-uuid","甲"],[2,"b-uuid","乙"]]'.encode()).hexdigest()
    assert dr.pool_hash(rows) == dr.pool_hash(reversed(rows)) == expected
    assert dr.pool_hash([dr.PoolRow(1, "a-uuid", "甲改")]) != dr.pool_hash(rows[1:])


def test_stream_is_counter_mode_sha256_as_documented() -> None:
    seed = "ab" * 32
    block0 = hashlib.sha256(bytes.fromhex(seed) + (0).to_bytes(8, "big")).digest()
    block1 = hashlib.sha256(bytes.fromhex(seed) + (1).to_bytes(8, "big")).digest()
    stream = dr.Stream(seed)
    got = [stream.next64() for _ in range(5)]
    assert got[:4] == [int.from_bytes(block0[i:i + 8], "big") for i in (0, 8, 16, 24)]
    assert got[4] == int.from_bytes(block1[:8], "big")


def test_draw_records_pools_and_seed_and_replays_to_the_same_result(db: Database) -> None:
    _register(db)
    with db.session() as s:
        before = draw_pools(s, entity_types=["childcare"], region_codes=["640521"])
    draw_id = _draw(db, expected_hashes=(before.entity_pool_hash, before.inspector_pool_hash))
    with db.session() as s:
        info = get_draw(s, draw_id)
        report = replay_draw(s, draw_id)
    assert info.entity_pool_hash == before.entity_pool_hash
    assert info.inspector_pool_hash == before.inspector_pool_hash
    assert info.seed == dr.derive_seed(
        witness="七二九一 春风", entity_pool=info.entity_pool_hash,
        inspector_pool=info.inspector_pool_hash, conflicts=info.conflicts_hash, n=3,
        per_entity=2, drawn_at=WHEN.isoformat())
    assert len(info.results) == 3 and len({r.entity_uuid for r in info.results}) == 3
    assert all(len(set(r.inspector_ids)) == 2 for r in info.results)
    assert report.matches and [c.label for c in report.checks][-1] == "抽取结果"
    # Another witness text gives another seed; the same text at the same time the same draw.
    other = _draw(db, witness_input="另一串 5531")
    again = _draw(db)
    with db.session() as s:
        assert get_draw(s, other).seed != info.seed
        assert [r.entity_uuid for r in get_draw(s, again).results] == \
            [r.entity_uuid for r in info.results]


def test_tampering_with_a_stored_result_or_the_witness_text_fails_the_replay(
        db: Database) -> None:
    _register(db)
    draw_id = _draw(db)
    with db.session() as s:
        first = s.scalars(select(DrawResult).where(DrawResult.draw_id == draw_id)
                          .order_by(DrawResult.position)).first()
        assert first is not None
        first.inspector_uuids = list(reversed(first.inspector_uuids))
    with db.session() as s:
        report = replay_draw(s, draw_id)
    assert not report.matches
    assert [c.label for c in report.checks if not c.ok] == ["抽取结果"]
    other = _draw(db)
    with db.session() as s:
        from models.draw import Draw

        row = s.get(Draw, other)
        assert row is not None
        row.witness_input = "改过的内容"
    with db.session() as s:
        failed = [c.label for c in replay_draw(s, other).checks if not c.ok]
    assert failed[0] == "随机种子"


def test_declared_conflict_keeps_an_inspector_off_that_unit(db: Database) -> None:
    ids = _register(db, units=3)
    with db.session() as s:
        for unit in ids["entities"][:3]:
            declare_conflict(s, inspector_id=ids["inspectors"][0], entity_id=unit,
                             reason="近亲属在该单位任职")
        barred = s.scalars(select(InspectionOfficer)).all()
    assert barred == []
    for text in ("甲乙丙丁", "1234", "春夏秋冬", "东南西北", "见证内容"):
        draw_id = _draw(db, n=3, per_entity=4, witness_input=text)
        with db.session() as s:
            info = get_draw(s, draw_id)
        assert all(ids["inspectors"][0] not in r.inspector_ids for r in info.results)
    with pytest.raises(DrawError, match="可派的检查人员只有4名"):
        _draw(db, n=1, per_entity=5)


def test_a_register_changed_after_the_pools_were_shown_refuses_the_draw(db: Database) -> None:
    _register(db)
    with db.session() as s:
        shown = draw_pools(s, entity_types=["childcare"], region_codes=["640521"])
        create_entity(s, name="宁安镇新开托育园", type_code="childcare_center",
                      region_code="640521")
    with pytest.raises(DrawError, match="名录已被修改"):
        _draw(db, expected_hashes=(shown.entity_pool_hash, shown.inspector_pool_hash))
    with db.session() as s:
        assert list_draws(s) == []


@pytest.mark.parametrize(("extra", "message"), [
    ({"witness_input": "12"}, "至少4个字符"),
    ({"witness_name": " "}, "见证人姓名"),
    ({"n": 20}, "只有8户"),
    ({"per_entity": 1}, "两名以上"),
])
def test_bad_draw_requests_are_refused_in_chinese(db: Database, extra: dict[str, object],
                                                  message: str) -> None:
    _register(db)
    with pytest.raises(DrawError, match=message):
        _draw(db, **extra)


def test_discarded_draw_stays_on_record_with_its_reason(db: Database) -> None:
    _register(db)
    draw_id = _draw(db)
    with db.session() as s:
        with pytest.raises(DrawError, match="理由"):
            from services.draw_records import discard_draw

            discard_draw(s, draw_id, reason=" ")
        discard_draw(s, draw_id, reason="见证人未到场")
    with db.session() as s:
        (info,) = list_draws(s)
        assert info.status == VOID and info.status_label == "作废"
        assert info.discard_reason == "见证人未到场"
        assert replay_draw(s, draw_id).matches  # a discarded draw can still be checked
        assert publication(s, draw_id).status == "作废"


def test_outcomes_need_a_note_when_the_unit_could_not_be_inspected(db: Database) -> None:
    _register(db)
    draw_id = _draw(db)
    with db.session() as s:
        first = get_draw(s, draw_id).results[0]
        with pytest.raises(DrawError, match="须写明情况"):
            set_outcome(s, first.id, "查无下落")
        done = set_outcome(s, first.id, "查无下落", note="登记地址已无该机构")
        assert done.outcome_label == "查无下落"
        rows = publication(s, draw_id).rows
    assert rows[0].outcome == "查无下落" and rows[0].note == "登记地址已无该机构"
    assert rows[1].outcome == "待检查"
    assert rows[0].inspectors.count("、") == 1


def test_confirmed_draw_becomes_draft_inspections_with_the_drawn_inspectors(
        catalog_db: Database) -> None:
    db = catalog_db
    _register(db)
    draw_id = _draw(db)
    with db.session() as s:
        first = get_draw(s, draw_id).results[0]
        set_outcome(s, first.id, "已注销", note="已于2026年2月注销登记")
        made = create_draw_inspections(s, draw_id, catalog=load_catalog(s), themes=load_themes(),
                                       as_of=date(2026, 3, 2))
    assert len(made) == 2
    with db.session() as s:
        info = get_draw(s, draw_id)
        for result, inspection_id in zip(info.results[1:], made, strict=True):
            summary = get_summary(s, inspection_id)
            assert summary.status == DRAFT and summary.themes == (THEME,)
            assert summary.entity_id == result.entity_id and summary.counts.total > 10
            officers = s.scalars(select(InspectionOfficer.inspector_id).where(
                InspectionOfficer.inspection_id == inspection_id)).all()
            assert sorted(officers) == sorted(result.inspector_ids)
            assert result.inspection_id == inspection_id
        assert info.results[0].inspection_id is None
        # Running it again makes nothing new; a draw with drafts can still be discarded.
        assert create_draw_inspections(s, draw_id, catalog=load_catalog(s),
                                       themes=load_themes(), as_of=date(2026, 3, 2)) == []
    assert INSPECTED == "inspected"


def test_draw_command_runs_shows_and_replays_a_draw(
        db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from main import main

    _register(db)
    path = str(db.path)
    assert main(["--db", path, "draw", "pools", "--entity-type", "childcare"]) == 0
    hashes = [line.split()[-1] for line in capsys.readouterr().out.splitlines()[:2]]
    assert main(["--db", path, "draw", "run", "--title", "季度抽查", "--theme", THEME, "-n", "2",
                 "--witness-name", "周见证", "--witness-input", "春风 1234",
                 "--entity-type", "childcare", "--expect", *hashes]) == 0
    assert "随机种子" in capsys.readouterr().out
    assert main(["--db", path, "draw", "show", "1", "--json"]) == 0
    published = json.loads(capsys.readouterr().out)
    assert published["entity_pool_hash"] == hashes[0] and len(published["rows"]) == 2
    assert main(["--db", path, "draw", "replay", "1"]) == 0
    assert capsys.readouterr().out.strip().endswith("重放结果与记录一致。")
    assert main(["--db", path, "draw", "replay", "9"]) == 1
    assert "找不到抽取记录" in capsys.readouterr().err
