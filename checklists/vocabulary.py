"""The vocabulary theme templates speak: entity types (a tree) and entity facts.

Loaded from ``checklists/data/vocabulary.yaml`` and validated; a template that names a parent
entity type applies to all of its children, and a condition in a template reads a fact by its
code. Facts whose choices come from another data file (``choices_from: departments``) get the
department kind labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from checklists.datafiles import DataFileError, data_path, load_yaml

FACT_TYPES = ("bool", "number", "choice", "text")
_CODE = re.compile(r"[a-z][a-z0-9_]*")
_TRUE_WORDS = ("true", "yes", "y", "1", "是", "有", "真")
_FALSE_WORDS = ("false", "no", "n", "0", "否", "无", "假")


@dataclass(frozen=True)
class EntityType:
    code: str
    label: str
    parent: str | None


@dataclass(frozen=True)
class Fact:
    code: str
    label: str
    type: str  # bool | number | choice | text
    unit: str | None
    for_types: tuple[str, ...]  # entity type codes (a parent covers its children)
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    entity_types: tuple[EntityType, ...]
    facts: tuple[Fact, ...]
    _types: dict[str, EntityType] = field(repr=False, compare=False, hash=False)
    _facts: dict[str, Fact] = field(repr=False, compare=False, hash=False)

    def entity_type(self, code: str) -> EntityType | None:
        return self._types.get(code)

    def fact(self, code: str) -> Fact | None:
        return self._facts.get(code)

    def is_a(self, child: str, parent: str) -> bool:
        """True when ``child`` is ``parent`` or lies below it in the tree."""
        current: str | None = child
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current == parent:
                return True
            seen.add(current)
            node = self._types.get(current)
            current = node.parent if node else None
        return False

    def is_any(self, child: str, parents: tuple[str, ...] | list[str]) -> bool:
        return any(self.is_a(child, p) for p in parents)

    def fact_applies(self, fact: Fact, entity_type: str) -> bool:
        """Whether a fact can be asked of an entity of this type (or of a type below it)."""
        return any(self.is_a(entity_type, t) or self.is_a(t, entity_type)
                   for t in fact.for_types)

    def type_label(self, code: str) -> str:
        node = self._types.get(code)
        return node.label if node else code

    def parse_fact_value(self, code: str, value: Any) -> Any:
        """A fact value typed as the vocabulary says (``"12000"`` → 12000, ``"是"`` → True).

        Raises ValueError with a Chinese message for an unknown fact or a value of the wrong
        kind. ``None`` means "not known yet" and is kept.
        """
        fact = self._facts.get(code)
        if fact is None:
            raise ValueError(f"未知的单位情况（事实）：{code}")
        if value is None:
            return None
        if fact.type == "bool":
            if isinstance(value, bool):
                return value
            word = str(value).strip().lower()
            if word in _TRUE_WORDS:
                return True
            if word in _FALSE_WORDS:
                return False
            raise ValueError(f"“{fact.label}”应为是或否，而不是“{value}”")
        if fact.type == "number":
            if isinstance(value, bool):
                raise ValueError(f"“{fact.label}”应为数字，而不是“{value}”")
            if isinstance(value, int | float):
                return value
            try:
                number = float(str(value).strip().replace(",", ""))
            except ValueError:
                raise ValueError(f"“{fact.label}”应为数字，而不是“{value}”") from None
            return int(number) if number.is_integer() else number
        text = str(value).strip()
        if fact.type == "choice" and fact.choices and text not in fact.choices:
            choices = "、".join(fact.choices)
            raise ValueError(f"“{fact.label}”应为以下之一：{choices}，而不是“{text}”")
        return text


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """The validated vocabulary. ``path`` replaces the bundled file (for tests)."""
    return _load(path or data_path("vocabulary.yaml"))


def is_a(child: str, parent: str) -> bool:
    """Entity type ``child`` is ``parent`` or one of its descendants (bundled vocabulary)."""
    return load_vocabulary().is_a(child, parent)


@cache
def _load(path: Path) -> Vocabulary:
    raw = load_yaml(path)
    where = path.name
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}：应包含 entity_types 与 facts")
    types: dict[str, EntityType] = {}
    rows = raw.get("entity_types")
    if not isinstance(rows, list) or not rows:
        raise DataFileError(f"{where}：entity_types 应为非空列表")
    for row in rows:
        _entity_type(row, None, types, where)
    facts: dict[str, Fact] = {}
    rows = raw.get("facts")
    if not isinstance(rows, list):
        raise DataFileError(f"{where}：facts 应为列表")
    for i, row in enumerate(rows, 1):
        fact = _fact(row, f"{where} 第{i}项事实", types)
        if fact.code in facts:
            raise DataFileError(f"{where}：事实代码重复：{fact.code}")
        facts[fact.code] = fact
    return Vocabulary(tuple(types.values()), tuple(facts.values()), types, facts)


def _entity_type(row: Any, parent: str | None, out: dict[str, EntityType], where: str) -> None:
    if not isinstance(row, dict):
        raise DataFileError(f"{where}：单位类型应为键值表：{row!r}")
    code, label = row.get("code"), row.get("label")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise DataFileError(f"{where}：单位类型代码无效：{code!r}")
    if code in out:
        raise DataFileError(f"{where}：单位类型代码重复：{code}")
    if not isinstance(label, str) or not label.strip():
        raise DataFileError(f"{where}：单位类型 {code} 缺少名称 label")
    unknown = set(row) - {"code", "label", "children"}
    if unknown:
        raise DataFileError(f"{where}：单位类型 {code} 含未知字段：{'、'.join(sorted(unknown))}")
    out[code] = EntityType(code, label.strip(), parent)
    children = row.get("children", [])
    if not isinstance(children, list):
        raise DataFileError(f"{where}：单位类型 {code} 的 children 应为列表")
    for child in children:
        _entity_type(child, code, out, where)


def _fact(row: Any, where: str, types: dict[str, EntityType]) -> Fact:
    if not isinstance(row, dict):
        raise DataFileError(f"{where}：应为键值表")
    code = row.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise DataFileError(f"{where}：事实代码无效：{code!r}")
    where = f"{where}（{code}）"
    unknown = set(row) - {"code", "label", "type", "unit", "for", "choices", "choices_from"}
    if unknown:
        raise DataFileError(f"{where}：含未知字段：{'、'.join(sorted(unknown))}")
    label, kind, unit = row.get("label"), row.get("type"), row.get("unit")
    if not isinstance(label, str) or not label.strip():
        raise DataFileError(f"{where}：缺少名称 label")
    if kind not in FACT_TYPES:
        raise DataFileError(f"{where}：type 应为 {'、'.join(FACT_TYPES)} 之一：{kind!r}")
    if unit is not None and (kind != "number" or not isinstance(unit, str)):
        raise DataFileError(f"{where}：只有数值型事实可以写单位 unit")
    for_types = row.get("for")
    if not isinstance(for_types, list) or not for_types:
        raise DataFileError(f"{where}：for 应为非空的单位类型列表")
    for t in for_types:
        if t not in types:
            raise DataFileError(f"{where}：for 中的单位类型不存在：{t}")
    choices: tuple[str, ...] = ()
    if kind == "choice":
        if row.get("choices_from") == "departments":
            from checklists.departments import department_kinds

            choices = tuple(k.label for k in department_kinds())
        elif isinstance(row.get("choices"), list) and row["choices"]:
            choices = tuple(str(c) for c in row["choices"])
        else:
            raise DataFileError(f"{where}：选择型事实须写 choices 列表或 choices_from: departments")
    elif "choices" in row or "choices_from" in row:
        raise DataFileError(f"{where}：只有选择型事实可以写 choices")
    return Fact(code, label.strip(), kind, unit, tuple(for_types), choices)
