"""Reading the catalog: jurisdiction, search, departments, topics, assigned units."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.db import Database, open_database
from services.catalog import (
    department_measures,
    list_departments,
    list_documents,
    load_catalog,
    measure_view,
    search_measures,
    topic_comparison,
)
from services.catalog_store import assign_unit, unassign_unit


def _doc_ids(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {d.short: d.id for d in list_documents(s)}


def test_jurisdiction_shows_its_own_documents_and_those_above_and_below(
        catalog_db: Database) -> None:
    with catalog_db.session() as s:
        assert {d.short for d in list_documents(s, "640521")} == {"中宁"}
        assert {d.short for d in list_documents(s, "640000")} == {"中宁"}
        assert {d.short for d in list_documents(s, "150000")} == {"内蒙古"}
        assert {d.short for d in list_documents(s, "610331")} == {"宝鸡"}  # 太白县 under 宝鸡市
        assert len(list_documents(s)) == 5


def test_two_character_query_uses_like_and_highlights(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        hits = search_measures(s, "托育")
    assert len(hits) >= 10
    assert {h.document_short for h in hits} == {"中宁", "宝鸡", "鹿寨", "内蒙古", "白银"}
    for h in hits:
        marked = [h.snippet[a:b] for a, b in h.spans] + [h.title[a:b] for a, b in h.title_spans]
        assert marked and all(m == "托育" for m in marked)


def test_longer_query_uses_full_text_index(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        hits = search_measures(s, "母婴设施")
        both = search_measures(s, "母婴设施 用人单位")
    assert hits and all("母婴设施" in (h.title + measure_text(catalog_db, h.measure_id))
                        for h in hits)
    assert 0 < len(both) <= len(hits)


def measure_text(db: Database, measure_id: str) -> str:
    with db.session() as s:
        view = measure_view(s, measure_id)
        assert view is not None
        return view.text


def test_filters_narrow_search_results(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        everything = search_measures(s, "托育")
        in_guangxi = search_measures(s, "托育", region="450000")
        by_health = search_measures(s, "托育", department="卫生健康")
        by_topic = search_measures(s, "", topic=_topic_of_childcare())
    assert {h.document_short for h in in_guangxi} == {"鹿寨"}
    assert 0 < len(by_health) < len(everything)
    assert by_topic


def _topic_of_childcare() -> str:
    from checklists.topics import load_topics

    return next(t.code for t in load_topics() if t.label == "托育")


def test_department_view_lists_measures_across_documents(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        rows = department_measures(s, "卫生健康")
        departments = list_departments(s)
    assert {r.document_short for r in rows} >= {"中宁", "鹿寨", "内蒙古", "白银"}
    assert all(r.roles for r in rows)
    zhongning = next(d for d in departments if d.name.startswith("中宁县") and d.kind == "卫生健康")
    assert zhongning.lead >= 1


def test_assigned_units_are_kept_apart_from_units_as_written(catalog_db: Database) -> None:
    ids = _doc_ids(catalog_db)
    with catalog_db.session() as s:
        baoji = load_catalog(s, [ids["宝鸡"]])[0]
        target = baoji.measures[9]
        assert target.units == ()
        assign_unit(s, target.id, "宝鸡市卫生健康委员会")
    with catalog_db.session() as s:
        view = measure_view(s, target.id)
        assert view is not None
        assert [(u.name, u.role) for u in view.units] == [("宝鸡市卫生健康委员会", "assigned")]
        assert view.lead_units == () and view.responsible_units == ()
        assert any(r.measure_id == target.id for r in department_measures(s, "卫生健康"))
        unassign_unit(s, target.id, "宝鸡市卫生健康委员会")
    with catalog_db.session() as s:
        view = measure_view(s, target.id)
        assert view is not None and view.units == ()


def test_assigning_an_empty_name_is_refused(catalog_db: Database) -> None:
    ids = _doc_ids(catalog_db)
    with catalog_db.session() as s:
        measure = load_catalog(s, [ids["宝鸡"]])[0].measures[0]
        with pytest.raises(ValueError, match="请填写"):
            assign_unit(s, measure.id, "  ")


def test_every_document_appears_in_the_topic_comparison(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        grid = topic_comparison(s)
    assert len(grid.documents) == 5
    for doc_id, _short in grid.documents:
        assert any(doc == doc_id for (_topic, doc) in grid.cells)


def test_a_users_topic_correction_is_kept(catalog_db: Database) -> None:
    from checklists.topics import load_topics
    from services.catalog_store import set_measure_topics

    ids = _doc_ids(catalog_db)
    codes = [t.code for t in load_topics()]
    with catalog_db.session() as s:
        measure = load_catalog(s, [ids["鹿寨"]])[0].measures[0]
        original = set(measure.topics)
        extra = next(c for c in codes if c not in original)
        dropped = sorted(original)[0]
        set_measure_topics(s, measure.id, (original - {dropped}) | {extra})
    with catalog_db.session() as s:
        view = measure_view(s, measure.id)
        assert view is not None
        assert set(view.topics) == (original - {dropped}) | {extra}
        with pytest.raises(ValueError, match="未知的政策主题"):
            set_measure_topics(s, measure.id, ["no-such-topic"])


def test_a_shipped_text_that_changed_in_an_update_is_parsed_on_the_next_start(
    catalog_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import catalog_store as store

    files = store.bundled_policy_files()
    name, body = files[0]
    added = "\n十四、新增一项措施。责任单位：县卫生健康局"
    changed = [(name, body.replace("。", "。\n", 1) + added), *files[1:]]
    with catalog_db.session() as s:
        assert store.ensure_bundled_catalog(s) == 0  # nothing new: no parsing at all
    monkeypatch.setattr(store, "bundled_policy_files", lambda: changed)
    with catalog_db.session() as s:
        assert store.ensure_bundled_catalog(s) == 1
        assert store.ensure_bundled_catalog(s) == 0


def test_a_body_named_its_own_way_keeps_its_written_name_in_the_catalog(
        catalog_db: Database) -> None:
    from checklists.parsing import parse_text
    from services.catalog_store import save_document

    doc = parse_text("中宁县托育服务工作方案\n一、重点任务\n"
                     "（一）支持园区建设托育点。内容。（责任单位：县科工贸局、县人社局）\n")
    with catalog_db.session() as s:
        save_document(s, doc)
    with catalog_db.session() as s:
        view = load_catalog(s, [doc.id])[0].measures[0]
        mapped = {u.name: (u.department, u.department_kind) for u in view.units}
        names = {d.name for d in list_departments(s)}
    assert mapped["县科工贸局"] == ("县科工贸局", "工业和信息化")  # the work, not a new name
    assert mapped["县人社局"] == ("中宁县人力资源和社会保障局", "人力资源和社会保障")
    assert "中宁县工业和信息化局" not in names


def test_corrections_made_before_saving_are_kept_with_the_document_and_travel(
        catalog_db: Database, tmp_path: Path) -> None:
    from checklists.editing import delete_measure, set_measure_title
    from checklists.parsing import parse_text
    from models.catalog import PolicyDocument
    from services.catalog_store import document_payload, restore_document, save_document

    doc = parse_text("柳溪县托育服务工作方案\n一、重点任务\n"
                     "（一）建设托育点。内容。（责任单位：县卫健局）\n（二）会议时间另行通知。\n")
    doc = delete_measure(set_measure_title(doc, 0, "建设乡镇托育点"), 1)
    with catalog_db.session() as s:
        save_document(s, doc)
    with catalog_db.session() as s:
        stored = s.get(PolicyDocument, doc.id)
        assert stored is not None
        assert [c["op"] for c in stored.corrections] == ["measure_title", "delete"]
        payload = document_payload(s, doc.id)
    other = open_database(tmp_path / "other.sqlite")
    try:
        with other.session() as s:
            assert restore_document(s, payload)
        with other.session() as s:
            again = s.get(PolicyDocument, doc.id)
            assert again is not None and again.corrections == stored.corrections
    finally:
        other.dispose()
