"""Shared fixtures: every test gets its own SQLite file; Qt runs offscreen."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt keeps its settings (the folder a file dialog last opened) under XDG_CONFIG_HOME: tests keep
# theirs in a folder of their own, never in the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="shengyu-test-config-")
# What the program remembers between runs (the report font) stays out of the user's cache too.
os.environ["SHENGYU_CACHE_DIR"] = tempfile.mkdtemp(prefix="shengyu-test-cache-")

from models.db import Database, open_database
from tests import engines

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "resources" / "policies"


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user data folder (keys, default databases) or the
    real cache folder (the report font remembered between runs)."""
    monkeypatch.setenv("SHENGYU_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))
    monkeypatch.setenv("SHENGYU_CACHE_DIR", str(tmp_path_factory.mktemp("usercache")))


@pytest.fixture(scope="session")
def catalog_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the bundled catalog, made once per run and copied for each test
    that asks for ``catalog_db`` (parsing and indexing the five documents takes a second).
    Each copy is the same installation: it keeps the template's device id."""
    from services.catalog_store import ensure_bundled_catalog

    path = tmp_path_factory.mktemp("template") / "catalog.sqlite"
    database = open_database(path)
    with database.session() as session:
        ensure_bundled_catalog(session)
    database.dispose()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file
    finally:
        conn.close()
    return path


#: The folders whose tests run on both engines when a PostgreSQL server is at hand.
BOTH_ENGINES = ("models", "sync", "reports")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about the SQLite file itself; not run on PostgreSQL")
    config.addinivalue_line(
        "markers", "own_engines: opens the engines it compares itself; run once")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test of the models, the exchange or the reports that uses a database runs on every
    engine at hand: ``[sqlite]`` and, with the test server, ``[postgresql]``."""
    if "engine" not in metafunc.fixturenames:
        return
    folder = Path(str(metafunc.definition.path)).relative_to(ROOT / "tests").parts[0]
    uses_database = bool({"db", "catalog_db", "catalog_template"} & set(metafunc.fixturenames))
    both = (folder in BOTH_ENGINES and uses_database
            and metafunc.definition.get_closest_marker("sqlite_only") is None
            and metafunc.definition.get_closest_marker("own_engines") is None)
    if both:
        names = engines.available()
        metafunc.parametrize("engine", names, indirect=True, ids=names)


@pytest.fixture(autouse=True)
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """The engine this test's databases are made on (see :mod:`tests.engines`)."""
    name = getattr(request, "param", engines.SQLITE)
    engines.current = name
    yield name
    engines.current = engines.SQLITE
    if name == engines.POSTGRESQL:
        server = engines.server()
        for database in list(server.created):
            server.drop(server.url_of(database))


@pytest.fixture(scope="session", autouse=True)
def _test_server() -> Iterator[None]:
    yield
    engines.close_server()


@pytest.fixture
def db(tmp_path: Path, request: pytest.FixtureRequest, engine: str) -> Iterator[Database]:
    """A fresh, migrated database (a SQLite file, or a database on the test server); empty
    unless the test also asks for ``catalog_db``."""
    template = (request.getfixturevalue("catalog_template")
                if "catalog_db" in request.fixturenames else None)
    database = engines.fresh_database(tmp_path, "test", template)
    yield database
    database.dispose()


@pytest.fixture
def catalog_db(db: Database) -> Database:
    """A fresh database with the five bundled policy documents loaded (the same as ``db``)."""
    from services.catalog_store import ensure_bundled_catalog

    with db.session() as session:
        assert ensure_bundled_catalog(session) == 0  # the copy already holds them
    return db


def seed_text(prefix: str) -> str:
    """The text of a bundled seed by its file-name prefix ("000" … "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")
