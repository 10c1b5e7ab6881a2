"""The register of inspected units (被检查单位): validated creation, edits, search, duplicates.

A unit's type is a vocabulary entity type; its facts are the vocabulary facts its checklists
read, typed and checked against the facts that apply to its type. A 统一社会信用代码 is optional,
but one that is given must pass its check digit, and no second unit may be registered with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from checklists.regions import load_regions
from checklists.vocabulary import Vocabulary, load_vocabulary
from models.registry import Entity
from rules.credit_code import CreditCodeError
from rules.credit_code import validate as validate_credit_code
from rules.limits import NAME_MAX, SHORT_TEXT_MAX
from rules.text_check import check_text
from services.audit import audit

EDITABLE = ("name", "type_code", "facts", "credit_code", "address", "region_code",
            "contact_name", "contact_phone", "demo")
_PHONE = re.compile(r"[0-9+()（）\- 转,，/]{5,32}")


class EntityError(ValueError):
    """A unit cannot be saved as given. The message is Chinese."""


@dataclass(frozen=True)
class EntityInfo:
    id: int
    uuid: str
    name: str
    type_code: str
    type_label: str
    facts: dict[str, Any]
    credit_code: str | None
    address: str | None
    region_code: str | None
    contact_name: str | None
    contact_phone: str | None
    demo: bool


@dataclass(frozen=True)
class DuplicateGroup:
    credit_code: str
    entities: tuple[EntityInfo, ...]


def info(row: Entity, vocab: Vocabulary | None = None) -> EntityInfo:
    vocab = vocab or load_vocabulary()
    return EntityInfo(row.id, row.uuid, row.name, row.type_code, vocab.type_label(row.type_code),
                      dict(row.facts or {}), row.credit_code, row.address, row.region_code,
                      row.contact_name, row.contact_phone, bool(row.demo))


def validate_facts(type_code: str, facts: Mapping[str, Any] | None,
                   vocab: Vocabulary | None = None) -> dict[str, Any]:
    """Facts typed as the vocabulary says; unknown facts, facts that do not apply to the type
    and values of the wrong kind raise :class:`EntityError`. ``None`` values are dropped."""
    vocab = vocab or load_vocabulary()
    if vocab.entity_type(type_code) is None:
        raise EntityError(f"没有这个单位类型：{type_code}")
    out: dict[str, Any] = {}
    for code, value in (facts or {}).items():
        fact = vocab.fact(code)
        if fact is None:
            raise EntityError(f"未知的单位情况：{code}")
        if not vocab.fact_applies(fact, type_code):
            raise EntityError(f"“{fact.label}”不适用于“{vocab.type_label(type_code)}”")
        try:
            parsed = vocab.parse_fact_value(code, value)
        except ValueError as exc:
            raise EntityError(str(exc)) from None
        if parsed is not None:
            out[code] = parsed
    return dict(sorted(out.items()))


def normalise_region(value: Any) -> str | None:
    """A 6-digit 行政区划代码 from a code or a region's full or short name; None if empty.

    Any six digits are accepted: the bundled region tree covers only the regions of the
    shipped policies, and a unit elsewhere is still a valid unit."""
    text = clean(value)
    if text is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
    if re.fullmatch(r"\d{6}", text):
        return text
    for region in load_regions():
        if text in (region.name, region.short):
            return region.code
    raise EntityError(f"行政区划“{text}”无法识别，请填写6位行政区划代码")


def clean(value: Any) -> str | None:
    """Stripped text, or None for empty cells and blanks."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def validated_fields(session: Session, fields: Mapping[str, Any], *,
                     exclude_id: int | None = None,
                     vocab: Vocabulary | None = None) -> dict[str, Any]:
    """The fields of a unit, checked and normalised; raises :class:`EntityError`."""
    vocab = vocab or load_vocabulary()
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise EntityError(f"单位没有这些字段：{'、'.join(sorted(unknown))}")
    out = dict(fields)
    if "name" in out:
        out["name"] = check_text(clean(out["name"]), label="单位名称", limit=NAME_MAX,
                                 multiline=False, required=True, error=EntityError)
    if "type_code" in out:
        out["type_code"] = resolve_type(out["type_code"], vocab)
    if "facts" in out or "type_code" in out:
        out["facts"] = validate_facts(out["type_code"], out.get("facts"), vocab)
    if "credit_code" in out:
        code = clean(out["credit_code"])
        if code is not None:
            try:
                code = validate_credit_code(code)
            except CreditCodeError as exc:
                raise EntityError(str(exc)) from None
            twin = find_by_credit_code(session, code)
            if twin is not None and twin.id != exclude_id:
                raise EntityError(f"统一社会信用代码 {code} 已登记为“{twin.name}”，不能重复登记")
        out["credit_code"] = code
    if "region_code" in out:
        out["region_code"] = normalise_region(out["region_code"])
    if "contact_phone" in out:
        phone = clean(out["contact_phone"])
        if phone is not None and not _PHONE.fullmatch(phone):
            raise EntityError(f"联系电话“{phone}”格式不正确")
        out["contact_phone"] = phone
    for key, label, limit in (("address", "地址", SHORT_TEXT_MAX),
                              ("contact_name", "联系人", NAME_MAX)):
        if key in out:
            out[key] = check_text(clean(out[key]), label=label, limit=limit, multiline=False,
                                  error=EntityError)
    if "demo" in out:
        out["demo"] = bool(out["demo"])
    return out


