"""The checklist snapshot an inspection stores, and the JSON the CLI prints.

A snapshot holds everything the checklist says — selection, dates, sections, and every item
with its citations, answer spec and text hash — so that reading it back never consults the
templates or the catalog: a later template edit never changes a finished inspection.
``from_snapshot(to_snapshot(c)) == c`` exactly; reading checks the format version and every
item's text hash, so a hand-edited snapshot is refused rather than trusted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from checklists.checklist_model import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    CitedMeasure,
    Exclusion,
    Selection,
    ThemeRef,
    answer_hash,
)
from checklists.conditions import condition_from_dict, condition_to_dict
from checklists.template_model import AnswerSpec, AppliesTo, LegalBasis

FORMAT = "shengyu-checklist"
FORMAT_VERSION = 1


class SnapshotError(ValueError):
    """A snapshot that cannot be read. The message is Chinese."""


def to_snapshot(checklist: Checklist, *,
                item_dict: Callable[[ChecklistItem], dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    """The checklist as a JSON-safe dict. ``item_dict`` gives an item's dict in place of
    :func:`item_to_dict` (one that remembers the dicts of items met before)."""
    item_dict = item_dict or item_to_dict
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "selection": checklist.selection.to_dict(),
        "generated_at": checklist.generated_at.isoformat(),
        "as_of": checklist.as_of.isoformat(),
        "jurisdiction": checklist.jurisdiction,
        "themes": [{"code": t.code, "name": t.name, "version": t.version, "kind": t.kind}
                   for t in checklist.themes],
        "sections": [{"theme": s.theme, "code": s.code, "title": s.title, "items": list(s.items)}
                     for s in checklist.sections],
        "items": [item_dict(i) for i in checklist.items],
        "excluded": [{"code": e.code, "theme": e.theme, "question": e.question,
                      "reason": e.reason} for e in checklist.excluded],
        "warnings": list(checklist.warnings),
        "content_hash": checklist.content_hash,
    }


#: One encoder for every snapshot and part (``json.dumps`` with these options would build one
#: per call).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                              allow_nan=False)


def snapshot_bytes(snapshot: Any) -> bytes:
    """The one byte form of a snapshot: canonical JSON (keys sorted, no spaces, UTF-8), the
    form it is stored and exchanged in and named by."""
    return _CANONICAL.encode(snapshot).encode("utf-8")


def snapshot_sha256(data: bytes) -> str:
    """The name of a snapshot's canonical bytes."""
    return hashlib.sha256(data).hexdigest()


