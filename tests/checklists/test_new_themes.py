"""The two shipped themes 医疗机构母婴安全 (yiliao_muying) and 生育保险经办 (shengyu_baoxian):
they load through the real loader, every measure they cite resolves in the catalog of the five
seed documents, they cover the measures traced to them, the generator leaves the midwifery-only
items out for a primary-care unit without midwifery, and their citations and numbers are only
as firm as their sources."""

from __future__ import annotations

import re
from datetime import date

import pytest

from checklists.catalog_view import DocumentView, from_parsed
from checklists.checklist_model import PENDING_NOTE, Checklist, Selection
from checklists.conditions import facts_used
from checklists.coverage import coverage
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.template_model import VERIFICATION_NOTE, Theme
from checklists.templates import find_theme, load_theme, load_themes, themes_dir, unresolved_refs
from checklists.vocabulary import load_vocabulary
from services.catalog_store import bundled_policy_files

AS_OF = date(2026, 1, 15)
NEW = ("yiliao_muying", "shengyu_baoxian")

#: Measures of the seed documents whose text calls for what these themes check (read by hand).
TRACED = {
    "yiliao_muying": {
        "鹿寨:(四)",  # 五项制度 named one by one; 母婴设施标准化建设
        "宝鸡:1",  # 全面落实母婴安全五项制度
        "内蒙古:(三)",  # 持续推进母婴安全五项制度落实
        "白银:5",  # 严格执行五项制度; 孕产妇健康管理服务
        "中宁:4",  # 完善危重孕产妇和新生儿救治体系
        "宝鸡:2",  # 加强0-6岁儿童和孕产妇健康管理服务
        "内蒙古:(四)",  # 同上
    },
    "shengyu_baoxian": {
        "内蒙古:(十三)",  # 严格按照国家规定期限，及时足额支付生育津贴
        "中宁:1",  # 落实生育医疗费用待遇
        "鹿寨:(十三)",  # 生育保险对生育医疗费用、生育津贴待遇的保障
        "宝鸡:9",  # 同上
        "白银:14",  # 用人单位生育保险参保；参保女职工按规定享受生育津贴
    },
}
#: Items whose condition reads 提供助产服务: left out where the unit does not deliver babies.
MIDWIFERY_ONLY = {"YM-A04", "YM-C01", "YM-C02", "YM-E03"}


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


@pytest.fixture(scope="module")
def shipped() -> tuple[Theme, ...]:
    return load_themes()


def _theme(themes: tuple[Theme, ...], code: str) -> Theme:
    theme = find_theme(themes, code)
    assert theme is not None, f"主题 {code} 未随软件提供"
    return theme


def _gen(catalog: tuple[DocumentView, ...], themes: tuple[Theme, ...], theme: str,
         entity_type: str, facts: dict[str, object] | None = None,
         documents: tuple[str, ...] = ()) -> Checklist:
    ids = tuple(d.id for d in catalog if d.short in documents)
    return generate(Selection(themes=(theme,), documents=ids, entity_type=entity_type,
                              facts=dict(facts or {})), catalog, themes, as_of=AS_OF)


# ---------------------------------------------------------------- loading and validation

@pytest.mark.parametrize("code", NEW)
def test_theme_file_loads_on_its_own_and_among_all_shipped_themes(
        shipped: tuple[Theme, ...], code: str) -> None:
    alone = load_theme(themes_dir() / f"{code}.yaml")
    theme = _theme(shipped, code)
    assert alone == theme
    assert theme.version >= 1 and (theme.kind, theme.source) == ("onsite", f"{code}.yaml")
    assert theme.items and all(i.enabled for i in theme.items)
    prefix = {"yiliao_muying": "YM-", "shengyu_baoxian": "SB-"}[code]
    assert all(i.code.startswith(prefix) for i in theme.items)
    sections = [s.code for s in theme.sections]
    assert {i.section for i in theme.items} == set(sections), "a section without items"


def test_names_and_entity_types_are_the_ones_asked_for(shipped: tuple[Theme, ...]) -> None:
    vocab = load_vocabulary()
    yiliao = _theme(shipped, "医疗机构母婴安全")
    assert yiliao.code == "yiliao_muying" and yiliao.entity_types == ("medical",)
    assert {i.competent_department for i in yiliao.items} == {"卫生健康"}
    baoxian = _theme(shipped, "生育保险经办")
    assert baoxian.code == "shengyu_baoxian"
    assert set(baoxian.entity_types) == {"employer", "healthcare_security_agency"}
    # arrears go to the 社会保险费征收机构 (税务), 《社会保险法》第八十六条; the rest to 医疗保障
    assert {i.competent_department for i in baoxian.items} == {"医疗保障", "税务"}
    assert {i.code for i in baoxian.items if i.competent_department == "税务"} == {"SB-A04"}
    agency = vocab.entity_type("healthcare_security_agency")
    assert agency is not None and agency.parent == "government"
    assert agency.label == "医疗保障经办机构"


