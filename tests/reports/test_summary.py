"""The 督查通报 over a selection: figures computed by the DESIGN rule, read back from the PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models.db import Database
from models.inspection import Finding
from reports.data import ReportSelection, load_summary
from reports.summary import build_summary_pdf
from rules.inspection_status import FAIL, PARTIAL, PASS, ROLE_OFFICER, ROLE_PARTY
from services.amendments import amend_inspection
from services.findings import record_finding
from services.inspection_lifecycle import complete_inspection, sign_inspection, update_record
from services.notices import count_notices
from services.result_counts import overall_rate
from services.selection import SelectionError
from services.signatures import add_signature
from tests.reports.pdf_checks import (
    assert_page_numbers,
    embedded_truetype,
    flat,
    page_texts,
    qpdf_check,
)
from tests.reports.report_fixtures import (
    full_inspection,
    issue_all,
    setup_org,
    signature_png,
)
from tests.services.inspection_fixtures import new_entity

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"

AS_OF = date(2026, 6, 1)


def amend_and_sign(db: Database, store: Path, iid: int) -> int:
    """A corrected version of a signed inspection with every failed item now 符合, signed."""
    with db.session() as s:
        new = amend_inspection(s, iid, reason="现场复核后更正").id
        update_record(s, new, recorder="检查员2")
        for f in s.scalars(select(Finding).where(Finding.inspection_id == new)).all():
            if f.result in (FAIL, PARTIAL) and f.answer_type == "compliance":
                record_finding(s, new, f.item_code, result=PASS, note=None)
        complete_inspection(s, new, unchecked_reason=UNCHECKED_REASON)
        for k, name in enumerate(("检查员1", "检查员2")):
            add_signature(s, new, role=ROLE_OFFICER, name=name, png=signature_png(k),
                          store_root=store)
        add_signature(s, new, role=ROLE_PARTY, name="王经理", png=signature_png(3),
                      store_root=store)
        sign_inspection(s, new)
        return new


def reserve_every_kind(db: Database) -> None:
    """A block for every kind the notice rules know (setup_org reserves a fixed list)."""
    from checklists.notice_types import notice_types
    from services.notices import NumberingError, reserve_block

    types = notice_types()
    suffixes = {k.suffix for k in types.kinds.values()} | {types.recheck_suffix}
    with db.session() as s:
        for suffix in sorted(suffixes):
            try:
                reserve_block(s, suffix=suffix, year=2026, start=1, end=500)
            except NumberingError:
                pass  # reserved by setup_org


@pytest.fixture
def scenario(db: Database, tmp_path: Path) -> dict[str, int]:
    """中宁: one signed inspection later corrected and signed again, and a draft;
    沙坡头: one signed inspection whose notices were served and are now overdue."""
    store = db.evidence_root
    setup_org(db)
    reserve_every_kind(db)
    with db.session() as s:
        zn = new_entity(s, "中宁县某托育园", region_code="640521")
        sp = new_entity(s, "沙坡头区某商场", region_code="640502")
    a = full_inspection(db, store, tmp_path, photos=0, entity_id=zn)
    a2 = amend_and_sign(db, store, a)
    b = full_inspection(db, store, tmp_path, photos=0, entity_id=sp, refuse=True)
    c = full_inspection(db, store, tmp_path, photos=0, entity_id=zn, sign=False)
    issue_all(db, b, issued_on=date(2026, 3, 10), served_on=date(2026, 3, 11))
    return {"a": a, "a2": a2, "b": b, "c": c}


def test_only_the_latest_signed_versions_count_item_weighted(db: Database,
                                                            scenario: dict[str, int]) -> None:
    with db.session() as s:
        data = load_summary(s, ReportSelection(), as_of=AS_OF)
        expected = overall_rate(s, [scenario["a2"], scenario["b"]])
        per = {r: s.scalars(select(Finding.result).where(
            Finding.inspection_id.in_([scenario["a2"], scenario["b"]]))).all().count(r)
            for r in (PASS, PARTIAL, FAIL)}
        open_notices = count_notices(s, status="open", as_of=AS_OF)
        overdue = count_notices(s, status="overdue", as_of=AS_OF)
    assert data.inspections == 4 and data.counted == 2 and data.units == 2
    assert (data.overall.passed, data.overall.partial, data.overall.failed) == (
        per[PASS], per[PARTIAL], per[FAIL])
    assert data.overall.rate == pytest.approx(expected)
    assert {r.label for r in data.by_region} == {"中宁县", "沙坡头区"}
    zn = next(r for r in data.by_region if r.label == "中宁县")
    assert zn.inspections == 1 and zn.failed < data.overall.failed
    assert sum(r.judged for r in data.by_theme) == data.overall.judged
    assert data.notices.total == open_notices > 0 and data.notices.overdue == overdue > 0
    assert [u.entity_name for u in data.open_units] == ["沙坡头区某商场"]
    assert data.open_units[0].overdue
    assert data.problems and data.problems[0].failed + data.problems[0].partial >= 1
    (target,) = [t for t in data.targets if t.item_code == "FXM-A02"]
    assert target.standard == "≥10㎡" and target.answers == 2 and target.mean == pytest.approx(8.5)


def test_the_selection_narrows_every_figure(db: Database, scenario: dict[str, int]) -> None:
    with db.session() as s:
        zhongning = load_summary(s, ReportSelection(region="中宁"), as_of=AS_OF)
        themed = load_summary(s, ReportSelection(theme="女职工劳动保护"), as_of=AS_OF)
        later = load_summary(s, ReportSelection(date_from=date(2026, 4, 1)), as_of=AS_OF)
        dept = load_summary(s, ReportSelection(department="人力资源和社会保障"), as_of=AS_OF)
        with pytest.raises(SelectionError, match="找不到行政区划"):
            load_summary(s, ReportSelection(region="火星"))
    assert (zhongning.inspections, zhongning.counted, zhongning.notices.total) == (3, 1, 0)
    assert themed.counted == 2 and [r.label for r in themed.by_theme] == ["女职工劳动保护（测试）"]
    assert later.inspections == 0 and later.overall.rate is None and later.notices.total == 0
    assert later.period() == "2026年4月1日起"  # the days chosen are the period
    assert zhongning.period().endswith("；中宁县") and zhongning.period().startswith("检查日期")
    assert dept.counted == 0 and dept.notices.total == 1  # officers are 卫生健康


def test_the_summary_pdf_reads_as_an_official_report(db: Database, scenario: dict[str, int],
                                                      tmp_path: Path) -> None:
    from services.settings import JURISDICTION, set_setting

    out = tmp_path / "summary.pdf"
    with db.session() as s:
        set_setting(s, JURISDICTION, "640521")
        result = build_summary_pdf(s, ReportSelection(), out, as_of=AS_OF)
        data = load_summary(s, ReportSelection(), as_of=AS_OF)
    texts = page_texts(out)
    whole = flat("".join(texts))
    assert result.pages == len(texts)
    assert "积极生育支持政策措施落实情况督查通报" in whole and "中宁县卫生健康局" in whole
    # a selection without dates says which days its inspections were made on
    assert data.first_day is not None and data.last_day is not None
    span = (f"检查日期{data.first_day.year}年{data.first_day.month}月{data.first_day.day}日"
            if data.first_day == data.last_day else "检查日期")
    assert f"（全部检查，{span}" in whole
    assert f"本期共开展检查{data.inspections}次" in whole
    assert f"计入统计的{data.counted}次" in whole
    assert f"总体符合率{data.overall.rate * 100:.1f}%" in whole  # type: ignore[operator]
    for heading in ("分主题符合率", "分地区符合率", "分单位类型符合率", "主要问题", "整改落实情况",
                    "政策措施目标进展", "尚有未整改事项的单位"):
        assert heading in whole
    assert "沙坡头区某商场" in whole and "（已逾期）" in whole and "≥10㎡" in whole
    # the targets are stated as what is required, not asked
    targets = whole[whole.index("政策措施目标进展"):whole.index("尚有未整改事项的单位")]
    assert "目标要求" in targets and "应" in targets and "？" not in targets
    # 口径 (in a 注 below the paragraph) and the uncounted unsigned inspections are part of
    # 一、总体情况
    overall = whole[whole.index("一、总体情况"):whole.index("二、")]
    assert "注：同一检查有更正的，只计最新的已签名版本" in overall
    assert "（符合项数＋0.5×部分符合项数）" in overall
    assert "不适用和未检查的项目不计入" in overall
    assert f"另有草稿{data.drafts}次因尚未签名定稿，未计入统计" in overall and data.drafts == 1
    assert "说明：符合率" not in whole
    # 主送 after the title, 抄送 after the 落款 (the test org is 中宁县卫生健康局, 中宁县)
    assert "各乡（镇）人民政府、街道办事处，县直有关部门：" in whole
    # a 公文: 文号 under the title, 抄送 after the 落款, then the 印发 line
    assert "中宁卫通〔2026〕" in whole and "号" in whole
    assert whole.rindex("抄送：中宁县人民政府办公室。") > whole.index("（盖章处）")
    assert whole.rindex("中宁县卫生健康局办公室2026年6月1日印发") > whole.rindex("抄送：")
    # served and unserved notices are told apart; nothing counts as 下达 before service
    n = data.notices
    assert f"本期开具整改文书{n.total}份" in whole
    assert f"已送达（下达）{n.served}份" in whole and f"已开具尚未送达{n.unserved}份" in whole
    assert "「" not in whole and "中宁:" not in whole
    assert "平均" not in whole or "平均值" in whole
    assert_page_numbers(texts)
    assert embedded_truetype(out)
    qpdf_check(out)


def test_unserved_and_failed_notices_are_counted_apart(db: Database, tmp_path: Path) -> None:
    from services.notices import record_recheck, submit_report

    store = db.evidence_root
    setup_org(db)
    reserve_every_kind(db)
    with db.session() as s:
        unit = new_entity(s, "中宁县某托育园", region_code="640521")
    a = full_inspection(db, store, tmp_path, photos=0, entity_id=unit)
    b = full_inspection(db, store, tmp_path, photos=0, entity_id=unit)
    served = issue_all(db, a, issued_on=date(2026, 3, 10), served_on=date(2026, 3, 11))
    unserved = issue_all(db, b, issued_on=date(2026, 5, 20))
    with db.session() as s:
        from models.rectification import Notice

        ordered = [i for i in served if s.get(Notice, i).deadline is not None]
        submit_report(s, ordered[0], received_on=date(2026, 4, 1), summary="已整改",
                      submitted_by="王经理")
        record_recheck(s, ordered[0], checked_on=date(2026, 4, 3),
                       inspectors=["检查员1", "检查员2"], passed=False, note="仍未整改")
        data = load_summary(s, ReportSelection(), as_of=AS_OF)
    n = data.notices
    assert n.total == len(served) + len(unserved) and n.unserved == len(unserved)
    assert n.served == len(served) and n.failed == 1 and n.open <= n.served
    assert sum(r.unserved for r in n.by_department) == len(unserved)
    assert all(u.deadline_text in ("", "未送达", "待主管部门反馈") for u in data.open_units)


def test_measure_targets_average_only_what_can_be_averaged() -> None:
    from reports.data import TargetRow, clean_text, measure_places

    floors = TargetRow("X", "最高楼层是否不高于第3层？", "", "≤3层", "measure", 50, 41, 2.68,
                       unit="层")
    area = TargetRow("Y", "面积？", "", "≥10㎡", "measure", 4, 3, 10.56, unit="㎡")
    assert floors.mean_text == "" and floors.share == pytest.approx(0.82)
    assert area.mean_text == "10.6㎡"
    assert clean_text("是否已落实「强化住房政策支持」（中宁:10）？") == (
        "是否已落实“强化住房政策支持”？")
    assert clean_text("比例是否达到目标（不低于75%）？（中宁:1，期限：2025年底）") == (
        "比例是否达到目标（不低于75%）？（期限：2025年底）")
    title = "中宁县加快完善生育支持政策体系推动建设生育友好型社会重点任务清单"
    assert measure_places([{"ref": "中宁:10", "document_title": title}]) == (
        "《中宁县…重点任务清单》第10项")


def test_an_encouraged_measures_progress_is_not_reported_as_a_rate() -> None:
    from reports.data import TargetRow
    from reports.summary import target_share

    required = TargetRow("P", "托育服务机构建设是否完成？", "", "已完成", "progress", 4, 1, None,
                         {"已完成": 1, "推进中": 3}, obligation="规范义务")
    encouraged = TargetRow("E", "是否建设普惠托育服务机构？", "", "已完成", "progress", 1, 0, None,
                           {"推进中": 1}, obligation="鼓励")
    measured = TargetRow("M", "面积？", "", "≥10㎡", "measure", 4, 3, 10.56, unit="㎡",
                         obligation="鼓励")
    assert not required.encouraged and encouraged.encouraged
    assert target_share(required) == "1/4 已完成\n（25.0%）"
    assert target_share(encouraged) == "0/1 已完成\n（鼓励性措施）"
    assert "%" not in target_share(encouraged)
    assert target_share(measured) == "3/4（75.0%）"  # a measured value meets its standard or not


@pytest.mark.parametrize(("region", "own", "to", "copy"), [
    ("640500", "640500", "各县（区）卫生健康局", "中卫市人民政府办公室"),
    ("640521", "640500", "中宁县卫生健康局", "中卫市人民政府办公室"),
    ("640521", "640521", "各乡（镇）人民政府、街道办事处，县直有关部门", "中宁县人民政府办公室"),
])
def test_the_summary_is_addressed_below_the_region_it_reports_on(
        region: str, own: str, to: str, copy: str) -> None:
    from checklists.regions import region_by_code
    from reports.summary import addressees

    assert addressees(region_by_code(region), region_by_code(own), "卫生健康") == (to, copy)


def test_an_empty_selection_still_gives_a_readable_report(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    with db.session() as s:
        build_summary_pdf(s, ReportSelection(date_from=date(2030, 1, 1)), out, as_of=AS_OF)
    whole = flat("".join(page_texts(out)))
    assert "本期共开展检查0次" in whole and "本期无计入统计的检查" in whole
    assert "（2030年1月1日起；统计截至2026年6月1日）" in whole


def test_chart_labels_wrap_and_are_never_cut_short() -> None:
    from reports.charts import bar_chart
    from reports.fonts import find_font

    long = "某某市某某区某某街道第一社区居民委员会托育服务指导站"
    drawing = bar_chart(find_font(), "各部门", [(long, 3, "3"), ("卫生健康", 5, "5")])
    chart = next(c for c in drawing.contents if hasattr(c, "categoryAxis"))
    names = chart.categoryAxis.categoryNames
    assert long in [n.replace("\n", "") for n in names] and all("…" not in n for n in names)
    assert any("\n" in n for n in names)  # wrapped, as it is wider than the label column


def test_the_other_departments_concerned_are_copied_at_the_issuers_level() -> None:
    from checklists.regions import region_by_code
    from reports.summary import addressees

    city = region_by_code("640500")
    concerned = ["人力资源和社会保障", "卫生健康", "消防救援", "人力资源和社会保障", "不认识的部门"]
    to, copy = addressees(city, city, "卫生健康", concerned)
    assert to == "各县（区）卫生健康局"
    # the government office first, then each other department once, in the order concerned;
    # the issuer's own department and names the dictionary does not know are left out
    assert copy == "中卫市人民政府办公室，中卫市人力资源和社会保障局，中卫市消防救援支队"
    # a 通报 of no particular department reaches every department already: nothing is added
    assert addressees(city, city, None, concerned)[1] == "中卫市人民政府办公室"


def test_main_problems_take_each_themes_most_frequent_in_turn() -> None:
    from reports.data import _in_turn

    ranked = [("A1", "甲", 90), ("A2", "甲", 80), ("A3", "甲", 70), ("A4", "甲", 60),
              ("B1", "乙", 20), ("C1", "丙", 10), ("B2", "乙", 5)]
    taken = _in_turn(ranked, 4)
    # the largest theme does not fill the table: 乙 and 丙 have their most frequent listed
    assert [r[0] for r in taken] == ["A1", "A2", "B1", "C1"]
    assert [r[0] for r in _in_turn(ranked, 10)] == [r[0] for r in ranked]  # room for all
    assert _in_turn([], 5) == []
