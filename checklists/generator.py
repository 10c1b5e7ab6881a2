"""The checklist generator: from a selection (documents, themes, entity, departments) to an
ordered checklist in which every item cites its policy measures and its legal basis.

Items that do not apply to the entity's type, jurisdiction, facts or the inspecting
departments are left out and listed in :attr:`Checklist.excluded` with the reason; items whose
conditions read facts not known yet stay in, marked 适用条件待现场确认. The result depends only
on the selection, the catalog, the templates and ``as_of``: generating twice gives the same
checklist (theme order as selected, then section order, then item order).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from checklists.catalog_view import DocumentView, MeasureView
from checklists.checklist_model import (
    PENDING_NOTE,
    Checklist,
    ChecklistItem,
    ChecklistSection,
    CitedMeasure,
    Exclusion,
    Selection,
    ThemeRef,
    template_answer_hash,
)
from checklists.conditions import describe, describe_value, evaluate, facts_used
from checklists.leave_rules import localise as localise_leave
from checklists.regions import NATIONAL, ancestors, detect_region, region_by_code
from checklists.supervision import SUPERVISION_FACTS, measure_basis, supervision_items
from checklists.template_model import (
    LegalBasis,
    TemplateItem,
    Theme,
    applies_text,
    order_kind,
)
from checklists.templates import find_theme
from checklists.vocabulary import Vocabulary, load_vocabulary


class SelectionError(ValueError):
    """The selection names something that does not exist. The message is Chinese."""


def generate(selection: Selection, catalog: Sequence[DocumentView], themes: Sequence[Theme], *,
             as_of: date, generated_at: datetime | None = None,
             vocab: Vocabulary | None = None) -> Checklist:
    """The checklist for ``selection``. Raises :class:`SelectionError` for unknown names."""
    vocab = vocab or load_vocabulary()
    picked, selection = _normalise(selection, catalog, themes, vocab)
    return _generate(picked, selection, catalog, as_of=as_of, generated_at=generated_at,
                     vocab=vocab)


def facts_read(themes: Iterable[Theme]) -> frozenset[str]:
    """The facts a checklist of these themes depends on: those the conditions of their items
    read, and for a supervision theme the kind of the supervised department. Two selections
    that differ only in other facts give the same checklist but for the selection it names."""
    out: set[str] = set()
    for theme in themes:
        if theme.kind == "supervision":
            out.update(SUPERVISION_FACTS)
        else:
            for tpl in theme.items:
                out.update(facts_used(tpl.applies_to.when))
    return frozenset(out)


class Generator:
    """:func:`generate` for many selections over one catalog, set of themes and date (a
    checklist per unit of a register): selections that differ only in facts their themes'
    conditions do not read (:func:`facts_read`) share one generated checklist, given to each
    with its own selection and time of generation."""

    def __init__(self, catalog: Sequence[DocumentView], themes: Sequence[Theme], *,
                 as_of: date, vocab: Vocabulary | None = None) -> None:
        self.catalog, self.themes, self.as_of = catalog, themes, as_of
        self.vocab = vocab or load_vocabulary()
        self._read: dict[tuple[int, ...], frozenset[str]] = {}
        self._made: dict[tuple[Any, ...], Checklist] = {}
        self._contexts: dict[tuple[Any, ...], _Context] = {}

    def generate(self, selection: Selection, *,
                 generated_at: datetime | None = None) -> Checklist:
        """What ``generate(selection, catalog, themes, as_of=as_of)`` gives."""
        picked, selection = _normalise(selection, self.catalog, self.themes, self.vocab)
        ids = tuple(id(t) for t in picked)  # the themes are held by self.themes
        read = self._read.get(ids)
        if read is None:
            read = self._read[ids] = facts_read(picked)
        # a value's type is part of the key: 1, 1.0 and True are equal as keys
        facts = tuple((k, type(v).__name__, v) for k, v in selection.facts.items() if k in read)
        key = (ids, selection.documents, selection.entity_type, selection.departments,
               selection.jurisdiction, facts)
        made = self._made.get(key)
        when = generated_at or datetime.now(UTC).replace(microsecond=0)
        if made is None:
            context = self._contexts.get(key[:5])
            if context is None:
                context = self._contexts[key[:5]] = _Context(selection, self.catalog)
            made = self._made[key] = _generate(picked, selection, self.catalog,
                                               as_of=self.as_of, generated_at=when,
                                               vocab=self.vocab, context=context)
            return made
        return dataclasses.replace(made, selection=selection, generated_at=when)


class _Context:
    """What a checklist draws on besides the facts: the documents and regions in scope, the
    jurisdiction and the catalog's places; and, for a :class:`Generator`, each template's
    item (or the reason it is left out) by the values of the facts its condition reads, and
    each item localised, made once for all the selections of the same context."""

    def __init__(self, selection: Selection, catalog: Sequence[DocumentView]) -> None:
        self.docs = _documents_in_scope(selection, catalog)
        self.scope = _Scope(self.docs, _regions_in_scope(selection, catalog))
        self.jurisdiction = selection.jurisdiction or _derived_jurisdiction(selection, catalog)
        self.places = _Places(catalog)
        self.items: dict[tuple[Any, ...], ChecklistItem | str] = {}
        self.localised: dict[int, ChecklistItem | str] = {}  # by id of an item in self.items
        self.reads: dict[int, tuple[str, ...]] = {}

    def item_or_reason(self, tpl: TemplateItem, theme: Theme, sel: Selection,
                       vocab: Vocabulary) -> ChecklistItem | str:
        reads = self.reads.get(id(tpl))
        if reads is None:
            reads = self.reads[id(tpl)] = facts_used(tpl.applies_to.when)
        # a value's type is part of the key: 1, 1.0 and True are equal as keys
        key = (id(tpl), id(theme), *((f, type(v).__name__, v) for f in reads
                                     if (v := sel.facts.get(f)) is not None))
        made = self.items.get(key)
        if made is None:
            made = self.items[key] = _item_or_reason(tpl, theme, sel, self.scope, vocab)
        return made

    def localise(self, item: ChecklistItem) -> ChecklistItem | str:
        done = self.localised.get(id(item))
        if done is None:
            done = self.localised[id(item)] = self.places.localise(
                localise_leave(item, self.jurisdiction), self.jurisdiction)
        return done


def _generate(picked: list[Theme], selection: Selection, catalog: Sequence[DocumentView], *,
              as_of: date, generated_at: datetime | None, vocab: Vocabulary,
              context: _Context | None = None) -> Checklist:
    """The checklist for a selection already normalised, its themes picked. ``context``: one
    made for this selection's, by a :class:`Generator`, whose parts are reused."""
    shared = context is not None
    context = context or _Context(selection, catalog)
    docs, scope, jurisdiction = context.docs, context.scope, context.jurisdiction
    places = context.places
    items: list[ChecklistItem] = []
    excluded: list[Exclusion] = []
    warnings: list[str] = []
    sections: list[ChecklistSection] = []
    seen: set[str] = set()
    covered_by = {c: t.code for th in picked for t in th.items for c in t.covers}
    for theme in picked:
        if theme.kind == "supervision":
            got, out, notes = supervision_items(theme, selection, docs, as_of=as_of, vocab=vocab)
            excluded.extend(out)
            warnings.extend(notes)
        else:
            got = []
            for tpl in theme.items:
                made = (context.item_or_reason(tpl, theme, selection, vocab) if shared
                        else _item_or_reason(tpl, theme, selection, scope, vocab))
                if isinstance(made, ChecklistItem):
                    made = _asked_already(tpl, made, seen, covered_by)
                if isinstance(made, ChecklistItem):
                    made = (context.localise(made) if shared else
                            places.localise(localise_leave(made, jurisdiction), jurisdiction))
                if isinstance(made, ChecklistItem):
                    got.append(made)
                else:
                    excluded.append(Exclusion(tpl.code, theme.code, tpl.question, made))
        kept = []
        for item in got:
            if item.code in seen:
                warnings.append(f"检查项 {item.code} 在多个主题中出现，只保留第一次")
                continue
            seen.add(item.code)
            kept.append(item)
        items.extend(kept)
        for sec in theme.sections:
            codes = tuple(i.code for i in kept if i.section == sec.code)
            if codes:
                sections.append(ChecklistSection(theme.code, sec.code, sec.title, codes))
    if selection.entity_type:
        for theme in picked:
            if not vocab.is_any(selection.entity_type, theme.entity_types):
                warnings.append(f"主题“{theme.name}”不适用于"
                                f"“{vocab.type_label(selection.entity_type)}”")
    return Checklist(
        selection=selection, as_of=as_of,
        generated_at=generated_at or datetime.now(UTC).replace(microsecond=0),
        jurisdiction=jurisdiction,
        themes=tuple(ThemeRef(t.code, t.name, t.version, t.kind) for t in picked),
        sections=tuple(sections), items=tuple(items), excluded=tuple(excluded),
        warnings=tuple(warnings))