def from_snapshot(data: dict[str, Any], *,
                  items: Sequence[ChecklistItem] | None = None) -> Checklist:
    """The checklist a snapshot holds. Raises :class:`SnapshotError` for a foreign format, a
    newer version, or an item whose text no longer matches its hash.

    ``items``, when given, are the snapshot's items already read from ``data["items"]`` and
    checked one by one (:func:`checked_item`): they are not read or checked again."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError("不是检查清单快照（格式标识不符）。")
    version = data.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise SnapshotError(f"检查清单快照的格式版本 {version} 高于本软件支持的 {FORMAT_VERSION}，"
                            "请升级软件。")
    try:
        read = tuple(item_from_dict(raw) for raw in data["items"]) if items is None \
            else tuple(items)
        checklist = Checklist(
            selection=Selection.from_dict(data["selection"]),
            as_of=date.fromisoformat(data["as_of"]),
            generated_at=datetime.fromisoformat(data["generated_at"]),
            jurisdiction=data.get("jurisdiction"),
            themes=tuple(ThemeRef(t["code"], t["name"], t["version"], t["kind"])
                         for t in data["themes"]),
            sections=tuple(ChecklistSection(s["theme"], s["code"], s["title"], tuple(s["items"]))
                           for s in data["sections"]),
            items=read,
            excluded=tuple(Exclusion(e["code"], e["theme"], e["question"], e["reason"])
                           for e in data.get("excluded", ())),
            warnings=tuple(data.get("warnings", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"检查清单快照内容不完整或已损坏：{exc}") from exc
    for item in read if items is None else ():
        _check_item(item)
    if data.get("content_hash") not in (None, checklist.content_hash):
        raise SnapshotError("检查清单快照的整体校验值不符，可能被改动过。")
    return checklist


def checked_item(raw: dict[str, Any]) -> ChecklistItem:
    """One item of a snapshot, read and checked against its text hash as
    :func:`from_snapshot` does. Raises :class:`SnapshotError`."""
    try:
        item = item_from_dict(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"检查清单快照内容不完整或已损坏：{exc}") from exc
    _check_item(item)
    return item


#: Items found to match their text hash (the hash is a function of the item's fields, so an
#: equal item matches too): a package's thousands of snapshots repeat the same items.
_MATCHED: dict[ChecklistItem, None] = {}
_MATCHED_MAX = 20_000


def _check_item(item: ChecklistItem) -> None:
    try:
        if item in _MATCHED:
            return
        hashable = True
    except TypeError:  # a field read as a list or dict: checked every time
        hashable = False
    expected = answer_hash(item.question, item.how_to_check, item.check_detail, item.answer,
                           item.legal_basis)
    if expected != item.text_hash:
        raise SnapshotError(
            f"检查清单快照中的检查项 {item.code} 内容与其校验值不符，可能被改动过。")
    if hashable:
        if len(_MATCHED) >= _MATCHED_MAX:
            _MATCHED.clear()
        _MATCHED[item] = None


def item_to_dict(item: ChecklistItem) -> dict[str, Any]:
    return {
        "code": item.code, "theme": item.theme, "section": item.section,
        "section_title": item.section_title, "question": item.question,
        "how_to_check": list(item.how_to_check), "check_detail": item.check_detail,
        "evidence": list(item.evidence), "legal_basis": [b.to_dict() for b in item.legal_basis],
        "obligation": item.obligation, "order_kind": item.order_kind,
        "competent_department": item.competent_department,
        "measures": [m.to_dict() for m in item.measures],
        "applies_to": {"entity_types": list(item.applies_to.entity_types),
                       "when": condition_to_dict(item.applies_to.when)},
        "applies_text": item.applies_text, "jurisdiction": item.jurisdiction,
        "severity": item.severity, "answer": item.answer.to_dict(),
        "require_on_fail": item.require_on_fail, "pending": item.pending, "note": item.note,
        "user_edited": item.user_edited, "text_hash": item.text_hash,
    }


def item_from_dict(raw: dict[str, Any]) -> ChecklistItem:
    applies = raw["applies_to"]
    return ChecklistItem(
        code=raw["code"], theme=raw["theme"], section=raw["section"],
        section_title=raw["section_title"], question=raw["question"],
        how_to_check=tuple(raw["how_to_check"]), check_detail=raw.get("check_detail"),
        evidence=tuple(raw["evidence"]),
        legal_basis=tuple(LegalBasis.from_dict(b) for b in raw["legal_basis"]),
        obligation=raw["obligation"], order_kind=raw["order_kind"],
        competent_department=raw["competent_department"],
        measures=tuple(CitedMeasure(m["id"], m["ref"], m["title"], m["document_id"],
                                    m["document_title"]) for m in raw["measures"]),
        applies_to=AppliesTo(tuple(applies["entity_types"]),
                             condition_from_dict(applies.get("when"))),
        applies_text=raw["applies_text"], jurisdiction=raw["jurisdiction"],
        severity=raw["severity"], answer=AnswerSpec.from_dict(raw["answer"]),
        require_on_fail=raw["require_on_fail"], pending=bool(raw["pending"]),
        note=raw.get("note"), user_edited=bool(raw.get("user_edited", False)),
        text_hash=raw["text_hash"])


def checklist_json(checklist: Checklist) -> dict[str, Any]:
    """What ``checklist generate --format json`` prints (keys fixed by DESIGN.md; more added)."""
    items = []
    for item in checklist.items:
        full = item_to_dict(item)
        items.append({
            "code": item.code, "section": item.section_title, "question": item.question,
            "how_to_check": full["how_to_check"], "evidence": full["evidence"],
            "legal_basis": [{**b, "article_verified": basis.article_verified}
                            for b, basis in zip(full["legal_basis"], item.legal_basis,
                                                strict=True)],
            "obligation": item.obligation,
            "competent_department": item.competent_department, "measures": full["measures"],
            "applies_to": {**full["applies_to"], "text": item.applies_text},
            "answer_type": item.answer.type, "severity": item.severity,
            "text_hash": item.text_hash,
            "theme": item.theme, "section_code": item.section, "check_detail": item.check_detail,
            "order_kind": item.order_kind, "answer": full["answer"],
            "threshold_text": item.answer.threshold_text() or None,
            "choices": list(item.answer.choices), "jurisdiction": item.jurisdiction,
            "require_on_fail": item.require_on_fail, "pending": item.pending, "note": item.note,
        })
    return {
        "theme": checklist.title,
        "themes": [{"code": t.code, "name": t.name, "version": t.version}
                   for t in checklist.themes],
        "selection": checklist.selection.to_dict(),
        "as_of": checklist.as_of.isoformat(),
        "jurisdiction": checklist.jurisdiction,
        "content_hash": checklist.content_hash,
        "sections": [{"theme": s.theme, "code": s.code, "title": s.title, "items": list(s.items)}
                     for s in checklist.sections],
        "items": items,
        "excluded": [{"code": e.code, "theme": e.theme, "reason": e.reason}
                     for e in checklist.excluded],
        "warnings": list(checklist.warnings),
    }
