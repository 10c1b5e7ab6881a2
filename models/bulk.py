"""Many rows of one table written at once: the one path an import and the demo fill share.

The rows are dicts of one shape (the same keys; every column the table needs a value for), or
tuples of the values of named columns in one order. The statement is SQLAlchemy Core's
``insert(table)``, compiled once per table and set of columns for the connection's dialect. On
SQLite's driver (positional parameters), each column's values go through that column type's
own bind processor - for the dialect, so what is stored is what the ORM would store: UTC times
in SQLAlchemy's text form, JSON text, booleans as the dialect keeps them - and the rows go
straight to the driver's ``executemany``, without the per-row statement work of
``Connection.execute``. On PostgreSQL through psycopg the rows go by ``COPY … FROM STDIN`` in
the same transaction, each value bound as SQLAlchemy binds it (times as instants, JSON as its
text). On any other driver the rows go to ``connection.execute(insert(table), rows)`` and
SQLAlchemy binds them itself.

A JSON value that many rows share (the same object, or an equal flat dict or list such as an
imported row's version vector) is serialised once per call. A time in UTC is written once per
value for as long as the inserter lives (an import's rows and the demo's repeat the same
instants many times over), up to :data:`TIME_TEXTS` of them.

On SQLite the statement lists the columns that go as they are first and those a processor
writes after them, so that each row's values are taken in one call and only the processed
columns are built value by value.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from operator import add, itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, DateTime, Table, TypeDecorator, insert
from sqlalchemy.exc import DBAPIError

#: How many texts of times in UTC an inserter keeps (about 100 bytes each).
TIME_TEXTS = 200_000

#: The cyclic collector's thresholds while rows are built and written in bulk.
BULK_GC_THRESHOLD = (50_000, 20, 100)


class _Scopes:
    """How many bulk scopes are open, and the thresholds the first of them replaced."""

    lock = threading.Lock()
    open = 0
    saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def bulk_work() -> Iterator[None]:
    """While many rows are built and written (an import, the demo fill), Python's cyclic
    garbage collector passes over the objects made far less often. The rows are dicts and
    tuples that live until they are written, not garbage cycles, yet each new allocation
    counted towards a pass, and every full pass looks at every object the program holds (the
    catalog, the generated checklists, the rows): at a city's scale such passes took about
    2 s of a 14 s demo fill. Nothing else changes: the collector still runs, and the usual
    thresholds return when the last open scope ends (scopes may overlap across threads)."""
    with _Scopes.lock:
        if _Scopes.open == 0:
            _Scopes.saved = old = gc.get_threshold()
            gc.set_threshold(*(max(o, b) for o, b in zip(old, BULK_GC_THRESHOLD, strict=True)))
        _Scopes.open += 1
    try:
        yield
    finally:
        with _Scopes.lock:
            _Scopes.open -= 1
            if _Scopes.open == 0:
                gc.set_threshold(*_Scopes.saved)


@dataclass(frozen=True)
class Plan:
    """A compiled insert for SQLite's driver (positional parameters): its SQL, the columns
    whose values go as they are (in parameter order, first), then the columns a processor
    writes, each with its processor and whether it is JSON or a time."""

    sql: str
    plain: tuple[str, ...]
    processed: tuple[str, ...]
    processors: tuple[Callable[[Any], Any], ...]
    is_json: tuple[bool, ...]
    is_time: tuple[bool, ...]

    def params(self, rows: Sequence[Any], times: dict[datetime, str],
               index: Mapping[str, int] | None = None) -> list[tuple[Any, ...]]:
        """Each row's parameters: its plain values in one call, then its processed ones.
        ``rows`` are dicts, or tuples whose positions ``index`` gives by column name."""
        def at(name: str) -> Any:
            return name if index is None else index[name]

        if len(self.plain) > 1:
            plain: list[tuple[Any, ...]] = list(map(itemgetter(*map(at, self.plain)), rows))
        elif self.plain:
            plain = [(v,) for v in map(itemgetter(at(self.plain[0])), rows)]
        else:
            plain = [()] * len(rows)
        if not self.processed:
            return plain
        columns = []
        for name, process, json_value, time_value in zip(
                self.processed, self.processors, self.is_json, self.is_time, strict=True):
            values = list(map(itemgetter(at(name)), rows))
            if json_value:
                values = _shared_once(values, process)
            elif time_value:
                values = _times(values, process, times)
            else:  # the type's own processor, which keeps None as SQL NULL
                values = list(map(process, values))
            columns.append(values)
        return list(map(add, plain, zip(*columns, strict=True)))


@dataclass(frozen=True)
class _Copy:
    """On PostgreSQL through psycopg: the rows go by ``COPY … FROM STDIN`` (one round trip
    for the lot instead of one statement each), every value bound as SQLAlchemy would bind it
    and JSON written as its text, once per shared object."""

    sql: str
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    is_json: tuple[bool, ...]


class BulkInserter:
    """Inserts rows into tables through one connection's dialect, remembering each compiled
    statement (keep one per unit of work: a merge, a demo fill)."""

    def __init__(self) -> None:
        self._plans: dict[tuple[str, tuple[str, ...]], Plan | _Copy | None] = {}
        self._times: dict[datetime, str] = {}  # the text of each time in UTC written so far

    def insert(self, connection: Connection, table: Table, rows: Sequence[Any],
               names: Sequence[str] | None = None) -> None:
        """Write ``rows``: dicts of one shape, or - with ``names`` - tuples of the values of
        those columns in that order (a writer that makes hundreds of thousands of rows of one
        table spares itself a dict per row)."""
        if not rows:
            return
        columns = tuple(rows[0]) if names is None else tuple(names)
        if names is not None and set(map(len, rows)) != {len(columns)}:
            raise ValueError(f"rows for {table.name} must hold {len(columns)} values each")
        key = (table.name, columns)
        if key in self._plans:
            plan = self._plans[key]
        else:
            plan = self._plans[key] = _plan(connection, table, columns)
        if names is not None and not isinstance(plan, Plan):
            rows = [dict(zip(columns, row, strict=True)) for row in rows]
        if plan is None:  # a driver that takes named parameters: let SQLAlchemy bind
            connection.execute(insert(table), list(rows))
            return
        if isinstance(plan, _Copy):
            _copy(connection, plan, rows)
            return
        if len(self._times) > TIME_TEXTS:
            self._times.clear()
        index = None if names is None else {name: i for i, name in enumerate(columns)}
        connection.exec_driver_sql(plan.sql, plan.params(rows, self._times, index))


def _plan(connection: Connection, table: Table, names: tuple[str, ...]) -> Plan | _Copy | None:
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return _copy_plan(connection, table, names)
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names))
    if dialect.paramstyle != "qmark" or compiled.positiontup is None:
        return None  # a driver that is not SQLite's: SQLAlchemy binds the rows
    order = list(compiled.positiontup)
    missing = [name for name in order if name not in names]
    if missing:  # a column whose default SQLAlchemy would compute: the rows must carry it
        raise ValueError(f"rows for {table.name} lack {', '.join(missing)}")
    plain: list[str] = []
    processed: list[tuple[str, Callable[[Any], Any], bool, bool]] = []
    for name in order:
        column_type = table.c[name].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            plain.append(name)
            continue
        quick = _quicker_time(column_type, dialect, process)
        assert quick is not None  # the column's own processor at worst
        # is_time: the quicker way holds for this column
        processed.append((name, quick, isinstance(column_type, JSON), quick is not process))
    columns = plain + [p[0] for p in processed]
    quote = dialect.identifier_preparer
    sql = (f"INSERT INTO {quote.format_table(table)} "
           f"({', '.join(quote.quote(n) for n in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    return Plan(sql, tuple(plain), tuple(p[0] for p in processed),
                 tuple(p[1] for p in processed), tuple(p[2] for p in processed),
                 tuple(p[3] for p in processed))


#: Times a quicker processor must write exactly as the column's own does before it is used.
_PROBES = (datetime(2026, 1, 2, 3, 4, 5, 6), datetime(1999, 12, 31, 23, 59, 59),
           datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
           datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
           datetime(2026, 7, 1, 8, 0, 0, 120000, tzinfo=timezone(timedelta(hours=8))),
           datetime(987, 6, 5, 4, 3, 2, 1))


def _quicker_time(column_type: Any, dialect: Any,
                  process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """For a time column on SQLite (hundreds of thousands of values in an import): the text
    SQLAlchemy writes ("2026-01-02 03:04:05.000006"), made by ``datetime.isoformat`` in one
    call instead of a formatted dict (a time in UTC without converting it first). Used only
    where it gives the very text the column's own processor gives for every probe; otherwise
    the column's own processor."""
    is_time = isinstance(column_type, DateTime) or isinstance(
        getattr(column_type, "impl_instance", None), DateTime)
    if process is None or dialect.name != "sqlite" or not is_time:
        return process
    adapt = (column_type.process_bind_param if isinstance(column_type, TypeDecorator)
             else None)

    def quick(value: Any) -> Any:
        if type(value) is datetime and value.tzinfo is UTC:  # the usual case: its UTC reading
            return value.isoformat(" ", "microseconds")[:-6]  # less its "+00:00"
        if adapt is not None:
            value = adapt(value, dialect)
        if type(value) is datetime and value.tzinfo is None:
            return value.isoformat(" ", "microseconds")
        return process(value)  # a date, an aware time: as the column writes it

    try:
        same = all(quick(probe) == process(probe) for probe in _PROBES)
    except (TypeError, ValueError):
        same = False
    return quick if same else process