class _Scope:
    """The documents whose measures may be cited, indexed by ref, and the regions in play."""

    def __init__(self, docs: Sequence[DocumentView], regions: set[str]) -> None:
        self.docs = docs
        self.titles = {d.id: d.title for d in docs}
        self.by_ref: dict[str, list[MeasureView]] = {}
        for doc in docs:
            for m in doc.measures:
                self.by_ref.setdefault(m.ref, []).append(m)
        self.region_chains = [set(ancestors(r)) for r in regions]

    def covers(self, jurisdiction: str) -> bool:
        return jurisdiction == NATIONAL or any(jurisdiction in c for c in self.region_chains)

    def cite(self, refs: Iterable[str]) -> tuple[CitedMeasure, ...]:
        out: dict[str, CitedMeasure] = {}
        for ref in refs:
            for m in self.by_ref.get(ref, ()):
                out.setdefault(m.id, CitedMeasure(m.id, m.ref, m.title, m.document_id,
                                                  self.titles[m.document_id]))
        return tuple(out.values())


def _asked_already(tpl: TemplateItem, item: ChecklistItem, seen: set[str],
                   covered_by: dict[str, str]) -> ChecklistItem | str:
    """The item, or why it is left out: an item of an earlier theme asks the same."""
    if covered_by.get(tpl.code) in seen:
        return f"已由 {covered_by[tpl.code]} 一并检查（同一要求在另一主题中）"
    if tpl.covers and all(code in seen for code in tpl.covers):
        return f"已由 {'、'.join(tpl.covers)} 检查（同一要求在另一主题中）"
    return item


