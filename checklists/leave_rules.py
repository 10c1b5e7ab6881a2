"""Each province's leave rules (``data/leave_rules.yaml``) and the leave items they localise.

The 女职工劳动保护 items on 延长产假, 护理假, 育儿假 and 哺乳假 are written for the whole
country ("以本省条例为准"). For a unit in a province listed in the data file they name that
province's 条例, its current version, article and day counts; a figure that is not confirmed
against the current text is stated as such (天数待核) and its article never reaches a served
document. A province not in the file keeps the national wording with a note that its rules are
not yet recorded.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

from checklists.checklist_model import ChecklistItem, answer_hash
from checklists.datafiles import DataFileError, data_path, load_yaml
from checklists.regions import ancestors, region_by_code
from checklists.template_model import OBLIGATIONS, VERIFIED, LegalBasis, order_kind

FILE = "leave_rules.yaml"
#: Verification levels at which a day count is a requirement rather than a figure to check.
CONFIRMED = ("原文", "转载")
KINDS = {
    "maternity_extension": "延长产假（生育奖励假）",
    "paternity": "护理假（配偶陪产假）",
    "parental": "育儿假",
    "nursing": "哺乳假",
}
_WHO = {
    "maternity_extension": "女职工生育",
    "paternity": "男职工在配偶生育时",
    "parental": "有3周岁以下子女的职工",
    "nursing": "哺乳期女职工",
}
_SOURCE_KIND = {"原文": "据条例原文，但现行版本未确认", "转载": "据转载文本",
                "摘要": "据新闻摘要", "二手": "据二手资料", "推论": "据条文推论"}
_CHILD = {1: "一孩", 2: "二孩", 3: "三孩", 4: "四孩"}
PENDING = "待核"
SAME_SOURCE = "同上"
NOT_RECORDED = "本省（自治区）的休假规定尚未收录，天数以本省现行条例为准"

_PROVINCE_KEYS = {"region", "regulation", "version", "version_verified", "checked", "leaves"}
_LEAVE_KEYS = {"kind", "days", "by_child", "per", "article", "article_note", "conditions",
               "source", "verified", "obligation", "regulation"}


@dataclass(frozen=True)
class LeaveRule:
    kind: str
    regulation: str  # the 条例 (or another regulation) that sets it, in 《》
    version: str | None
    days: int | None
    by_child: tuple[tuple[int, int], ...]  # ((1, 60), (2, 70), (3, 80))
    per: str | None
    article: str | None
    article_note: str | None
    conditions: str | None
    source: str
    verified: str
    obligation: str
    version_verified: bool

    @property
    def confirmed(self) -> bool:
        """The day count is a requirement: current version known and the rule read in it."""
        return self.version_verified and self.verified in CONFIRMED

    def days_text(self) -> str:
        """60天 / 一孩60天、二孩70天、三孩80天 / 每年夫妻双方各10天; empty without a figure."""
        if self.by_child:
            return "、".join(f"{_CHILD.get(n, f'第{n}孩')}{d}天" for n, d in self.by_child)
        if self.days is None:
            return ""
        return f"{self.per}{self.days}天" if self.per else f"{self.days}天"

    def basis(self) -> LegalBasis:
        clause = self.article or ""
        if self.article_note:
            clause += f"（{self.article_note}）"
        elif not self.confirmed:
            clause += f"（{PENDING}）" if clause else f"休假条款（条号{PENDING}）"
        excerpt = "；".join(x for x in (f"{KINDS[self.kind]}{self.days_text()}"
                                        if self.days_text() else "", self.conditions or "") if x)
        return LegalBasis(self.regulation, self.version, clause, excerpt or None, self.verified)


@dataclass(frozen=True)
class ProvinceLeave:
    region: str
    regulation: str
    version: str | None
    version_verified: bool
    rules: tuple[LeaveRule, ...]

    def rule(self, kind: str) -> LeaveRule | None:
        return next((r for r in self.rules if r.kind == kind), None)


@dataclass(frozen=True)
class LeaveData:
    items: dict[str, str]  # item code -> leave kind
    provinces: tuple[ProvinceLeave, ...]
    enabling_law: str  # the national law that only lets provinces set the leave

    def province(self, region_code: str | None) -> ProvinceLeave | None:
        if not region_code:
            return None
        chain = ancestors(region_code)
        return next((p for p in self.provinces if p.region in chain), None)


@cache
def load_leave_rules() -> LeaveData:
    return parse_leave_rules(load_yaml(data_path(FILE)))


def parse_leave_rules(raw: Any) -> LeaveData:
    """Validate the file's contents. Raises :class:`DataFileError` with a Chinese message."""
    if not isinstance(raw, dict) or set(raw) != {"enabling_law", "items", "provinces"}:
        raise DataFileError(f"{FILE}：应只有 enabling_law、items 和 provinces 三项")
    enabling = raw["enabling_law"]
    if not isinstance(enabling, str) or not enabling.startswith("《"):
        raise DataFileError(f"{FILE}：enabling_law 应为带书名号的法律全称")
    items = raw["items"]
    if not isinstance(items, dict) or not items:
        raise DataFileError(f"{FILE}：items 应为“检查项编号: 假期种类”")
    for code, kind in items.items():
        if kind not in KINDS:
            raise DataFileError(f"{FILE}：检查项 {code} 的假期种类无效：{kind!r}"
                                f"（应为 {'、'.join(KINDS)} 之一）")
    if not isinstance(raw["provinces"], list):
        raise DataFileError(f"{FILE}：provinces 应为列表")
    provinces = []
    seen: set[str] = set()
    for entry in raw["provinces"]:
        province = _province(entry)
        if province.region in seen:
            raise DataFileError(f"{FILE}：省份 {province.region} 重复")
        seen.add(province.region)
        provinces.append(province)
    return LeaveData({str(k): str(v) for k, v in items.items()}, tuple(provinces), enabling)


