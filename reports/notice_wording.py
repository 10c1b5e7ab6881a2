"""The wording of rectification documents (reports/notice_wording.yaml), validated when loaded,
and the texts a document prints about a problem: a statement of fact and a requirement, never
the checklist question, cleaned for an official document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from checklists.template_model import served_text

FAMILIES = ("labour", "health", "order", "supervise", "feedback", "advice", "referral")


GONGWEN = ("supervise", "feedback", "referral")  # 公文: numbers without 第, no 责令


ORDERS = ("labour", "health", "order")  # 执法文书 that order


class NoticeDataError(ValueError):
    """A notice cannot be printed as it stands. The message is Chinese."""


@dataclass(frozen=True)
class Wording:
    """The prose of one family; placeholders are filled by :mod:`reports.notice`."""

    family: str
    intro: str
    problem_header: str
    provision_header: str
    requirement_header: str
    deadline: str
    immediate: str
    no_deadline: str
    recheck: str
    recheck_after: str
    closing: str
    remedy: str
    signer: str
    recheck_intro: str  # 复查意见书: placeholders {served_on} {title} {number} {rechecked_on}
    recheck_passed: str
    recheck_lead: str  # 经复查， / 经回访，
    recheck_open_one: str  # 该问题仍未整改到位
    recheck_open_all: str  # 上述{count}项问题均未整改到位
    recheck_open_some: str  # 第{numbers}项问题仍未整改到位
    recheck_next: str  # what follows a failed recheck ({next_deadline}); "" for orders
    doc_title: str = ""  # a 公文's printed title (关于……的督办通知); "" prints the kind's title
    closing_immediate: str = ""  # closing of a 责令立即改正 (no 逾期); "" uses closing


@dataclass(frozen=True)
class QuestionTemplate:
    """An explicit rewording of a checklist question into a statement and a requirement."""

    pattern: re.Pattern[str]
    statement: str  # for 不符合
    partial: str  # for 部分符合
    requirement: str


@dataclass(frozen=True)
class WordingFile:
    families: dict[str, Wording]
    escalation_verified: str  # {basis}
    escalation_general: str
    #: an order rechecked and found not put right before its deadline ({deadline}): the unit
    #: finishes within the period it was given; consequences only if it does not
    escalation_within: str
    templates: tuple[QuestionTemplate, ...]


WORDING_FILE = "notice_wording.yaml"


_WORDING_KEYS = ("intro", "problem_header", "provision_header", "requirement_header", "deadline",
                 "immediate", "no_deadline", "recheck", "recheck_after", "closing", "remedy",
                 "signer", "recheck_intro", "recheck_passed", "recheck_lead", "recheck_open_one",
                 "recheck_open_all", "recheck_open_some", "recheck_next", "doc_title",
                 "closing_immediate")


_SHARED = ("escalation", "question_templates")


def load_wording() -> dict[str, Wording]:
    """The wording of every family (see :func:`load_wording_file`)."""
    return load_wording_file().families


@cache
def load_wording_file() -> WordingFile:
    """The wording file, validated: every family present, every key a string, advice and
    referral free of 责令, every template a valid pattern."""
    from pathlib import Path

    path = Path(__file__).with_name(WORDING_FILE)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise NoticeDataError(f"{WORDING_FILE} 格式错误：应为映射。")
    out: dict[str, Wording] = {}
    for family in FAMILIES:
        entry = raw.get(family)
        if not isinstance(entry, dict):
            raise NoticeDataError(f"{WORDING_FILE} 缺少文书类别 {family}。")
        values: dict[str, Any] = {}
        for key in _WORDING_KEYS:
            value = entry.get(key, "")
            if not isinstance(value, str):
                raise NoticeDataError(f"{WORDING_FILE} 中 {family}.{key} 应为文字。")
            values[key] = re.sub(r"\s+", "", value)  # folded YAML lines: Chinese has no spaces
        out[family] = Wording(family=family, **values)
    unknown = set(raw) - set(FAMILIES) - set(_SHARED)
    if unknown:
        raise NoticeDataError(f"{WORDING_FILE} 中有未知的文书类别：{'、'.join(sorted(unknown))}")
    for family in ("advice", *GONGWEN):
        if "责令" in " ".join(vars(out[family]).values()):
            raise NoticeDataError(f"{WORDING_FILE} 中{family}类文书不得使用“责令”。")
    esc = raw.get("escalation")
    if not isinstance(esc, dict) or not all(isinstance(esc.get(k), str)
                                            for k in ("verified", "general", "within_deadline")):
        raise NoticeDataError(
            f"{WORDING_FILE} 缺少 escalation.verified / general / within_deadline。")
    if "{deadline}" not in esc["within_deadline"]:
        raise NoticeDataError(f"{WORDING_FILE} 中 escalation.within_deadline 应写明{{deadline}}。")
    templates = []
    for n, row in enumerate(raw.get("question_templates") or (), start=1):
        try:
            templates.append(QuestionTemplate(re.compile(row["pattern"]), row["statement"],
                                              row.get("partial") or row["statement"],
                                              row["requirement"]))
        except (KeyError, TypeError, re.error) as exc:
            raise NoticeDataError(f"{WORDING_FILE} 第{n}个 question_templates 无效：{exc}"
                                  ) from None
    return WordingFile(out, esc["verified"], esc["general"],
                       re.sub(r"\s+", "", esc["within_deadline"]), tuple(templates))


_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


# An internal measure reference such as （中宁:10） or （宝鸡:二、5，2025年底前）: an ASCII colon.
_INTERNAL_REF = re.compile(r"[（(][^（）()]{0,12}[\u4e00-\u9fff]:[^（）()]*[）)]")


_MORE_TASKS = re.compile(r"（另有(?P<n>\d+)项任务，见核查要点）")
_OWN_PROVINCE = re.compile(r"本省（(?:自治区|区、市|市、区)）|本省（[^）]{0,8}）|本自治区|本省")


UNKNOWN_PROVINCE = "所在省份"


def official_text(text: str, province: str | None = None) -> str:
    """A string fit for an official document: “” quotes (a quotation inside a quotation in
    ‘’), no internal measure codes, no note on how far a citation was verified, no pointer to
    the 核查要点 (a sentence that quotes a measure ends with it: ……”应落实), and 本省（自治区）
    / 本自治区 / 本省 replaced by the unit's province (所在省份 when unknown)."""
    text = served_text(_INTERNAL_REF.sub("", text.translate(_QUOTES)))
    text = nested_quotes(_MORE_TASKS.sub("", text))
    return _OWN_PROVINCE.sub(province or UNKNOWN_PROVINCE, text)


