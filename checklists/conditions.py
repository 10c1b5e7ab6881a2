"""Conditions on entity facts in theme templates, read with three-valued logic.

A condition is a fact test (``{fact: building_area_m2, op: ">", value: 10000}``) or an
``any`` / ``all`` of conditions, nested freely. A fact that is not known yet makes a test
*unknown* rather than false, so that the item stays in the checklist marked 适用条件待现场确认;
``any`` is true as soon as one part is true and ``all`` false as soon as one part is false
(Kleene logic). A fact that cannot be asked of the entity's type at all (日客流量 of an
employer) reads as false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checklists.vocabulary import Vocabulary

OPS = (">", ">=", "<", "<=", "=", "!=", "in")
_OP_TEXT = {">": "大于", ">=": "不少于", "<": "小于", "<=": "不超过", "=": "等于", "!=": "不等于",
            "in": "属于"}


class ConditionError(ValueError):
    """A malformed condition. ``field`` says where inside ``when`` (e.g. ``when.any[1].op``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FactTest:
    fact: str
    op: str
    value: Any  # number, bool, str, or a tuple of str for ``in``


@dataclass(frozen=True)
class Combo:
    mode: str  # any | all
    parts: tuple[Condition, ...]


Condition = FactTest | Combo


def parse_condition(raw: Any, vocab: Vocabulary, field: str = "when") -> Condition:
    """A condition from its template form, checked against the vocabulary."""
    if not isinstance(raw, dict):
        raise ConditionError(field, "条件应为键值表（fact/op/value，或 any/all）")
    modes = [k for k in ("any", "all") if k in raw]
    if modes:
        if len(raw) != 1:
            raise ConditionError(field, "any/all 须单独成项，不能与其他键并列")
        mode = modes[0]
        parts = raw[mode]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"{field}.{mode}", "应为非空的条件列表")
        return Combo(mode, tuple(parse_condition(p, vocab, f"{field}.{mode}[{i}]")
                                 for i, p in enumerate(parts)))
    unknown = set(raw) - {"fact", "op", "value"}
    if unknown:
        raise ConditionError(field, f"含未知键：{'、'.join(sorted(map(str, unknown)))}")
    code, op, value = raw.get("fact"), raw.get("op"), raw.get("value")
    fact = vocab.fact(code) if isinstance(code, str) else None
    if fact is None:
        raise ConditionError(f"{field}.fact", f"词表中没有这个单位情况（事实）：{code!r}")
    if op not in OPS:
        raise ConditionError(f"{field}.op", f"比较符应为 {' '.join(OPS)} 之一：{op!r}")
    where = f"{field}.value"
    if fact.type == "number":
        if op == "in" or isinstance(value, bool) or not isinstance(value, int | float):
            raise ConditionError(where, f"“{fact.label}”是数值，条件应为数字比较")
    elif fact.type == "bool":
        if op not in ("=", "!=") or not isinstance(value, bool):
            raise ConditionError(
                where, f"“{fact.label}”是是否判断，条件应写 op: \"=\" 与 true/false")
    else:
        if op == "in":
            if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
                raise ConditionError(where, "op 为 in 时 value 应为非空字符串列表")
            value = tuple(value)
        elif op in ("=", "!="):
            if not isinstance(value, str):
                raise ConditionError(where, f"“{fact.label}”的条件值应为文字")
        else:
            raise ConditionError(f"{field}.op", f"“{fact.label}”不是数值，不能用 {op} 比较")
        values = value if isinstance(value, tuple) else (value,)
        bad = [v for v in values if fact.choices and v not in fact.choices]
        if bad:
            raise ConditionError(where, f"“{fact.label}”没有这个选项：{'、'.join(bad)}")
    return FactTest(fact.code, op, value)


def facts_used(cond: Condition | None) -> tuple[str, ...]:
    """Fact codes the condition reads, in order of first use."""
    if cond is None:
        return ()
    if isinstance(cond, FactTest):
        return (cond.fact,)
    out: list[str] = []
    for part in cond.parts:
        out.extend(f for f in facts_used(part) if f not in out)
    return tuple(out)


def evaluate(cond: Condition | None, facts: Mapping[str, Any], vocab: Vocabulary,
             entity_type: str | None = None) -> bool | None:
    """True, False, or None when the facts known so far cannot decide."""
    if cond is None:
        return True
    if isinstance(cond, Combo):
        results = [evaluate(p, facts, vocab, entity_type) for p in cond.parts]
        if cond.mode == "any":
            return True if True in results else (None if None in results else False)
        return False if False in results else (None if None in results else True)
    fact = vocab.fact(cond.fact)
    if fact is not None and entity_type is not None and not vocab.fact_applies(fact, entity_type):
        return False
    value = facts.get(cond.fact)
    if value is None:
        return None
    return _compare(value, cond.op, cond.value)


def _compare(value: Any, op: str, ref: Any) -> bool:
    if op == "in":
        return bool(value in ref)
    if op == "=":
        return bool(value == ref)
    if op == "!=":
        return bool(value != ref)
    try:
        if op == ">":
            return bool(value > ref)
        if op == ">=":
            return bool(value >= ref)
        if op == "<":
            return bool(value < ref)
        return bool(value <= ref)
    except TypeError:
        return False


def describe(cond: Condition | None, vocab: Vocabulary) -> str:
    """The condition in plain Chinese: 建筑面积大于10000㎡，或日客流量大于10000人次."""
    if cond is None:
        return ""
    if isinstance(cond, Combo):
        joiner = "，或" if cond.mode == "any" else "，且"
        texts = [describe(p, vocab) for p in cond.parts]
        return joiner.join(f"（{t}）" if isinstance(p, Combo) else t
                           for t, p in zip(texts, cond.parts, strict=True))
    fact = vocab.fact(cond.fact)
    label = fact.label if fact else cond.fact
    if isinstance(cond.value, bool):
        yes = cond.value if cond.op == "=" else not cond.value
        return label if yes else f"非“{label}”"
    if isinstance(cond.value, tuple):
        return f"{label}为{'、'.join(cond.value)}之一"
    unit = fact.unit if fact and fact.unit else ""
    return f"{label}{_OP_TEXT[cond.op]}{_number_text(cond.value)}{unit}"


def describe_value(code: str, value: Any, vocab: Vocabulary) -> str:
    fact = vocab.fact(code)
    label = fact.label if fact else code
    if isinstance(value, bool):
        return f"{label}：{'是' if value else '否'}"
    unit = fact.unit if fact and fact.unit else ""
    return f"{label}：{_number_text(value)}{unit}"


def condition_to_dict(cond: Condition | None) -> dict[str, Any] | None:
    """The template form again (for snapshots and hashes)."""
    if cond is None:
        return None
    if isinstance(cond, Combo):
        return {cond.mode: [condition_to_dict(p) for p in cond.parts]}
    value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
    return {"fact": cond.fact, "op": cond.op, "value": value}


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def condition_from_dict(raw: Any) -> Condition | None:
    """Rebuild a condition written by :func:`condition_to_dict`, without any vocabulary check
    (a stored snapshot must stay readable even if the vocabulary changes later)."""
    if raw is None:
        return None
    for mode in ("any", "all"):
        if mode in raw:
            return Combo(mode, tuple(c for c in map(condition_from_dict, raw[mode]) if c))
    value = raw["value"]
    return FactTest(raw["fact"], raw["op"], tuple(value) if isinstance(value, list) else value)
