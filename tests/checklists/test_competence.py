"""The competent department follows the penalty clause: 《女职工劳动保护特别规定》第十三条 gives
breaches of 附录 to 应急管理 and of 第六条第二款、第七条、第九条第一款 to 人力资源和社会保障."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from checklists.checklist_model import Selection
from checklists.competence import (
    competent_by_rule,
    department_error,
    load_penalty_rules,
    parse_penalty_rules,
)
from checklists.datafiles import DataFileError, data_path, load_yaml
from checklists.generator import generate
from checklists.template_model import LegalBasis, TemplateError
from checklists.templates import build_theme, load_themes, themes_dir
from checklists.vocabulary import load_vocabulary

SPECIAL = "《女职工劳动保护特别规定》"


def _basis(clause: str, document: str = SPECIAL) -> LegalBasis:
    return LegalBasis(document, "国务院令第619号", clause, None, "原文")


def _nvzhigong() -> dict[str, Any]:
    return copy.deepcopy(load_yaml(themes_dir() / "nvzhigong.yaml"))


def test_shipped_items_follow_the_penalty_rules() -> None:
    rules = load_penalty_rules()
    checked = 0
    for theme in load_themes():
        for item in theme.items:
            found = competent_by_rule(item.legal_basis, rules)
            if found:
                checked += 1
                assert {r.department for r in found} == {item.competent_department}, item.code
    assert checked >= 8  # 产假, 孕期, 哺乳期 and the four 禁忌劳动 items at least
    items = {i.code: i for t in load_themes() for i in t.items}
    for code in ("NZ-E03", "NZ-E04", "NZ-E05", "NZ-E06"):
        assert items[code].competent_department == "应急管理"
        assert any(b.clause.startswith("第十三条") for b in items[code].legal_basis)
        assert all(b.document != "《劳动保障监察条例》" for b in items[code].legal_basis)
    for code in ("NZ-B02", "NZ-C01", "NZ-D01"):
        assert items[code].competent_department == "人力资源和社会保障"


@pytest.mark.parametrize("clause, wanted", [
    ("附录第一条", "应急管理"), ("附录第四条", "应急管理"), ("第七条第一款", "人力资源和社会保障"),
    ("第九条第一款", "人力资源和社会保障"),
])
def test_a_wrong_department_is_refused_naming_the_right_one(clause: str, wanted: str) -> None:
    other = "人力资源和社会保障" if wanted == "应急管理" else "应急管理"
    why = department_error([_basis(clause)], other)
    assert why is not None and f"“{wanted}”" in why and "第十三条" in why
    assert department_error([_basis(clause)], wanted) is None


def test_clauses_the_rules_do_not_name_leave_the_department_free() -> None:
    assert department_error([_basis("第四条第一款")], "人力资源和社会保障") is None
    assert department_error([_basis("第七条", "《中华人民共和国劳动法》")], "卫生健康") is None
    # 第九条第二款 (哺乳时间) is not among 第十三条's clauses: 第九条第一款 does not cover it
    assert department_error([_basis("第九条第二款")], "总工会") is None


def test_bases_punished_by_two_departments_must_be_split() -> None:
    why = department_error([_basis("第七条"), _basis("附录第一条")], "应急管理")
    assert why is not None and "拆成两个检查项" in why


def test_a_theme_item_with_the_wrong_department_does_not_load() -> None:
    raw = _nvzhigong()
    row = next(r for r in raw["items"] if r["code"] == "NZ-E05")
    row["competent_department"] = "人力资源和社会保障"
    with pytest.raises(TemplateError) as err:
        build_theme(raw, "nvzhigong.yaml", "nvzhigong", load_vocabulary())
    assert err.value.item == "NZ-E05" and err.value.field == "competent_department"
    assert "应急管理" in str(err.value)


def test_an_hr_inspection_leaves_the_forbidden_work_items_to_emergency_management() -> None:
    themes = load_themes()
    sel = dict(themes=("女职工劳动保护",), entity_type="enterprise",
               facts={"hazardous_work": True}, jurisdiction="640521")
    hr = generate(Selection(**sel, departments=("人力资源和社会保障",)), (), themes,  # type: ignore[arg-type]
                  as_of=date(2026, 1, 15))
    assert hr.item("NZ-E03") is None
    reason = next(e.reason for e in hr.excluded if e.code == "NZ-E03")
    assert "应急管理" in reason
    em = generate(Selection(**sel, departments=("应急管理",)), (), themes,  # type: ignore[arg-type]
                  as_of=date(2026, 1, 15))
    assert {"NZ-E03", "NZ-E04", "NZ-E05", "NZ-E06"} <= {i.code for i in em.items}
    assert em.item("NZ-C01") is None


@pytest.mark.parametrize("mutate, message", [
    (lambda r: r["rules"][0].update(department="安监"), "部门类别不存在"),
    (lambda r: r["rules"][0].update(clauses=[]), "clauses"),
    (lambda r: r["rules"][0].pop("penalty"), "应有且只有"),
    (lambda r: r["rules"][0].update(verified="UNVERIFIED"), "verified"),
    (lambda r: r["rules"][1].update(clauses=["第七条第二款"]), "两个部门"),
])
def test_a_malformed_penalty_file_is_refused(mutate: Any, message: str) -> None:
    raw = copy.deepcopy(load_yaml(data_path("penalty_rules.yaml")))
    mutate(raw)
    with pytest.raises(DataFileError, match=message):
        parse_penalty_rules(raw)


def test_an_order_needs_a_basis_read_in_its_own_words() -> None:
    from checklists.template_model import issuing_obligation, order_kind

    law = _basis("第七条")
    for verified, kind in (("原文", "order"), ("转载", "order"), ("摘要", "recommendation"),
                           ("二手", "recommendation"), ("推论", "recommendation")):
        basis = LegalBasis(law.document, law.doc_number, law.clause, None, verified)
        assert order_kind("规范义务", (basis,)) == kind
        assert issuing_obligation("规范义务", (basis,)) == (
            "规范义务" if kind == "order" else "推荐标准")
    assert order_kind("鼓励", (law,)) == "recommendation"
    items = {i.code: i for t in load_themes() for i in t.items}
    # requirements derived from a government's duty are labelled so and never ground an order
    for code in ("TY-G05", "MY-A04"):
        assert [b.verified for b in items[code].legal_basis] == ["推论"]
        assert order_kind(items[code].obligation, items[code].legal_basis) == "recommendation"
