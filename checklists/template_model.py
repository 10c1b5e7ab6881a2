"""Plain, validated contents of a theme template (``checklists/themes/*.yaml``).

The format and its rules are described in ``checklists/themes/README.md``; the validation
lives in :mod:`checklists.template_schema`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from checklists.conditions import Condition, condition_to_dict, describe
from checklists.datafiles import DataFileError
from checklists.vocabulary import Vocabulary

HOW_TO_CHECK = ("查看现场", "查阅资料", "询问", "测量", "现场测试")
#: How far a basis was checked. 推论: the text was read, but the item's requirement is derived
#: from it rather than stated in it (a government's duty read as the venue's): it never grounds
#: an order.
VERIFIED = ("原文", "转载", "摘要", "二手", "推论")
#: How far a basis may be checked for its article to be printed in a served document.
ARTICLE_VERIFIED = ("原文", "转载", "摘要", "推论")
#: A note kept in the data on how far a citation was checked: （条号未核实）, （条号见二手材料）,
#: （…标题据新闻转述）. Never printed in a document that is served.
VERIFICATION_NOTE = re.compile(r"[（(][^（）()]*(?:未核实|待核|二手|据新闻|转述)[^（）()]*[）)]")
#: A clause with such a note, after the 》 or ） that ends the document's name or 文号.
_NOTED_CLAUSE = re.compile(r"(?<=[》）)])[^；;》（）()]*?" + VERIFICATION_NOTE.pattern)


def served_text(text: str) -> str:
    """A citation stored as text, fit to serve: a clause carrying a verification note goes
    with its note (《…》（文号）第三十一条（条号见二手材料） → 《…》（文号）)."""
    return VERIFICATION_NOTE.sub("", _NOTED_CLAUSE.sub("", text))
OBLIGATIONS = ("法定义务", "规范义务", "推荐标准", "鼓励")
#: Wording that encourages or permits rather than obliges: 支持有条件的…, 鼓励…, 有条件的社区可….
ENCOURAGEMENT = re.compile(r"^(?:……)?(?:积极)?(?:支持|鼓励|引导|倡导|提倡|推动|有条件的)"
                           r"|有条件的[^，。；]{0,12}可")
SEVERITIES = ("轻微", "一般", "严重")
ANSWER_TYPES = ("compliance", "measure", "progress", "date", "text")
COMPARATORS = (">=", ">", "<=", "<", "=", "range")
REQUIRE_ON_FAIL = ("note", "photo", "note_or_photo", "none")
THEME_KINDS = ("onsite", "supervision")
COMPLIANCE_CHOICES = ("符合", "不符合", "部分符合", "不适用")
PROGRESS_CHOICES = ("已完成", "推进中", "未启动", "滞后")
COMPARATOR_TEXT = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "=": "＝"}
NATIONAL = "000000"


class TemplateError(DataFileError):
    """An invalid theme template or user item. The Chinese message names the file, the item
    code and the field; the same three are kept as attributes for the GUI."""

    def __init__(self, file: str, message: str, *, item: str | None = None,
                 field: str | None = None) -> None:
        where = file
        if item:
            where += f" 检查项 {item}"
        if field:
            where += f" 字段 {field}"
        super().__init__(f"{where}：{message}")
        self.file = file
        self.item = item
        self.field = field


def encouragement_only(bases: tuple[LegalBasis, ...]) -> bool:
    """Every cited text encourages or permits (none obliges): the item can only be 鼓励."""
    return bool(bases) and all(b.excerpt and ENCOURAGEMENT.search(b.excerpt) for b in bases)


#: Obligations a failed item can be ordered to put right.
ORDER_OBLIGATIONS = ("法定义务", "规范义务")
#: How far a basis must be read for an order to rest on it: the text itself, or a faithful
#: reprint. A summary, a second-hand citation or an inference grounds only a recommendation.
GROUNDING = ("原文", "转载")


def grounded(bases: Sequence[LegalBasis]) -> bool:
    """At least one basis was read in its own words."""
    return any(b.verified in GROUNDING for b in bases)


def issuing_obligation(obligation: str, bases: Sequence[LegalBasis]) -> str:
    """The obligation a document may act on: a 法定/规范义务 resting on no basis read in its
    own words is acted on as a 推荐标准, i.e. by recommendation only."""
    if obligation in ORDER_OBLIGATIONS and not grounded(bases):
        return "推荐标准"
    return obligation


def order_kind(obligation: str, bases: Sequence[LegalBasis] | None = None) -> str:
    """What a failed item can ground: an order for a 法定/规范义务 whose basis was read in its
    own words (``bases`` None skips that test), a recommendation otherwise."""
    if obligation not in ORDER_OBLIGATIONS:
        return "recommendation"
    return "order" if bases is None or grounded(bases) else "recommendation"


@dataclass(frozen=True)
class LegalBasis:
    document: str  # full title with 《》
    doc_number: str | None  # 文号, or the promulgating order for laws
    clause: str  # article, paragraph or numbered clause
    excerpt: str | None
    verified: str  # 原文 | 转载 | 摘要 | 二手 | 推论

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "doc_number": self.doc_number,
                "clause": self.clause, "excerpt": self.excerpt, "verified": self.verified}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> LegalBasis:
        return cls(raw["document"], raw.get("doc_number"), raw["clause"], raw.get("excerpt"),
                   raw["verified"])

    def citation(self) -> str:
        """《…》（文号）条款 with any verification note — for the checklist editor's screens."""
        number = f"（{self.doc_number}）" if self.doc_number else ""
        return f"{self.document}{number}{self.clause}"

    @property
    def article_verified(self) -> bool:
        """The article is checked against the text (原文, 转载 or 摘要 with no note saying the
        number is unconfirmed); 二手 or a note such as （条号未核实） means it is not."""
        return (self.verified in ARTICLE_VERIFIED and bool(self.clause.strip())
                and VERIFICATION_NOTE.search(self.clause) is None)

    def served_citation(self) -> str:
        """The citation a served document prints: the article only when it is verified,
        otherwise the law or standard and its 文号 alone; never a verification note."""
        return self._served_title() + self._served_clause()

    def _served_title(self) -> str:
        return f"{self.document}（{self.doc_number}）" if self.doc_number else self.document

    def _served_clause(self) -> str:
        return self.clause if self.article_verified else ""


