"""Shared fixtures: every test gets its own SQLite file; Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from models.db import Database, open_database

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "resources" / "policies"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database file with nothing in it yet."""
    database = open_database(tmp_path / "test.sqlite")
    yield database
    database.dispose()


@pytest.fixture
def catalog_db(db: Database) -> Database:
    """A fresh database with the five bundled policy documents loaded."""
    from checklists.store import ensure_bundled_catalog

    with db.session() as session:
        ensure_bundled_catalog(session)
    return db


def seed_text(prefix: str) -> str:
    """The text of a bundled seed by its file-name prefix ("000" … "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")