def nested_quotes(text: str) -> str:
    """Double quotes inside double quotes become single ones, as Chinese writes a quotation
    within a quotation: “构建“1+N”托育服务体系” → “构建‘1+N’托育服务体系”."""
    out = []
    depth = 0
    for ch in text:
        if ch == "“":
            out.append("“" if depth % 2 == 0 else "‘")
            depth += 1
        elif ch == "”" and depth > 0:
            depth -= 1
            out.append("”" if depth % 2 == 0 else "’")
        else:
            out.append(ch)
    return "".join(out)


def without_task_pointer(text: str) -> str:
    """A 督查 item as a served document words it: its pointer to the 核查要点 (which the party
    never sees) says only how many more tasks the measure holds."""
    return _MORE_TASKS.sub(r"（该项措施另有\g<n>项任务）", text)


def _bare(question: str) -> str:
    return official_text(question).strip().rstrip("？?").strip()


def _template(question: str) -> tuple[QuestionTemplate, re.Match[str]] | None:
    bare = _bare(question)
    for t in load_wording_file().templates:
        m = t.pattern.fullmatch(bare)
        if m:
            return t, m
    return None


def measured_text(answer: dict[str, Any] | None, value: float | None) -> str:
    """安全出口数量1个（标准≥2个）: a measured value against its standard, or ""."""
    from checklists.template_model import AnswerSpec

    if not answer or value is None or answer.get("type") != "measure":
        return ""
    spec = AnswerSpec.from_dict(answer)
    shown = f"{value:g}{spec.unit or ''}"
    limit = spec.threshold_text()
    return f"{spec.label or ''}{shown}" + (f"（标准{limit}）" if limit else "")