def served_basis(bases: Sequence[LegalBasis]) -> str:
    """Several bases as a served document cites them (each as :meth:`LegalBasis.
    served_citation` would): a law or standard named once, with its articles in the order
    given - 《中华人民共和国消防法》（…）第二十六条第一款、第二十六条第二款 - and the laws apart
    by ；; empty for none."""
    articles: dict[str, list[str]] = {}
    for basis in bases:
        listed = articles.setdefault(basis._served_title(), [])
        clause = basis._served_clause()
        if clause and clause not in listed:
            listed.append(clause)
    return "；".join(title + "、".join(clauses) for title, clauses in articles.items())


@dataclass(frozen=True)
class AnswerSpec:
    type: str  # compliance | measure | progress | date | text
    label: str | None = None
    comparator: str | None = None  # measure only: >= > <= < = range
    threshold: float | int | None = None
    threshold_max: float | int | None = None  # range only (both ends included)
    unit: str | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        """What the result column offers for this answer."""
        return PROGRESS_CHOICES if self.type == "progress" else COMPLIANCE_CHOICES

    def threshold_text(self) -> str:
        """≥10㎡, 20～30万元; empty for answers without a threshold."""
        if self.type != "measure" or self.threshold is None:
            return ""
        unit = self.unit or ""
        if self.comparator == "range":
            return f"{_num(self.threshold)}～{_num(self.threshold_max)}{unit}"
        return f"{COMPARATOR_TEXT.get(self.comparator or '', '')}{_num(self.threshold)}{unit}"

    def meets(self, value: float) -> bool:
        """Whether a measured value meets the threshold (以上/以下 include the number)."""
        t = self.threshold
        if t is None:
            return True
        c = self.comparator
        if c == "range":
            return t <= value <= (self.threshold_max if self.threshold_max is not None else t)
        return {">=": value >= t, ">": value > t, "<=": value <= t, "<": value < t,
                "=": value == t}.get(c or "", True)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        for key in ("label", "comparator", "threshold", "threshold_max", "unit"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> AnswerSpec:
        return cls(raw["type"], raw.get("label"), raw.get("comparator"), raw.get("threshold"),
                   raw.get("threshold_max"), raw.get("unit"))


@dataclass(frozen=True)
class AppliesTo:
    entity_types: tuple[str, ...]
    when: Condition | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"entity_types": list(self.entity_types)}
        if self.when is not None:
            out["when"] = condition_to_dict(self.when)
        return out