def _copy_plan(connection: Connection, table: Table, names: tuple[str, ...]) -> _Copy:
    dialect = connection.dialect
    missing = [c.name for c in table.c if c.name not in names and c.default is not None]
    if missing:  # what SQLAlchemy would compute, COPY would leave to the server: refused
        raise ValueError(f"rows for {table.name} lack {', '.join(missing)}")
    quote = dialect.identifier_preparer
    sql = (f"COPY {quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)}) "
           "FROM STDIN")
    is_json = tuple(isinstance(table.c[name].type, JSON) for name in names)
    processors = tuple(None if json_value else
                       table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                       for name, json_value in zip(names, is_json, strict=True))
    return _Copy(sql, names, processors, is_json)


def _json_text(value: Any) -> str:
    """What a JSON column on PostgreSQL receives for ``value`` (None is JSON null, as
    SQLAlchemy binds it for a column that keeps nulls as JSON)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _copy(connection: Connection, plan: _Copy, rows: Sequence[Mapping[str, Any]]) -> None:
    columns = []
    for name, process, json_value in zip(plan.names, plan.processors, plan.is_json,
                                         strict=True):
        values = list(map(itemgetter(name), rows))
        if json_value:
            values = _shared_once(values, _json_text, keep_none=False)
        elif process is not None:
            values = [process(v) for v in values]
        columns.append(values)
    driver = connection.connection.driver_connection
    assert driver is not None
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        with driver.cursor() as cursor, cursor.copy(plan.sql) as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)
    except dbapi_error as exc:  # as SQLAlchemy raises it: IntegrityError for a unique key, …
        raise DBAPIError.instance(plan.sql, None, exc, dbapi_error,
                                  dialect=connection.dialect) from exc


def _times(values: list[Any], quick: Callable[[Any], Any], done: dict[datetime, str]) -> list[Any]:
    """A time column's values as :func:`_quicker_time`'s ``quick`` writes them: a time in UTC
    once per instant (``done``: equal times in UTC are one instant and one text), any other
    through ``quick``."""
    out: list[Any] = []
    append = out.append
    for v in values:
        if type(v) is datetime and v.tzinfo is UTC:
            text = done.get(v)
            if text is None:
                text = done[v] = v.isoformat(" ", "microseconds")[:-6]
            append(text)
        else:
            append(None if v is None else quick(v))
    return out


def _shared_once(values: list[Any], process: Callable[[Any], Any], *,
                 keep_none: bool = True) -> list[Any]:
    """JSON values processed once per object (``values`` keeps every object alive, so no id
    is reused within the call), and once per value for a flat dict or list (an imported row's
    version vector, parsed anew for every row, is one of a few); None stays SQL NULL unless
    ``keep_none`` is false. An object met again (the demo's findings share one answer spec
    per checklist item) is looked up by its id, without working out its value's key again."""
    done: dict[Any, Any] = {}  # flat values, by their key
    seen: dict[int, Any] = {}  # every value, by object
    out: list[Any] = []
    append = out.append
    for v in values:
        if v is None and keep_none:
            append(None)
            continue
        text = seen.get(id(v))
        if text is None:
            key = _flat(v)
            if key is None:
                text = process(v)
            else:
                text = done.get(key)
                if text is None:
                    text = done[key] = process(v)
            seen[id(v)] = text
        append(text)
    return out


# (not floats: 0.0 and -0.0 are equal and written differently)
_SCALARS = frozenset({str, int, bool, type(None)})


def _flat(value: Any) -> tuple[Any, ...] | None:
    """A key that equal flat dicts or lists share and no other value has (each scalar with its
    type, as 1 and True are written differently), in the order they are written; None
    for any other value."""
    kind = type(value)
    if kind is dict:
        if len(value) > 8:
            return None
        key: list[Any] = [dict]
        for k, v in value.items():
            if type(v) not in _SCALARS or type(k) is not str:
                return None
            key += (k, type(v), v)
        return tuple(key)
    if kind is list and len(value) <= 8 and all(type(v) in _SCALARS for v in value):
        return (list, *((type(v), v) for v in value))
    return None
