"""Records as they travel: reading rows into package form, and package form back into rows.

A record line is ``{"uuid", "id", "rev", "vv", "updated_at", "device_id", "data"}``: ``id`` is
the sending laptop's own integer id (a hint only: an empty database keeps it, so the same
record has the same number on both), ``rev`` its edit count, ``vv`` its version vector, and
``data`` its columns with every reference to another record written as that record's uuid.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Column, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import String

from models.utc import iso
from rules.version_vector import effective
from sync.kinds import BY_NAME, Kind, from_json, to_json

BATCH = 2000
#: Values bound in one ``IN (…)``: SQLite's default limit is 999 parameters.
IN_CHUNK = 900


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """``values`` in slices small enough for one ``IN (…)``."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def columns(kind: Kind) -> list[Column[Any]]:
    """The columns read for a kind: meta, then its fields."""
    t = kind.table
    return [t.c.id, t.c.uuid, t.c.sync_rev, t.c.updated_at, t.c.device_id, t.c.sync_vv,
            *(t.c[f.name] for f in kind.fields)]


class UuidMaps:
    """Local integer id ↔ uuid for the kinds that are referred to, loaded on first use."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._to_uuid: dict[str, dict[int, str]] = {}
        self._to_id: dict[str, dict[str, int]] = {}

    def _load(self, kind: str) -> None:
        t = BY_NAME[kind].table
        rows = self._session.execute(select(t.c.id, t.c.uuid)).all()
        self._to_uuid[kind] = {i: u for i, u in rows}
        self._to_id[kind] = {u: i for i, u in rows}

    def uuid(self, kind: str, local_id: int) -> str | None:
        if kind not in self._to_uuid:
            self._load(kind)
        return self._to_uuid[kind].get(local_id)

    def id(self, kind: str, uuid: str) -> int | None:
        if kind not in self._to_id:
            self._load(kind)
        return self._to_id[kind].get(uuid)

    def add(self, kind: str, uuid: str, local_id: int) -> None:
        if kind not in self._to_id:
            self._load(kind)
        self._to_id[kind][uuid] = local_id
        self._to_uuid[kind][local_id] = uuid

    def drop(self, kind: str, uuid: str) -> None:
        if kind in self._to_id:
            local = self._to_id[kind].pop(uuid, None)
            if local is not None:
                self._to_uuid[kind].pop(local, None)


def row_data(kind: Kind, row: Any, maps: UuidMaps,
             pending: Mapping[tuple[str, str], str] | None = None) -> dict[str, Any]:
    """The ``data`` of a record from its row (as read with :func:`columns`).

    A reference whose target has not arrived yet (kept in ``pending`` by uuid) is written as
    that uuid, so the record reads the same as on the laptop that sent it."""
    data: dict[str, Any] = {}
    for i, f in enumerate(kind.fields, start=6):
        value = row[i]
        if f.ref:
            if value is None:
                waiting = pending.get((row[1], f.name)) if pending else None
                data[f.name] = waiting
            else:
                data[f.name] = maps.uuid(f.ref, value)
        else:
            data[f.name] = to_json(f.kind, value)
    return data


def line_of(kind: Kind, row: Any, maps: UuidMaps,
            pending: Mapping[tuple[str, str], str] | None = None) -> dict[str, Any]:
    """The package line of a row."""
    return {"uuid": row[1], "id": row[0], "rev": int(row[2] or 1),
            "vv": effective(row[5], row[4], row[2]), "updated_at": iso(row[3]),
            "device_id": row[4], "data": row_data(kind, row, maps, pending)}


def read_rows(session: Session, kind: Kind, ids: Iterable[int] | None = None,
              where: Any = None) -> Iterator[Any]:
    """Rows of a kind in id order: all of them, those with ``ids``, or those ``where`` holds."""
    cols = columns(kind)
    t = kind.table
    if ids is None:
        stmt = select(*cols).order_by(t.c.id)
        if where is not None:
            stmt = stmt.where(where)
        yield from session.execute(stmt.execution_options(yield_per=BATCH))
        return
    wanted = sorted(set(ids))
    for chunk in chunks(wanted):
        yield from session.execute(select(*cols).where(t.c.id.in_(chunk)).order_by(t.c.id))


def raw_text(column: Any) -> Any:
    """A JSON column read as its stored text (no parsing)."""
    return type_coerce(column, String)


def values_of(kind: Kind, data: Mapping[str, Any]) -> dict[str, Any]:
    """Column values from a record's data (references still as uuids)."""
    names, dated = _converters(kind.name)
    out = dict(zip(names, map(data.get, names), strict=True))
    for name, convert in dated:
        value = out[name]
        if value is not None:
            out[name] = convert(value)
    return out


@cache
def _converters(kind: str) -> tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]:
    """The kind's fields, and for each date or time field the function that turns its
    travelling value into the column's."""
    fields = BY_NAME[kind].fields
    dated = tuple((f.name, lambda v, k=f.kind: from_json(k, v)) for f in fields
                  if not f.ref and f.kind in ("date", "datetime"))
    return tuple(f.name for f in fields), dated


def content_hashes(session: Session, kinds: Iterable[str] | None = None) -> dict[str, str]:
    """uuid -> SHA-256 of the record's travelling content, for every record of these kinds:
    two databases hold the same records exactly when these maps are equal."""
    import hashlib

    from sync.kinds import KINDS, content_of

    maps = UuidMaps(session)
    out: dict[str, str] = {}
    wanted = set(kinds) if kinds is not None else None
    for kind in KINDS:
        if wanted is not None and kind.name not in wanted:
            continue
        for row in read_rows(session, kind):
            if kind.name == "measure_units" and row_data(kind, row, maps)["role"] != "assigned":
                continue
            out[row[1]] = hashlib.sha256(content_of(row[1], row_data(kind, row, maps))
                                         ).hexdigest()
    return out
