"""The checklist snapshot: exact round trip, JSON-safe, independent of later template edits,
and refused when tampered with or newer than this program."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from checklists.catalog_view import DocumentView, from_parsed
from checklists.checklist_model import Checklist, Selection
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.snapshot import FORMAT_VERSION, SnapshotError, from_snapshot, to_snapshot
from checklists.templates import load_theme, load_themes
from services.catalog_store import bundled_policy_files

GOOD = Path(__file__).resolve().parent.parent / "data" / "themes" / "good"


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


@pytest.fixture(scope="module")
def checklist(catalog: tuple[DocumentView, ...]) -> Checklist:
    docs = tuple(d.id for d in catalog if d.short in ("内蒙古", "宝鸡"))
    themes = load_themes(GOOD) + load_themes()
    return generate(Selection(themes=("fx_muying", "fx_nvzhigong", "ducha"), documents=docs,
                              entity_type=None, facts={"building_area_m2": 800},
                              departments=("卫生健康", "人力资源和社会保障")),
                    catalog, themes, as_of=date(2026, 1, 15))


def test_round_trip_is_exact(checklist: Checklist) -> None:
    assert len(checklist.items) > 10
    assert any(i.applies_to.when is not None for i in checklist.items)
    assert any(i.answer.type == "measure" for i in checklist.items)
    assert from_snapshot(to_snapshot(checklist)) == checklist


def test_snapshot_survives_json_and_carries_version_selection_dates_and_hashes(
        checklist: Checklist) -> None:
    data = json.loads(json.dumps(to_snapshot(checklist), ensure_ascii=False))
    assert data["format_version"] == FORMAT_VERSION
    assert data["selection"]["facts"] == {"building_area_m2": 800}
    assert data["as_of"] == "2026-01-15" and data["generated_at"]
    assert [i["text_hash"] for i in data["items"]] == [i.text_hash for i in checklist.items]
    assert [s["items"] for s in data["sections"]] == [list(s.items) for s in checklist.sections]
    assert from_snapshot(data) == checklist


def test_a_later_template_edit_does_not_change_a_stored_snapshot(
        tmp_path: Path, catalog: tuple[DocumentView, ...], checklist: Checklist) -> None:
    stored = json.dumps(to_snapshot(checklist), ensure_ascii=False)
    edited = (GOOD / "fx_muying.yaml").read_text(encoding="utf-8").replace(
        "母婴室地面是否防滑？", "母婴室地面是否防滑、无积水？")
    (tmp_path / "fx_muying.yaml").write_text(edited, encoding="utf-8")
    new_theme = load_theme(tmp_path / "fx_muying.yaml")
    regenerated = generate(checklist.selection, catalog,
                           [new_theme, *load_themes(GOOD)[1:], *load_themes()],
                           as_of=checklist.as_of)
    assert regenerated.item("FXM-B01").question.endswith("无积水？")  # type: ignore[union-attr]
    restored = from_snapshot(json.loads(stored))
    assert restored.item("FXM-B01").question == "母婴室地面是否防滑？"  # type: ignore[union-attr]
    assert restored == checklist


def test_a_tampered_item_is_refused(checklist: Checklist) -> None:
    data = copy.deepcopy(to_snapshot(checklist))
    data["items"][0]["question"] += "（已改）"
    with pytest.raises(SnapshotError, match=data["items"][0]["code"]):
        from_snapshot(data)


def test_a_reordered_checklist_fails_the_content_hash(checklist: Checklist) -> None:
    data = copy.deepcopy(to_snapshot(checklist))
    data["items"].reverse()
    with pytest.raises(SnapshotError, match="整体校验值"):
        from_snapshot(data)


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "something-else"}, "不是检查清单快照"),
    ({"format_version": FORMAT_VERSION + 1}, "请升级软件"),
    ({"as_of": "not a date"}, "已损坏"),
])
def test_foreign_or_newer_or_broken_snapshots_are_refused(
        checklist: Checklist, change: dict[str, object], message: str) -> None:
    data = {**to_snapshot(checklist), **change}
    with pytest.raises(SnapshotError, match=message):
        from_snapshot(data)
