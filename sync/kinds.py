"""The record kinds that travel in a package, read off the tables themselves.

Every table with the sync identity (``SyncMixin``) is a kind, except the catalog's own rows
(documents and measures travel whole, by their deterministic ids: :mod:`sync.catalog`). A
record travels as its columns minus the local integer id and the sync metadata; a column that
refers to another travelling record holds that record's uuid instead of its integer id.

The order of :data:`KINDS` is the order of import: a record comes after what it refers to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Table, Text
from sqlalchemy.sql.type_api import TypeEngine

import models.draw
import models.inspection
import models.rectification
import models.registry
import models.system
from checklists.snapshot import snapshot_bytes
from models.base import Base
from models.catalog import MeasureUnit
from models.utc import UtcDateTime, iso

#: Columns every travelling record has, carried beside its data rather than in it.
META = ("id", "uuid", "sync_rev", "updated_at", "device_id", "sync_vv")

#: Columns that do not travel: the snapshot goes once per package, by hash (the inspection's
#: ``checklist_sha256``); the inspectors' local ids of a draw result are rebuilt from their uuids.
LOCAL_ONLY = {"inspections": ("snapshot_id",), "draw_results": ("inspector_ids",)}

#: Children of an inspection that a signature locks with it (the triggers of migration 0002).
LOCKED_CHILDREN = ("inspection_officers", "findings", "evidence", "signatures")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # string | text | integer | number | boolean | date | datetime | json
    nullable: bool
    max_length: int | None = None
    ref: str | None = None  # the kind this column refers to (its value travels as a uuid)


@dataclass(frozen=True)
class Kind:
    name: str  # the table name; the package member is records/<name>.jsonl
    label: str  # Chinese, for previews and logs
    table: Table
    fields: tuple[Field, ...]

    @property
    def refs(self) -> dict[str, str]:
        return {f.name: f.ref for f in self.fields if f.ref}


_LABELS = {
    "entities": "被检查单位", "inspectors": "检查人员", "inspector_conflicts": "回避声明",
    "inspections": "检查记录", "inspection_officers": "参加检查的人员", "findings": "检查结果",
    "evidence": "照片和附件", "signatures": "签名", "number_blocks": "文书编号号段",
    "notices": "整改文书", "notice_items": "文书所列问题", "notice_extensions": "延期申请",
    "rectification_reports": "整改报告", "rechecks": "复查", "notice_attachments": "文书附件",
    "draws": "双随机抽取", "draw_results": "抽取结果", "user_template_items": "自定义检查项",
    "measure_units": "指派的责任单位",
}

_MODELS = (
    models.registry.Entity, models.registry.Inspector, models.registry.Conflict,
    models.inspection.Inspection, models.inspection.InspectionOfficer,
    models.inspection.Finding, models.inspection.Evidence, models.inspection.Signature,
    models.rectification.NumberBlock, models.rectification.Notice,
    models.rectification.NoticeItem, models.rectification.NoticeExtension,
    models.rectification.RectificationReport, models.rectification.Recheck,
    models.rectification.NoticeAttachment, models.draw.Draw, models.draw.DrawResult,
    models.system.UserTemplateItem, MeasureUnit,
)


def _field_kind(t: TypeEngine[Any]) -> tuple[str, int | None]:
    if isinstance(t, UtcDateTime | DateTime):
        return "datetime", None
    if isinstance(t, Date):
        return "date", None
    if isinstance(t, Boolean):
        return "boolean", None
    if isinstance(t, Integer):
        return "integer", None
    if isinstance(t, Float):
        return "number", None
    if isinstance(t, JSON):
        return "json", None
    if isinstance(t, Text):
        return "text", None
    if isinstance(t, String):
        return "string", t.length
    raise TypeError(f"no package form for column type {t!r}")


def _kind(model: type[Base]) -> Kind:
    table = model.__table__
    assert isinstance(table, Table)
    names = {m.__table__.name for m in _MODELS}  # type: ignore[attr-defined]
    fields = []
    for col in table.columns:
        if col.name in META or col.name in LOCAL_ONLY.get(table.name, ()):
            continue
        ref = None
        for fk in col.foreign_keys:
            if fk.column.table.name in names:
                ref = fk.column.table.name
        kind, length = _field_kind(col.type)
        if ref:
            kind, length = "string", 36
        fields.append(Field(col.name, kind, bool(col.nullable), length, ref))
    return Kind(table.name, _LABELS[table.name], table, tuple(fields))


KINDS: tuple[Kind, ...] = tuple(_kind(m) for m in _MODELS)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
MODEL: dict[str, type[Base]] = {m.__table__.name: m for m in _MODELS}  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- values


def to_json(kind: str, value: Any) -> Any:
    """A column value as it travels."""
    if value is None:
        return None
    if kind == "datetime":
        return iso(value)  # stored UTC, naive or aware, as ISO 8601 with its offset
    if kind == "date":
        return value.isoformat()
    if kind == "number":
        return float(value)
    return value


def from_json(kind: str, value: Any) -> Any:
    """A travelling value as the column stores it."""
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value).astimezone(UTC)
    if kind == "date":
        return date.fromisoformat(value)
    return value


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value that hashes and signatures are taken over (the form
    a checklist snapshot is named by)."""
    return snapshot_bytes(value)


def content_of(uuid: str, data: Mapping[str, Any]) -> bytes:
    """What a record's content hash covers: its uuid and its data, not its sync metadata."""
    return canonical({"uuid": uuid, "data": data})


def describe(kind: str, data: dict[str, Any]) -> str:
    """A record in a few words, for a preview list."""
    pick = {
        "entities": ("name",), "inspectors": ("name", "department"),
        "inspections": ("kind", "started_at"), "findings": ("item_code", "result"),
        "evidence": ("original_name",), "signatures": ("role", "name"),
        "notices": ("doc_number", "addressee"), "notice_items": ("item_code",),
        "inspection_officers": ("name",), "draws": ("title",), "draw_results": ("entity_name",),
        "number_blocks": ("doc_word", "year"), "rechecks": ("doc_number", "checked_on"),
        "user_template_items": ("theme_code", "item_code"), "measure_units": ("name",),
    }.get(kind, ())
    if kind == "inspections":
        return _inspection(data)
    parts = [str(data.get(k))[:40] for k in pick if data.get(k) not in (None, "")]
    return " ".join(parts) or kind


def _inspection(data: dict[str, Any]) -> str:
    """An inspection by its day (北京时间), kind and themes: 2026-03-16 执法检查 母婴设施."""
    from datetime import datetime

    from rules.china_time import beijing

    parts = []
    started = data.get("started_at")
    if isinstance(started, str):
        try:
            parts.append(f"{beijing(datetime.fromisoformat(started)):%Y-%m-%d}")
        except ValueError:
            parts.append(started[:10])
    if data.get("kind"):
        parts.append(str(data["kind"]))
    if data.get("themes"):
        parts.append("、".join(map(str, data["themes"]))[:40])
    return " ".join(parts) or "检查记录"
