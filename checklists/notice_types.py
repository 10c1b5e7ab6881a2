"""Kinds of rectification documents (``checklists/data/notice_types.yaml``), validated on load.

Which document answers a non-compliant item depends on the item's competent department, its
obligation and the inspection type; the rules are data, read top to bottom, first match wins.
Only 法定义务 / 规范义务 within the powers of an enforcing department can ground an order;
推荐标准 and 鼓励 items, and items of departments without enforcement powers, get advice only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checklists.datafiles import DataFileError, data_path, load_yaml
from checklists.template_model import OBLIGATIONS

FILE = "notice_types.yaml"
CLASSES = ("order", "supervision", "advice", "referral")
NUMBER_STYLES = ("enforcement", "document")
DEADLINE_MODES = ("immediate", "calendar", "working", "none")
ORDER_OBLIGATIONS = ("法定义务", "规范义务")
VERIFIED = ("原文", "转载", "摘要", "二手", "未核实")
ANY = "*"


@dataclass(frozen=True)
class Citation:
    document: str
    clause: str | None
    excerpt: str | None
    verified: str

    @property
    def text(self) -> str:
        """As printed: the act and its article, or the act alone marked 条款待核实."""
        if self.clause:
            return f"{self.document}{self.clause}"
        return f"{self.document}（条款待核实）" if self.verified == "未核实" else self.document

    @property
    def is_verified(self) -> bool:
        """Checked against a text and citing its article: fit to print as the basis."""
        return bool(self.clause) and self.verified != "未核实"


@dataclass(frozen=True)
class NoticeKind:
    code: str
    title: str
    klass: str  # order | supervision | advice
    suffix: str  # 文书代字 after the 机关代字
    deadline_mode: str
    deadline_days: int
    legal_basis: tuple[Citation, ...]
    escalation_basis: tuple[Citation, ...]
    number_style: str = "enforcement"  # enforcement: 〔2026〕第12号; document: 〔2026〕12号

    @property
    def is_order(self) -> bool:
        """True for documents that order (责令/指令/督办); False for advice, feedback and
        referral."""
        return self.klass in ("order", "supervision")

    @property
    def is_referral(self) -> bool:
        """A 移送函 to the competent department: no deadline, ends with its feedback."""
        return self.klass == "referral"

    @property
    def basis_verified(self) -> bool:
        return bool(self.legal_basis) and all(c.is_verified for c in self.legal_basis)


@dataclass(frozen=True)
class KindRule:
    inspection_kind: str | None
    departments: tuple[str, ...]
    obligations: tuple[str, ...]
    kind: str
    immediate_kind: str | None

    def matches(self, inspection_kind: str, department: str, obligation: str) -> bool:
        if self.inspection_kind is not None and self.inspection_kind != inspection_kind:
            return False
        if obligation not in self.obligations:
            return False
        return ANY in self.departments or department in self.departments


@dataclass(frozen=True)
class NoticeTypes:
    kinds: dict[str, NoticeKind]
    rules: tuple[KindRule, ...]
    service_methods: tuple[str, ...]
    recheck_window_workdays: int
    no_enforcement_powers: tuple[str, ...]
    referral_kind: str = "referral"
    recheck_title: str = "复查意见书"
    recheck_suffix: str = "复查"

    def choose(self, *, inspection_kind: str, department: str, obligation: str,
               immediate: bool = False, issuer: str | None = None) -> NoticeKind:
        """The document for one non-compliant item (see the module docstring).

        ``issuer`` is the issuing body's own department kind label. Outside 督查, a 法定义务 /
        规范义务 item of another department's competence gets the referral kind (移送函);
        ``issuer=None`` skips that test (the caller knows the issuer is competent).
        """
        if (issuer is not None and department != issuer and inspection_kind != "督查"
                and obligation in ORDER_OBLIGATIONS):
            return self.kinds[self.referral_kind]
        if department in self.no_enforcement_powers and obligation in ORDER_OBLIGATIONS:
            obligation = "推荐标准"  # such a body can only advise
        for rule in self.rules:
            if rule.matches(inspection_kind, department, obligation):
                code = rule.immediate_kind if immediate and rule.immediate_kind else rule.kind
                return self.kinds[code]
        raise DataFileError(f"{FILE}：没有适用于 {department}/{obligation} 的文书规则")


def load_notice_types(path: Path | None = None) -> NoticeTypes:
    """Read and validate the file; :class:`DataFileError` (Chinese, names the file) if bad."""
    path = path or data_path(FILE)
    raw = load_yaml(path)
    name = path.name
    if not isinstance(raw, dict):
        raise DataFileError(f"{name}：顶层应为映射")
    kinds: dict[str, NoticeKind] = {}
    for i, row in enumerate(_list(raw, "kinds", name)):
        kind = _kind(row, f"{name} kinds 第{i + 1}项")
        if kind.code in kinds:
            raise DataFileError(f"{name}：文书代码 {kind.code} 重复")
        kinds[kind.code] = kind
    rules = tuple(_rule(row, f"{name} rules 第{i + 1}项", kinds)
                  for i, row in enumerate(_list(raw, "rules", name)))
    for obligation in OBLIGATIONS:  # every obligation must reach a document somewhere
        if not any(obligation in r.obligations and ANY in r.departments
                   and r.inspection_kind is None for r in rules):
            raise DataFileError(f"{name}：义务类型 {obligation} 没有兜底规则（departments: ['*']）")
    for r in rules:
        if not set(r.obligations) <= set(ORDER_OBLIGATIONS) and kinds[r.kind].is_order:
            raise DataFileError(f"{name}：推荐标准、鼓励性条目不能出具责令类文书（{r.kind}）")
    methods = raw.get("service_methods")
    if not (isinstance(methods, list) and methods and all(isinstance(m, str) for m in methods)):
        raise DataFileError(f"{name}：service_methods 应为送达方式列表")
    window = raw.get("recheck_window_workdays")
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise DataFileError(f"{name}：recheck_window_workdays 应为正整数")
    powers = raw.get("no_enforcement_powers") or []
    if not isinstance(powers, list):
        raise DataFileError(f"{name}：no_enforcement_powers 应为列表")
    referral = raw.get("referral_kind")
    if referral not in kinds or not kinds[referral].is_referral:
        raise DataFileError(f"{name}：referral_kind 应为一种 class: referral 的文书")
    recheck = raw.get("recheck")
    if not isinstance(recheck, dict):
        raise DataFileError(f"{name}：缺少 recheck（复查意见书的名称和文号代字）")
    r_title = str(_text(recheck, "title", f"{name} recheck"))
    r_suffix = str(_text(recheck, "suffix", f"{name} recheck"))
    return NoticeTypes(kinds, rules, tuple(methods), window, tuple(str(p) for p in powers),
                       str(referral), r_title, r_suffix)


@cache
def notice_types() -> NoticeTypes:
    """The shipped file, loaded once."""
    return load_notice_types()


def _list(raw: dict[str, Any], key: str, name: str) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise DataFileError(f"{name}：缺少 {key} 列表")
    return value


def _text(row: dict[str, Any], key: str, where: str, *, optional: bool = False) -> str | None:
    value = row.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}：字段 {key} 应为非空文字")
    return value.strip()


def _citations(value: Any, where: str) -> tuple[Citation, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DataFileError(f"{where}：法律依据应为列表")
    out = []
    for row in value:
        if not isinstance(row, dict):
            raise DataFileError(f"{where}：法律依据每项应为映射")
        verified = _text(row, "verified", where)
        if verified not in VERIFIED:
            raise DataFileError(f"{where}：verified 应为 {'、'.join(VERIFIED)} 之一")
        clause = _text(row, "clause", where, optional=True)
        if clause and verified == "未核实":
            raise DataFileError(f"{where}：未核实的依据不得写条号（{clause}）")
        out.append(Citation(str(_text(row, "document", where)), clause,
                            _text(row, "excerpt", where, optional=True), str(verified)))
    return tuple(out)


def _kind(row: Any, where: str) -> NoticeKind:
    if not isinstance(row, dict):
        raise DataFileError(f"{where}：应为映射")
    klass = _text(row, "class", where)
    if klass not in CLASSES:
        raise DataFileError(f"{where}：class 应为 {'、'.join(CLASSES)} 之一")
    deadline = row.get("deadline")
    if not isinstance(deadline, dict) or deadline.get("mode") not in DEADLINE_MODES:
        raise DataFileError(f"{where}：deadline.mode 应为 {'、'.join(DEADLINE_MODES)} 之一")
    days = deadline.get("days", 0)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise DataFileError(f"{where}：deadline.days 应为非负整数")
    if deadline["mode"] in ("calendar", "working") and days < 1:
        raise DataFileError(f"{where}：限期改正的期限天数应大于 0")
    if klass == "referral" and deadline["mode"] != "none":
        raise DataFileError(f"{where}：移送函不对被检查单位设整改期限（deadline.mode: none）")
    style = row.get("number_style", "enforcement")
    if style not in NUMBER_STYLES:
        raise DataFileError(f"{where}：number_style 应为 {'、'.join(NUMBER_STYLES)} 之一")
    return NoticeKind(str(_text(row, "code", where)), str(_text(row, "title", where)),
                      str(klass), str(_text(row, "suffix", where)), deadline["mode"], days,
                      _citations(row.get("legal_basis"), where),
                      _citations(row.get("escalation_basis"), where), str(style))


def _rule(row: Any, where: str, kinds: dict[str, NoticeKind]) -> KindRule:
    if not isinstance(row, dict):
        raise DataFileError(f"{where}：应为映射")
    obligations = row.get("obligations")
    if not isinstance(obligations, list) or not set(obligations) <= set(OBLIGATIONS):
        raise DataFileError(f"{where}：obligations 应为 {'、'.join(OBLIGATIONS)} 中的若干项")
    departments = row.get("departments")
    if not isinstance(departments, list) or not departments:
        raise DataFileError(f"{where}：departments 应为部门列表或 ['*']")
    kind = _text(row, "kind", where)
    immediate = _text(row, "immediate_kind", where, optional=True)
    for code in (kind, immediate):
        if code is not None and code not in kinds:
            raise DataFileError(f"{where}：未定义的文书种类 {code}")
    return KindRule(_text(row, "inspection_kind", where, optional=True),
                    tuple(str(d) for d in departments), tuple(obligations), str(kind), immediate)
