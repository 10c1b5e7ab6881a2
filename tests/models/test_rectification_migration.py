"""Migration 0003 adds the rectification tables to a database that already holds 0002 data,
and matches the ORM declarations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from models.base import Base
from models.db import alembic_config, make_engine, open_database

OURS = {"number_blocks", "notices", "notice_items", "notice_extensions",
        "rectification_reports", "rechecks", "notice_attachments"}


# The list's sort indexes on expressions (0009) cannot be reflected, so they are not compared.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrade_keeps_0002_data_and_adds_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0002")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO entities (name, type_code, facts, demo, created_at, uuid, sync_rev,"
                 " updated_at) VALUES ('旧单位', 'employer', '{}', 0, '2026-01-01', 'u-1', 1,"
                 " '2026-01-01')")
    conn.commit()
    conn.close()

    db = open_database(path)
    try:
        conn = sqlite3.connect(path)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert OURS <= tables
        assert conn.execute("SELECT name FROM entities").fetchall() == [("旧单位",)]
        assert sorted(db.backup_dir.glob("*.sqlite"))  # backed up before upgrading
        conn.close()
        with db.engine.connect() as c:
            diffs = compare_metadata(MigrationContext.configure(c), Base.metadata)
        ours = [d for d in diffs if any(t in repr(d) for t in OURS)]
        assert ours == []
    finally:
        db.dispose()


def test_downgrade_to_0002_removes_only_the_new_tables(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.sqlite")
    command.downgrade(alembic_config(db.engine), "0002")
    conn = sqlite3.connect(db.path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    db.dispose()
    assert not (OURS & tables) and "findings" in tables
