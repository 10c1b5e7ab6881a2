"""The inspections list as JSON text, written by SQLite itself.

``inspections --json`` over a city's ten thousand inspections spends most of its time turning
rows into Python objects and those into JSON. On a SQLite file the database can write each
row's JSON object directly (``json_object``), in C, from the same joined rows as
:func:`services.inspection_lifecycle.list_inspections`: the program only joins the texts. The
objects are the ones :func:`cli.inspections.as_json` makes, key for key and value for value
(a test compares them over many databases):

- times as :func:`models.utc.iso` writes them (``2026-07-31T03:30:00+00:00``, microseconds
  only when there are any), rewritten from the text SQLAlchemy stores;
- the compliance rate computed as :func:`rules.compliance.compliance_rate` computes it (the
  same IEEE operations, so the same number) and written with 17 significant digits, which
  reads back as the same number. Whether this SQLite writes those digits exactly is checked
  once per connection (:func:`writes_exact_reals`); where it does not, the caller takes the
  Python path.

This module imports neither the ORM nor the mapped classes, so that the command that uses it
starts quickly (see :func:`models.db.open_for_reading`). A database on a server goes through
Python.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from rules.inspection_status import (
    FAIL,
    NOT_APPLICABLE,
    NOT_CHECKED,
    PARTIAL,
    PASS,
    STATUS_LABELS,
)

#: Doubles whose 17-digit text must read back exactly for the rate to be written by SQLite.
PROBE_RATES = (5 / 6, 2 / 3, 0.1 + 0.2, 1 / 3, 0.7, 1.0, 0.0, 0.5, 299.5 / 301, 1 / 7)

_REAL = "json(printf('%!.17g', {0}))"


def _time(column: str) -> str:
    """``column``'s stored text (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC) as ``iso`` writes it:
    ``T`` between date and time, no microseconds when there are none, the offset. A time
    stored without microseconds (``HH:MM:SS``) reads the same."""
    return f"replace(replace({column}, ' ', 'T'), '.000000', '') || '+00:00'"


def _flag(expr: str) -> str:
    return f"json(CASE WHEN {expr} THEN 'true' ELSE 'false' END)"


_JUDGED = "(c.passed + c.partial + c.failed)"
_RATE = (f"CASE WHEN c.inspection_id IS NULL OR {_JUDGED} = 0 THEN NULL ELSE "
         + _REAL.format(f"((c.passed + 0.5 * c.partial) / {_JUDGED})") + " END")
_STATUS_LABEL = ("CASE i.status "
                 + " ".join(f"WHEN :status_{n} THEN :label_{n}" for n in range(len(STATUS_LABELS)))
                 + " ELSE i.status END")


def _count(column: str) -> str:
    return f"coalesce(c.{column}, 0)"


_OBJECT = f"""json_object(
    'id', i.uuid, 'series', i.series_uuid, 'version', i.version, 'supersedes', o.uuid,
    'superseded', {_flag("coalesce(c.superseded, 0)")},
    'entity', e.name, 'entity_id', e.uuid,
    'themes', CASE WHEN json_valid(i.themes) AND json_type(i.themes) = 'array'
                   THEN json(i.themes) ELSE json_array() END,
    'kind', i.kind, 'status', i.status, 'status_label', {_STATUS_LABEL},
    'started_at', {_time("i.started_at")}, 'ended_at', {_time("i.ended_at")},
    'demo', {_flag("i.demo")},
    'counts', json_object(
        'total', {_count("total")}, 'answered', {_count("answered")},
        :pass, {_count("passed")}, :fail, {_count("failed")}, :partial, {_count("partial")},
        :not_applicable, {_count("not_applicable")},
        :not_checked, {_count("total")} - {_count("answered")}),
    'compliance_rate', {_RATE})"""

_FROM = """FROM inspections AS i
JOIN entities AS e ON i.entity_id = e.id
LEFT OUTER JOIN inspections AS o ON i.supersedes_id = o.id
LEFT OUTER JOIN inspection_counts AS c ON c.inspection_id = i.id"""


def _params() -> dict[str, Any]:
    params: dict[str, Any] = {"pass": PASS, "fail": FAIL, "partial": PARTIAL,
                              "not_applicable": NOT_APPLICABLE, "not_checked": NOT_CHECKED}
    for n, (status, label) in enumerate(STATUS_LABELS.items()):
        params[f"status_{n}"], params[f"label_{n}"] = status, label
    return params


def writes_exact_reals(conn: Connection) -> bool:
    """Whether this SQLite writes a double's 17 significant digits exactly: each probe's text,
    read back, is the same double. False too for a SQLite built without its JSON functions."""
    for value in PROBE_RATES:
        try:
            written = conn.execute(text("SELECT " + _REAL.format(":v")), {"v": value}).scalar()
            if not isinstance(written, str) or json.loads(written) != value:
                return False
        except (DBAPIError, ValueError):
            return False
    return True


def inspections_json(conn: Connection, *, status: str | None = None,
                     current_only: bool = False) -> str | None:
    """``{"inspections": [...]}`` (compact, Chinese as it is), newest first, as
    ``inspections --json`` writes it; ``None`` when ``conn`` is not on SQLite or its SQLite
    cannot write the rates exactly."""
    if conn.dialect.name != "sqlite" or not writes_exact_reals(conn):
        return None
    where, params = [], _params()
    if status:
        where.append("i.status = :status")
        params["status"] = status
    if current_only:
        where.append("coalesce(c.superseded, 0) = 0")
    sql = (f"SELECT {_OBJECT}\n{_FROM}\n"
           + (f"WHERE {' AND '.join(where)}\n" if where else "")
           + "ORDER BY i.started_at DESC, i.id DESC")
    # through the driver: SQLAlchemy's handling of ten thousand one-column rows costs a
    # third as much again as the statement
    raw = conn.connection.driver_connection
    assert raw is not None  # an open connection
    objects = [row[0] for row in raw.execute(sql, params)]
    return '{"inspections":[' + ",".join(objects) + "]}"
