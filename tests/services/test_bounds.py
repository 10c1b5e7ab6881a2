"""Bounds on what the services store: text limits in Chinese, text that cannot be stored
refused before it reaches the database, and an audit log that records what changed without
copying long texts."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.db import Database, DatabaseError
from models.system import AuditEntry
from rules.limits import AUDIT_TEXT_MAX, NAME_MAX, NOTE_MAX
from services.audit import bounded
from services.entities import EntityError, create_entity
from services.findings import get_finding, record_finding
from services.inspection_access import InspectionError
from services.roster import RosterError, add_inspector
from tests.services.inspection_fixtures import new_inspection


def test_a_twenty_million_character_note_is_refused_and_the_old_note_kept(db: Database) -> None:
    with db.session() as s:
        inspection = new_inspection(s)
        record_finding(s, inspection.id, "FXM-A01", note="原来的说明")
    with pytest.raises(InspectionError, match=f"说明最多 {NOTE_MAX} 个字"), db.session() as s:
        record_finding(s, inspection.id, "FXM-A01", note="长" * 20_000_000)
    with db.session() as s:
        assert get_finding(s, inspection.id, "FXM-A01").note == "原来的说明"


def test_a_note_with_a_lone_surrogate_is_refused_in_chinese(db: Database) -> None:
    with db.session() as s:
        inspection = new_inspection(s)
    with pytest.raises(InspectionError, match="不成对的代理字符"), db.session() as s:
        record_finding(s, inspection.id, "FXM-A01", note="尿布台\ud83d缺失")
    with pytest.raises(InspectionError, match="控制字符"), db.session() as s:
        record_finding(s, inspection.id, "FXM-A01", note="尿布台\x1b[31m缺失")


def test_names_have_limits_and_no_broken_characters(db: Database) -> None:
    with pytest.raises(EntityError, match=f"单位名称最多 {NAME_MAX} 个字"), db.session() as s:
        create_entity(s, name="托" * (NAME_MAX + 1), type_code="托育机构")
    with pytest.raises(EntityError, match="不成对的代理字符"), db.session() as s:
        create_entity(s, name="宁安\udc00托育园", type_code="托育机构")
    with pytest.raises(RosterError, match="检查人员姓名最多"), db.session() as s:
        add_inspector(s, name="张" * (NAME_MAX + 1), department="卫生健康")


def test_text_that_reaches_the_database_unchecked_is_still_refused_in_chinese(
    db: Database,
) -> None:
    with pytest.raises(DatabaseError, match="不成对的代理字符"), db.session() as s:
        s.add(AuditEntry(action="note", table_name="findings", record_id="某\ud800局"))
        s.flush()


def test_the_audit_log_keeps_what_changed_not_copies_of_long_notes(db: Database) -> None:
    with db.session() as s:
        inspection = new_inspection(s)
    long_notes = [f"第{i}稿：" + "现场未见母婴室标识。" * 190 for i in range(6)]
    for note in long_notes:
        with db.session() as s:
            record_finding(s, inspection.id, "FXM-A01", note=note)
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "record_finding")).all()
        sizes = [len(json.dumps(e.detail, ensure_ascii=False)) for e in entries]
        last = entries[-1].detail["changed"]["note"]
    assert len(entries) == 6
    assert max(sizes) < 1000 < len(long_notes[0])
    old, new = last
    assert new["length"] == len(long_notes[-1]) and new["excerpt"].startswith("第5稿")
    assert old["sha256"] != new["sha256"]


def test_bounded_keeps_short_values_and_digests_long_ones() -> None:
    short = {"name": "宁安托育园", "n": 3, "list": ["a", None]}
    assert bounded(short) == short
    digest = bounded({"x": "字" * (AUDIT_TEXT_MAX + 1)})["x"]
    assert set(digest) == {"sha256", "length", "excerpt"}
    assert digest["length"] == AUDIT_TEXT_MAX + 1


def test_typed_settings_and_notice_texts_are_checked(db: Database) -> None:
    from rules.limits import SHORT_TEXT_MAX
    from rules.text_check import TextError
    from services.settings import ORG_CONTACT, ORGANISATION, get_setting, set_setting

    with db.session() as s:
        set_setting(s, ORGANISATION, "  中宁县卫生健康局 ")
        assert get_setting(s, ORGANISATION) == "中宁县卫生健康局"
    with pytest.raises(TextError, match="联系人及电话最多"), db.session() as s:
        set_setting(s, ORG_CONTACT, "王" * (SHORT_TEXT_MAX + 1))
    with pytest.raises(TextError, match="机关名称中"), db.session() as s:
        set_setting(s, ORGANISATION, "中宁\ud800县")
