"""Rows kept loaded for the rest of a transaction.

A session keeps only weak references to the rows it has not changed: a row read again and again
in one unit of work (a setting, the notice being taken through its steps) is dropped between
the readings and queried each time. :func:`get_held` reads it as ``session.get`` does and keeps
it until the transaction ends, so that the next reading finds it in the session. It is the
session's own row: what the unit of work changes in it is seen, an expired row is read again,
and a new transaction starts with nothing held.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_T = TypeVar("_T")
_HELD = "held_rows"


def get_held(session: Session, model: type[_T], key: Any) -> _T | None:
    """``session.get(model, key)``, the row kept loaded until the transaction ends."""
    row = session.get(model, key)
    if row is not None:
        held = session.info.get(_HELD)
        if held is None:
            held = session.info[_HELD] = {}
        held[(model, key)] = row
    return row


@event.listens_for(Session, "after_transaction_end")
def _release(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_HELD, None)
