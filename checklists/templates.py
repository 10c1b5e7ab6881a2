"""Loading the shipped theme templates (``checklists/themes/*.yaml``) and finding things in them.

Each file is one theme, validated on load by :mod:`checklists.template_schema`; item codes are
unique across all themes because answers, user edits and imported findings are matched by them.
Measure references (``宝鸡:10``) are only checked for form here; whether they resolve against
the catalog in hand is :func:`unresolved_refs`'s job, since the catalog lives in the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checklists.catalog_view import DocumentView, MeasureView
from checklists.datafiles import DataFileError, load_yaml
from checklists.template_model import TemplateError, TemplateItem, Theme
from checklists.template_schema import (
    ThemeContext,
    parse_item,
    parse_supervision,
    parse_theme_header,
)
from checklists.vocabulary import Vocabulary, load_vocabulary
from resources import resource_path

__all__ = [
    "TemplateError",
    "UnresolvedRef",
    "build_theme",
    "find_theme",
    "load_theme",
    "load_themes",
    "resolve_refs",
    "theme_context",
    "themes_dir",
    "unresolved_refs",
]


@dataclass(frozen=True)
class UnresolvedRef:
    theme: str
    item: str
    ref: str
    reason: str  # Chinese


def themes_dir() -> Path:
    return resource_path("checklists", "themes")


def load_themes(folder: Path | None = None) -> tuple[Theme, ...]:
    """Every theme in the folder (default: the shipped one), in file-name order, validated."""
    return _load_folder((folder or themes_dir()).resolve())


def load_theme(path: Path, vocab: Vocabulary | None = None) -> Theme:
    """One theme file, validated. Raises :class:`TemplateError` naming file, item and field."""
    try:
        raw = load_yaml(path)
    except TemplateError:
        raise
    except DataFileError as exc:
        raise TemplateError(path.name, str(exc)) from exc
    return build_theme(raw, path.name, path.stem, vocab or load_vocabulary())


def build_theme(raw: Any, file: str, stem: str, vocab: Vocabulary) -> Theme:
    """A theme from its parsed YAML form (also used to lay the user layer over a theme)."""
    if not isinstance(raw, dict):
        raise TemplateError(file, "文件应包含 theme: 与 items: 两段")
    extra = sorted(set(map(str, raw)) - {"theme", "items", "supervision"})
    if extra:
        raise TemplateError(file, f"未知的顶层字段：{'、'.join(extra)}")
    header = parse_theme_header(raw.get("theme"), file, stem, vocab)
    ctx = theme_context(header, file, vocab)
    rows = raw.get("items")
    if rows is None and header["kind"] == "supervision":
        rows = []
    if not isinstance(rows, list) or (not rows and header["kind"] == "onsite"):
        raise TemplateError(file, "items: 应为非空的检查项列表")
    items: list[TemplateItem] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, 1):
        item = parse_item(row, ctx, i)
        if item.code in seen:
            raise TemplateError(file, "检查项代码在本主题内重复", item=item.code, field="code")
        seen.add(item.code)
        items.append(item)
    supervision = None
    if header["kind"] == "supervision":
        supervision = parse_supervision(raw.get("supervision"), file, ctx.section_codes)
    elif "supervision" in raw:
        raise TemplateError(file, "只有 kind: supervision 的主题可以写 supervision: 段")
    order = {s.code: n for n, s in enumerate(header["sections"])}
    items.sort(key=lambda it: order[it.section])  # stable: file order within a section
    return Theme(**header, items=tuple(items), source=file, supervision=supervision)


def theme_context(header: dict[str, Any], file: str, vocab: Vocabulary) -> ThemeContext:
    from checklists.departments import department_kinds
    from checklists.regions import load_regions

    return ThemeContext(
        file=file, theme_code=header["code"],
        section_codes=tuple(s.code for s in header["sections"]),
        entity_types=header["entity_types"], facts=header["facts"], vocab=vocab,
        departments=frozenset(k.label for k in department_kinds()),
        regions=frozenset(r.code for r in load_regions()))


def check_unique_codes(themes: Sequence[Theme]) -> None:
    """Theme codes, theme names and item codes must each be unique across all themes."""
    owners: dict[str, str] = {}
    names: dict[str, str] = {}
    for theme in themes:
        if theme.code in {t.code for t in themes if t is not theme}:
            raise TemplateError(theme.source, f"主题代码 {theme.code} 与其他文件重复")
        if theme.name in names:
            raise TemplateError(theme.source, f"主题名称“{theme.name}”与 {names[theme.name]} 重复")
        names[theme.name] = theme.source
        for item in theme.items:
            if item.code in owners:
                raise TemplateError(theme.source,
                                    f"检查项代码与 {owners[item.code]} 中的检查项重复",
                                    item=item.code, field="code")
            owners[item.code] = theme.source


def find_theme(themes: Iterable[Theme], name_or_code: str) -> Theme | None:
    """A theme by its code (muying) or its name as written (母婴设施)."""
    wanted = name_or_code.strip()
    return next((t for t in themes if wanted in (t.code, t.name)), None)


def resolve_refs(refs: Iterable[str], catalog: Iterable[DocumentView],
                 document_ids: Iterable[str] | None = None) -> list[MeasureView]:
    """Catalog measures the refs name, in ref order; only those of ``document_ids`` if given."""
    allowed = set(document_ids) if document_ids is not None else None
    by_ref: dict[str, list[MeasureView]] = {}
    for doc in catalog:
        if allowed is not None and doc.id not in allowed:
            continue
        for m in doc.measures:
            by_ref.setdefault(m.ref, []).append(m)
    out: list[MeasureView] = []
    for ref in refs:
        out.extend(m for m in by_ref.get(ref, []) if m not in out)
    return out


def unresolved_refs(themes: Iterable[Theme],
                    catalog: Iterable[DocumentView]) -> tuple[UnresolvedRef, ...]:
    """Measure references in the templates that name no measure of the catalog."""
    docs = list(catalog)
    shorts = {d.short for d in docs}
    refs = {m.ref for d in docs for m in d.measures}
    out = []
    for theme in themes:
        for item in theme.items:
            for ref in item.measures:
                if ref in refs:
                    continue
                short, _, number = ref.partition(":")
                reason = (f"目录中没有“{short}”的政策文件" if short not in shorts
                          else f"“{short}”的政策文件中没有第 {number} 条措施")
                out.append(UnresolvedRef(theme.code, item.code, ref, reason))
    return tuple(out)


@cache
def _load_folder(folder: Path) -> tuple[Theme, ...]:
    if not folder.is_dir():
        raise TemplateError(folder.name, f"主题模板目录不存在：{folder}")
    vocab = load_vocabulary()
    themes = tuple(load_theme(p, vocab) for p in sorted(folder.glob("*.yaml")))
    check_unique_codes(themes)
    return themes
