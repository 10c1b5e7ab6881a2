"""The user's own template layer: edited, added and disabled items, stored in the database and
laid over the shipped themes by item code. Shipped files are never written.

A user item is validated exactly like a shipped one before anything is written; an invalid
one raises :class:`TemplateError` and leaves the session untouched. Services take a Session and
neither open nor commit it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.template_model import TemplateError, TemplateItem, Theme
from checklists.template_schema import ThemeContext, parse_item
from checklists.templates import find_theme, load_themes, theme_context
from checklists.vocabulary import load_vocabulary
from models.system import AuditEntry, UserTemplateItem

LAYER = "用户模板"


@dataclass(frozen=True)
class UserEdit:
    theme_code: str
    item_code: str
    payload: dict[str, Any] | None  # the whole item in template form, or None (only disabled)
    disabled: bool
    note: str | None
    updated_at: datetime | None


def user_layer(session: Session) -> dict[str, dict[str, UserEdit]]:
    """theme code -> item code -> the user's edit."""
    out: dict[str, dict[str, UserEdit]] = {}
    rows = session.scalars(select(UserTemplateItem).order_by(
        UserTemplateItem.theme_code, UserTemplateItem.id))
    for row in rows:
        out.setdefault(row.theme_code, {})[row.item_code] = UserEdit(
            row.theme_code, row.item_code, row.payload, row.disabled, row.note, row.updated_at)
    return out


def effective_themes(session: Session, themes: Sequence[Theme] | None = None) -> tuple[Theme, ...]:
    """The shipped themes (or ``themes``) with the user layer laid over them."""
    return apply_layer(themes if themes is not None else load_themes(), user_layer(session))


def apply_layer(themes: Sequence[Theme],
                layer: dict[str, dict[str, UserEdit]]) -> tuple[Theme, ...]:
    """Pure overlay: replaced items keep their place, added items go to the end of their
    section, disabled items stay with ``enabled=False``. A stored edit that no longer
    validates (the vocabulary changed since) leaves the shipped item in place; see
    :func:`layer_problems`."""
    out = []
    for theme in themes:
        edits = layer.get(theme.code, {})
        if not edits or theme.kind != "onsite":
            out.append(theme)
            continue
        ctx = _context(theme)
        items = []
        for item in theme.items:
            items.append(_overlay(item, edits.get(item.code), ctx))
        shipped = {i.code for i in theme.items}
        for code, edit in edits.items():
            if code not in shipped and edit.payload is not None:
                added = _overlay(None, edit, ctx)
                if added is not None:
                    items.append(added)
        order = {s.code: n for n, s in enumerate(theme.sections)}
        kept = [i for i in items if i is not None]
        kept.sort(key=lambda i: order[i.section])
        out.append(dataclasses.replace(theme, items=tuple(kept)))
    return tuple(out)


def layer_problems(session: Session, themes: Sequence[Theme] | None = None) -> list[str]:
    """Chinese messages for stored user edits that no longer validate."""
    themes = themes if themes is not None else load_themes()
    problems = []
    for theme_code, edits in user_layer(session).items():
        theme = find_theme(themes, theme_code)
        if theme is None:
            problems.append(f"{LAYER}：主题 {theme_code} 已不存在，其中 {len(edits)} 项修改未生效")
            continue
        for edit in edits.values():
            if edit.payload is None:
                continue
            try:
                parse_item(edit.payload, _context(theme), 1)
            except TemplateError as exc:
                problems.append(str(exc))
    return problems


