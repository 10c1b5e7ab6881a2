"""The region tree (行政区划) from ``checklists/data/regions.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from checklists.datafiles import DataFileError, data_path, load_yaml

NATIONAL = "000000"
LEVELS = ("national", "province", "city", "county", "township")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short: str
    level: str
    parent: str | None


@cache
def load_regions() -> tuple[Region, ...]:
    path = data_path("regions.yaml")
    raw = load_yaml(path)
    if not isinstance(raw, list):
        raise DataFileError(f"{path.name}：应为行政区划列表")
    out: list[Region] = []
    seen: set[str] = set()
    for i, row in enumerate(raw, 1):
        code = str(row.get("code", "")) if isinstance(row, dict) else ""
        if not re.fullmatch(r"\d{6}", code) or code in seen:
            raise DataFileError(f"{path.name} 第{i}条：行政区划代码无效或重复：{code!r}")
        if row.get("level") not in LEVELS or not row.get("name"):
            raise DataFileError(f"{path.name} 第{i}条（{code}）：缺少名称或层级无效")
        seen.add(code)
        parent = row.get("parent")
        out.append(Region(code, row["name"], row.get("short") or row["name"], row["level"],
                          str(parent) if parent else None))
    for r in out:
        if r.parent is not None and r.parent not in seen:
            raise DataFileError(f"{path.name}（{r.code}）：上级区划 {r.parent} 不存在")
    return tuple(out)


@cache
def _by_code() -> dict[str, Region]:
    return {r.code: r for r in load_regions()}


def region_by_code(code: str | None) -> Region | None:
    if code is None:
        return None
    return _by_code().get(code)


def ancestors(code: str) -> list[str]:
    """The code itself and every enclosing region's code, innermost first."""
    by_code = _by_code()
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in chain:
        chain.append(current)
        region = by_code.get(current)
        current = region.parent if region else None
    return chain


def region_path(code: str | None) -> str:
    """A region with the regions above it: 宁夏回族自治区 中卫市 中宁县."""
    if not code:
        return ""
    names = [r.name for c in reversed(ancestors(code)) if c != NATIONAL
             if (r := region_by_code(c)) is not None]
    return " ".join(names) if names else code


def detect_region(text: str) -> Region | None:
    """The most specific region whose full name occurs in ``text`` (a title, an issuer).

    The deepest level wins, then the earliest occurrence. Short names are not used: "中宁"
    alone is too easily part of another word.
    """
    best: tuple[int, int, Region] | None = None
    for region in load_regions():
        if region.level == "national":
            continue
        pos = text.find(region.name)
        if pos < 0:
            continue
        key = (-LEVELS.index(region.level), pos)
        if best is None or key < best[:2]:
            best = (key[0], key[1], region)
    return best[2] if best else None