def _item_or_reason(tpl: TemplateItem, theme: Theme, sel: Selection, scope: _Scope,
                    vocab: Vocabulary) -> ChecklistItem | str:
    if not tpl.enabled:
        return "该检查项已停用"
    types = tpl.applies_to.entity_types
    if sel.entity_type and not vocab.is_any(sel.entity_type, types):
        return (f"不适用于“{vocab.type_label(sel.entity_type)}”"
                f"（本项适用于：{'、'.join(vocab.type_label(t) for t in types)}）")
    if not scope.covers(tpl.jurisdiction):
        region = region_by_code(tpl.jurisdiction)
        return (f"只适用于{region.name if region else tpl.jurisdiction}，"
                "本次选择的文件和被检查单位所在地区不在其内")
    if sel.departments and tpl.competent_department not in sel.departments:
        return (f"主管部门为{tpl.competent_department}，"
                f"不在本次检查部门（{'、'.join(sel.departments)}）之列")
    truth = evaluate(tpl.applies_to.when, sel.facts, vocab, sel.entity_type)
    condition = describe(tpl.applies_to.when, vocab)
    if truth is False:
        known = [describe_value(f, sel.facts[f], vocab) for f in facts_used(tpl.applies_to.when)
                 if sel.facts.get(f) is not None]
        return f"适用条件不满足：{condition}（{'；'.join(known)}）"
    note = f"{PENDING_NOTE}：{condition}" if truth is None else None
    return ChecklistItem(
        code=tpl.code, theme=theme.code, section=tpl.section,
        section_title=_section_title(theme, tpl.section), question=tpl.question,
        how_to_check=tpl.how_to_check, check_detail=tpl.check_detail, evidence=tpl.evidence,
        legal_basis=tpl.legal_basis, obligation=tpl.obligation,
        order_kind=order_kind(tpl.obligation, tpl.legal_basis),
        competent_department=tpl.competent_department,
        measures=scope.cite(tpl.measures), applies_to=tpl.applies_to,
        applies_text=applies_text(tpl.applies_to, vocab), jurisdiction=tpl.jurisdiction,
        severity=tpl.severity, answer=tpl.answer, require_on_fail=tpl.require_on_fail,
        pending=truth is None, note=note, user_edited=tpl.user_edited,
        text_hash=template_answer_hash(tpl.question, tpl.how_to_check, tpl.check_detail,
                                       tpl.answer, tpl.legal_basis))


class _Places:
    """Which region a cited document belongs to, from the catalog (a plan's title or 文号) or
    failing that from a region named in its title."""

    def __init__(self, catalog: Sequence[DocumentView]) -> None:
        self.by_title = {f"《{d.title}》": d.region_code for d in catalog if d.region_code}
        self.by_number = {d.doc_number: d.region_code for d in catalog
                          if d.region_code and d.doc_number}
        self.documents = {d.id: d for d in catalog}
        self.measures = {m.id: m for d in catalog for m in d.measures}

    def region(self, basis: LegalBasis) -> str | None:
        found = self.by_title.get(basis.document)
        if found is None and basis.doc_number:
            found = self.by_number.get(basis.doc_number)
        return found or _document_region(basis.document)

    def localise(self, item: ChecklistItem, jurisdiction: str | None) -> ChecklistItem | str:
        """The item citing only its own region's documents and the country's (never a
        鹿寨县 plan in a 中宁县 checklist). Where every basis is another region's, the item
        rests on the measure of the unit's own region that it implements, or does not apply."""
        if not jurisdiction or jurisdiction == NATIONAL:
            return item
        chain = set(ancestors(jurisdiction))
        kept = tuple(b for b in item.legal_basis
                     if (region := self.region(b)) is None or region in chain)
        if len(kept) == len(item.legal_basis):
            return item
        if not kept:
            kept = tuple(self._own_measure_basis(item, chain))
            if not kept:
                places = "、".join(dict.fromkeys(b.document for b in item.legal_basis))
                return f"依据均为其他地区的文件（{places}），本地区文件中没有相应措施"
        return dataclasses.replace(
            item, legal_basis=kept, order_kind=order_kind(item.obligation, kept),
            text_hash=template_answer_hash(item.question, item.how_to_check, item.check_detail,
                                           item.answer, kept))

    def _own_measure_basis(self, item: ChecklistItem, chain: set[str]) -> Iterable[LegalBasis]:
        for cited in item.measures:
            doc = self.documents.get(cited.document_id)
            measure = self.measures.get(cited.id)
            if doc is None or measure is None or doc.region_code not in chain:
                continue
            # the plan's words are read, but they task the government: what the unit must do is
            # derived from them, so the item advises rather than orders
            yield measure_basis(doc, measure, "推论")