def save_user_item(session: Session, theme_code: str, payload: dict[str, Any], *,
                   note: str | None = None, user: str | None = None,
                   themes: Sequence[Theme] | None = None) -> TemplateItem:
    """Validate and store the user's version of an item (new or replacing a shipped one)."""
    theme = _theme(theme_code, themes)
    item = parse_item(payload, _context(theme), 1)
    current = effective_themes(session, themes)
    for other in current:
        if other.code != theme.code and other.item(item.code) is not None:
            raise TemplateError(_file(theme), f"检查项代码已用于主题“{other.name}”",
                                item=item.code, field="code")
    row = _row(session, theme.code, item.code)
    if row is None:
        row = UserTemplateItem(theme_code=theme.code, item_code=item.code)
        session.add(row)
    row.payload = item.to_payload()
    row.note = note
    _audit(session, "template_save", theme.code, item.code, user,
           {"new": theme.item(item.code) is None})
    session.flush()
    return dataclasses.replace(item, user_edited=True)


def disable_item(session: Session, theme_code: str, item_code: str, *,
                 user: str | None = None, themes: Sequence[Theme] | None = None) -> None:
    """Hide an item from generated checklists without deleting anything."""
    theme = _theme(theme_code, themes)
    row = _row(session, theme.code, item_code)
    if row is None:
        if theme.item(item_code) is None:
            raise TemplateError(_file(theme), "没有这个检查项", item=item_code)
        row = UserTemplateItem(theme_code=theme.code, item_code=item_code, payload=None)
        session.add(row)
    row.disabled = True
    _audit(session, "template_disable", theme.code, item_code, user, {})
    session.flush()


def enable_item(session: Session, theme_code: str, item_code: str, *,
                user: str | None = None, themes: Sequence[Theme] | None = None) -> None:
    """Undo :func:`disable_item`; the user's edited text, if any, is kept."""
    theme = _theme(theme_code, themes)
    row = _row(session, theme.code, item_code)
    if row is None or not row.disabled:
        return
    if row.payload is None:
        session.delete(row)
    else:
        row.disabled = False
    _audit(session, "template_enable", theme.code, item_code, user, {})
    session.flush()


def revert_item(session: Session, theme_code: str, item_code: str, *,
                user: str | None = None, themes: Sequence[Theme] | None = None) -> None:
    """Drop the user's version (and any disabling): the shipped item applies again; an item
    the user added is removed."""
    theme = _theme(theme_code, themes)
    row = _row(session, theme.code, item_code)
    if row is None:
        return
    session.delete(row)
    _audit(session, "template_revert", theme.code, item_code, user, {})
    session.flush()


def _overlay(item: TemplateItem | None, edit: UserEdit | None,
             ctx: ThemeContext) -> TemplateItem | None:
    if edit is None:
        return item
    result = item
    if edit.payload is not None:
        try:
            result = dataclasses.replace(parse_item(edit.payload, ctx, 1), user_edited=True)
        except TemplateError:
            result = item
    if result is not None and edit.disabled:
        result = dataclasses.replace(result, enabled=False)
    return result


def _theme(theme_code: str, themes: Sequence[Theme] | None) -> Theme:
    all_themes = themes if themes is not None else load_themes()
    theme = find_theme(all_themes, theme_code)
    if theme is None:
        raise TemplateError(LAYER, f"没有这个检查主题：{theme_code}")
    if theme.kind != "onsite":
        raise TemplateError(LAYER, f"“{theme.name}”的检查项由政策措施自动生成，不能逐项编辑")
    return theme


def _context(theme: Theme) -> ThemeContext:
    header = {"code": theme.code, "sections": theme.sections,
              "entity_types": theme.entity_types, "facts": theme.facts}
    return theme_context(header, _file(theme), load_vocabulary())


def _file(theme: Theme) -> str:
    return f"{LAYER}（{theme.name}）"


def _row(session: Session, theme_code: str, item_code: str) -> UserTemplateItem | None:
    return session.scalars(select(UserTemplateItem).where(
        UserTemplateItem.theme_code == theme_code,
        UserTemplateItem.item_code == item_code)).first()


def _audit(session: Session, action: str, theme_code: str, item_code: str, user: str | None,
           detail: dict[str, Any]) -> None:
    session.add(AuditEntry(action=action, table_name="user_template_items",
                           record_id=f"{theme_code}/{item_code}", user=user,
                           device_id=session.info.get("device_id"), detail=detail))
