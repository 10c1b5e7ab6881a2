"""Everything that differs between SQLite (the laptop) and PostgreSQL (a city's server).

The rest of the program writes SQLAlchemy constructs that mean the same on both engines; what
cannot be said that way is said here, once, for each engine:

- JSON columns (``jsonb`` on PostgreSQL, so they can be compared, sorted and indexed);
- the elements of a JSON array as rows (``json_each`` / ``jsonb_array_elements_text``);
- the measure search index (FTS5 trigram / ``pg_trgm`` with a GIN index), behind
  :func:`search_index_ids` and :func:`write_search_rows`;
- triggers that refuse a change (``RAISE(ABORT)`` / PL/pgSQL raising SQLSTATE 23000), for
  the migrations;
- id sequences, which PostgreSQL must be told about after rows are inserted with their ids.

A test (``tests/models/test_portable_sql.py``) fails when SQLite-only SQL appears elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

#: The JSON column type: JSON text on SQLite, ``jsonb`` on PostgreSQL (plain ``json`` there
#: has no equality or ordering, so a list could not sort or index by it).
JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def name_of(bind: Session | Connection | sa.Engine) -> str:
    """The engine's dialect name: ``sqlite`` or ``postgresql``."""
    return bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name


def is_sqlite(bind: Session | Connection | sa.Engine) -> bool:
    return name_of(bind) == "sqlite"


# --- JSON arrays as rows -----------------------------------------------------------------

class json_array_elements(FunctionElement[Any]):
    """The elements of a JSON array as rows of text: use
    ``json_array_elements(col).table_valued("value")``."""

    name = "json_array_elements"
    inherit_cache = True


@compiles(json_array_elements, "sqlite")
def _json_each(element: json_array_elements, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(json_array_elements, "postgresql")
def _jsonb_elements(element: json_array_elements, compiler: SQLCompiler, **kw: Any) -> str:
    return f"jsonb_array_elements_text({compiler.process(element.clauses, **kw)})"


# --- the measure search index --------------------------------------------------------------

SEARCH_TABLE = "measure_search"
_search = sa.table(SEARCH_TABLE, sa.column("measure_id"), sa.column("title"),
                   sa.column("body"), sa.column("units"))


def search_index_ids(bind: Session | Connection, terms: Sequence[str]) -> sa.Select[Any]:
    """The ids of the measures whose title, text or units hold every term (each term three
    characters or more: shorter ones are matched by the caller's LIKE, as FTS5's trigram
    tokenizer needs three). The same rows on both engines."""
    if is_sqlite(bind):
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return sa.select(_search.c.measure_id).where(
            sa.text(f"{SEARCH_TABLE} MATCH :q").bindparams(q=match))
    # pg_trgm answers LIKE through the GIN index; FTS5 trigram matching is case-insensitive
    # for ASCII, and so is ILIKE.
    haystack: sa.ColumnElement[str] = sa.literal_column(_HAYSTACK)
    return sa.select(_search.c.measure_id).where(
        *(haystack.ilike(f"%{_escape_like(t)}%", escape="\\") for t in terms))


#: What the trigram index covers; the query names the very same expression, so it is used.
_HAYSTACK = "(title || ' ' || body || ' ' || units)"


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def write_search_rows(session: Session, measure_ids: Sequence[str],
                      rows: Iterable[dict[str, str]]) -> None:
    """Replace the index rows of ``measure_ids`` with ``rows`` (measure_id, title, body,
    units)."""
    if measure_ids:
        session.execute(sa.delete(_search).where(_search.c.measure_id.in_(list(measure_ids))))
    values = list(rows)
    if values:
        session.execute(sa.insert(_search), values)


def create_search_index(op: Any) -> None:
    """The search table, for the first migration."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
                   "measure_id UNINDEXED, title, body, units, tokenize='trigram')")
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE TABLE {SEARCH_TABLE} (measure_id VARCHAR(64) NOT NULL, "
               "title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '', "
               "units TEXT NOT NULL DEFAULT '')")
    op.execute(f"CREATE INDEX ix_{SEARCH_TABLE}_measure_id ON {SEARCH_TABLE} (measure_id)")
    op.execute(f"CREATE INDEX ix_{SEARCH_TABLE}_trgm ON {SEARCH_TABLE} USING gin "
               f"({_HAYSTACK} gin_trgm_ops)")


# --- triggers that refuse a change ---------------------------------------------------------

def create_refusing_trigger(op: Any, name: str, table: str, event: str, message: str,
                            when: str | None = None) -> None:
    """A trigger that refuses ``event`` (UPDATE or DELETE) on ``table`` with ``message``
    whenever the SQL condition ``when`` holds (always without one). Either engine reports it
    as an integrity error (SQLite's RAISE(ABORT); SQLSTATE 23000 on PostgreSQL)."""
    quoted = message.replace("'", "''")
    if op.get_bind().dialect.name == "sqlite":
        guard = f" WHEN {when}" if when else ""
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table}{guard} "
                   f"BEGIN SELECT RAISE(ABORT, '{quoted}'); END")
        return
    test = when or "TRUE"
    op.execute(
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
        f"BEGIN\n"
        f"  IF {test} THEN\n"
        f"    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', "
        f"MESSAGE = '{quoted}';\n"
        f"  END IF;\n"
        f"  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
        f"  RETURN NEW;\n"
        f"END $fn$")
    op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION {name}()")


def drop_trigger(op: Any, name: str, table: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {name}()")


# --- rows named by their content ------------------------------------------------------------

def insert_shared_many(session: Session, table: sa.Table, unique: str,
                       rows: list[dict[str, Any]]) -> None:
    """On a server, insert rows named by their content (``unique`` is their key column),
    leaving out any another import is storing at this moment or has stored: theirs is the same.
    (SQLite has one writer at a time: the caller inserts plainly there.)"""
    if not rows:
        return
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    session.execute(pg_insert(table).on_conflict_do_nothing(index_elements=[unique]), rows)


# --- id sequences --------------------------------------------------------------------------

def advance_sequences(bind: Session | Connection, tables: Iterable[str] | None = None) -> None:
    """After rows were inserted with explicit ids, move each table's id sequence past the
    largest id, so the next row the program adds gets a free one. Nothing to do on SQLite,
    whose next id is always the largest plus one. ``None``: every table with a serial id."""
    if is_sqlite(bind):
        return
    conn = bind.connection() if isinstance(bind, Session) else bind
    names = list(tables) if tables is not None else _serial_tables(conn)
    for table in names:
        conn.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
            f"GREATEST((SELECT max(id) FROM {_quoted(table)}), 1), "
            f"(SELECT max(id) IS NOT NULL FROM {_quoted(table)}))"), {"t": table})


def _serial_tables(conn: Connection) -> list[str]:
    return list(conn.execute(sa.text(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_name = 'id' "
        "AND column_default LIKE 'nextval(%'")).scalars())


def _quoted(table: str) -> str:
    if not table.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {table!r}")
    return f'"{table}"'
