"""What the generator produces: a selection, and the checklist generated for it.

Everything here is a plain frozen dataclass, so a checklist can be compared, stored as a
snapshot (:mod:`checklists.snapshot`), printed as JSON or written to Excel/XLSForm without
touching templates or the database again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from checklists.template_model import AnswerSpec, AppliesTo, LegalBasis

PENDING_NOTE = "适用条件待现场确认"


@dataclass(frozen=True)
class Selection:
    """What the inspector picked. Missing facts are unknown, not false."""

    themes: tuple[str, ...]  # theme codes (names are accepted by ``generate`` and normalised)
    documents: tuple[str, ...] = ()  # catalog document ids
    entity_type: str | None = None  # vocabulary code
    facts: dict[str, Any] = field(default_factory=dict, hash=False)
    departments: tuple[str, ...] = ()  # department kind labels (卫生健康, 消防救援, …)
    jurisdiction: str | None = None  # region code; derived from the documents when absent

    def to_dict(self) -> dict[str, Any]:
        return {"themes": list(self.themes), "documents": list(self.documents),
                "entity_type": self.entity_type,
                "facts": {k: self.facts[k] for k in sorted(self.facts)},
                "departments": list(self.departments), "jurisdiction": self.jurisdiction}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Selection:
        return cls(tuple(raw.get("themes", ())), tuple(raw.get("documents", ())),
                   raw.get("entity_type"), dict(raw.get("facts") or {}),
                   tuple(raw.get("departments", ())), raw.get("jurisdiction"))


@dataclass(frozen=True)
class CitedMeasure:
    id: str
    ref: str  # 宝鸡:10
    title: str
    document_id: str
    document_title: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ref": self.ref, "title": self.title,
                "document_id": self.document_id, "document_title": self.document_title}


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    theme: str  # theme code
    section: str  # section code within the theme
    section_title: str
    question: str
    how_to_check: tuple[str, ...]
    check_detail: str | None
    evidence: tuple[str, ...]
    legal_basis: tuple[LegalBasis, ...]
    obligation: str
    order_kind: str  # order | recommendation | supervision
    competent_department: str
    measures: tuple[CitedMeasure, ...]
    applies_to: AppliesTo
    applies_text: str  # the applicability in words (适用于：公共场所；条件：…)
    jurisdiction: str
    severity: str
    answer: AnswerSpec
    require_on_fail: str
    pending: bool  # applicability depends on facts not known yet
    note: str | None  # 适用条件待现场确认：…, or the deadline of a target
    user_edited: bool
    text_hash: str

    @property
    def section_key(self) -> str:
        return f"{self.theme}/{self.section}"


@dataclass(frozen=True)
class Exclusion:
    code: str
    theme: str
    question: str
    reason: str  # Chinese


@dataclass(frozen=True)
class ChecklistSection:
    theme: str
    code: str
    title: str
    items: tuple[str, ...]  # item codes, in order

    @property
    def key(self) -> str:
        return f"{self.theme}/{self.code}"


@dataclass(frozen=True)
class ThemeRef:
    code: str
    name: str
    version: int
    kind: str


@dataclass(frozen=True)
class Checklist:
    selection: Selection
    as_of: date
    generated_at: datetime
    jurisdiction: str | None
    themes: tuple[ThemeRef, ...]
    sections: tuple[ChecklistSection, ...]
    items: tuple[ChecklistItem, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[str, ...] = ()

    def item(self, code: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.code == code), None)

    def items_in(self, section: ChecklistSection) -> tuple[ChecklistItem, ...]:
        by_code = {i.code: i for i in self.items}
        return tuple(by_code[c] for c in section.items)

    @property
    def title(self) -> str:
        return "、".join(t.name for t in self.themes)

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 over the items' codes and text hashes, in order: the checklist's identity
        (worked out once: a checklist never changes)."""
        return sha256_json([[i.code, i.text_hash] for i in self.items])


def canonical_json(data: Any) -> str:
    """Stable JSON for hashing: sorted keys, no spaces, integral floats written as integers."""
    return json.dumps(_normalise(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_json(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def answer_hash(question: str, how_to_check: tuple[str, ...], check_detail: str | None,
                answer: AnswerSpec, legal_basis: tuple[LegalBasis, ...]) -> str:
    """The text hash of an item: what an answer depends on. An answer given to an item is
    carried forward to a later checklist only while this stays the same."""
    return sha256_json({"question": question, "how_to_check": list(how_to_check),
                        "check_detail": check_detail, "answer": answer.to_dict(),
                        "legal_basis": [b.to_dict() for b in legal_basis]})


@functools.lru_cache(maxsize=8192)
def template_answer_hash(question: str, how_to_check: tuple[str, ...], check_detail: str | None,
                         answer: AnswerSpec, legal_basis: tuple[LegalBasis, ...]) -> str:
    """:func:`answer_hash` for an item the generator makes from a template, once per distinct
    item in a process (checklists repeat the same items over and over).

    Only for values the template schema has checked (texts, numbers that are never booleans),
    where equal arguments give the same canonical JSON; a snapshot being verified is hashed
    with :func:`answer_hash` itself, so nothing it holds can match another's cached hash."""
    return answer_hash(question, how_to_check, check_detail, answer, legal_basis)


def _normalise(data: Any) -> Any:
    if isinstance(data, float) and data.is_integer():
        return int(data)
    if isinstance(data, dict):
        return {str(k): _normalise(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_normalise(v) for v in data]
    return data
