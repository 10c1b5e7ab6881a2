"""Appending to the audit log (models.system.AuditEntry) from the inspection services.

The log says what changed, not a copy of everything: a text longer than
:data:`rules.limits.AUDIT_TEXT_MAX` is kept as its SHA-256, its length and a short excerpt
(enough to tell two versions apart and to prove which one was stored), so editing a long note
many times does not grow the database by the note's size each time.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from models.system import AuditEntry
from rules.limits import AUDIT_EXCERPT, AUDIT_TEXT_MAX

#: Lists longer than this keep their first items and say how many there were.
AUDIT_LIST_MAX = 200


def audit(session: Session, action: str, table_name: str, record_id: str,
          detail: dict[str, Any] | None = None, *, user: str | None = None) -> None:
    """One append-only entry: who (user, device) did what to which record (its uuid)."""
    session.add(AuditEntry(action=action, table_name=table_name, record_id=record_id,
                           detail=bounded(detail or {}), user=user,
                           device_id=session.info.get("device_id") or None))


def bounded(value: Any) -> Any:
    """``value`` with every long text replaced by its digest (see the module's docstring)."""
    if isinstance(value, str):
        return value if len(value) <= AUDIT_TEXT_MAX else text_digest(value)
    if isinstance(value, dict):
        return {k: bounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [bounded(v) for v in value[:AUDIT_LIST_MAX]]
        if len(value) > AUDIT_LIST_MAX:
            items.append({"omitted": len(value) - AUDIT_LIST_MAX})
        return items
    return value


def text_digest(text: str) -> dict[str, Any]:
    """A long text as the audit log keeps it."""
    data = text.encode("utf-8", "surrogatepass")
    return {"sha256": hashlib.sha256(data).hexdigest(), "length": len(text),
            "excerpt": text[:AUDIT_EXCERPT] + "…"}
