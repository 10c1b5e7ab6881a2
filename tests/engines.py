"""The two engines the model, sync and report tests run on: a SQLite file, and a database on
the throwaway PostgreSQL server that ``./dev test`` starts (``SHENGYU_TEST_PG`` names it).

Each test on PostgreSQL gets a database of its own, cloned from a migrated template (with the
bundled catalog, when it asks for it), and dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from models.db import Database, open_database

#: The admin URL of the test server (a database on it that the tests may connect to).
PG_ENV = "SHENGYU_TEST_PG"
SQLITE, POSTGRESQL = "sqlite", "postgresql"

#: The engine the current test runs on (set by the ``engine`` fixture in conftest).
current = SQLITE


def server_url() -> URL | None:
    value = os.environ.get(PG_ENV)
    return make_url(value) if value else None


def available() -> list[str]:
    return [SQLITE, POSTGRESQL] if server_url() is not None else [SQLITE]


class Server:
    """The test server: templates made once, a database per test."""

    def __init__(self, url: URL) -> None:
        from sqlalchemy import create_engine

        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT", future=True)
        self._names = itertools.count()
        self._templates: dict[bool, str] = {}
        self.created: list[str] = []
        self._prefix = f"shengyu_t{os.getpid()}"
        # Databases are cloned and dropped by the server while the tests run: the next one
        # of each kind is made ahead, and drops do not wait.
        self._work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-server")
        self._ahead: dict[bool, Future[str]] = {}
        self._lock = threading.Lock()

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def url_of(self, name: str) -> URL:
        return self.url.set(database=name)

    def _template(self, catalog: bool) -> str:
        if catalog not in self._templates:
            name = f"{self._prefix}_tpl{int(catalog)}"
            self._execute(f"DROP DATABASE IF EXISTS {name}")
            self._execute(f"CREATE DATABASE {name}")
            database = open_database(self.url_of(name), evidence_dir=Path("/nonexistent"))
            if catalog:
                from services.catalog_store import ensure_bundled_catalog

                with database.session() as session:
                    ensure_bundled_catalog(session)
            database.dispose()
            self._templates[catalog] = name
        return self._templates[catalog]

    def _clone(self, template: str) -> str:
        with self._lock:
            name = f"{self._prefix}_{next(self._names)}"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return name

    def new_database(self, catalog: bool = False) -> URL:
        template = self._template(catalog)
        made = self._ahead.pop(catalog, None)
        name = made.result() if made is not None else self._clone(template)
        self._ahead[catalog] = self._work.submit(self._clone, template)
        self.created.append(name)
        return self.url_of(name)

    def drop(self, url: URL) -> None:
        if url.database in self.created:
            self.created.remove(url.database)
        self._work.submit(self._execute, f"DROP DATABASE IF EXISTS {url.database} WITH (FORCE)")

    def close(self) -> None:
        self._work.shutdown(wait=True)
        ahead = [f.result() for f in self._ahead.values() if f.exception() is None]
        for name in [*self.created, *ahead, *self._templates.values()]:
            self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.admin.dispose()


_server: Server | None = None


def server() -> Server:
    global _server
    if _server is None:
        url = server_url()
        assert url is not None, f"{PG_ENV} is not set"
        _server = Server(url)
    return _server


def close_server() -> None:
    global _server
    if _server is not None:
        _server.close()
        _server = None


def fresh_database(folder: Path, name: str, template: Path | None = None) -> Database:
    """A new database on the current engine: a SQLite file in ``folder`` (a copy of
    ``template`` when given), or a database on the test server (with the catalog when a
    template is given), its evidence in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if current == POSTGRESQL:
        url = server().new_database(catalog=template is not None)
        return open_database(url, backup_dir=folder / "backups",
                             evidence_dir=folder / "evidence")
    path = folder / f"{name}.sqlite"
    if template is not None:
        shutil.copyfile(template, path)
    return open_database(path)
