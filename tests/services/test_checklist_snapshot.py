"""A checklist snapshot is stored once per distinct content and every inspection made from it
reads back exactly the snapshot it was made from."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from checklists.snapshot import SnapshotError, from_snapshot, snapshot_bytes
from models.db import Database, open_database
from services.amendments import amend_inspection
from services.checklist_snapshot import (
    checklist_info,
    inspection_checklist,
    inspection_snapshot,
    inspection_snapshot_hashes,
    read_snapshot,
    snapshot_by_hash,
    snapshot_id,
    store_snapshot,
    store_snapshots,
)
from services.inspection_lifecycle import InspectionSummary
from tests.services.inspection_fixtures import (
    changed,
    checklist,
    new_entity,
    new_inspection,
    snapshot,
)
from tests.services.test_inspection_lifecycle import signed_inspection


def _stored(db: Database) -> list[str]:
    conn = sqlite3.connect(db.path)
    try:
        return [r[0] for r in conn.execute("SELECT sha256 FROM checklist_snapshots")]
    finally:
        conn.close()


def _items(db: Database) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db.path)
    try:
        return conn.execute("SELECT sha256, content FROM checklist_snapshot_items").fetchall()
    finally:
        conn.close()


def _three_inspections(s: Session) -> tuple[InspectionSummary, ...]:
    """Two inspections of one unit made from one checklist, and a third from that checklist
    with one question changed."""
    unit = new_entity(s)
    return (new_inspection(s, entity_id=unit), new_inspection(s, entity_id=unit),
            new_inspection(s, entity_id=unit,
                           c=changed(checklist(), "FXN-A01", question="另一个问题？")))


def test_inspections_made_from_one_checklist_share_one_stored_snapshot(db: Database) -> None:
    with db.session() as s:
        first, second, other = _three_inspections(s)
    assert len(_stored(db)) == 2
    items = _items(db)  # the two checklists differ in one item: the others are stored once
    assert len(items) == len(checklist().items) + 1
    for sha, content in items:  # named by the hash of the bytes it holds
        assert hashlib.sha256(content.encode("utf-8")).hexdigest() == sha
    with db.session() as s:
        assert inspection_snapshot(s, first.id) == snapshot()
        assert inspection_snapshot(s, second.id) == snapshot()
        assert inspection_snapshot(s, other.id)["items"] != snapshot()["items"]
        names = inspection_snapshot_hashes(s, [first.id, second.id, other.id])
        assert names[first.id] == names[second.id] != names[other.id]
        assert snapshot_by_hash(s, names[first.id]) == snapshot_bytes(snapshot())


def test_an_amendment_keeps_the_snapshot_of_the_version_it_corrects(db: Database,
                                                                     tmp_path: Path) -> None:
    made = signed_inspection(db, tmp_path / "store")
    with db.session() as s:
        amended = amend_inspection(s, made, reason="笔录中的电话写错")
    assert len(_stored(db)) == 1
    with db.session() as s:
        assert inspection_snapshot(s, amended.id) == inspection_snapshot(s, made) == snapshot()


def _shuffled(value: Any, keys: list[int]) -> Any:
    """The same JSON value with its objects' keys in another order."""
    if isinstance(value, dict):
        items = list(value.items())
        if keys:
            k = keys[0] % (len(items) or 1)
            items = items[k:] + items[:k]
        return {key: _shuffled(v, keys[1:]) for key, v in items}
    if isinstance(value, list):
        return [_shuffled(v, keys) for v in value]
    return value


@settings(max_examples=8, deadline=None)
@given(keys=st.lists(st.integers(0, 40), max_size=6), spaced=st.booleans())
def test_the_same_content_written_any_way_is_stored_once(keys: list[int], spaced: bool,
                                                         tmp_path_factory: Any) -> None:
    from models.db import open_database

    db = open_database(tmp_path_factory.mktemp("snap") / "db.sqlite")
    try:
        original = snapshot()
        with db.session() as s:
            first = store_snapshot(s, original)
            again = _shuffled(original, keys)
            raw = json.dumps(again, indent=2 if spaced else None).encode("utf-8")
            assert store_snapshot(s, raw) == first
            assert store_snapshot(s, again) == first
        assert len(_stored(db)) == 1
    finally:
        db.dispose()


def test_many_snapshots_stored_at_once_are_stored_as_one_by_one(db: Database,
                                                                tmp_path: Path) -> None:
    from models.db import open_database

    base = checklist()
    variants = [snapshot(base), snapshot(changed(base, "FXN-A01", question="另一个问题？")),
                snapshot(changed(base, "FXM-B01", require_on_fail="note"))]
    batch = [variants[1], variants[0], variants[1], snapshot_bytes(variants[2])]
    with db.session() as s:
        first = store_snapshot(s, variants[0])  # one stored before: found, not written again
        ids = store_snapshots(s, batch)
        assert ids[1] == first and ids[0] == ids[2] and len(set(ids)) == 3
        assert store_snapshots(s, batch) == ids and store_snapshots(s, []) == []
        for n, value in enumerate(variants):
            sha = hashlib.sha256(snapshot_bytes(value)).hexdigest()
            assert snapshot_id(s, sha) == ids[[1, 0, 3][n]]
            assert snapshot_by_hash(s, sha) == snapshot_bytes(value)
    alone = open_database(tmp_path / "alone.sqlite")
    try:
        with alone.session() as s:
            for value in variants:
                store_snapshot(s, value)
    finally:
        alone.dispose()
    assert _items(db) == _items(alone)  # the same item rows, in the same order

    def frames(path: Path) -> list[tuple[str, bytes]]:
        conn = sqlite3.connect(path)
        try:
            return conn.execute("SELECT sha256, frame FROM checklist_snapshots ORDER BY sha256"
                                ).fetchall()
        finally:
            conn.close()

    assert frames(db.path) == frames(alone.path)