def resolve_type(value: Any, vocab: Vocabulary | None = None) -> str:
    """An entity type code from its code, its label, or the label's part before “（”."""
    vocab = vocab or load_vocabulary()
    text = clean(value)
    if text is None:
        raise EntityError("请填写单位类型")
    for t in vocab.entity_types:
        if text in (t.code, t.label, t.label.split("（")[0]):
            return t.code
    raise EntityError(f"没有这个单位类型：{text}")


def create_entity(session: Session, *, name: str, type_code: str,
                  facts: Mapping[str, Any] | None = None, credit_code: str | None = None,
                  address: str | None = None, region_code: str | None = None,
                  contact_name: str | None = None, contact_phone: str | None = None,
                  demo: bool = False, user: str | None = None) -> EntityInfo:
    fields = validated_fields(session, {
        "name": name, "type_code": type_code, "facts": facts, "credit_code": credit_code,
        "address": address, "region_code": region_code, "contact_name": contact_name,
        "contact_phone": contact_phone, "demo": demo})
    row = Entity(**fields)
    session.add(row)
    session.flush()
    audit(session, "create", "entities", row.uuid, {"name": row.name}, user=user)
    return info(row)


def update_entity(session: Session, entity_id: int, *, user: str | None = None,
                  **changes: Any) -> EntityInfo:
    """Change some fields; a type change re-checks the facts against the new type."""
    row = _row(session, entity_id)
    if "type_code" in changes and "facts" not in changes:
        changes["facts"] = row.facts
    if "facts" in changes and "type_code" not in changes:
        changes["type_code"] = row.type_code
    fields = validated_fields(session, changes, exclude_id=row.id)
    before = {k: getattr(row, k) for k in fields}
    for key, value in fields.items():
        setattr(row, key, value)
    changed = {k: [before[k], v] for k, v in fields.items() if before[k] != v}
    if changed:
        session.flush()
        audit(session, "update", "entities", row.uuid, {"changed": changed}, user=user)
    return info(row)


def get_entity(session: Session, entity_id: int) -> EntityInfo:
    return info(_row(session, entity_id))


def find_by_credit_code(session: Session, code: str) -> EntityInfo | None:
    row = session.scalars(select(Entity).where(Entity.credit_code == code)
                          .order_by(Entity.id)).first()
    return info(row) if row is not None else None


def list_entities(session: Session, *, search: str | None = None, type_code: str | None = None,
                  region_code: str | None = None, include_demo: bool = True) -> list[EntityInfo]:
    """Units by name; ``search`` matches the name, the credit code or the address."""
    stmt = select(Entity).order_by(Entity.name, Entity.id)
    if search:
        like = f"%{search.strip()}%"
        stmt = stmt.where(or_(Entity.name.ilike(like), Entity.credit_code.ilike(like),
                              Entity.address.ilike(like)))
    if type_code:
        stmt = stmt.where(Entity.type_code == type_code)
    if region_code:
        stmt = stmt.where(Entity.region_code == region_code)
    if not include_demo:
        stmt = stmt.where(Entity.demo.is_(False))
    vocab = load_vocabulary()
    return [info(row, vocab) for row in session.scalars(stmt)]


def duplicate_groups(session: Session) -> list[DuplicateGroup]:
    """Units sharing a credit code (e.g. registered on two laptops), for a person to merge."""
    codes = session.scalars(
        select(Entity.credit_code).where(Entity.credit_code.is_not(None))
        .group_by(Entity.credit_code).having(func.count() > 1).order_by(Entity.credit_code)
    ).all()
    vocab = load_vocabulary()
    groups = []
    for code in codes:
        assert code is not None
        rows = session.scalars(select(Entity).where(Entity.credit_code == code)
                               .order_by(Entity.id))
        groups.append(DuplicateGroup(code, tuple(info(r, vocab) for r in rows)))
    return groups


def _row(session: Session, entity_id: int) -> Entity:
    row = session.get(Entity, entity_id)
    if row is None:
        raise EntityError(f"找不到被检查单位（编号 {entity_id}）")
    return row
