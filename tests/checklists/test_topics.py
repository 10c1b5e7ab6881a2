"""Policy topics of measures (checklists.topics)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklists.catalog_view import document_short
from checklists.datafiles import DataFileError
from checklists.parsing import parse_text
from checklists.topics import apply_overrides, classify, load_lexicon, load_topics
from tests.conftest import seed_text

SEEDS = ("000", "001", "002", "003", "004")


def test_topics_load_with_unique_codes_labels_and_keywords() -> None:
    topics = load_topics()
    assert len({t.code for t in topics}) == len({t.label for t in topics}) == len(topics)
    assert all(t.keywords and t.description for t in topics)
    assert {"托育", "母婴设施", "生育休假", "育儿补贴", "住房", "税收", "组织保障"} <= {
        t.label for t in topics
    }


def test_a_keyword_in_the_title_is_enough() -> None:
    assert classify("保障生育休假权益。", "强化监督检查。") == ("leave",)


def test_a_single_passing_mention_in_the_body_is_not_enough() -> None:
    codes = classify(
        "增加托育服务供给。",
        "支持有条件的幼儿园增设托班，统筹托育服务设施建设，将托育纳入老旧小区改造。",
    )
    assert codes == ("childcare",)  # 幼儿园 once is not 教育


def test_a_measure_may_have_several_topics_in_file_order() -> None:
    codes = classify(
        "构建生育友好的就业环境。",
        "推动女职工比较多的用人单位建立孕妇休息室、哺乳室。"
        "鼓励实行弹性上下班，将相关措施纳入集体合同。",
    )
    assert codes == ("maternal_facilities", "employment")
    order = [t.code for t in load_topics()]
    assert list(codes) == sorted(codes, key=order.index)


def test_the_best_topic_is_taken_when_none_reaches_the_threshold() -> None:
    assert classify("完善相关制度。", "做好住房保障工作。") == ("housing",)
    assert classify("完善相关制度。", "认真组织实施。") == ()


def test_boilerplate_does_not_count() -> None:
    text = "各县区要贯彻优化生育政策的决策部署，统筹优化生育政策工作，落实优化生育政策。"
    assert "population" not in classify("加强组织领导。", text)


def test_overrides_add_and_remove_by_measure_reference() -> None:
    assert "parenting" not in apply_overrides("宝鸡:16", ("education", "parenting"))
    assert apply_overrides("宝鸡：16", ("education", "parenting")) == ("education",)
    assert apply_overrides("宝鸡:15", ("education", "parenting")) == ("education", "parenting")


def test_override_file_with_add_keeps_topic_order(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(
        "topics:\n"
        "  - {code: childcare, label: 托育, description: d, keywords: [托育]}\n"
        "  - {code: housing, label: 住房, description: d, keywords: [住房]}\n"
        "overrides:\n"
        '  "鹿寨:（十五）": {add: [childcare], remove: [housing]}\n',
        encoding="utf-8",
    )
    lex = load_lexicon(path)
    assert apply_overrides("鹿寨:(十五)", ("housing",), lex) == ("childcare",)
    assert classify("住房", "托育托育", lex) == ("childcare", "housing")


@pytest.mark.parametrize(
    ("body", "names"),
    [
        (
            "topics:\n  - {code: a, label: 甲, description: d, keywords: []}\n",
            ["第1个主题", "keywords"],
        ),
        (
            "topics:\n  - {code: a, label: 甲, description: d, keywords: [x]}\n"
            "  - {code: a, label: 乙, description: d, keywords: [y]}\n",
            ["第2个主题", "重复"],
        ),
        (
            "topics:\n  - {code: a, label: 甲, description: d, keywords: [x], min_hits: 0}\n",
            ["第1个主题", "min_hits"],
        ),
        (
            "topics:\n  - {code: a, label: 甲, description: d, keywords: [x]}\n"
            'overrides:\n  "宝鸡:3": {add: [nope]}\n',
            ["宝鸡:3", "nope"],
        ),
        (
            "topics:\n  - {code: a, label: 甲, description: d, keywords: [x]}\n"
            'overrides:\n  "宝鸡3": {add: [a]}\n',
            ["宝鸡3", "地区简称"],
        ),
        ("topics: {}\n", ["topics"]),
    ],
)
def test_malformed_file_errors_name_the_file_and_the_entry(
    tmp_path: Path, body: str, names: list[str]
) -> None:
    path = tmp_path / "bad_topics.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_topics(path)
    assert path.name in str(err.value)
    for part in names:
        assert part in str(err.value)


@pytest.mark.parametrize("prefix", SEEDS)
def test_every_seed_measure_gets_a_topic(prefix: str) -> None:
    doc = parse_text(seed_text(prefix))
    short = document_short(doc)
    missing = [
        m.number
        for m in doc.measures
        if not apply_overrides(f"{short}:{m.number}", classify(m.title, m.text))
    ]
    assert doc.measures and missing == []


@pytest.mark.parametrize(
    ("prefix", "number", "code"),
    [
        ("002", "(七)", "childcare"),
        ("001", "10", "maternal_facilities"),
        ("002", "(四)", "maternal_facilities"),
        ("003", "(十二)", "leave"),
        ("004", "13", "childcare_subsidy"),
        ("000", "10", "housing"),
        ("002", "(十三)", "insurance"),
        ("003", "(十一)", "education"),
        ("004", "19", "employment"),
        ("000", "12", "marriage_culture"),
        ("001", "14", "tax"),
        ("002", "(三)", "population"),
        ("004", "22", "family_planning_families"),
        ("003", "(十九)", "organization"),
        ("001", "8", "parenting"),
        ("000", "4", "maternal_child_health"),
    ],
)
def test_seed_measures_get_the_topic_they_are_about(prefix: str, number: str, code: str) -> None:
    doc = parse_text(seed_text(prefix))
    (measure,) = [m for m in doc.measures if m.number == number]
    assert code in classify(measure.title, measure.text)