def test_a_snapshot_without_a_list_of_items_is_still_stored_in_canonical_form(
        db: Database) -> None:
    odd = {**snapshot(), "items": None}
    with db.session() as s:
        found = store_snapshot(s, odd)
        assert snapshot_id(s, hashlib.sha256(snapshot_bytes(odd)).hexdigest()) == found


def test_a_generated_checklist_tells_what_its_snapshot_would() -> None:
    c = checklist()
    assert checklist_info(c) == read_snapshot(snapshot(c))


def test_snapshots_sharing_item_objects_are_stored_as_if_apart(db: Database) -> None:
    base = checklist()
    one = snapshot(base)
    other = snapshot(changed(base, "FXN-A01", question="另一个问题？"))
    other["items"] = [mine if mine == theirs else theirs  # the same objects where equal
                      for mine, theirs in zip(one["items"], other["items"], strict=True)]
    assert sum(a is b for a, b in zip(one["items"], other["items"], strict=True)) > 1
    with db.session() as s:
        ids = store_snapshots(s, [one, other])
        for value, stored in zip((one, other), ids, strict=True):
            sha = hashlib.sha256(snapshot_bytes(value)).hexdigest()
            assert snapshot_id(s, sha) == stored
            assert snapshot_by_hash(s, sha) == snapshot_bytes(value)
    assert len(_items(db)) == len(base.items) + 1


def test_an_inspection_s_checklist_is_read_once_and_kept_by_its_snapshot_s_name(
        db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        first, second, other = _three_inspections(s)
        read = inspection_checklist(s, first.id)
        assert read == from_snapshot(inspection_snapshot(s, first.id))
        assert inspection_checklist(s, second.id) is read  # the same snapshot
        assert inspection_checklist(s, other.id) == from_snapshot(
            inspection_snapshot(s, other.id)) != read
    elsewhere = open_database(tmp_path / "elsewhere.sqlite")
    try:  # another database holding the snapshot (under other ids) reads the same checklist
        with elsewhere.session() as s:
            new_inspection(s, entity_id=new_entity(s, name="另一家单位"),
                           c=changed(checklist(), "FXN-A02", question="别处的问题？"))
            made = new_inspection(s, entity_id=new_entity(s))
            assert inspection_checklist(s, made.id) is read
    finally:
        elsewhere.dispose()


def test_a_snapshot_whose_content_does_not_match_its_name_is_read_afresh(
        db: Database) -> None:
    with db.session() as s:
        unit = new_entity(s)
        made = new_inspection(s, entity_id=unit,
                              c=changed(checklist(), "FXN-A01", question="第三个问题？"))
    conn = sqlite3.connect(db.path)  # a frame altered by hand: its name no longer fits
    try:
        with conn:
            conn.execute("UPDATE checklist_snapshots SET sha256 = ? WHERE id = "
                         "(SELECT snapshot_id FROM inspections WHERE id = ?)",
                         ("0" * 64, made.id))
    finally:
        conn.close()
    with db.session() as s:
        one = inspection_checklist(s, made.id)
        assert one == from_snapshot(inspection_snapshot(s, made.id))
        assert inspection_checklist(s, made.id) is not one  # not kept


def test_snapshots_sharing_other_parts_are_stored_as_if_apart(db: Database) -> None:
    one = snapshot(checklist())
    other = {**one, "selection": {**one["selection"], "facts": {"has_kitchen": True}},
             "generated_at": "2026-02-03T04:05:06+00:00"}
    assert other["sections"] is one["sections"] and other["items"] is one["items"]
    apart = [json.loads(json.dumps(one)), json.loads(json.dumps(other))]
    with db.session() as s:
        ids = store_snapshots(s, [one, other])
        assert len(set(ids)) == 2
        for value, stored in zip(apart, ids, strict=True):
            sha = hashlib.sha256(snapshot_bytes(value)).hexdigest()
            assert snapshot_id(s, sha) == stored
            assert snapshot_by_hash(s, sha) == snapshot_bytes(value)


def test_snapshots_sharing_items_read_them_once_and_fail_as_before_when_altered(
        db: Database) -> None:
    with db.session() as s:
        unit = new_entity(s)
        made = [new_inspection(s, entity_id=unit,
                               c=changed(checklist(), "FXN-A01", question=f"第{n}个问题？"))
                for n in "四五六"]
        first, second = (inspection_checklist(s, i.id) for i in made[:2])
        for read, inspection in ((first, made[0]), (second, made[1])):
            assert read == from_snapshot(inspection_snapshot(s, inspection.id))
        shared = [a is b for a, b in zip(first.items, second.items, strict=True)]
        assert shared.count(False) == 1 and len(shared) > 1  # only the changed item differs
    conn = sqlite3.connect(db.path)  # an item altered by hand: its text no longer fits its hash
    try:
        with conn:
            conn.execute("UPDATE checklist_snapshot_items SET content = "
                         "replace(content, '第六个问题', '第七个问题') "
                         "WHERE content LIKE '%第六个问题%'")
    finally:
        conn.close()
    with db.session() as s:
        with pytest.raises(SnapshotError) as expected:
            from_snapshot(inspection_snapshot(s, made[2].id))
        with pytest.raises(SnapshotError, match=str(expected.value)):
            inspection_checklist(s, made[2].id)