def statement_of(stored: str | None, question: str, result: str, note: str | None,
                 measured: str = "") -> str:
    """存在问题 as printed: the stored statement; else the measured value against its standard
    and the inspector's note; else an explicit template of the question; never a question."""
    if stored and stored.strip() and not _is_question(stored):
        return stored.strip()
    said = (note or "").strip().rstrip("。")
    value = re.search(r"[\d.]+\D{0,3}", measured)
    if value and value.group() in said:
        measured = ""  # the inspector's note states the value already: once is enough
    parts = [p for p in (measured, said) if p]
    if parts:
        return "；".join(parts)
    found = _template(question)
    if found is not None:
        t, m = found
        return (t.partial if result == "部分符合" else t.statement).format(**m.groupdict())
    return "经检查，该项部分符合要求" if result == "部分符合" else "经检查，该项不符合要求"


def requirement_of(stored: str | None, question: str, provisions: tuple[str, ...]) -> str:
    """整改要求 as printed: the stored requirement unless it is the automatic rewording of the
    question (or still a question); else an explicit template; else 应符合<依据>的规定."""
    text = (stored or "").strip()
    if text and not _is_question(text) and text not in _automatic_requirements(question):
        return text
    found = _template(question)
    if found is not None:
        t, m = found
        return t.requirement.format(**m.groupdict())
    plain = _plain_requirement(question)
    if plain:
        return plain
    cited = "、".join(p for p in provisions if p.startswith("《")) or "有关规定"
    return f"应符合{cited}的规定" if cited != "有关规定" else "应按有关规定整改到位"


_ORDERING = re.compile(r"^(?:应当|应该|必须|须|应|要)")
_CONFORM = re.compile(r"^应符合(?P<basis>.+?)的规定$")
#: 应 / 应当 / 必须 giving an order after the subject (not the 应 of 相应, 供应, 应急, 应聘 …).
_MODAL = re.compile(r"，?(?:应当|应该|必须|(?<![相供对适响反答呼效感])应(?![急用聘届对变付征]))")


def as_advice(requirement: str) -> str:
    """A requirement worded as a recommendation, as a 整改建议书 must: 应配备婴儿床 → 建议配备
    婴儿床; 应符合《X》的规定 → 建议参照《X》予以完善; 不得… → 建议避免…."""
    text = requirement.strip().rstrip("。")
    if text.startswith("建议"):
        return text
    conform = _CONFORM.match(text)
    if conform:
        return f"建议参照{conform.group('basis')}予以完善"
    if text.startswith("不得"):
        return "建议避免" + text[2:]
    if _ORDERING.match(text):
        return "建议" + _ORDERING.sub("", text)
    # the order after its subject: 男职工在配偶生育时，应享受…护理假 -> 建议男职工在配偶生育时享受…
    return "建议" + _MODAL.sub("", text, count=1)


def _plain_requirement(question: str) -> str | None:
    """是否 → 应 where that cannot garble: one clause, one 是否, and no 未/无/已 after it
    (母婴室是否配备婴儿床？ → 母婴室应配备婴儿床); None otherwise."""
    bare = question.strip().rstrip("？?").strip()
    if bare.count("是否") != 1 or re.search("[，,；;]", bare):
        return None
    head, tail = bare.split("是否", 1)
    if not tail or tail[0] in "未无已没有" or not head:
        return None
    return f"{head}应{tail}"


def _is_question(text: str) -> bool:
    return "？" in text or "?" in text or "是否" in text


def _automatic_requirements(question: str) -> set[str]:
    """Requirements the issuing service used to derive from the question by rote
    (是否 → 应, 是否未 → 不得): they garble questions such as …，消火栓未被埋压？"""
    out = set()
    bare = question.strip().rstrip("？?").strip()
    if "是否未" in bare:
        head, tail = bare.split("是否未", 1)
        out.add(f"{head}不得{tail.replace('、未', '、')}")
    if "是否" in bare:
        out.add(bare.replace("是否", "应", 1))
    out.add(f"应整改到位：{bare}")
    return out
