"""The region tree (行政区划) from ``checklists/data/regions.yaml``."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

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


#: The country's cities and counties not listed one by one in regions.yaml (GB/T 2260).
NATIONAL_TABLE = "regions_gb2260.csv"


@cache
def load_regions() -> tuple[Region, ...]:
    """Every region: those of ``regions.yaml`` (checked by hand, as they are now), then the
    rest of the country's cities and counties from ``regions_gb2260.csv``; validated."""
    path = data_path("regions.yaml")
    raw = load_yaml(path)
    if not isinstance(raw, list):
        raise DataFileError(f"{path.name}：应为行政区划列表")
    out: list[Region] = []
    seen: set[str] = set()

    def add(where: str, row: Any) -> None:
        code = str(row.get("code", "")) if isinstance(row, dict) else ""
        if not re.fullmatch(r"\d{6}", code) or code in seen:
            raise DataFileError(f"{where}：行政区划代码无效或重复：{code!r}")
        if row.get("level") not in LEVELS or not row.get("name"):
            raise DataFileError(f"{where}（{code}）：缺少名称或层级无效")
        seen.add(code)
        parent = row.get("parent")
        out.append(Region(code, row["name"], row.get("short") or row["name"], row["level"],
                          str(parent) if parent else None))

    for i, row in enumerate(raw, 1):
        add(f"{path.name} 第{i}条", row)
    table = data_path(NATIONAL_TABLE)
    try:
        lines = table.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"数据文件无法读取：{table.name}（{exc}）") from None
    fields = ("code", "name", "short", "level", "parent")
    for n, cells in enumerate(csv.reader(lines), 1):
        if not cells or cells[0].startswith("#"):
            continue
        if len(cells) != len(fields):
            raise DataFileError(f"{table.name} 第{n}行：应为 {len(fields)} 列")
        add(f"{table.name} 第{n}行", dict(zip(fields, cells, strict=True)))
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


def choosable_regions(jurisdiction: str | None) -> tuple[Region, ...]:
    """The regions a list offers an office: with a jurisdiction set, it, the regions above it
    and every region within it; without one (or the whole country), every region."""
    if not jurisdiction or jurisdiction == NATIONAL or region_by_code(jurisdiction) is None:
        return load_regions()
    above = set(ancestors(jurisdiction))
    return tuple(r for r in load_regions()
                 if r.code in above or jurisdiction in ancestors(r.code))


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
    best: tuple[int, int] | None = None
    found: list[Region] = []
    for region in _by_name_candidates(text):
        pos = text.find(region.name)
        key = (-LEVELS.index(region.level), pos)
        if best is None or key < best:
            best, found = key, [region]
        elif key == best:
            found.append(region)
    if len(found) <= 1:
        return found[0] if found else None
    # one name, several places (朝阳区 of 北京 and of 长春): the one whose city or province the
    # text names too; else none of them, rather than a guess
    named = [r for r in found
             if any((up := region_by_code(c)) is not None and up.level != "national"
                    and up.name in text for c in ancestors(r.code)[1:])]
    return named[0] if len(named) == 1 else None


def _by_name_candidates(text: str) -> list[Region]:
    """The regions (below the country) whose full name occurs in ``text``."""
    return [r for r in load_regions() if r.level != "national" and r.name in text]
