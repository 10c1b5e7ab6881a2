"""Validation of theme templates: the rules of ``checklists/themes/README.md`` in code.

Every check raises :class:`TemplateError` naming the file, the item code and the field, so a
person fixing a template (or the user-layer editor) knows exactly what to change.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from checklists.competence import department_error
from checklists.conditions import ConditionError, facts_used, parse_condition
from checklists.template_model import (
    ANSWER_TYPES,
    COMPARATORS,
    HOW_TO_CHECK,
    NATIONAL,
    OBLIGATIONS,
    REQUIRE_ON_FAIL,
    SEVERITIES,
    THEME_KINDS,
    VERIFIED,
    AnswerSpec,
    AppliesTo,
    LegalBasis,
    Section,
    SupervisionSpec,
    TemplateError,
    TemplateItem,
    encouragement_only,
)
from checklists.vocabulary import Vocabulary

THEME_CODE = re.compile(r"[a-z][a-z0-9_]*")
ITEM_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
MEASURE_REF = re.compile(r"[^\s:：]+:(?:\d+|\([〇零一二三四五六七八九十百]+\))")
ITEM_KEYS = {"code", "section", "question", "how_to_check", "check_detail", "evidence",
             "legal_basis", "obligation", "competent_department", "measures", "jurisdiction",
             "applies_to", "severity", "answer", "require_on_fail", "enabled", "covers"}
REQUIRED_ITEM_KEYS = ("code", "section", "question", "how_to_check", "evidence", "legal_basis",
                      "obligation", "competent_department", "applies_to", "severity", "answer")
THEME_KEYS = {"code", "name", "description", "version", "kind", "entity_types", "facts",
              "sections"}
_SUPERVISION_FIELDS = {"title", "ref", "document", "number", "indicator", "target",
                       "deadline", "soft", "task", "more", "nature"}


@dataclass(frozen=True)
class ThemeContext:
    """What an item is checked against: its theme's header and the shared vocabularies."""

    file: str
    theme_code: str
    section_codes: tuple[str, ...]
    entity_types: tuple[str, ...]
    facts: tuple[str, ...]
    vocab: Vocabulary
    departments: frozenset[str]  # department kind labels
    regions: frozenset[str]  # region codes


