"""How the clauses of one standard are carried into a theme: a data file that lists, for each
clause that was read, either the items that check it or why none does.

The file (``checklists/data/wst870_coverage.yaml`` for WS/T 870-2025) names the standard and the
theme, then one entry per clause: ``clause``, ``topic`` and exactly one of ``items`` (item codes)
or ``left_out`` (the reason). :func:`load_standard_coverage` checks the form;
:func:`check_against_theme` checks that the file and the theme agree: every listed item exists,
is enabled and cites the standard at that clause, and every enabled item that cites a clause of
the standard is listed under that clause. Messages are Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checklists.datafiles import DataFileError, data_path, load_yaml
from checklists.template_model import TemplateItem, Theme

WST870_FILE = "wst870_coverage.yaml"
_CLAUSE = re.compile(r"\d+(?:\.\d+)+")
_CITED = re.compile(r"第\s*(\d+(?:\.\d+)+)\s*条")
_ENTRY_KEYS = {"clause", "topic", "items", "left_out"}


@dataclass(frozen=True)
class ClauseEntry:
    clause: str  # "6.2"
    topic: str
    items: tuple[str, ...]  # empty when left out
    left_out: str | None  # the reason, when no item checks the clause


@dataclass(frozen=True)
class StandardCoverage:
    document: str  # 《托育机构消防安全标准》
    doc_number: str  # WS/T 870-2025
    theme: str  # theme code
    clauses: tuple[ClauseEntry, ...]
    source: str  # file name, for messages

    def entry(self, clause: str) -> ClauseEntry | None:
        return next((e for e in self.clauses if e.clause == clause), None)


def load_standard_coverage(path: Path | None = None) -> StandardCoverage:
    """The checked coverage file; ``path`` replaces the bundled WS/T 870 file (for tests)."""
    return _load(path or data_path(WST870_FILE))


@cache
def _load(path: Path) -> StandardCoverage:
    return parse_standard_coverage(load_yaml(path), path.name)


def parse_standard_coverage(raw: Any, where: str) -> StandardCoverage:
    """The coverage from its parsed YAML form. Raises :class:`DataFileError` naming the entry."""
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}：应包含 standard、theme 与 clauses 三段")
    extra = sorted(set(map(str, raw)) - {"standard", "theme", "clauses"})
    if extra:
        raise DataFileError(f"{where}：未知的顶层字段：{'、'.join(extra)}")
    standard = raw.get("standard")
    if not isinstance(standard, dict) or set(standard) != {"document", "doc_number"}:
        raise DataFileError(
            f"{where}：standard 应写 document（带书名号的全称）和 doc_number（标准编号）")
    document, number = standard["document"], standard["doc_number"]
    if not (isinstance(document, str) and document.startswith("《") and document.endswith("》")):
        raise DataFileError(f"{where}：standard.document 应为带书名号的标准名称：{document!r}")
    if not isinstance(number, str) or not number.strip():
        raise DataFileError(f"{where}：standard.doc_number 应为标准编号")
    theme = raw.get("theme")
    if not isinstance(theme, str) or not theme.strip():
        raise DataFileError(f"{where}：theme 应为主题代码")
    rows = raw.get("clauses")
    if not isinstance(rows, list) or not rows:
        raise DataFileError(f"{where}：clauses 应为非空列表")
    entries: list[ClauseEntry] = []
    for i, row in enumerate(rows, 1):
        entry = _entry(row, f"{where} 第{i}条记录")
        if any(e.clause == entry.clause for e in entries):
            raise DataFileError(f"{where}：第{entry.clause}条重复列出")
        entries.append(entry)
    return StandardCoverage(document, number.strip(), theme.strip(), tuple(entries), where)


def _entry(row: Any, where: str) -> ClauseEntry:
    if not isinstance(row, dict):
        raise DataFileError(f"{where}：应为键值表（clause、topic，及 items 或 left_out）")
    clause = row.get("clause")
    if not isinstance(clause, str) or not _CLAUSE.fullmatch(clause.strip()):
        raise DataFileError(f"{where}：clause 应为带引号的条号，如 \"6.2\"：{clause!r}")
    clause = clause.strip()
    where = f"{where}（第{clause}条）"
    extra = sorted(set(map(str, row)) - _ENTRY_KEYS)
    if extra:
        raise DataFileError(f"{where}：未知字段：{'、'.join(extra)}")
    topic = row.get("topic")
    if not isinstance(topic, str) or not topic.strip():
        raise DataFileError(f"{where}：缺少内容提要 topic")
    has_items, has_reason = "items" in row, "left_out" in row
    if has_items == has_reason:
        raise DataFileError(f"{where}：items（检查项）与 left_out（不列理由）须写且只写其一")
    if has_items:
        items = row["items"]
        if not (isinstance(items, list) and items
                and all(isinstance(c, str) and c.strip() for c in items)):
            raise DataFileError(f"{where}：items 应为非空的检查项代码列表")
        codes = tuple(c.strip() for c in items)
        if len(set(codes)) != len(codes):
            raise DataFileError(f"{where}：items 中检查项代码重复")
        return ClauseEntry(clause, topic.strip(), codes, None)
    reason = row["left_out"]
    if not isinstance(reason, str) or not reason.strip():
        raise DataFileError(f"{where}：left_out 应写明不列为检查项的理由")
    return ClauseEntry(clause, topic.strip(), (), reason.strip())


def cited_clauses(item: TemplateItem, doc_number: str) -> frozenset[str]:
    """The clauses of the standard ``doc_number`` that the item's legal basis cites."""
    wanted = _norm(doc_number)
    out: set[str] = set()
    for basis in item.legal_basis:
        if basis.doc_number and _norm(basis.doc_number) == wanted:
            out.update(_CITED.findall(basis.clause))
    return frozenset(out)


def check_against_theme(coverage: StandardCoverage, theme: Theme) -> list[str]:
    """Where the coverage file and the theme disagree (empty when they agree)."""
    where = coverage.source
    problems: list[str] = []
    if theme.code != coverage.theme:
        problems.append(f"{where}：针对主题 {coverage.theme}，而不是 {theme.code}")
    for entry in coverage.clauses:
        for code in entry.items:
            item = theme.item(code)
            if item is None:
                problems.append(f"{where}：第{entry.clause}条列出的检查项 {code} 不在主题中")
            elif not item.enabled:
                problems.append(f"{where}：第{entry.clause}条列出的检查项 {code} 已停用")
            elif entry.clause not in cited_clauses(item, coverage.doc_number):
                problems.append(f"{where}：检查项 {code} 的依据没有引用 {coverage.doc_number} "
                                f"第{entry.clause}条")
    for item in theme.items:
        if not item.enabled:
            continue
        for clause in sorted(cited_clauses(item, coverage.doc_number), key=_clause_key):
            listed = coverage.entry(clause)
            if listed is None:
                problems.append(f"{where}：检查项 {item.code} 引用了 {coverage.doc_number} "
                                f"第{clause}条，但本文件没有列出这一条")
            elif item.code not in listed.items:
                problems.append(f"{where}：检查项 {item.code} 引用了第{clause}条，"
                                "但没有列在这一条的 items 中")
    return problems


def _norm(number: str) -> str:
    return re.sub(r"\s+", "", number).upper()


def _clause_key(clause: str) -> tuple[int, ...]:
    return tuple(int(p) for p in clause.split("."))
