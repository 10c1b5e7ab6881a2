"""Shared fixtures: every test gets its own SQLite file; Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A fresh, migrated database file; empty unless the test also asks for ``catalog_db``."""
    path = tmp_path / "test.sqlite"
    if "catalog_db" in request.fixturenames:
        shutil.copyfile(request.getfixturevalue("catalog_template"), path)
    database = open_database(path)
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