def parse_item(raw: Any, ctx: ThemeContext, position: int) -> TemplateItem:
    """One validated item. ``position`` (1-based) names the item while its code is unknown."""
    code = raw.get("code") if isinstance(raw, dict) else None
    label = code if isinstance(code, str) and code else f"第{position}项"

    def fail(field: str | None, message: str) -> TemplateError:
        return TemplateError(ctx.file, message, item=label, field=field)

    if not isinstance(raw, dict):
        raise fail(None, "检查项应为键值表")
    unknown = sorted(set(map(str, raw)) - ITEM_KEYS)
    if unknown:
        raise fail(unknown[0], f"未知字段（允许的字段见 themes/README.md）：{'、'.join(unknown)}")
    for key in REQUIRED_ITEM_KEYS:
        if raw.get(key) in (None, ""):
            raise fail(key, "缺少必填字段")
    if not isinstance(code, str) or not ITEM_CODE.fullmatch(code):
        raise fail("code", f"代码应以字母开头，只含字母、数字、- 和 _：{code!r}")
    section = raw["section"]
    if section not in ctx.section_codes:
        known = "、".join(ctx.section_codes)
        raise fail("section", f"主题中没有这个分节：{section!r}（已有：{known}）")
    question = _text(raw["question"], fail, "question")
    how = _choice_list(raw["how_to_check"], HOW_TO_CHECK, fail, "how_to_check")
    detail = raw.get("check_detail")
    if detail is not None:
        detail = _text(detail, fail, "check_detail")
    evidence = raw["evidence"]
    if not (isinstance(evidence, list)
            and all(isinstance(e, str) and e.strip() for e in evidence)):
        raise fail("evidence", "应为文字列表（可以为空列表 []）")
    basis = _legal_basis(raw["legal_basis"], fail)
    obligation = raw["obligation"]
    if obligation not in OBLIGATIONS:
        raise fail("obligation", f"应为 {'、'.join(OBLIGATIONS)} 之一：{obligation!r}")
    dept = raw["competent_department"]
    if dept not in ctx.departments:
        raise fail("competent_department",
                   f"不是 data/departments.yaml 中的部门类别名称：{dept!r}"
                   "（例如 卫生健康、消防救援）")
    if obligation in ("法定义务", "规范义务") and encouragement_only(basis):
        raise fail("obligation", "所引条文都是“支持、鼓励、引导”或“有条件的……可”一类的表述，"
                                 "性质应为 鼓励（不能作为责令改正的依据）")
    if (why := department_error(basis, dept)) is not None:
        raise fail("competent_department", why)
    measures = raw.get("measures", [])
    if not isinstance(measures, list):
        raise fail("measures", "应为措施引用列表，如 [\"宝鸡:10\", \"鹿寨:(十五)\"]")
    for ref in measures:
        if not isinstance(ref, str) or not MEASURE_REF.fullmatch(ref):
            raise fail("measures",
                       f"措施引用格式应为“地区简称:编号”（如 宝鸡:10、鹿寨:(十五)）：{ref!r}")
    if len(set(measures)) != len(measures):
        raise fail("measures", "措施引用重复")
    jurisdiction = str(raw.get("jurisdiction", NATIONAL))
    if jurisdiction not in ctx.regions:
        raise fail("jurisdiction", f"行政区划代码不存在（见 data/regions.yaml）：{jurisdiction!r}")
    applies = _applies_to(raw["applies_to"], ctx, fail)
    severity = raw["severity"]
    if severity not in SEVERITIES:
        raise fail("severity", f"应为 {'、'.join(SEVERITIES)} 之一：{severity!r}")
    answer = parse_answer(raw["answer"], fail)
    on_fail = raw.get("require_on_fail", "note_or_photo")
    if on_fail not in REQUIRE_ON_FAIL:
        raise fail("require_on_fail", f"应为 {'、'.join(REQUIRE_ON_FAIL)} 之一：{on_fail!r}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "应为 true 或 false")
    covers = raw.get("covers", [])
    if not (isinstance(covers, list) and all(isinstance(c, str) and ITEM_CODE.fullmatch(c)
                                             and c != code for c in covers)):
        raise fail("covers", "应为其他主题中检查项代码的列表，如 [SB-A01, SB-A02]")
    return TemplateItem(
        code=code, section=section, question=question, how_to_check=how, check_detail=detail,
        evidence=tuple(e.strip() for e in evidence), legal_basis=basis, obligation=obligation,
        competent_department=dept, measures=tuple(measures), jurisdiction=jurisdiction,
        applies_to=applies, severity=severity, answer=answer, require_on_fail=on_fail,
        enabled=enabled, covers=tuple(covers))


def parse_answer(raw: Any, fail: Any) -> AnswerSpec:
    if not isinstance(raw, dict):
        raise fail("answer", "应为键值表，至少写 type")
    kind = raw.get("type")
    if kind not in ANSWER_TYPES:
        raise fail("answer.type", f"应为 {'、'.join(ANSWER_TYPES)} 之一：{kind!r}")
    allowed = {"type", "label"}
    if kind == "measure":
        allowed |= {"comparator", "threshold", "threshold_max", "unit"}
    extra = sorted(set(map(str, raw)) - allowed)
    if extra:
        raise fail(f"answer.{extra[0]}", f"答案类型为 {kind} 时不能写 {'、'.join(extra)}"
                   + ("（只有 measure 有阈值）" if kind != "measure" else ""))
    label = raw.get("label")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise fail("answer.label", "应为文字")
    if kind != "measure":
        return AnswerSpec(kind, label)
    for key in ("label", "comparator", "threshold", "unit"):
        if raw.get(key) in (None, ""):
            raise fail(f"answer.{key}", "测量类答案须写 label、comparator、threshold 和 unit")
    comparator, threshold, top = raw["comparator"], raw["threshold"], raw.get("threshold_max")
    if comparator not in COMPARATORS:
        raise fail("answer.comparator", f"应为 {' '.join(COMPARATORS)} 之一：{comparator!r}")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise fail("answer.threshold", f"应为数字：{threshold!r}")
    if comparator == "range":
        if isinstance(top, bool) or not isinstance(top, int | float) or top < threshold:
            raise fail("answer.threshold_max", "区间（range）须写不小于 threshold 的 threshold_max")
    elif top is not None:
        raise fail("answer.threshold_max", "只有 comparator: range 才写 threshold_max")
    if not isinstance(raw["unit"], str):
        raise fail("answer.unit", "应为文字")
    return AnswerSpec(kind, label, comparator, threshold, top, raw["unit"])


def _legal_basis(raw: Any, fail: Any) -> tuple[LegalBasis, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("legal_basis", "应为非空列表：每条写 document、clause、verified")
    out = []
    for i, row in enumerate(raw):
        field = f"legal_basis[{i}]"
        if not isinstance(row, dict):
            raise fail(field, "应为键值表")
        extra = sorted(set(map(str, row)) - {"document", "doc_number", "clause", "excerpt",
                                             "verified"})
        if extra:
            raise fail(f"{field}.{extra[0]}", f"未知字段：{'、'.join(extra)}")
        document = _text(row.get("document"), fail, f"{field}.document")
        if not (document.startswith("《") and "》" in document):
            raise fail(f"{field}.document", f"应写文件全称并加书名号《》：{document!r}")
        clause = _text(row.get("clause"), fail, f"{field}.clause")
        number, excerpt = row.get("doc_number"), row.get("excerpt")
        if number is not None:
            number = _text(number, fail, f"{field}.doc_number")
        if excerpt is not None:
            excerpt = _text(excerpt, fail, f"{field}.excerpt")
        verified = row.get("verified")
        if isinstance(verified, str) and verified.strip().upper() == "UNVERIFIED":
            raise fail(f"{field}.verified",
                       "依据未经核实（UNVERIFIED），不得写入检查项")
        if verified not in VERIFIED:
            raise fail(f"{field}.verified",
                       f"核实程度应为 {'、'.join(VERIFIED)} 之一：{verified!r}")
        out.append(LegalBasis(document, number, clause, excerpt, verified))
    return tuple(out)


def _applies_to(raw: Any, ctx: ThemeContext, fail: Any) -> AppliesTo:
    if not isinstance(raw, dict):
        raise fail("applies_to", "应为键值表，写 entity_types（及可选的 when）")
    extra = sorted(set(map(str, raw)) - {"entity_types", "when"})
    if extra:
        raise fail(f"applies_to.{extra[0]}", f"未知字段：{'、'.join(extra)}")
    types = raw.get("entity_types")
    if not isinstance(types, list) or not types:
        raise fail("applies_to.entity_types", "应为非空的单位类型代码列表")
    for t in types:
        if not isinstance(t, str) or ctx.vocab.entity_type(t) is None:
            raise fail("applies_to.entity_types", f"词表中没有这个单位类型：{t!r}")
        if not ctx.vocab.is_any(t, ctx.entity_types):
            raise fail("applies_to.entity_types",
                       f"单位类型 {t} 不在主题的 entity_types（{'、'.join(ctx.entity_types)}）之内")
    when = None
    if raw.get("when") is not None:
        try:
            when = parse_condition(raw["when"], ctx.vocab, "applies_to.when")
        except ConditionError as exc:
            raise fail(exc.field, exc.message) from None
        for code in facts_used(when):
            if code not in ctx.facts:
                raise fail("applies_to.when", f"条件用到的事实 {code} 未列入主题的 facts")
            fact = ctx.vocab.fact(code)
            if fact and not any(ctx.vocab.fact_applies(fact, t) for t in types):
                raise fail("applies_to.when", f"事实 {code} 不适用于本项的任何单位类型")
    return AppliesTo(tuple(types), when)


def parse_theme_header(raw: Any, file: str, stem: str, vocab: Vocabulary) -> dict[str, Any]:
    """The checked ``theme:`` block as keyword arguments for :class:`Theme` (items aside)."""
    def fail(field: str, message: str) -> TemplateError:
        return TemplateError(file, message, field=f"theme.{field}")

    if not isinstance(raw, dict):
        raise TemplateError(file, "缺少 theme: 段（主题代码、名称、分节等）")
    extra = sorted(set(map(str, raw)) - THEME_KEYS)
    if extra:
        raise fail(extra[0], f"未知字段：{'、'.join(extra)}")
    code = raw.get("code")
    if not isinstance(code, str) or not THEME_CODE.fullmatch(code):
        raise fail("code", f"主题代码应为小写英文字母、数字或下划线：{code!r}")
    if code != stem:
        raise fail("code", f"主题代码 {code} 与文件名不一致（应为 {code}.yaml）")
    name = _text(raw.get("name"), fail, "name")
    description = _text(raw.get("description", ""), fail, "description", allow_empty=True)
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise fail("version", f"应为正整数：{version!r}")
    kind = raw.get("kind", "onsite")
    if kind not in THEME_KINDS:
        raise fail("kind", f"应为 {'、'.join(THEME_KINDS)} 之一：{kind!r}")
    types = raw.get("entity_types")
    if not isinstance(types, list) or not types:
        raise fail("entity_types", "应为非空的单位类型代码列表")
    for t in types:
        if not isinstance(t, str) or vocab.entity_type(t) is None:
            raise fail("entity_types", f"词表中没有这个单位类型：{t!r}")
    facts = raw.get("facts", [])
    if not isinstance(facts, list):
        raise fail("facts", "应为事实代码列表")
    for f in facts:
        if not isinstance(f, str) or vocab.fact(f) is None:
            raise fail("facts", f"词表中没有这个事实：{f!r}")
    sections = raw.get("sections")
    if not isinstance(sections, list) or not sections:
        raise fail("sections", "应为非空列表：每节写 code 与 title")
    parsed: list[Section] = []
    for i, row in enumerate(sections):
        if not isinstance(row, dict) or not isinstance(row.get("code"), str) or not row["code"]:
            raise fail(f"sections[{i}]", "每节应写 code 与 title")
        if row["code"] in {s.code for s in parsed}:
            raise fail(f"sections[{i}]", f"分节代码重复：{row['code']}")
        parsed.append(Section(row["code"], _text(row.get("title"), fail, f"sections[{i}].title")))
    return {"code": code, "name": name, "description": description, "version": version,
            "kind": kind, "entity_types": tuple(types), "facts": tuple(facts),
            "sections": tuple(parsed)}


def parse_supervision(raw: Any, file: str, section_codes: tuple[str, ...]) -> SupervisionSpec:
    """The ``supervision:`` block of a theme whose items are generated from measures."""
    def fail(field: str | None, message: str) -> TemplateError:
        where = f"supervision.{field}" if field else "supervision"
        return TemplateError(file, message, field=where)

    if not isinstance(raw, dict):
        raise fail(None, "督查类主题（kind: supervision）须有 supervision: 段")
    texts = {}
    for key in ("question", "target_question", "progress_question"):
        texts[key] = _text(raw.get(key), fail, key)
        used = {f for _, f, _, _ in string.Formatter().parse(texts[key]) if f is not None}
        if used - _SUPERVISION_FIELDS:
            raise fail(key, f"未知占位符：{'、'.join(sorted(used - _SUPERVISION_FIELDS))}")
    how = _choice_list(raw.get("how_to_check"), HOW_TO_CHECK, fail, "how_to_check")
    evidence = raw.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise fail("evidence", "应为文字列表")
    for key, allowed in (("obligation", OBLIGATIONS), ("severity", SEVERITIES),
                         ("require_on_fail", REQUIRE_ON_FAIL)):
        if raw.get(key) not in allowed:
            raise fail(key, f"应为 {'、'.join(allowed)} 之一：{raw.get(key)!r}")
    sections = raw.get("sections")
    roles = ("lead", "shared", "target", "collective")
    if not isinstance(sections, dict) or set(sections) != set(roles):
        raise fail("sections", f"应写 {'、'.join(roles)} 各自所在的分节代码")
    for role, code in sections.items():
        if code not in section_codes:
            raise fail(f"sections.{role}", f"主题中没有这个分节：{code!r}")
    detail = raw.get("check_detail")
    return SupervisionSpec(
        texts["question"], texts["target_question"], texts["progress_question"], how,
        _text(detail, fail, "check_detail") if detail is not None else None,
        tuple(evidence), raw["obligation"], raw["severity"], raw["require_on_fail"],
        dict(sections))


def _text(value: Any, fail: Any, field: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not value.strip() and not allow_empty):
        raise fail(field, "应为非空文字")
    return value.strip()


def _choice_list(value: Any, allowed: tuple[str, ...], fail: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise fail(field, f"应为非空列表，取值为 {'、'.join(allowed)}")
    for v in value:
        if v not in allowed:
            raise fail(field, f"“{v}”无效，应为 {'、'.join(allowed)} 之一")
    return tuple(value)
