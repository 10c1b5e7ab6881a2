"""Canonical departments: many ways of writing a unit, one department.

Documents name the same body as 县卫健局, 卫生健康局 or 县卫生健康局, and the same kind of body
at each level under a different standard name (中宁县卫生健康局, 宝鸡市卫生健康委员会,
内蒙古自治区卫生健康委员会). The department view and 督查 by department need one name per body,
so a unit as written is mapped to a department *kind* from ``checklists/data/departments.yaml``
and given the kind's standard name for its region and level.

Matching is exact on aliases after normalisation (whitespace, region names, level prefix, party
and government prefixes removed); a keyword match is used only when exactly one kind's keywords
occur. Collectives (各有关部门, 各乡镇人民政府) and names that cannot be placed give ``None``:
the caller keeps the name as written.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from checklists.datafiles import DataFileError, data_path, load_yaml
from checklists.regions import LEVELS, Region, ancestors, detect_region, region_by_code

_REQUIRED_LEVELS = ("province", "city", "county")
_PLACEHOLDERS = {"region", "short", "parent", "parent_short"}
_LEVEL_PREFIX = re.compile(r"^(自治区|省|市(?!场)|县|区|旗|盟|州)")
_PARTY_PREFIX = re.compile(r"^(?:中共)?(?:党委|委(?!员))?")
_GOVERNMENT_PREFIX = re.compile(r"^(?:人民)?政府(?=.)")
_TAIL = re.compile(r"(?:按职责分工负责|负责落实|负责|等)$")


@dataclass(frozen=True)
class DepartmentKind:
    code: str  # short ASCII, e.g. "health"
    label: str  # 卫生健康
    names: dict[str, str] = field(hash=False)  # level -> template ("{region}卫生健康局")
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    local_names: dict[str, str] = field(default_factory=dict, hash=False)  # region code -> name
    short: str = ""  # where a column is narrow: 人社 for 人力资源和社会保障 ("" is the label)


@dataclass(frozen=True)
class CanonicalDepartment:
    kind: str  # DepartmentKind.code
    label: str  # DepartmentKind.label, e.g. 卫生健康
    name: str  # 中宁县卫生健康局
    region_code: str | None
    # The written name is a short form of ``name`` (县卫健局 of 中宁县卫生健康局). When it is not
    # (县科工贸局 does the work of 工业和信息化 under a name of its own), only the kind is
    # known: the body keeps the name the document gives it.
    name_supported: bool = True


@dataclass(frozen=True)
class DepartmentLexicon:
    kinds: tuple[DepartmentKind, ...]
    collective_markers: tuple[str, ...]
    by_alias: dict[str, DepartmentKind] = field(hash=False, compare=False)


def load_departments(path: Path | None = None) -> DepartmentLexicon:
    """The department lexicon, validated. ``path`` replaces the bundled file (for tests)."""
    return _load(path or data_path("departments.yaml"))


def department_kinds() -> tuple[DepartmentKind, ...]:
    return load_departments().kinds


def short_label(label: str) -> str:
    """A department's label as a narrow column shows it: 人社 for 人力资源和社会保障; any other
    label (卫生健康, 消防救援, one the lexicon does not know) as it is."""
    return _short_labels().get(label, label)


@cache
def _short_labels() -> dict[str, str]:
    return {k.label: k.short for k in department_kinds() if k.short}


def is_collective(name: str, lexicon: DepartmentLexicon | None = None) -> bool:
    """各乡镇人民政府, 各有关部门, 地方各级人民政府: many bodies, not one department."""
    lex = lexicon or load_departments()
    return any(marker in _squash(name) for marker in lex.collective_markers)


def canonical_department(
    name_as_written: str, region_code: str | None, lexicon: DepartmentLexicon | None = None
) -> CanonicalDepartment | None:
    """The department a unit name stands for in a document of ``region_code``, or None.

    A level prefix that points above the document's region (自治区卫生健康委 in a county's
    document) moves the department up to that region; one that points below it (县卫健局 in a
    city's document) names many bodies, so the result is None.
    """
    lex = lexicon or load_departments()
    name = _TAIL.sub("", _squash(name_as_written))
    if not name or is_collective(name, lex):
        return None
    base = region_by_code(region_code)
    named = detect_region(name)
    if named is not None and (base is None or named.code not in ancestors(base.code)):
        base = named
    chain = [r for r in (region_by_code(c) for c in ancestors(base.code)) if r] if base else []
    chain = [r for r in chain if r.level != "national"]
    region = _mentioned(name, chain)
    core = _strip_regions(name, chain)
    # "市财政局(市政府国资委)": the body named first, when the whole is not an alias
    for text in (core, re.sub(r"\([^()]*\)?$", "", core)):
        prefix = _LEVEL_PREFIX.match(text)
        kind = _match(lex, _LEVEL_PREFIX.sub("", text))
        if kind is None:
            continue
        if region is None and prefix and chain:
            target = _prefixed_region(prefix[1], chain)
            if target is None:
                return None
            region = target
        region = region or (chain[0] if chain else None)
        standard = _standard_name(kind, region)
        return CanonicalDepartment(
            kind.code, kind.label, standard, region.code if region else None,
            _short_form(name, standard),
        )
    return None


def _short_form(written: str, standard: str) -> bool:
    """Whether ``written`` keeps the order of characters of ``standard`` and adds none: an
    abbreviation (县人社局 of 中宁县人力资源和社会保障局), not another name (县科工贸局)."""
    written = re.sub(r"\([^()]*\)$", "", written)

    def within(text: str) -> bool:
        rest = iter(standard)
        return all(ch in rest for ch in text)

    # 区卫健局 when the region is unknown: the level word is not part of the body's name
    return within(written) or within(_LEVEL_PREFIX.sub("", written))


def _squash(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    return text.replace("（", "(").replace("）", ")")


def _mentioned(name: str, chain: list[Region]) -> Region | None:
    """The innermost region of the chain whose full or short name the unit name contains."""
    for region in chain:
        if region.name in name or (len(region.short) >= 2 and region.short in name):
            return region
    return None


def _strip_regions(name: str, chain: list[Region]) -> str:
    words = {r.name for r in chain} | {r.short for r in chain if len(r.short) >= 2}
    for word in sorted(words, key=len, reverse=True):
        name = name.replace(word, "")
    return name


def _match(lex: DepartmentLexicon, text: str) -> DepartmentKind | None:
    party = _PARTY_PREFIX.sub("", text)
    for candidate in (text, party, _GOVERNMENT_PREFIX.sub("", party)):
        if candidate in lex.by_alias:
            return lex.by_alias[candidate]
    hits = {k.code: k for k in lex.kinds if any(w in text for w in k.keywords)}
    return next(iter(hits.values())) if len(hits) == 1 else None


def _prefixed_region(prefix: str, chain: list[Region]) -> Region | None:
    """The region a level prefix (县, 市, 自治区, ...) refers to, seen from chain[0]."""
    own = chain[0]
    if prefix in ("自治区", "省"):
        wanted = "province"
    elif prefix in ("市", "盟", "州"):
        wanted = "county" if own.level == "county" and own.name.endswith(prefix) else "city"
    elif prefix == "区":
        wanted = {"county": "county", "province": "province"}.get(own.level, "")
    else:
        wanted = "county"
    return next((r for r in chain if r.level == wanted), None)


def standard_name(label: str, region: Region | None) -> str | None:
    """The standard name of the ``label`` department (卫生健康) at ``region`` (中卫市卫生健康
    委员会); None for a label the dictionary does not know."""
    kind = next((k for k in department_kinds() if k.label == label), None)
    return None if kind is None else _standard_name(kind, region)


def _standard_name(kind: DepartmentKind, region: Region | None) -> str:
    if region is None:
        return f"{kind.label}部门"
    if region.code in kind.local_names:
        return kind.local_names[region.code]
    level = region.level
    template = kind.names.get(level) or kind.names.get(
        {"township": "county", "national": "province"}.get(level, ""), ""
    )
    parent = region_by_code(region.parent)
    return template.format(
        region=region.name,
        short=region.short,
        parent=parent.name if parent else "",
        parent_short=parent.short if parent else "",
    )


@cache
def _load(path: Path) -> DepartmentLexicon:
    raw = load_yaml(path)
    where = path.name
    if not isinstance(raw, dict) or not isinstance(raw.get("kinds"), list):
        raise DataFileError(f"{where}：应包含 kinds 列表")
    markers = raw.get("collective_markers", [])
    if not isinstance(markers, list) or not all(isinstance(m, str) and m for m in markers):
        raise DataFileError(f"{where}：collective_markers 应为非空字符串列表")
    kinds: list[DepartmentKind] = []
    by_alias: dict[str, DepartmentKind] = {}
    labels: set[str] = set()
    for i, row in enumerate(raw["kinds"], 1):
        kind = _kind(row, f"{where} 第{i}种部门")
        if kind.code in by_alias or kind.code in {k.code for k in kinds} or kind.label in labels:
            raise DataFileError(f"{where} 第{i}种部门（{kind.code}）：代码或名称重复")
        labels.add(kind.label)
        for alias in kind.aliases:
            if alias in by_alias:
                raise DataFileError(
                    f"{where} 第{i}种部门（{kind.code}）：别名“{alias}”已属于"
                    f"“{by_alias[alias].label}”"
                )
            by_alias[alias] = kind
        kinds.append(kind)
    return DepartmentLexicon(tuple(kinds), tuple(markers), by_alias)


def _kind(row: Any, where: str) -> DepartmentKind:
    if not isinstance(row, dict):
        raise DataFileError(f"{where}：应为键值表")
    code, label = row.get("code"), row.get("label")
    if not isinstance(code, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", code):
        raise DataFileError(f"{where}：代码 code 应为小写英文字母、数字或下划线：{code!r}")
    where = f"{where}（{code}）"
    if not isinstance(label, str) or not label.strip():
        raise DataFileError(f"{where}：缺少名称 label")
    names = row.get("names")
    if not isinstance(names, dict) or any(lv not in names for lv in _REQUIRED_LEVELS):
        raise DataFileError(f"{where}：names 须写明省、市、县三级的规范名称")
    for level, template in names.items():
        if level not in LEVELS or not isinstance(template, str) or not template:
            raise DataFileError(f"{where}：names 中的层级“{level}”无效或名称为空")
        used = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        if used - _PLACEHOLDERS:
            raise DataFileError(
                f"{where}：名称模板“{template}”含未知占位符 "
                f"{'、'.join(sorted(used - _PLACEHOLDERS))}"
            )
    lists = {}
    for key in ("aliases", "keywords"):
        value = row.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise DataFileError(f"{where}：{key} 应为非空字符串列表")
        lists[key] = tuple(_squash(v) for v in value)
    local = row.get("local_names", {})
    if not isinstance(local, dict) or not all(
        re.fullmatch(r"\d{6}", str(k)) and isinstance(v, str) and v for k, v in local.items()
    ):
        raise DataFileError(f"{where}：local_names 应为“六位行政区划代码: 名称”")
    short = row.get("short", "")
    if not isinstance(short, str) or len(short.strip()) >= len(label.strip()):
        raise DataFileError(f"{where}：short 应为比 label 短的简称")
    return DepartmentKind(
        code,
        label.strip(),
        dict(names),
        lists["aliases"],
        lists["keywords"],
        {str(k): v for k, v in local.items()},
        short.strip(),
    )