@cache
def _document_region(title: str) -> str | None:
    region = detect_region(title)
    return region.code if region else None


def _section_title(theme: Theme, code: str) -> str:
    sec = theme.section(code)
    return sec.title if sec else code


def _normalise(sel: Selection, catalog: Sequence[DocumentView], themes: Sequence[Theme],
               vocab: Vocabulary) -> tuple[list[Theme], Selection]:
    """Check every name in the selection; type the facts; themes by code from here on."""
    if not sel.themes:
        raise SelectionError("请至少选择一个检查主题。")
    picked: list[Theme] = []
    for name in sel.themes:
        theme = find_theme(themes, name)
        if theme is None:
            known = "、".join(t.name for t in themes)
            raise SelectionError(f"没有这个检查主题：{name}（可选：{known}）")
        if theme not in picked:
            picked.append(theme)
    ids = {d.id for d in catalog}
    for doc_id in sel.documents:
        if doc_id not in ids:
            raise SelectionError(f"政策目录中没有这份文件：{doc_id}")
    if sel.entity_type is not None and vocab.entity_type(sel.entity_type) is None:
        known = "、".join(f"{t.code}（{t.label}）" for t in vocab.entity_types)
        raise SelectionError(f"没有这个被检查单位类型：{sel.entity_type}（可选：{known}）")
    facts: dict[str, Any] = {}
    for key in sorted(sel.facts):
        try:
            value = vocab.parse_fact_value(key, sel.facts[key])
        except ValueError as exc:
            raise SelectionError(str(exc)) from None
        if value is not None:
            facts[key] = value
    from checklists.departments import department_kinds

    labels = {k.label for k in department_kinds()}
    for dept in sel.departments:
        if dept not in labels:
            raise SelectionError(
                f"没有这个部门类别：{dept}（例如 卫生健康、消防救援、人力资源和社会保障）")
    if sel.jurisdiction is not None and region_by_code(sel.jurisdiction) is None:
        raise SelectionError(f"没有这个行政区划代码：{sel.jurisdiction}")
    normalised = Selection(
        themes=tuple(t.code for t in picked), documents=tuple(dict.fromkeys(sel.documents)),
        entity_type=sel.entity_type, facts=facts,
        departments=tuple(dict.fromkeys(sel.departments)), jurisdiction=sel.jurisdiction)
    return picked, normalised


def _documents_in_scope(sel: Selection, catalog: Sequence[DocumentView]) -> list[DocumentView]:
    """The selected documents; with none selected, those that apply to the jurisdiction."""
    if sel.documents:
        chosen = set(sel.documents)
        return [d for d in catalog if d.id in chosen]
    if sel.jurisdiction is None:
        return list(catalog)
    return [d for d in catalog if d.region_code is None
            or d.region_code in ancestors(sel.jurisdiction)
            or sel.jurisdiction in ancestors(d.region_code)]


def _regions_in_scope(sel: Selection, catalog: Sequence[DocumentView]) -> set[str]:
    """Regions a regional item may apply to: the entity's and the selected documents'."""
    out = {sel.jurisdiction} if sel.jurisdiction else set()
    chosen = set(sel.documents)
    out |= {d.region_code for d in catalog if d.id in chosen and d.region_code}
    return out


def _derived_jurisdiction(sel: Selection, catalog: Sequence[DocumentView]) -> str | None:
    """The innermost region that holds every selected document's region."""
    chosen = set(sel.documents)
    chains = [ancestors(d.region_code) for d in catalog if d.id in chosen and d.region_code]
    if not chains:
        return None
    common = [c for c in chains[0] if all(c in chain for chain in chains[1:])]
    return common[0] if common else NATIONAL
