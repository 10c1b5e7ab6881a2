"""Rows held for the rest of a transaction: found in the session without a query, changes seen,
nothing held once the transaction ends."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from models.db import Database
from models.held import get_held
from models.system import Setting


def _count_queries(db: Database) -> list[str]:
    seen: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    return seen


def test_a_held_row_is_read_once_per_transaction(db: Database) -> None:
    with db.session() as s:
        s.add(Setting(key="held_test", value="一"))
    seen = _count_queries(db)
    with db.session() as s:
        assert get_held(s, Setting, "held_test").value == "一"  # type: ignore[union-attr]
        first = len(seen)
        for _ in range(3):
            assert get_held(s, Setting, "held_test").value == "一"  # type: ignore[union-attr]
        assert len(seen) == first
        row = get_held(s, Setting, "held_test")
        assert row is not None
        row.value = "二"  # a change made in the unit of work is seen
        del row
        assert get_held(s, Setting, "held_test").value == "二"  # type: ignore[union-attr]
    with db.session() as s:  # a new transaction reads it afresh
        before = len(seen)
        assert get_held(s, Setting, "held_test").value == "二"  # type: ignore[union-attr]
        assert len(seen) == before + 1
        assert "held_rows" not in s.info or s.info["held_rows"]
        s.commit()
        assert "held_rows" not in s.info


def test_a_missing_row_is_none_and_not_held(db: Database) -> None:
    with db.session() as s:
        assert get_held(s, Setting, "no_such_setting") is None
        s.add(Setting(key="no_such_setting", value=1))
        s.flush()
        assert get_held(s, Setting, "no_such_setting").value == 1  # type: ignore[union-attr]


def test_a_row_deleted_in_the_transaction_is_not_returned(db: Database) -> None:
    with db.session() as s:
        s.add(Setting(key="held_gone", value="x"))
    with db.session() as s:
        row = get_held(s, Setting, "held_gone")
        s.delete(row)
        s.flush()
        del row
        assert get_held(s, Setting, "held_gone") is None
