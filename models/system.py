"""Settings (with this database's device id), the append-only audit log, the user's own
template layer, and the reports finalised under a 文号."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, SyncMixin, utcnow
from models.dialect import JSON


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


DEVICE_ID = "device_id"  # the settings key of this database's device id


def ensure_device_id(session: Session) -> str:
    """This database's device id, made once on first start."""
    row = session.get(Setting, DEVICE_ID)
    if row is None or not row.value:
        value = str(uuid.uuid4())
        if row is None:
            session.add(Setting(key=DEVICE_ID, value=value))
        else:
            row.value = value
        return value
    return str(row.value)


def read_device_id(session: Session) -> str:
    """This database's device id, without making one (a read-only database)."""
    row = session.get(Setting, DEVICE_ID)
    return str(row.value) if row is not None and row.value else ""


class AuditEntry(Base):
    """Who changed what and when. Rows are only ever inserted (a trigger refuses the rest)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    device_id: Mapped[str | None] = mapped_column(String(36), default=None)
    user: Mapped[str | None] = mapped_column(String(64), default=None)
    action: Mapped[str] = mapped_column(String(32))  # create | update | delete | import | …
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # An entry merged from another laptop: "<its device id>/<its id there>" (migration 0006).
    origin: Mapped[str | None] = mapped_column(String(80), default=None, unique=True)


class UserTemplateItem(SyncMixin, Base):
    """A user's edit of a theme template item, laid over the shipped file by item code.

    ``payload`` holds the whole item as the template format defines it; ``disabled`` hides a
    shipped item without deleting anything.
    """

    __tablename__ = "user_template_items"
    __table_args__ = (UniqueConstraint("theme_code", "item_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme_code: Mapped[str] = mapped_column(String(64))
    item_code: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class IssuedReport(Base):
    """A report finalised under a 文号 (the 督查通报), kept as it was printed: the office can
    print it again, and the same period is not numbered twice by mistake. Local to this
    database, like the number block it took its number from."""

    __tablename__ = "issued_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # summary
    doc_number: Mapped[str] = mapped_column(String(80), unique=True)
    scope: Mapped[str] = mapped_column(String(400), index=True)  # what it reports on, as JSON
    scope_label: Mapped[str] = mapped_column(String(400))  # the same in words
    as_of: Mapped[date] = mapped_column(Date)  # the day overdue was judged on
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    pages: Mapped[int] = mapped_column(Integer)
    pdf_sha256: Mapped[str] = mapped_column(String(64))  # the file in the evidence store