@pytest.mark.parametrize("code", NEW)
def test_questions_are_distinct_chinese_yes_no_questions(shipped: tuple[Theme, ...],
                                                         code: str) -> None:
    theme = _theme(shipped, code)
    questions = [i.question for i in theme.items]
    assert len(questions) == len(set(questions))
    latin = re.compile(r"[A-Za-z]")
    for item in theme.items:
        assert "是否" in item.question and item.question.endswith("？"), item.code
        texts = [item.question, item.check_detail or "", *item.evidence]
        assert not any(latin.search(t) for t in texts), item.code
        assert item.check_detail and item.evidence, item.code


# ---------------------------------------------------------------- measures

def test_every_measure_reference_resolves_in_the_shipped_catalog(
        catalog: tuple[DocumentView, ...], shipped: tuple[Theme, ...]) -> None:
    new = [_theme(shipped, c) for c in NEW]
    assert unresolved_refs(new, catalog) == ()
    refs = {m.ref for d in catalog for m in d.measures}
    for theme in new:
        for item in theme.items:
            assert set(item.measures) <= refs, item.code


@pytest.mark.parametrize("code", NEW)
def test_theme_covers_the_seed_measures_traced_to_it(
        catalog: tuple[DocumentView, ...], shipped: tuple[Theme, ...], code: str) -> None:
    cov = coverage(catalog, [_theme(shipped, code)])
    covered = {m.ref for d in cov.documents for m in d.covered}
    assert TRACED[code] <= covered
    assert covered == TRACED[code], "a measure cited that was not traced by hand"


def test_items_cite_the_measure_that_calls_for_them(shipped: tuple[Theme, ...]) -> None:
    yiliao = _theme(shipped, "yiliao_muying")
    baoxian = _theme(shipped, "shengyu_baoxian")

    def cites(theme: Theme, code: str) -> set[str]:
        item = theme.item(code)
        assert item is not None, code
        return set(item.measures)

    for code in ("YM-A01", "YM-B01", "YM-D01"):  # the 五项制度 that 鹿寨 (四) names
        assert {"鹿寨:(四)", "宝鸡:1", "内蒙古:(三)", "白银:5"} <= cites(yiliao, code)
    assert "中宁:4" in cites(yiliao, "YM-C01")
    assert {"宝鸡:2", "内蒙古:(四)"} <= cites(yiliao, "YM-E01")
    assert "内蒙古:(十三)" in cites(baoxian, "SB-B04")  # 按期足额支付生育津贴
    assert "内蒙古:(十三)" in cites(baoxian, "SB-B01")
    assert "中宁:1" in cites(baoxian, "SB-C01")  # 落实生育医疗费用待遇
    assert "白银:14" in cites(baoxian, "SB-A01")  # 用人单位生育保险参保
    # a purely legal item carries no measure rather than a loosely related one
    assert cites(yiliao, "YM-E04") == set() and cites(baoxian, "SB-C03") == set()


# ---------------------------------------------------------------- generator

def test_primary_care_without_midwifery_leaves_out_the_midwifery_only_items(
        catalog: tuple[DocumentView, ...], shipped: tuple[Theme, ...]) -> None:
    theme = _theme(shipped, "yiliao_muying")
    reads_midwifery = {i.code for i in theme.items
                       if i.applies_to.when is not None
                       and "provides_midwifery" in facts_used(i.applies_to.when)}
    assert reads_midwifery == MIDWIFERY_ONLY

    got = _gen(catalog, shipped, "yiliao_muying", "primary_care",
               {"provides_midwifery": False, "secondary_or_above": False}, ("鹿寨",))
    kept = {i.code for i in got.items}
    reasons = {e.code: e.reason for e in got.excluded}
    assert not kept & MIDWIFERY_ONLY
    for code in MIDWIFERY_ONLY:
        assert "提供助产服务" in reasons[code]
    assert "YM-A03" in kept  # 基层首诊机构的转诊责任
    assert {"YM-A01", "YM-B01", "YM-D01", "YM-E01", "YM-F01"} <= kept
    assert not any(i.pending for i in got.items if i.code not in {"YM-F02", "YM-F03", "YM-F04"})
    assert got.warnings == ()


