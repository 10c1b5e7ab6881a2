"""The parser's vocabulary (labels, tails, chrome, …) from ``lexicon.yaml``, validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checklists.datafiles import DataFileError, load_yaml
from resources import resource_path

LEXICON_FILE = "lexicon.yaml"


@dataclass(frozen=True)
class LostPattern:
    pattern: re.Pattern[str]
    note: str


@dataclass(frozen=True)
class Lexicon:
    chrome_lines: tuple[re.Pattern[str], ...]  # every whole-line chrome pattern
    id_chrome_lines: tuple[re.Pattern[str], ...]  # the frozen ones a document id ignores
    chrome_inline: re.Pattern[str] | None
    footer_lines: tuple[re.Pattern[str], ...]
    footer_anchors: tuple[str, ...]
    lead_labels: tuple[str, ...]
    responsible_labels: tuple[str, ...]
    label_re: re.Pattern[str]  # any label, longest alternative first; group "label"
    unit_tails: tuple[str, ...]
    unit_clause_endings: tuple[str, ...]
    collective: tuple[re.Pattern[str], ...]
    inherited: tuple[re.Pattern[str], ...]
    first_unit_leads: tuple[re.Pattern[str], ...]
    sentence_verbs: tuple[str, ...]
    #: words that may stand between such a list and its verb (X会同Y、Z每两年开展…)
    sentence_adverbs: tuple[str, ...]
    deadline_re: re.Pattern[str]  # a deadline field label with its colon: 完成时限：
    division: tuple[re.Pattern[str], ...]
    preamble_titles: tuple[str, ...]
    business_titles: tuple[str, ...]
    closing_titles: tuple[str, ...]
    report_markers: tuple[str, ...]
    title_suffixes: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    lost: tuple[LostPattern, ...]
    metadata_labels: dict[str, tuple[str, ...]]

    def is_lead_label(self, label: str) -> bool:
        return label in self.lead_labels

    def is_collective(self, name: str) -> bool:
        return any(p.search(name) for p in self.collective)

    def all_metadata_labels(self) -> tuple[str, ...]:
        return tuple(label for labels in self.metadata_labels.values() for label in labels)


def lexicon_path() -> Path:
    return resource_path("checklists", "parsing", LEXICON_FILE)


def _strings(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise DataFileError(f"{LEXICON_FILE}：{where}“{key}”应为非空列表")
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise DataFileError(f"{LEXICON_FILE}：{where}“{key}”第{i}项应为非空文字")
    return tuple(value)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise DataFileError(
            f"{LEXICON_FILE}：{where}的正则表达式无效：{pattern!r}（{exc}）") from exc


def _named(pattern: str, where: str, groups: tuple[str, ...]) -> re.Pattern[str]:
    compiled = _compile(pattern, where)
    missing = [g for g in groups if g not in compiled.groupindex]
    if missing:
        raise DataFileError(f"{LEXICON_FILE}：{where}缺少命名组 "
                            + "、".join(f"(?P<{g}>…)" for g in missing))
    return compiled


def parse_lexicon(raw: Any) -> Lexicon:
    """Validate the raw YAML; every error names the file and the entry."""
    if not isinstance(raw, dict):
        raise DataFileError(f"{LEXICON_FILE}：顶层应为映射")
    labels = raw.get("unit_labels")
    if not isinstance(labels, dict):
        raise DataFileError(f"{LEXICON_FILE}：缺少“unit_labels”")
    lead = _strings(labels, "lead", "unit_labels 的")
    responsible = _strings(labels, "responsible", "unit_labels 的")
    every = sorted(set(lead) | set(responsible), key=len, reverse=True)
    label_re = re.compile("(?P<label>" + "|".join(map(re.escape, every)) + ")")

    chrome = tuple(_compile(f"(?:{p})", f"chrome_lines 第{i}项")
                   for i, p in enumerate(_strings(raw, "chrome_lines", ""), 1))
    page_chrome = tuple(_compile(f"(?:{p})", f"page_chrome_lines 第{i}项")
                        for i, p in enumerate(_strings(raw, "page_chrome_lines", ""), 1))
    footer = tuple(_compile(f"(?:{p})", f"footer_lines 第{i}项")
                   for i, p in enumerate(_strings(raw, "footer_lines", ""), 1))
    inline = [_compile(p, f"chrome_inline 第{i}项").pattern
              for i, p in enumerate(_strings(raw, "chrome_inline", ""), 1)]
    collective = tuple(_compile(p, f"collective_patterns 第{i}项")
                       for i, p in enumerate(_strings(raw, "collective_patterns", ""), 1))
    inherited = []
    for i, p in enumerate(_strings(raw, "inherited_patterns", ""), 1):
        compiled = _compile(p, f"inherited_patterns 第{i}项")
        if "units" not in compiled.groupindex:
            raise DataFileError(
                f"{LEXICON_FILE}：inherited_patterns 第{i}项缺少命名组 (?P<units>…)")
        inherited.append(compiled)

    lost_raw = raw.get("lost_characters")
    if not isinstance(lost_raw, list) or not lost_raw:
        raise DataFileError(f"{LEXICON_FILE}：“lost_characters”应为非空列表")
    lost = []
    for i, entry in enumerate(lost_raw, 1):
        if not isinstance(entry, dict) or not entry.get("pattern") or not entry.get("note"):
            raise DataFileError(f"{LEXICON_FILE}：lost_characters 第{i}项需要 pattern 和 note")
        lost.append(LostPattern(_compile(str(entry["pattern"]), f"lost_characters 第{i}项"),
                                str(entry["note"])))

    meta_raw = raw.get("metadata_labels")
    if not isinstance(meta_raw, dict):
        raise DataFileError(f"{LEXICON_FILE}：缺少“metadata_labels”")
    meta = {key: _strings(meta_raw, key, "metadata_labels 的")
            for key in ("doc_number", "written", "issued", "published", "generated", "issuer",
                        "other")}

    return Lexicon(
        chrome_lines=chrome + page_chrome,
        id_chrome_lines=chrome,
        footer_lines=footer,
        footer_anchors=_strings(raw, "footer_anchors", ""),
        chrome_inline=re.compile("|".join(f"(?:{p})" for p in inline)) if inline else None,
        lead_labels=lead,
        responsible_labels=responsible,
        label_re=label_re,
        unit_tails=_strings(raw, "unit_tails", ""),
        unit_clause_endings=_strings(raw, "unit_clause_endings", ""),
        collective=collective,
        inherited=tuple(inherited),
        sentence_verbs=_strings(raw, "sentence_verbs", ""),
        sentence_adverbs=_strings(raw, "sentence_adverbs", ""),
        deadline_re=re.compile("(?:" + "|".join(map(re.escape, sorted(
            _strings(raw, "deadline_labels", ""), key=len, reverse=True))) + r")\s?[:：]"),
        division=tuple(_named(p, f"division_patterns 第{i}项", ("numbers", "clause"))
                       for i, p in enumerate(_strings(raw, "division_patterns", ""), 1)),
        first_unit_leads=tuple(_compile(p, f"first_unit_leads 第{i}项")
                               for i, p in enumerate(_strings(raw, "first_unit_leads", ""), 1)),
        preamble_titles=_strings(raw, "preamble_titles", ""),
        business_titles=_strings(raw, "business_titles", ""),
        closing_titles=_strings(raw, "closing_titles", ""),
        report_markers=_strings(raw, "report_markers", ""),
        title_suffixes=tuple(sorted(_strings(raw, "title_suffixes", ""), key=len, reverse=True)),
        org_suffixes=tuple(sorted(_strings(raw, "org_suffixes", ""), key=len, reverse=True)),
        lost=tuple(lost),
        metadata_labels=meta,
    )


@cache
def lexicon() -> Lexicon:
    return parse_lexicon(load_yaml(lexicon_path()))
