"""Declarative base and the identity mixin shared by every record that can travel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from models.dialect import JSON

# Stable constraint names, so that Alembic batch migrations on SQLite can find them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


def table_of(model: type[Base]) -> Table:
    """The table a mapped class is declared on (SQLAlchemy types ``__table__`` as any
    ``FromClause``; every model here has a plain ``Table``)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


class SyncMixin:
    """Identity every travelling record carries from its first row on.

    ``uuid`` names the record on every laptop; ``sync_rev`` counts its edits; ``sync_vv`` is its
    version vector (``{device id: edits made there}``, :mod:`rules.version_vector`), so that an
    import never overwrites a newer revision with an older one and sees concurrent edits even
    when the counts are equal; ``device_id`` says where it was last changed.

    Being made on the client and unique, ``uuid`` also lets the ORM insert many new records of
    a table in one statement and match the ids SQLite gives back to them (its insert sentinel:
    without one, SQLite's rows go one statement each).
    """

    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid, unique=True,
                                      insert_sentinel=True)
    sync_rev: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    device_id: Mapped[str | None] = mapped_column(String(36), default=None)
    sync_vv: Mapped[dict[str, int] | None] = mapped_column(JSON, default=None)
