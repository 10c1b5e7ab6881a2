"""部门督查: items generated from the seed documents' measures for a department or a local
government, targets compared after their deadline and asked as progress before it."""

from __future__ import annotations

from datetime import date

import pytest

from checklists.catalog_view import DocumentView, TargetView, from_parsed
from checklists.checklist_model import Checklist, Selection
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.supervision import deadline_end, target_text, target_timing
from checklists.template_model import AnswerSpec
from checklists.templates import load_themes
from services.catalog_store import bundled_policy_files


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


def _doc(catalog: tuple[DocumentView, ...], short: str) -> DocumentView:
    return next(d for d in catalog if d.short == short)


def _ducha(catalog: tuple[DocumentView, ...], shorts: tuple[str, ...], as_of: date,
           **kw: object) -> Checklist:
    docs = tuple(_doc(catalog, s).id for s in shorts)
    return generate(Selection(themes=("部门督查",), documents=docs, **kw),  # type: ignore[arg-type]
                    catalog, load_themes(), as_of=as_of)


def _target(**kw: object) -> TargetView:
    base: dict[str, object] = {"indicator": "托位数", "value": 4.5, "value_max": None, "unit": "个",
                               "comparator": ">=", "deadline": None, "recurrent": None,
                               "soft": False, "source_text": ""}
    base.update(kw)
    return TargetView(**base)  # type: ignore[arg-type]


def test_one_item_per_measure_the_department_leads_or_shares(
        catalog: tuple[DocumentView, ...]) -> None:
    checklist = _ducha(catalog, ("中宁",), date(2026, 1, 15), departments=("卫生健康",))
    zhongning = _doc(catalog, "中宁")
    involved = [m for m in zhongning.measures
                if any(u.department_kind == "卫生健康" for u in m.units)]
    compliance = [i for i in checklist.items if i.answer.type == "compliance"]
    assert [i.measures[0].id for i in compliance] == [
        m.id for m in involved if any(u.role == "lead" and u.department_kind == "卫生健康"
                                      for u in m.units)
    ] + [m.id for m in involved if not any(u.role == "lead" and u.department_kind == "卫生健康"
                                            for u in m.units)]
    lead = {i.measures[0].ref for i in compliance if i.section == "A"}
    assert "中宁:3" in lead and "中宁:1" not in lead  # 中宁:1 is led by 医疗保障
    first = compliance[0]
    number = first.measures[0].ref.split(":")[1]
    assert first.question == (
        "落实经济支持措施：“抓好国家育儿补贴制度的落实，做好与自治区育儿补贴金制度的政策衔接……”"
        "是否已落实（另有1项任务，见核查要点）？")
    assert first.check_detail is not None and first.check_detail.startswith(
        f"核查要点（《中宁县…重点任务清单》第{number}项）：①抓好国家育儿补贴制度的落实")
    assert "②落实好3岁以下婴幼儿照护、子女教育个人所得税专项附加扣除政策" in first.check_detail
    assert "「" not in first.question and "中宁:" not in first.question
    assert all(":" not in i.question and "「" not in i.question for i in checklist.items)
    assert (first.obligation, first.order_kind, first.competent_department) == (
        "规范义务", "supervision", "卫生健康")
    assert first.legal_basis[0].document == f"《{zhongning.title}》"
    assert first.legal_basis[0].verified == "原文"


def test_items_are_stable_codes_with_no_duplicates_and_deterministic(
        catalog: tuple[DocumentView, ...]) -> None:
    shorts = ("中宁", "宝鸡", "鹿寨", "内蒙古", "白银")
    a = _ducha(catalog, shorts, date(2026, 1, 15), departments=("人力资源和社会保障",))
    b = _ducha(catalog, shorts, date(2026, 1, 15), departments=("人力资源和社会保障",))
    assert a == dataclass_replace_time(b, a)
    codes = [i.code for i in a.items]
    assert len(codes) == len(set(codes)) and all(c.startswith("DC-") for c in codes)
    assert [s.code for s in a.sections] == sorted(s.code for s in a.sections)
    assert any("未列出责任单位" in w for w in a.warnings)  # 宝鸡 names no units


def dataclass_replace_time(c: Checklist, like: Checklist) -> Checklist:
    import dataclasses

    return dataclasses.replace(c, generated_at=like.generated_at)


def test_targets_are_measured_after_their_deadline_and_progress_before(
        catalog: tuple[DocumentView, ...]) -> None:
    before = _ducha(catalog, ("鹿寨",), date(2025, 6, 1), departments=("卫生健康",))
    after = _ducha(catalog, ("鹿寨",), date(2026, 1, 15), departments=("卫生健康",))
    ref = "鹿寨:(七)"  # 每千人口拥有3岁以下婴幼儿托位数达到4.5个（2025年）

    def target_item(c: Checklist):  # type: ignore[no-untyped-def]
        return next(i for i in c.items if i.section == "C" and i.measures[0].ref == ref)

    early, late = target_item(before), target_item(after)
    assert early.code == late.code
    assert early.answer.type == "progress"
    assert early.answer.choices == ("已完成", "推进中", "未启动", "滞后")
    assert late.answer.type == "measure"
    assert (late.answer.comparator, late.answer.threshold, late.answer.unit) == (">=", 4.5, "个")
    assert "不低于4.5个" in late.question and "2025年底" in late.question
    assert early.text_hash != late.text_hash


