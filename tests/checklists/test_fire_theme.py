"""托育机构消防安全: the shipped theme against the current fire standards — GB 55037 where it
governs, the floor limit by 耐火等级, WS/T 870-2025 clause coverage (data file and validator),
citations and departments — all through the real loader and generator."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from checklists.checklist_model import PENDING_NOTE, Checklist, Selection
from checklists.datafiles import DataFileError, data_path
from checklists.generator import generate
from checklists.standard_coverage import (
    WST870_FILE,
    check_against_theme,
    cited_clauses,
    load_standard_coverage,
    parse_standard_coverage,
)
from checklists.template_model import TemplateItem, Theme
from checklists.templates import find_theme, load_themes
from checklists.vocabulary import load_vocabulary

AS_OF = date(2026, 3, 1)
GB55037 = "GB 55037-2022"
GB50016 = "GB 50016"
WST870 = "WS/T 870-2025"
XFF = "《中华人民共和国消防法》"
FLOOR_ITEMS = {"XF-A02": ("一级", "二级"), "XF-A11": ("三级",), "XF-A12": ("四级",)}
# The clauses of WS/T 870-2025 the domain digest has read (section 2 and source S24).
READ_CLAUSES = ("4.4", "4.5", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "9.1", "9.3", "9.4",
                "9.5", "9.6", "9.7", "9.8", "9.9", "14.1", "14.2", "14.3", "14.4")


@pytest.fixture(scope="module")
def theme() -> Theme:
    found = find_theme(load_themes(), "托育机构消防安全")
    assert found is not None
    return found


def _enabled(theme: Theme) -> list[TemplateItem]:
    return [i for i in theme.items if i.enabled]


def _numbers(item: TemplateItem) -> list[str]:
    return [b.doc_number or "" for b in item.legal_basis]


def _generate(theme: Theme, **facts: Any) -> Checklist:
    selection = Selection(themes=(theme.code,), entity_type="childcare_center", facts=facts)
    return generate(selection, (), load_themes(), as_of=AS_OF)


# ---------------------------------------------------------------- the theme itself

def test_theme_is_version_3_or_later_and_keeps_its_codes(theme: Theme) -> None:
    assert theme.version >= 3
    codes = {i.code for i in theme.items}
    # codes are stable: every item of version 2 is still there (XF-E04 only disabled)
    for code in ("XF-A01", "XF-A02", "XF-A03", "XF-A04", "XF-B02", "XF-D01", "XF-E02",
                 "XF-E04", "XF-F04", "XF-F12"):
        assert code in codes
    assert not theme.item("XF-E04").enabled  # type: ignore[union-attr]


def test_no_item_rests_on_gb50016_where_gb55037_governs(theme: Theme) -> None:
    for item in theme.items:
        numbers = _numbers(item)
        if any(GB50016 in n for n in numbers):
            assert any(n == GB55037 for n in numbers), f"{item.code} 只以 GB 50016 为依据"
    # siting, floors and exits are GB 55037 matters: GB 50016 is not cited there at all
    for code in ("XF-A01", "XF-A02", "XF-A11", "XF-A12", "XF-A03", "XF-B02"):
        item = theme.item(code)
        assert item is not None
        assert GB55037 in _numbers(item)
        assert not any(GB50016 in n for n in _numbers(item)), code


def test_gb55037_citations_name_a_clause_and_are_verified_honestly(theme: Theme) -> None:
    clauses = {}
    for item in theme.items:
        for basis in item.legal_basis:
            if basis.doc_number == GB55037:
                assert basis.document == "《建筑防火通用规范》"
                assert basis.clause.startswith("第") and basis.clause.endswith("条")
                clauses[basis.clause] = basis.verified
    assert clauses["第7.4.1条"] == "转载"
    assert clauses["第7.4.3条"] == "转载"
    assert clauses["第4.3.4条"] == "二手"  # only quoted by others; never 原文
    assert "原文" not in clauses.values()


def test_definitions_of_the_fire_law_are_never_the_operative_basis(theme: Theme) -> None:
    for item in theme.items:
        rows = [b for b in item.legal_basis if b.document == XFF]
        for i, basis in enumerate(rows):
            if "第七十三条" in basis.clause:
                assert "第七十三条" not in rows[0].clause, item.code
                assert i > 0 and "用语含义" in basis.clause, item.code
                assert basis.clause.count("条") == 1, item.code  # its own row


def test_every_basis_names_its_clause_and_full_title(theme: Theme) -> None:
    for item in theme.items:
        for basis in item.legal_basis:
            assert basis.document.startswith("《") and basis.document.endswith("》")
            assert basis.clause
            if basis.document == XFF:
                assert basis.doc_number and "修正" in basis.doc_number


def test_items_resting_only_on_wst870_are_recommendations_of_health(theme: Theme) -> None:
    only = [i for i in _enabled(theme) if set(_numbers(i)) == {WST870}]
    assert len(only) >= 15
    for item in only:
        assert item.obligation == "推荐标准", item.code
        assert item.competent_department == "卫生健康", item.code
    for item in _enabled(theme):
        if WST870 in _numbers(item) and item.obligation != "推荐标准":
            assert set(_numbers(item)) != {WST870}, item.code


def test_fire_law_items_belong_to_fire_and_rescue(theme: Theme) -> None:
    for item in _enabled(theme):
        if item.obligation == "法定义务" and any(b.document == XFF for b in item.legal_basis):
            assert item.competent_department == "消防救援", item.code


def test_the_new_wst870_topics_are_asked(theme: Theme) -> None:
    def question(code: str) -> str:
        item = theme.item(code)
        assert item is not None and item.enabled
        return item.question

    assert "动火" in question("XF-D10") and "清场" in question("XF-D10")
    assert "审批" in question("XF-D11")
    assert "长时间通电" in question("XF-D14")
    assert "切断" in question("XF-D15")
    assert "制度" in question("XF-F13")
    assert "巡查" in question("XF-E06")


# ---------------------------------------------------------------- floor limit by 耐火等级

def test_fire_resistance_grade_is_a_choice_fact_for_childcare() -> None:
    fact = load_vocabulary().fact("fire_resistance_grade")
    assert fact is not None and fact.type == "choice"
    assert fact.choices == ("一级", "二级", "三级", "四级")
    assert "childcare" in fact.for_types


@pytest.mark.parametrize(("grade", "code", "top"), [
    ("一级", "XF-A02", 3), ("二级", "XF-A02", 3), ("三级", "XF-A11", 2), ("四级", "XF-A12", 1)])
def test_the_floor_question_follows_the_fire_resistance_grade(
        theme: Theme, grade: str, code: str, top: int) -> None:
    checklist = _generate(theme, fire_resistance_grade=grade)
    floor = [i for i in checklist.items if i.code in FLOOR_ITEMS]
    assert [i.code for i in floor] == [code]
    item = floor[0]
    assert not item.pending
    assert item.answer.comparator == "<=" and item.answer.threshold == top
    assert item.answer.unit == "层"
    reasons = {e.code: e.reason for e in checklist.excluded}
    for other in set(FLOOR_ITEMS) - {code}:
        assert reasons[other].startswith("适用条件不满足") and grade in reasons[other]
    assert checklist.item("XF-A01") is not None  # 不在地下、半地下: asked whatever the grade


def test_with_the_grade_unknown_every_floor_question_stays_and_asks(theme: Theme) -> None:
    checklist = _generate(theme)
    for code in FLOOR_ITEMS:
        item = checklist.item(code)
        assert item is not None and item.pending
        assert item.note is not None and item.note.startswith(PENDING_NOTE)
        assert "耐火等级" in item.note
    tops = {checklist.item(c).answer.threshold for c in FLOOR_ITEMS}  # type: ignore[union-attr]
    assert tops == {3, 2, 1}
    assert "XF-E04" in {e.code for e in checklist.excluded}  # disabled, listed with a reason


def test_generated_fire_checklist_reads_in_chinese(theme: Theme) -> None:
    checklist = _generate(theme, fire_resistance_grade="二级", in_mixed_building=True)
    for item in checklist.items:
        for text in (item.question, *item.evidence):
            assert not any("a" <= ch.lower() <= "z" for ch in text), (item.code, text)
        assert item.question.endswith("？"), item.code


# ---------------------------------------------------------------- WS/T 870 coverage

def test_the_coverage_file_agrees_with_the_theme(theme: Theme) -> None:
    coverage = load_standard_coverage()
    assert coverage.doc_number == WST870 and coverage.theme == theme.code
    assert check_against_theme(coverage, theme) == []


def test_every_read_clause_is_an_item_or_left_out_with_a_reason(theme: Theme) -> None:
    coverage = load_standard_coverage()
    listed = {e.clause for e in coverage.clauses}
    assert set(READ_CLAUSES) <= listed
    for entry in coverage.clauses:
        assert bool(entry.items) != bool(entry.left_out), entry.clause
        if entry.left_out:
            assert len(entry.left_out) >= 10, entry.clause
        for code in entry.items:
            item = theme.item(code)
            assert item is not None and item.enabled
            assert entry.clause in cited_clauses(item, WST870)
    # the clauses the review named as missing are now items
    for clause in ("4.4", "6.2", "9.3", "9.7", "9.8", "4.5", "6.3", "6.4", "14.1"):
        assert coverage.entry(clause).items, clause  # type: ignore[union-attr]


def _raw_coverage() -> dict[str, Any]:
    raw = yaml.safe_load(data_path(WST870_FILE).read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def _entry(raw: dict[str, Any], clause: str) -> dict[str, Any]:
    return next(e for e in raw["clauses"] if e["clause"] == clause)


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: _entry(r, "4.1").update(items=["XF-F13"]), "须写且只写其一"),
    (lambda r: _entry(r, "9.8").pop("items"), "须写且只写其一"),
    (lambda r: _entry(r, "4.1").update(left_out=" "), "理由"),
    (lambda r: _entry(r, "9.8").update(items=[]), "非空"),
    (lambda r: _entry(r, "9.8").update(clause=9.8), "条号"),
    (lambda r: _entry(r, "9.8").update(note="x"), "未知字段"),
    (lambda r: _entry(r, "9.8").pop("topic"), "topic"),
    (lambda r: r["clauses"].append(copy.deepcopy(_entry(r, "9.8"))), "重复"),
    (lambda r: r["standard"].update(document="托育机构消防安全标准"), "书名号"),
])
def test_a_malformed_coverage_file_is_refused_in_chinese(
        change: Any, message: str) -> None:
    raw = _raw_coverage()
    change(raw)
    with pytest.raises(DataFileError) as err:
        parse_standard_coverage(raw, WST870_FILE)
    assert message in str(err.value) and WST870_FILE in str(err.value)


def test_loading_a_broken_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "broken_coverage.yaml"
    path.write_text("clauses: [\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_standard_coverage(path)
    assert "broken_coverage.yaml" in str(err.value)


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: _entry(r, "9.8").update(items=["XF-Z99"]), "XF-Z99 不在主题中"),
    (lambda r: _entry(r, "9.8").update(items=["XF-D15", "XF-B01"]), "XF-B01 的依据没有引用"),
    (lambda r: _entry(r, "6.5").update(items=["XF-E04", "XF-E09", "XF-E10"]), "XF-E04 已停用"),
    (lambda r: _entry(r, "9.7").update(items=["XF-D06"]), "XF-D14 引用了第9.7条"),
    (lambda r: r.update(clauses=[e for e in r["clauses"] if e["clause"] != "14.3"]),
     "第14.3条，但本文件没有列出这一条"),
])
def test_the_validator_finds_where_file_and_theme_disagree(
        theme: Theme, change: Any, message: str) -> None:
    raw = _raw_coverage()
    change(raw)
    problems = check_against_theme(parse_standard_coverage(raw, WST870_FILE), theme)
    assert any(message in p for p in problems), problems