@dataclass(frozen=True)
class TemplateItem:
    code: str
    section: str
    question: str
    how_to_check: tuple[str, ...]
    check_detail: str | None
    evidence: tuple[str, ...]
    legal_basis: tuple[LegalBasis, ...]
    obligation: str
    competent_department: str
    measures: tuple[str, ...]  # "<region short>:<number>"
    jurisdiction: str
    applies_to: AppliesTo
    severity: str
    answer: AnswerSpec
    require_on_fail: str = "note_or_photo"
    enabled: bool = True
    user_edited: bool = False  # True when the user's template layer supplied this item
    #: Items of other themes this one asks together: a checklist with both keeps one of them
    #: (this one if it comes first; else it is left out when all those it covers are asked).
    covers: tuple[str, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """The item in template form (what the user layer stores)."""
        out: dict[str, Any] = {
            "code": self.code, "section": self.section, "question": self.question,
            "how_to_check": list(self.how_to_check), "evidence": list(self.evidence),
            "legal_basis": [b.to_dict() for b in self.legal_basis],
            "obligation": self.obligation, "competent_department": self.competent_department,
            "measures": list(self.measures), "jurisdiction": self.jurisdiction,
            "applies_to": self.applies_to.to_dict(), "severity": self.severity,
            "answer": self.answer.to_dict(), "require_on_fail": self.require_on_fail,
            "enabled": self.enabled,
        }
        if self.check_detail is not None:
            out["check_detail"] = self.check_detail
        if self.covers:
            out["covers"] = list(self.covers)
        for basis in out["legal_basis"]:
            for key in ("doc_number", "excerpt"):
                if basis[key] is None:
                    del basis[key]
        return out


@dataclass(frozen=True)
class Section:
    code: str
    title: str


@dataclass(frozen=True)
class SupervisionSpec:
    """Wording and defaults for items generated from measures (部门督查)."""

    question: str  # placeholders: {title} {ref} {document} {number}
    target_question: str  # {indicator} {target} {ref} {deadline} {soft}
    progress_question: str  # same placeholders
    how_to_check: tuple[str, ...]
    check_detail: str | None
    evidence: tuple[str, ...]
    obligation: str
    severity: str
    require_on_fail: str
    sections: dict[str, str] = field(hash=False)  # lead | shared | target | collective -> code


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    description: str
    version: int
    kind: str  # onsite | supervision
    entity_types: tuple[str, ...]
    facts: tuple[str, ...]
    sections: tuple[Section, ...]
    items: tuple[TemplateItem, ...]
    source: str  # file name the theme came from
    supervision: SupervisionSpec | None = None

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)

    def item(self, code: str) -> TemplateItem | None:
        return next((i for i in self.items if i.code == code), None)


def _num(value: float | int | None) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def applies_text(applies: AppliesTo, vocab: Vocabulary) -> str:
    text = "适用于：" + "、".join(vocab.type_label(t) for t in applies.entity_types)
    if applies.when is not None:
        text += f"；条件：{describe(applies.when, vocab)}"
    return text