def test_a_range_target_the_document_only_supports_is_asked_as_progress(
        catalog: tuple[DocumentView, ...]) -> None:
    # 中宁:10 “支持合理提高住房公积金贷款额度上限，将…提高到20万元-30万元”
    checklist = _ducha(catalog, ("中宁",), date(2026, 1, 15), departments=("住房城乡建设",))
    item = next(i for i in checklist.items if i.code.endswith("-T1")
                and i.measures[0].ref == "中宁:10")
    assert item.answer.type == "progress" and item.obligation == "鼓励"
    assert "在20～30万元之间" in item.question and "非硬性指标" in item.question
    assert "中宁" not in item.question
    others = _ducha(catalog, ("中宁",), date(2026, 1, 15), departments=("卫生健康",))
    # 卫生健康 only shares 中宁:10 (led by 住房城乡建设): its targets are not put to it
    assert not any(i.code.endswith("-T1") and i.measures[0].ref == "中宁:10"
                   for i in others.items)
    spec = AnswerSpec("measure", "额度", "range", 20, 30, "万元")
    assert spec.meets(25) and spec.meets(20) and not spec.meets(31)


@pytest.mark.parametrize(("title", "short"), [
    ("中宁县加快完善生育支持政策体系推动建设生育友好型社会重点任务清单", "《中宁县…重点任务清单》"),
    ("关于进一步完善和落实积极生育支持政策和配套措施的实施意见", "《关于…的实施意见》"),
    ("鹿寨县落实积极生育政策实施方案", "《鹿寨县落实积极生育政策实施方案》"),
    ("内蒙古自治区关于完善和落实积极生育支持的若干措施", "《内蒙古自治区…若干措施》"),
])
def test_document_short_titles(title: str, short: str) -> None:
    from checklists.supervision import document_short_title

    assert document_short_title(title) == short


@pytest.mark.parametrize(("as_of", "issued", "kind", "year"), [
    (date(2026, 12, 26), None, "measure", "2026年度"),  # this year's date has passed
    (date(2026, 3, 1), None, "measure", "2025年度"),  # last year's round is the one to check
    (date(2024, 6, 1), "2024-05-17", "progress", "2024年度"),  # last round predates the document
])
def test_recurrent_targets_check_the_latest_round_that_is_due(
        as_of: date, issued: str | None, kind: str, year: str) -> None:
    timing = target_timing(_target(recurrent="每年12月25日前"), as_of, issued)
    assert timing.kind == kind and year in timing.deadline_text


def test_deadlines_end_on_the_last_day_they_allow() -> None:
    assert deadline_end("2025") == date(2025, 12, 31)
    assert deadline_end("2024-02") == date(2024, 2, 29)
    assert deadline_end("2025-06-30") == date(2025, 6, 30)
    assert target_timing(_target(deadline="2025"), date(2025, 12, 31), None).kind == "progress"
    assert target_timing(_target(deadline="2025"), date(2026, 1, 1), None).kind == "measure"
    assert target_timing(_target(), date(2020, 1, 1), None).kind == "measure"  # standing target


def test_target_wording_follows_the_comparator() -> None:
    assert target_text(_target(comparator="<=", value=14.5, unit="/10万")) == "不超过14.5/10万"
    assert target_text(_target(comparator="range", value=20.0, value_max=30.0,
                               unit="万元")) == "在20～30万元之间"


def test_a_local_government_gets_the_measures_given_to_collectives_and_the_document_targets(
        catalog: tuple[DocumentView, ...]) -> None:
    checklist = _ducha(catalog, ("白银",), date(2025, 6, 1), entity_type="township_government")
    baiyin = _doc(catalog, "白银")
    collective = {m.id for m in baiyin.measures
                  if any(u.collective and "政府" in u.name for u in m.units)}
    measure_items = {i.measures[0].id for i in checklist.items if i.answer.type == "compliance"}
    assert measure_items == collective and measure_items
    assert {i.competent_department for i in checklist.items} == {"人民政府"}
    overall = [i for i in checklist.items if not i.measures]
    assert len(overall) == len(baiyin.targets)
    assert all(i.answer.type == "progress" for i in overall)  # 2025 goals, asked mid-2025


