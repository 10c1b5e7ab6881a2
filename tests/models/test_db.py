"""Opening, upgrading and protecting the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models.catalog import PolicyDocument
from models.db import (
    BACKUPS_KEPT,
    PAGE_CACHE_KIB,
    Database,
    DatabaseError,
    head_revision,
    open_database,
)
from models.system import AuditEntry
from services.settings import get_setting, set_setting


@pytest.mark.sqlite_only
def test_connections_are_durable_wal_with_foreign_keys(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        # a page cache for the indexes a large write touches all over (64 MiB, in KiB)
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -PAGE_CACHE_KIB == -65536


def test_new_database_is_at_head_and_reopening_makes_no_backup(tmp_path: Path) -> None:
    first = open_database(tmp_path / "a.sqlite")
    device = first.device_id
    first.dispose()
    again = open_database(tmp_path / "a.sqlite")
    assert again.device_id == device
    again.dispose()
    conn = sqlite3.connect(tmp_path / "a.sqlite")
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    conn.close()
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    from models.catalog import Measure

    with pytest.raises(IntegrityError), db.session() as s:
        s.add(Measure(id="m-x", document_id="doc-missing", number="1", path="1", title="t",
                      text="t", source_text="t", position=0))


def test_audit_log_refuses_edits_and_deletions(db: Database) -> None:
    with db.session() as s:
        s.add(AuditEntry(action="create", table_name="t", record_id="1"))
    with pytest.raises(Exception, match="append-only"), db.session() as s:
        s.execute(text("UPDATE audit_log SET action = 'x'"))
    with pytest.raises(Exception, match="append-only"), db.session() as s:
        s.execute(text("DELETE FROM audit_log"))
    with db.session() as s:
        assert s.execute(text("SELECT action FROM audit_log")).scalars().all() == ["create"]


def test_a_failed_unit_of_work_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        set_setting(s, "organisation", "某局")
        s.flush()
        raise RuntimeError("power cut")
    with db.session() as s:
        assert get_setting(s, "organisation") is None


def test_editing_a_travelling_record_raises_its_revision(catalog_db: Database) -> None:
    with catalog_db.session() as s:
        doc = s.scalars(select(PolicyDocument)).first()
        assert doc is not None
        doc_id, rev = doc.id, doc.sync_rev
        assert doc.device_id == catalog_db.device_id
        doc.title = doc.title + "（修订）"
    with catalog_db.session() as s:
        edited = s.get(PolicyDocument, doc_id)
        assert edited is not None and edited.sync_rev == rev + 1


def test_a_file_that_is_not_sqlite_is_refused_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_bytes(b"this is a text file, not a database" * 10)
    with pytest.raises(DatabaseError, match="不是本软件的数据库文件"):
        open_database(bad)
    assert bad.read_bytes().startswith(b"this is a text file")


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="其他程序"):
        open_database(other)


def test_unwritable_data_folder_gets_a_chinese_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError, match="无法创建数据目录"):
        open_database(blocker / "sub" / "db.sqlite")




def test_pending_migration_backs_up_first_and_keeps_only_the_newest(tmp_path: Path) -> None:
    from models.db import backup_database

    path = tmp_path / "work.sqlite"
    open_database(path).dispose()
    upgrade = backup_database(path, tmp_path / "backups", "before-0006")
    for i in range(BACKUPS_KEPT + 3):
        backup_database(path, tmp_path / "backups", f"manual-{i}")
    backups = sorted((tmp_path / "backups").glob("work-*-manual-*.sqlite"))
    assert len(backups) == BACKUPS_KEPT
    assert backups[-1].name.endswith(f"manual-{BACKUPS_KEPT + 2}.sqlite")
    assert upgrade.exists()  # other kinds of backup are kept apart
    restored = sqlite3.connect(backups[-1])
    assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restored.close()


def _migrations_with_an_extra_revision(tmp_path: Path) -> Path:
    """A copy of the real migrations plus one more revision, as the next release would add."""
    import shutil

    from models import db as dbmod

    folder = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    (folder / "versions" / "9999_extra.py").write_text(
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '9999'\ndown_revision = {head!r}\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('policy_documents') as b:\n"
        "        b.add_column(sa.Column('remark', sa.Text(), nullable=True))\n"
        "def downgrade():\n    pass\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.sqlite_only
def test_pending_migration_backs_up_then_upgrades_without_losing_data(
    catalog_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import db as dbmod

    path = catalog_db.path
    with catalog_db.session() as s:
        before = [(d.id, d.title, len(d.measures)) for d in s.scalars(select(PolicyDocument))]
    catalog_db.dispose()
    released_head = head_revision()
    monkeypatch.setattr(dbmod, "MIGRATIONS", _migrations_with_an_extra_revision(tmp_path))
    upgraded = open_database(path)
    backups = list(upgraded.backup_dir.glob("*.sqlite"))
    assert len(backups) == 1 and "before-9999" in backups[0].name
    with upgraded.engine.connect() as conn:
        cols = [r[1] for r in conn.execute(text("PRAGMA table_info(policy_documents)"))]
        assert "remark" in cols
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    with upgraded.session() as s:
        after = [(d.id, d.title, len(d.measures)) for d in s.scalars(select(PolicyDocument))]
    assert after == before and len(after) == 5
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == released_head
    assert old.execute("SELECT count(*) FROM policy_documents").fetchone()[0] == 5
    old.close()
    upgraded.dispose()


@pytest.mark.sqlite_only
def test_a_full_disk_rolls_back_with_a_chinese_message_and_keeps_what_was_saved(
    db: Database,
) -> None:
    from models.db import DISK_FULL

    with db.session() as s:
        set_setting(s, "organisation", "中宁县卫生健康局")
    with pytest.raises(DatabaseError) as caught, db.session() as s:
        pages = s.execute(text("PRAGMA page_count")).scalar()
        s.execute(text(f"PRAGMA max_page_count = {pages}"))  # the file may not grow: SQLITE_FULL
        for i in range(2000):
            set_setting(s, f"filler-{i}", "很长的文本" * 200)
        s.flush()
    assert str(caught.value) == DISK_FULL
    with db.session() as s:
        assert get_setting(s, "organisation") == "中宁县卫生健康局"
        assert get_setting(s, "filler-0") is None


@pytest.mark.sqlite_only
def test_a_migration_that_fails_half_way_leaves_the_database_as_it_was(
    catalog_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from models import db as dbmod

    path = catalog_db.path
    released_head = head_revision()
    catalog_db.dispose()
    folder = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_broken.py").write_text(
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '9999'\ndown_revision = {released_head!r}\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    with op.batch_alter_table('policy_documents') as b:\n"
        "        b.add_column(sa.Column('remark', sa.Text(), nullable=True))\n"
        "    raise RuntimeError('power cut in the middle of the upgrade')\n"
        "def downgrade():\n    pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dbmod, "MIGRATIONS", folder)
    with pytest.raises(DatabaseError, match="数据库升级失败"):
        open_database(path)
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        columns = [r[1] for r in conn.execute("PRAGMA table_info(policy_documents)")]
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        documents = conn.execute("SELECT count(*) FROM policy_documents").fetchone()[0]
        measures = conn.execute("SELECT count(*) FROM measures").fetchone()[0]
    finally:
        conn.close()
    assert "half_done" not in tables and "remark" not in columns
    assert version == released_head and documents == 5 and measures == 102
    monkeypatch.setattr(dbmod, "MIGRATIONS", dbmod.resource_path("models", "migrations"))
    reopened = open_database(path)
    reopened.dispose()