def _province(raw: Any) -> ProvinceLeave:
    if not isinstance(raw, dict):
        raise DataFileError(f"{FILE}：每个省份应为一组键值")
    region = str(raw.get("region", ""))
    where = f"{FILE} 省份 {region or '（未写代码）'}"
    unknown = sorted(set(map(str, raw)) - _PROVINCE_KEYS)
    if unknown:
        raise DataFileError(f"{where}：未知字段 {'、'.join(unknown)}")
    found = region_by_code(region)
    if found is None or found.level != "province":
        raise DataFileError(f"{where}：region 应为省级行政区划代码")
    regulation = raw.get("regulation")
    if not isinstance(regulation, str) or not (regulation.startswith("《")
                                                and regulation.endswith("》")):
        raise DataFileError(f"{where}：regulation 应为带书名号的条例全称")
    version = raw.get("version")
    if version is not None and not isinstance(version, str):
        raise DataFileError(f"{where}：version 应为文字或 null")
    if not isinstance(raw.get("version_verified"), bool):
        raise DataFileError(f"{where}：version_verified 应为 true 或 false")
    if not isinstance(raw.get("checked"), str) or not raw["checked"].strip():
        raise DataFileError(f"{where}：checked 应说明如何核实")
    if version is None and raw["version_verified"]:
        raise DataFileError(f"{where}：未写现行版本，version_verified 不能为 true")
    leaves = raw.get("leaves")
    if not isinstance(leaves, list):
        raise DataFileError(f"{where}：leaves 应为列表（没有找到任何规定的写 []）")
    rules: list[LeaveRule] = []
    for r in leaves:
        rule = _rule(r, where, regulation, version, raw["version_verified"])
        if rule.source == SAME_SOURCE:
            if not rules:
                raise DataFileError(f"{where}：第一种假期的出处不能写“{SAME_SOURCE}”")
            rule = dataclasses.replace(rule, source=rules[-1].source)
        rules.append(rule)
    kinds = [r.kind for r in rules]
    if len(set(kinds)) != len(kinds):
        raise DataFileError(f"{where}：同一种假期写了两次")
    return ProvinceLeave(region, regulation, version, raw["version_verified"], tuple(rules))


def _rule(raw: Any, where: str, regulation: str, version: str | None,
          version_verified: bool) -> LeaveRule:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}：每种假期应为一组键值")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise DataFileError(f"{where}：假期种类无效：{kind!r}")
    where = f"{where} {KINDS[kind]}"
    unknown = sorted(set(map(str, raw)) - _LEAVE_KEYS)
    if unknown:
        raise DataFileError(f"{where}：未知字段 {'、'.join(unknown)}")
    days = raw.get("days")
    by_child = raw.get("by_child") or {}
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days <= 0):
        raise DataFileError(f"{where}：days 应为正整数或 null")
    if not isinstance(by_child, dict) or any(
            not isinstance(k, int) or not isinstance(v, int) or v <= 0
            for k, v in by_child.items()):
        raise DataFileError(f"{where}：by_child 应为“第几孩: 天数”")
    if days is not None and by_child:
        raise DataFileError(f"{where}：days 和 by_child 只能写一个")
    if raw.get("verified") not in VERIFIED:
        raise DataFileError(f"{where}：verified 应为 {'、'.join(VERIFIED)} 之一")
    if raw.get("obligation") not in OBLIGATIONS:
        raise DataFileError(f"{where}：obligation 应为 {'、'.join(OBLIGATIONS)} 之一")
    if not isinstance(raw.get("source"), str) or not raw["source"].strip():
        raise DataFileError(f"{where}：source 应写明出处")
    own = raw.get("regulation")
    if own is not None and not (isinstance(own, str) and own.startswith("《")):
        raise DataFileError(f"{where}：regulation 应为带书名号的法规全称")
    return LeaveRule(
        kind=kind, regulation=own or regulation, version=None if own else version, days=days,
        by_child=tuple(sorted(by_child.items())), per=_text(raw, "per"),
        article=_text(raw, "article"), article_note=_text(raw, "article_note"),
        conditions=_text(raw, "conditions"), source=raw["source"].strip(),
        verified=raw["verified"], obligation=raw["obligation"],
        version_verified=version_verified and own is None)


