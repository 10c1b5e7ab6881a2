"""Document numbers come from this device's reserved blocks: never twice, never outside one,
and a clear message when a block runs out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models.db import Database
from models.rectification import NumberBlock
from models.system import AuditEntry
from services.numbering import NumberingError, list_blocks, reserve_block, take_number
from services.settings import ORG_CODE, set_setting


def org(db: Database) -> None:
    with db.session() as s:
        set_setting(s, ORG_CODE, "中宁卫")


def test_numbers_are_unique_and_follow_the_block(db: Database) -> None:
    org(db)
    with db.session() as s:
        reserve_block(s, suffix="责改", year=2026, start=12, end=14)
    taken = []
    for _ in range(3):  # one transaction per notice, as the GUI does
        with db.session() as s:
            taken.append(take_number(s, suffix="责改", year=2026).text)
    assert taken == [f"中宁卫责改〔2026〕第{n}号" for n in (12, 13, 14)]
    with db.session() as s, pytest.raises(NumberingError, match=r"已用完或尚未预留.*预留新的号段"):
        take_number(s, suffix="责改", year=2026)
    with db.session() as s:  # a new block continues the series
        reserve_block(s, suffix="责改", year=2026, start=100, end=101)
        assert take_number(s, suffix="责改", year=2026).seq == 100


def test_a_rolled_back_issue_does_not_use_its_number(db: Database) -> None:
    org(db)
    with db.session() as s:
        reserve_block(s, suffix="责改", year=2026, start=1, end=5)
    with pytest.raises(RuntimeError), db.session() as s:
        take_number(s, suffix="责改", year=2026)
        raise RuntimeError("the notice failed")
    with db.session() as s:
        assert take_number(s, suffix="责改", year=2026).seq == 1


def test_blocks_are_per_year_and_per_word(db: Database) -> None:
    org(db)
    with db.session() as s:
        reserve_block(s, suffix="责改", year=2026, start=1, end=5)
        with pytest.raises(NumberingError, match="2027 年“中宁卫责改”"):
            take_number(s, suffix="责改", year=2027)
        with pytest.raises(NumberingError, match="中宁卫建议"):
            take_number(s, suffix="建议", year=2026)


def test_overlapping_or_empty_blocks_are_refused(db: Database) -> None:
    org(db)
    with db.session() as s:
        reserve_block(s, suffix="责改", year=2026, start=1, end=100, user="张三")
        with pytest.raises(NumberingError, match="重叠"):
            reserve_block(s, suffix="责改", year=2026, start=100, end=200)
        with pytest.raises(NumberingError, match="从小到大"):
            reserve_block(s, suffix="责改", year=2026, start=300, end=200)
        reserve_block(s, suffix="责改", year=2027, start=1, end=100)  # another year is free
    with db.session() as s:
        assert s.scalars(select(AuditEntry.action)).all() == ["reserve_numbers"] * 2


def test_another_devices_block_is_never_issued_from(db: Database) -> None:
    org(db)
    with db.session() as s:  # as if imported from a colleague's laptop
        s.add(NumberBlock(owner_device="other-laptop", doc_word="中宁卫责改", year=2026,
                          start_no=1, end_no=100, next_no=1))
    with db.session() as s:
        with pytest.raises(NumberingError, match="尚未预留"):
            take_number(s, suffix="责改", year=2026)
        with pytest.raises(NumberingError, match="其他设备"):
            reserve_block(s, suffix="责改", year=2026, start=50, end=60)
        mine = reserve_block(s, suffix="责改", year=2026, start=101, end=200)
        assert [b.own for b in list_blocks(s)] == [True, False] and mine.remaining == 100


def test_an_organisation_code_is_required(db: Database) -> None:
    with db.session() as s, pytest.raises(NumberingError, match="机关代字"):
        reserve_block(s, suffix="责改", year=2026, start=1, end=5)
