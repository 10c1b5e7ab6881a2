"""Which policy measures the on-site checklists check, and which none checks yet.

For each catalog document: the measures no enabled item of an on-site theme cites (the gaps a
template author should look at); for each item: the measures it covers and any reference that
does not resolve. Supervision themes (部门督查) are left out: they cover every measure with a
responsible unit by construction, so counting them would hide the gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from checklists.catalog_view import DocumentView
from checklists.template_model import Theme


@dataclass(frozen=True)
class MeasureRef:
    id: str
    ref: str
    title: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class DocumentCoverage:
    document_id: str
    short: str
    title: str
    total: int
    covered: tuple[MeasureRef, ...]
    uncovered: tuple[MeasureRef, ...]
    by_theme: tuple[tuple[str, str, int], ...] = ()  # (theme code, name, measures covered)

    @property
    def ratio(self) -> float:
        return len(self.covered) / self.total if self.total else 0.0


@dataclass(frozen=True)
class ItemCoverage:
    theme: str
    code: str
    question: str
    measures: tuple[MeasureRef, ...]
    unresolved: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    documents: tuple[DocumentCoverage, ...]
    items: tuple[ItemCoverage, ...]


def coverage(catalog: Sequence[DocumentView], themes: Iterable[Theme]) -> Coverage:
    onsite = [t for t in themes if t.kind == "onsite"]
    by_ref: dict[str, list[MeasureRef]] = {}
    for doc in catalog:
        for m in doc.measures:
            by_ref.setdefault(m.ref, []).append(MeasureRef(m.id, m.ref, m.title, m.topics))
    cited: set[str] = set()
    per_theme: dict[str, set[str]] = {t.code: set() for t in onsite}
    items = []
    for theme in onsite:
        for item in theme.items:
            if not item.enabled:
                continue
            found = [m for ref in item.measures for m in by_ref.get(ref, ())]
            cited.update(m.id for m in found)
            per_theme[theme.code].update(m.id for m in found)
            items.append(ItemCoverage(theme.code, item.code, item.question, tuple(found),
                                      tuple(r for r in item.measures if r not in by_ref)))
    docs = []
    for doc in catalog:
        refs = [MeasureRef(m.id, m.ref, m.title, m.topics) for m in doc.measures]
        by_theme = tuple((t.code, t.name, sum(1 for r in refs if r.id in per_theme[t.code]))
                         for t in onsite)
        docs.append(DocumentCoverage(
            doc.id, doc.short, doc.title, len(refs),
            tuple(r for r in refs if r.id in cited), tuple(r for r in refs if r.id not in cited),
            by_theme))
    return Coverage(tuple(docs), tuple(items))


def coverage_json(cov: Coverage) -> dict[str, Any]:
    """What ``checklist coverage --json`` prints."""
    def ref(m: MeasureRef) -> dict[str, Any]:
        return {"id": m.id, "ref": m.ref, "title": m.title, "topics": list(m.topics)}

    return {
        "documents": [{
            "id": d.document_id, "short": d.short, "title": d.title, "measures": d.total,
            "covered": len(d.covered), "ratio": round(d.ratio, 4),
            "by_theme": [{"theme": code, "name": name, "covered": n,
                          "ratio": round(n / d.total, 4) if d.total else 0.0}
                         for code, name, n in d.by_theme],
            "uncovered": [ref(m) for m in d.uncovered],
        } for d in cov.documents],
        "items": [{
            "theme": i.theme, "code": i.code, "question": i.question,
            "measures": [ref(m) for m in i.measures], "unresolved": list(i.unresolved),
        } for i in cov.items],
    }