def test_the_department_can_come_from_the_entity_facts(catalog: tuple[DocumentView, ...]) -> None:
    by_fact = _ducha(catalog, ("鹿寨",), date(2026, 1, 15), entity_type="government_department",
                     facts={"department_kind": "医疗保障"})
    by_option = _ducha(catalog, ("鹿寨",), date(2026, 1, 15), departments=("医疗保障",))
    assert [i.code for i in by_fact.items] == [i.code for i in by_option.items]
    assert by_fact.items


def test_supervision_is_refused_for_an_entity_that_is_not_a_government(
        catalog: tuple[DocumentView, ...]) -> None:
    checklist = _ducha(catalog, ("鹿寨",), date(2026, 1, 15), entity_type="enterprise",
                       departments=("卫生健康",))
    assert checklist.items == ()
    assert "政府部门" in checklist.excluded[0].reason


SEEDS = ("中宁", "宝鸡", "鹿寨", "内蒙古", "白银")


@pytest.mark.parametrize("short", SEEDS)
def test_every_measure_item_names_its_own_task(catalog: tuple[DocumentView, ...],
                                               short: str) -> None:
    checklist = _ducha(catalog, (short,), date(2026, 12, 7))  # the issuing government
    doc = _doc(catalog, short)
    measure_items = [i for i in checklist.items if i.answer.type == "compliance"]
    assert {i.measures[0].id for i in measure_items} == {m.id for m in doc.measures}
    questions = [i.question for i in measure_items]
    assert len(set(questions)) == len(questions)
    for item in measure_items:
        assert not item.question.startswith("是否已落实《")
        title = item.measures[0].title
        assert item.question.startswith(f"{title}：“") and "”是否已落实" in item.question
        task = item.question.split("：“", 1)[1].split("”是否已落实", 1)[0]
        assert len(task) >= 4 and task.count("《") == task.count("》")
        assert item.check_detail and item.check_detail.startswith("核查要点")
        assert "①" in item.check_detail


def test_a_measure_states_its_deadline(catalog: tuple[DocumentView, ...]) -> None:
    checklist = _ducha(catalog, ("鹿寨",), date(2026, 12, 7))
    item = next(i for i in checklist.items
                if i.answer.type == "compliance" and i.measures[0].ref == "鹿寨:(七)")
    assert item.question.endswith("（期限：2025年底）")


def test_a_permissive_target_is_never_a_hard_target(catalog: tuple[DocumentView, ...]) -> None:
    checklist = _ducha(catalog, ("白银",), date(2026, 12, 7), entity_type="government")
    item = next(i for i in checklist.items
                if i.measures and i.measures[0].ref == "白银:9" and i.code.endswith("-T1"))
    assert "有条件的社区可" in (item.note or "")
    assert item.answer.type == "progress" and item.answer.threshold is None
    assert item.obligation == "鼓励" and "非硬性指标" in item.question
    hard = next(i for i in checklist.items
                if i.measures and i.measures[0].ref == "白银:18" and i.code.endswith("-T1"))
    assert hard.answer.type == "measure" and hard.obligation == "规范义务"


def test_measures_without_units_are_flagged_for_a_department_and_kept_for_the_government(
        catalog: tuple[DocumentView, ...]) -> None:
    dept = _ducha(catalog, ("宝鸡",), date(2026, 12, 7), departments=("卫生健康",))
    assert dept.items == ()
    assert any("20 条措施未列出责任单位" in w and "指定责任单位" in w for w in dept.warnings)
    assert any("督查清单为空" in w for w in dept.warnings)
    whole = _ducha(catalog, ("宝鸡",), date(2026, 12, 7))
    assert len([i for i in whole.items if i.answer.type == "compliance"]) == 20
    assert {i.competent_department for i in whole.items} == {"人民政府"}
    assert all(i.note == "文件未列出责任单位，按地方人民政府整体督查"
               for i in whole.items if i.answer.type == "compliance")
    assert any("未指定被督查部门" in w for w in whole.warnings)


def test_a_selection_with_nothing_to_supervise_says_so(catalog: tuple[DocumentView, ...]) -> None:
    checklist = _ducha(catalog, ("中宁",), date(2026, 12, 7), departments=("法院",))
    assert checklist.items == ()
    assert any("法院部门" in w and "督查清单为空" in w for w in checklist.warnings)


def test_tasks_drop_the_title_sentence_and_lead_ins() -> None:
    from checklists.catalog_view import MeasureView
    from checklists.supervision import measure_deadline, measure_tasks

    m = MeasureView("m", "d", "X:1", "1", "一/1", None, "加强宣传",
                    "加强宣传。根据省《实施方案》要求，全面开展宣传活动；鼓励社会组织参与。"
                    "到2027年底前建成宣传阵地。", "", (), (), (), ())
    assert measure_tasks(m) == ["全面开展宣传活动", "鼓励社会组织参与", "到2027年底前建成宣传阵地"]
    assert measure_deadline(m) == "2027年底"