def test_secondary_midwifery_hospital_gets_the_midwifery_items_and_not_the_referral_item(
        catalog: tuple[DocumentView, ...], shipped: tuple[Theme, ...]) -> None:
    facts = {"provides_midwifery": True, "secondary_or_above": True,
             "frequent_mother_infant": True, "building_area_m2": 30000,
             "has_mother_infant_room": True}
    got = _gen(catalog, shipped, "yiliao_muying", "midwifery_institution", facts, ("宝鸡",))
    kept = {i.code for i in got.items}
    assert MIDWIFERY_ONLY <= kept
    assert {"YM-F02", "YM-F03", "YM-F04"} <= kept
    assert "YM-A03" not in kept and "基层医疗卫生机构" in next(
        e.reason for e in got.excluded if e.code == "YM-A03")
    assert not any(i.pending for i in got.items)
    area = next(i for i in got.items if i.code == "YM-F03")
    assert area.answer.threshold_text() == "≥10㎡"
    assert all(m.ref.startswith("宝鸡:") for i in got.items for m in i.measures)


def test_unknown_midwifery_keeps_the_items_marked_for_on_site_confirmation(
        catalog: tuple[DocumentView, ...], shipped: tuple[Theme, ...]) -> None:
    got = _gen(catalog, shipped, "yiliao_muying", "maternal_child_health")
    pending = {i.code: i.note for i in got.items if i.pending}
    assert MIDWIFERY_ONLY <= set(pending)
    assert all(note and note.startswith(PENDING_NOTE) for note in pending.values())


def test_employer_gets_the_contribution_items_and_the_agency_the_benefit_items(
        catalog: tuple[DocumentView, ...], shipped: tuple[Theme, ...]) -> None:
    employer = _gen(catalog, shipped, "shengyu_baoxian", "enterprise", documents=("白银",))
    agency = _gen(catalog, shipped, "shengyu_baoxian", "healthcare_security_agency",
                  documents=("内蒙古",))
    assert {i.section for i in employer.items} == {"A"}
    assert {i.section for i in agency.items} == {"B", "C"}
    assert {i.code for i in employer.items} | {i.code for i in agency.items} == {
        i.code for i in _theme(shipped, "shengyu_baoxian").items}
    payment = next(i for i in agency.items if i.code == "SB-B04")
    assert [m.ref for m in payment.measures] == ["内蒙古:(十三)"]
    assert employer.warnings == () and agency.warnings == ()
    # the maternity-leave day counts belong to another theme
    for item in (*employer.items, *agency.items):
        assert "产假天数" not in item.question and "98" not in item.question


# ---------------------------------------------------------------- citations and numbers

@pytest.mark.parametrize("code", NEW)
def test_original_text_citations_carry_a_clause_and_the_quoted_text(
        shipped: tuple[Theme, ...], code: str) -> None:
    for item in _theme(shipped, code).items:
        for basis in item.legal_basis:
            if basis.verified == "原文":
                assert basis.clause.strip() and VERIFICATION_NOTE.search(basis.clause) is None
                assert basis.excerpt, f"{item.code} {basis.document}"
                assert basis.article_verified
            if VERIFICATION_NOTE.search(basis.clause):  # an unconfirmed article is never 原文
                assert basis.verified != "原文" and not basis.article_verified


def test_sources_read_only_in_summary_are_cited_as_such(shipped: tuple[Theme, ...]) -> None:
    """《孕产妇妊娠风险评估与管理工作规范》 was seen only in news summaries: 摘要, no article."""
    bases = [b for i in _theme(shipped, "yiliao_muying").items for b in i.legal_basis
             if b.document == "《孕产妇妊娠风险评估与管理工作规范》"]
    assert bases
    assert all(b.verified == "摘要" and not b.article_verified and b.excerpt is None
               for b in bases)
    notice = [b for i in _theme(shipped, "yiliao_muying").items for b in i.legal_basis
              if b.document == "《关于加强母婴安全保障工作的通知》"]
    assert notice and all(b.verified == "转载" for b in notice)


@pytest.mark.parametrize("code", NEW)
def test_no_threshold_or_number_rests_on_an_unverified_source(
        shipped: tuple[Theme, ...], code: str) -> None:
    """A threshold, and any figure in a question, must be quoted in a basis read in the
    original or a verbatim reprint; day limits known only second-hand never appear."""
    for item in _theme(shipped, code).items:
        firm = " ".join(b.excerpt or "" for b in item.legal_basis
                        if b.verified in ("原文", "转载"))
        if item.answer.type == "measure":
            assert item.answer.threshold is not None
            assert f"{item.answer.threshold:g}" in firm, item.code
        else:
            assert item.answer.threshold is None
        for number in re.findall(r"\d+", item.question):
            assert number in firm, f"{item.code}: {number}"
        for unverified in ("24小时", "3日", "2日", "75%", "60%"):
            assert unverified not in item.question, item.code
    measured = [i.code for i in _theme(shipped, code).items if i.answer.type == "measure"]
    assert measured == (["YM-F03"] if code == "yiliao_muying" else [])


def test_report_time_limit_is_left_to_the_province(shipped: tuple[Theme, ...]) -> None:
    item = _theme(shipped, "yiliao_muying").item("YM-B03")
    assert item is not None and "以本省规定为准" in item.question
    assert not re.search(r"\d", item.question)
