"""Appending to the audit log (models.system.AuditEntry) from the inspection services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.system import AuditEntry


def audit(session: Session, action: str, table_name: str, record_id: str,
          detail: dict[str, Any] | None = None, *, user: str | None = None) -> None:
    """One append-only entry: who (user, device) did what to which record (its uuid)."""
    session.add(AuditEntry(action=action, table_name=table_name, record_id=record_id,
                           detail=detail or {}, user=user,
                           device_id=session.info.get("device_id") or None))
