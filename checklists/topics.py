"""Policy topics (政策主题): what a measure is about, so documents can be compared by topic.

Topics and their keywords live in ``checklists/data/topics.yaml``; code here only scores.
A measure's title says what it is about, so a keyword in the title is enough; in the body a
topic needs ``min_hits`` keyword occurrences, because bodies mention many things in passing.
When no topic reaches that, the best-scoring one is taken, so that every measure shows up in
the comparison view. Manual overrides in the same file correct what keywords get wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checklists.datafiles import DataFileError, data_path, load_yaml

TITLE_WEIGHT = 3
DEFAULT_MIN_HITS = 2


@dataclass(frozen=True)
class Topic:
    code: str  # short ASCII, e.g. "childcare"
    label: str  # 托育
    description: str
    keywords: tuple[str, ...]
    min_hits: int = DEFAULT_MIN_HITS


@dataclass(frozen=True)
class Override:
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicLexicon:
    topics: tuple[Topic, ...]
    overrides: dict[str, Override]
    boilerplate: tuple[str, ...] = ()


def load_topics(path: Path | None = None) -> tuple[Topic, ...]:
    """The topics in file order, validated. ``path`` replaces the bundled file (for tests)."""
    return load_lexicon(path).topics


def load_lexicon(path: Path | None = None) -> TopicLexicon:
    """Topics, boilerplate and manual overrides ("宝鸡:10", "鹿寨:(十五)"), validated."""
    return _load(path or data_path("topics.yaml"))


def classify(title: str, text: str, lexicon: TopicLexicon | None = None) -> tuple[str, ...]:
    """Topic codes of a measure, in the order of the topics file."""
    lex = lexicon or _load(data_path("topics.yaml"))
    chosen: list[str] = []
    best: tuple[int, str] | None = None
    body = _squash(text)
    head = _squash(title)
    if head and body.startswith(head):
        body = body[len(head) :]  # the title is often repeated as the body's first sentence
    for phrase in lex.boilerplate:
        head, body = head.replace(phrase, "。"), body.replace(phrase, "。")
    for topic in lex.topics:
        in_title = len(set(_pattern(topic).findall(head)))
        in_body = len(_pattern(topic).findall(body))
        if in_title or in_body >= topic.min_hits:
            chosen.append(topic.code)
        score = TITLE_WEIGHT * in_title + in_body
        if score and (best is None or score > best[0]):
            best = (score, topic.code)
    if not chosen and best is not None:
        chosen.append(best[1])
    return tuple(chosen)


def apply_overrides(
    ref: str, codes: Iterable[str], lexicon: TopicLexicon | None = None
) -> tuple[str, ...]:
    """``codes`` corrected by the manual override for measure ``ref``, in topic-file order."""
    lex = lexicon or _load(data_path("topics.yaml"))
    rule = lex.overrides.get(_normalise_ref(ref))
    wanted = list(dict.fromkeys(codes))
    if rule is None:
        return tuple(wanted)
    wanted = [c for c in wanted if c not in rule.remove] + [c for c in rule.add if c not in wanted]
    order = {t.code: i for i, t in enumerate(lex.topics)}
    return tuple(sorted(wanted, key=lambda c: order.get(c, len(order))))


@cache
def _pattern(topic: Topic) -> re.Pattern[str]:
    """Keywords longest first, so 科学育儿指导 counts once, not as 科学育儿 and 育儿指导."""
    words = sorted(topic.keywords, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _squash(text: str) -> str:
    return re.sub(r"\s+|<[^>]*>", "", text)


def _normalise_ref(ref: str) -> str:
    """ "鹿寨:（十五）" and "鹿寨: (十五)" are the same reference as "鹿寨:(十五)"."""
    return re.sub(r"\s+", "", ref).replace("（", "(").replace("）", ")").replace("：", ":")


@cache
def _load(path: Path) -> TopicLexicon:
    raw = load_yaml(path)
    where = path.name
    if not isinstance(raw, dict) or not isinstance(raw.get("topics"), list):
        raise DataFileError(f"{where}：应包含 topics 列表")
    topics: list[Topic] = []
    for i, row in enumerate(raw["topics"], 1):
        topic = _topic(row, f"{where} 第{i}个主题")
        if any(t.code == topic.code or t.label == topic.label for t in topics):
            raise DataFileError(f"{where} 第{i}个主题（{topic.code}）：代码或名称重复")
        topics.append(topic)
    codes = {t.code for t in topics}
    overrides: dict[str, Override] = {}
    raw_overrides = raw.get("overrides") or {}
    if not isinstance(raw_overrides, dict):
        raise DataFileError(f"{where}：overrides 应为“措施引用: 修正”键值表")
    for ref, rule in raw_overrides.items():
        overrides[_normalise_ref(str(ref))] = _override(str(ref), rule, codes, where)
    boilerplate = raw.get("boilerplate") or []
    if not isinstance(boilerplate, list) or not all(isinstance(b, str) and b for b in boilerplate):
        raise DataFileError(f"{where}：boilerplate 应为非空字符串列表")
    return TopicLexicon(
        tuple(topics),
        overrides,
        tuple(sorted((_squash(b) for b in boilerplate), key=len, reverse=True)),
    )


def _topic(row: Any, where: str) -> Topic:
    if not isinstance(row, dict):
        raise DataFileError(f"{where}：应为键值表")
    code = row.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", code):
        raise DataFileError(f"{where}：代码 code 应为小写英文字母、数字或下划线：{code!r}")
    where = f"{where}（{code}）"
    label, description = row.get("label"), row.get("description", "")
    if not isinstance(label, str) or not label.strip():
        raise DataFileError(f"{where}：缺少名称 label")
    if not isinstance(description, str):
        raise DataFileError(f"{where}：description 应为文字")
    keywords = row.get("keywords")
    if (
        not isinstance(keywords, list)
        or not keywords
        or not all(isinstance(k, str) and k.strip() for k in keywords)
    ):
        raise DataFileError(f"{where}：keywords 应为非空的关键词列表")
    min_hits = row.get("min_hits", DEFAULT_MIN_HITS)
    if not isinstance(min_hits, int) or isinstance(min_hits, bool) or min_hits < 1:
        raise DataFileError(f"{where}：min_hits 应为正整数")
    return Topic(
        code, label.strip(), description.strip(), tuple(_squash(k) for k in keywords), min_hits
    )


def _override(ref: str, rule: Any, codes: set[str], where: str) -> Override:
    where = f"{where} 人工修正“{ref}”"
    if not re.fullmatch(r"[^:：]+[:：].+", ref):
        raise DataFileError(f"{where}：引用应写成“地区简称:措施序号”")
    if not isinstance(rule, dict) or set(rule) - {"add", "remove"}:
        raise DataFileError(f"{where}：只能包含 add 和 remove")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("add", "remove"):
        value = rule.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DataFileError(f"{where}：{key} 应为主题代码列表")
        unknown = [v for v in value if v not in codes]
        if unknown:
            raise DataFileError(f"{where}：未知的主题代码 {'、'.join(unknown)}")
        lists[key] = tuple(value)
    return Override(lists["add"], lists["remove"])