def _text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return str(value).strip() if value is not None and str(value).strip() else None


def localise(item: ChecklistItem, region_code: str | None,
             data: LeaveData | None = None) -> ChecklistItem:
    """The leave item as it reads for a unit in ``region_code``; other items unchanged."""
    data = data or load_leave_rules()
    kind = data.items.get(item.code)
    if kind is None or item.user_edited:
        return item
    province = data.province(region_code)
    if province is None:
        detail = "对照本省（自治区）现行人口与计划生育条例核对天数。" + (item.check_detail or "")
        return _with(item, item.question, detail, item.legal_basis, item.obligation,
                     _join(item.note, NOT_RECORDED))
    item = dataclasses.replace(item, legal_basis=tuple(
        b for b in item.legal_basis if b.document != data.enabling_law))
    rule = province.rule(kind)
    if rule is None:
        return _unknown_days(item, kind, province)
    days = rule.days_text()
    marks = [m for m in ("鼓励性规定" if rule.obligation == "鼓励" else "",
                         "" if rule.confirmed else f"天数{PENDING}") if m]
    pending = f"（{'，'.join(marks)}）" if marks else ""
    verb = "单位是否给予了" if rule.obligation == "鼓励" else "是否享受了"
    soft = ""
    if kind == "nursing" and rule.conditions and not days:
        question = (f"{_WHO[kind]}，{verb.replace('是否', '是否按' + rule.regulation)}"
                    f"{KINDS[kind]}{soft}{pending}？")
    elif days:
        question = f"{_WHO[kind]}，{verb}{days}的{KINDS[kind]}{soft}{pending}？"
    else:
        question = f"{_WHO[kind]}，{verb}{rule.regulation}规定的{KINDS[kind]}{soft}{pending}？"
    details = [f"依据：{_rule_citation(rule)}。"]
    if rule.conditions:
        details.append(f"另：{rule.conditions}。")
    if not rule.confirmed:
        details.append(f"上述天数{_SOURCE_KIND[rule.verified]}，未对照现行条例原文核实，"
                      "判定前请对照现行条例原文核对。")
    if item.check_detail:
        details.append(item.check_detail)
    note = None if rule.confirmed else (f"天数{PENDING}：{_SOURCE_KIND[rule.verified]}，"
                                        f"以{rule.regulation}现行文本为准")
    basis = (rule.basis(), *item.legal_basis)
    return _with(item, question, "".join(details), basis, rule.obligation, _join(item.note, note))


def _unknown_days(item: ChecklistItem, kind: str, province: ProvinceLeave) -> ChecklistItem:
    version = f"（{province.version}）" if province.version else ""
    if kind == "nursing":
        question = (f"{province.regulation}规定哺乳假的，{_WHO[kind]}是否享受了哺乳假"
                    f"（天数{PENDING}）？")
    else:
        question = (f"{_WHO[kind]}，是否享受了{province.regulation}规定的{KINDS[kind]}"
                    f"（天数{PENDING}）？")
    detail = (f"依据：{province.regulation}{version}。本工具尚未收录该条例的{KINDS[kind]}天数，"
              f"请对照现行条例原文核对。" + (item.check_detail or ""))
    basis = (LegalBasis(province.regulation, province.version, f"休假条款（条号{PENDING}）", None,
                        "二手"), *item.legal_basis)
    return _with(item, question, detail, basis, item.obligation,
                 _join(item.note, f"天数{PENDING}：以{province.regulation}现行文本为准"))


def _rule_citation(rule: LeaveRule) -> str:
    version = f"（{rule.version}）" if rule.version else ""
    article = rule.article or ""
    if rule.article_note:
        article += f"（{rule.article_note}）"
    days = rule.days_text()
    return f"{rule.regulation}{version}{article}" + (f"，{KINDS[rule.kind]}{days}" if days else "")


def _with(item: ChecklistItem, question: str, detail: str | None,
          basis: tuple[LegalBasis, ...], obligation: str, note: str | None) -> ChecklistItem:
    return dataclasses.replace(
        item, question=question, check_detail=detail, legal_basis=basis, obligation=obligation,
        order_kind=order_kind(obligation, basis), note=note,
        text_hash=answer_hash(question, item.how_to_check, detail, item.answer, basis))


def _join(first: str | None, second: str | None) -> str | None:
    parts = [p for p in (first, second) if p]
    return "；".join(parts) if parts else None
