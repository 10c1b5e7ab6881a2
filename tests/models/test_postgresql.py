"""A database on a PostgreSQL server: addresses, migrations, times, ids, triggers, search.

The tests that need the server run on the throwaway cluster ``./dev test`` starts; its time
zone is Asia/Shanghai, so a time that shifted by the server's zone would show here.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError

from models.db import Database, DatabaseError, head_revision, open_database, parse_location
from models.registry import Entity
from models.system import AuditEntry
from tests import engines

BEIJING = timezone(timedelta(hours=8))

pytestmark = pytest.mark.own_engines  # each test says which engine it uses

needs_server = pytest.mark.skipif(engines.server_url() is None,
                                  reason=f"{engines.PG_ENV} names no PostgreSQL server")


# --- addresses -------------------------------------------------------------------------------

@pytest.mark.parametrize("given, expected", [
    ("jiancha.sqlite", Path("jiancha.sqlite")),
    ("D:\\检查\\shengyu.sqlite", Path("D:\\检查\\shengyu.sqlite")),
    ("sqlite:///tmp/a.sqlite", Path("tmp/a.sqlite")),
    ("sqlite:////tmp/a.sqlite", Path("/tmp/a.sqlite")),
])
def test_a_file_path_stays_a_path(given: str, expected: Path) -> None:
    assert parse_location(given) == expected


def test_a_postgresql_url_is_taken_with_the_psycopg_driver() -> None:
    url = parse_location("postgresql://jiancha:密码@db.example:5433/shengyu")
    assert isinstance(url, URL)
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port, url.database, url.username) == (
        "db.example", 5433, "shengyu", "jiancha")
    located = parse_location("postgresql+psycopg://u@/shengyu?host=/run/pg")
    assert isinstance(located, URL) and located.query["host"] == "/run/pg"


@pytest.mark.parametrize("given, says", [
    ("postgresql+psycopg://u@host:port/db", "不是有效的数据库地址"),
    ("mysql://u@host/db", "不支持 mysql"),
    ("postgresql+psycopg2://u@host/db", "psycopg 3"),
    ("postgresql+psycopg://u@host", "没有给出数据库名"),
    ("sqlite://", "没有给出数据库文件的路径"),
])
def test_an_address_this_program_cannot_open_is_named_never_taken_for_a_file(
        given: str, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseError, match=says):
        open_database(given)
    with pytest.raises(DatabaseError, match=says):
        parse_location(given)
    assert list(tmp_path.iterdir()) == []  # no file made under a name like "mysql:"


def test_the_command_line_takes_a_url_and_refuses_a_broken_one() -> None:
    from main import database_argument

    assert database_argument("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_argument("a.sqlite") == Path("a.sqlite")
    with pytest.raises(argparse.ArgumentTypeError, match="不支持 oracle"):
        database_argument("oracle://u@h/db")


# --- the server ------------------------------------------------------------------------------

@pytest.fixture
def server_db(tmp_path: Path) -> Iterator[Database]:
    server = engines.server()
    url = server.new_database()
    database = open_database(url, evidence_dir=tmp_path / "evidence")
    yield database
    database.dispose()
    server.drop(url)


@needs_server
def test_a_new_server_database_is_migrated_to_head_with_its_own_evidence_folder(
        server_db: Database, tmp_path: Path) -> None:
    assert server_db.path is None and not server_db.is_sqlite
    assert server_db.evidence_root == tmp_path / "evidence"
    assert "host=" in server_db.location
    with server_db.engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
        assert conn.scalar(text("SHOW timezone")) == "UTC"
        assert conn.scalar(text("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'"))


@needs_server
def test_times_are_the_same_instant_whatever_the_servers_time_zone(
        server_db: Database) -> None:
    plain = create_engine(server_db.url, future=True)  # a session in the server's own zone
    with plain.connect() as conn:
        server_zone = conn.scalar(text("SHOW timezone"))
    assert server_zone not in ("UTC", "Etc/UTC", "GMT")  # the cluster runs in another zone
    wall = datetime(2026, 3, 5, 9, 30, tzinfo=BEIJING)
    with server_db.session() as s:
        entity = Entity(name="中宁县人民医院", type_code="hospital", created_at=wall)
        s.add(entity)
        s.flush()
        s.add(AuditEntry(action="test", table_name="entities", record_id=str(entity.id),
                         at=wall))
        entity_id = entity.id
    with server_db.session() as s:
        stored = s.get(Entity, entity_id)
        assert stored is not None and stored.created_at == wall
        assert stored.created_at.tzinfo is not None
        logged = s.scalar(select(AuditEntry.at).where(AuditEntry.action == "test"))
        assert logged == wall
    # A session in the server's own zone reads the same instant.
    try:
        with plain.connect() as conn:
            seen = conn.scalar(text("SELECT created_at FROM entities WHERE id = :i"),
                               {"i": entity_id})
            assert seen == wall
            assert conn.scalar(text("SELECT to_char(created_at AT TIME ZONE 'UTC', "
                                    "'HH24:MI') FROM entities WHERE id = :i"),
                               {"i": entity_id}) == "01:30"
    finally:
        plain.dispose()


@needs_server
def test_rows_inserted_with_their_ids_move_the_sequence_on(server_db: Database) -> None:
    from models.dialect import advance_sequences

    with server_db.session() as s:
        s.execute(text("INSERT INTO entities (id, uuid, sync_rev, updated_at, name, type_code, "
                       "facts, demo, created_at) VALUES (41, 'u-41', 1, now(), '甲', "
                       "'employer', '{}', false, now())"))
        advance_sequences(s, ["entities"])
    with server_db.session() as s:
        added = Entity(name="乙", type_code="employer")
        s.add(added)
        s.flush()
        assert added.id == 42


@needs_server
def test_a_signed_inspection_and_the_audit_log_are_refused_with_sqlstate_23000(
        server_db: Database) -> None:
    with server_db.session() as s:
        s.add(AuditEntry(action="create", table_name="entities", record_id="1"))
    with pytest.raises(IntegrityError) as caught, server_db.session() as s:
        s.execute(text("UPDATE audit_log SET action = 'edited'"))
    assert getattr(caught.value.orig, "sqlstate", None) == "23000"
    assert "append-only" in str(caught.value)
    with pytest.raises(IntegrityError), server_db.session() as s:
        s.execute(text("DELETE FROM audit_log"))


@needs_server
def test_a_migration_that_fails_half_way_leaves_the_server_database_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from models import db as dbmod

    server = engines.server()
    url = server.new_database(catalog=True)
    folder = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9999_broken.py").write_text(
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '9999'\ndown_revision = {head_revision()!r}\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    op.add_column('policy_documents', sa.Column('remark', sa.Text()))\n"
        "    raise RuntimeError('power cut in the middle of the upgrade')\n"
        "def downgrade():\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(dbmod, "MIGRATIONS", folder)
    try:
        with pytest.raises(DatabaseError, match="数据库升级失败"):
            open_database(url, evidence_dir=tmp_path / "e")
        plain = create_engine(url)
        try:
            with plain.connect() as conn:
                assert conn.scalar(text("SELECT to_regclass('half_done')")) is None
                assert conn.scalar(text("SELECT version_num FROM alembic_version")) != "9999"
                assert conn.scalar(text("SELECT count(*) FROM policy_documents")) == 5
        finally:
            plain.dispose()
    finally:
        server.drop(url)


@needs_server
def test_several_programs_opening_one_new_database_at_once_agree(tmp_path: Path) -> None:
    import subprocess
    import sys

    server = engines.server()
    url = server.new_database()
    with server.admin.connect() as conn:  # an empty database, as an operator makes it
        conn.execute(text(f"DROP DATABASE {url.database} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {url.database}"))
    script = ("import sys; from pathlib import Path; from models.db import open_database; "
              "d = open_database(sys.argv[1], evidence_dir=Path(sys.argv[2])); "
              "print(d.device_id); d.dispose()")
    address = url.render_as_string(hide_password=False)
    try:
        runs = [subprocess.Popen([sys.executable, "-c", script, address, str(tmp_path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 cwd=Path(__file__).resolve().parents[2])
                for _ in range(4)]
        results = [r.communicate(timeout=120) for r in runs]
        assert [r.returncode for r in runs] == [0] * 4, [err for _out, err in results]
        assert len({out.strip() for out, _err in results}) == 1
        database = open_database(url, evidence_dir=tmp_path)
        with database.engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        database.dispose()
    finally:
        server.drop(url)


@needs_server
def test_a_database_that_is_not_there_or_a_server_that_is_not_running_is_named(
        tmp_path: Path) -> None:
    url = engines.server().url_of("shengyu_no_such_database")
    with pytest.raises(DatabaseError, match="服务器上没有这个数据库"):
        open_database(url, evidence_dir=tmp_path)
    nowhere = url.set(query={"host": str(tmp_path)}, database="x")  # no socket there
    with pytest.raises(DatabaseError, match="无法连接"):
        open_database(nowhere, evidence_dir=tmp_path)


@needs_server
def test_a_read_only_session_refuses_changes_in_chinese(tmp_path: Path) -> None:
    from models.db import ReadOnlyError

    server = engines.server()
    url = server.new_database()
    try:
        ro = open_database(url, read_only=True, evidence_dir=tmp_path)
        assert ro.read_only
        with pytest.raises(ReadOnlyError, match="只读"), ro.session() as s:
            s.execute(text("INSERT INTO settings (key, value) VALUES ('k', '1')"))
        ro.dispose()
    finally:
        server.drop(url)


@needs_server
@pytest.mark.parametrize("query", ["托育", "产假", "母婴设施", "托育机构", "婴幼儿照护服务",
                                   "卫生健康 托育", "育儿 补贴", "0-3岁", "3岁", "生育津贴",
                                   "住房公积金", "ABC", "不存在的词语"])
def test_search_gives_the_same_measures_on_both_engines(
        catalog_template: Path, tmp_path: Path, query: str) -> None:
    import shutil

    from services.catalog import search_measures

    server = engines.server()
    url = server.new_database(catalog=True)
    shutil.copyfile(catalog_template, tmp_path / "c.sqlite")
    lite = open_database(tmp_path / "c.sqlite")
    pg = open_database(url, evidence_dir=tmp_path / "e")
    try:
        with lite.session() as a, pg.session() as b:
            on_sqlite = [h.measure_id for h in search_measures(a, query)]
            on_server = [h.measure_id for h in search_measures(b, query)]
        assert on_server == on_sqlite
        if query in ("托育", "母婴设施", "婴幼儿照护服务", "生育津贴"):
            assert on_sqlite  # the seeds speak of these
    finally:
        lite.dispose()
        pg.dispose()
        server.drop(url)


def test_the_server_stores_json_as_jsonb() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    from models.dialect import JSON

    assert str(JSON.compile(dialect=postgresql.dialect())) == "JSONB"
    assert str(JSON.compile(dialect=sqlite.dialect())) == "JSON"


def test_utc_is_stored_as_the_instant() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    from models.utc import UtcDateTime

    wall = datetime(2026, 1, 1, 8, 0, tzinfo=BEIJING)
    on_server = UtcDateTime().process_bind_param(wall, postgresql.dialect())
    on_file = UtcDateTime().process_bind_param(wall, sqlite.dialect())
    assert on_server == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert on_file == datetime(2026, 1, 1, 0, 0)


# --- rows written in bulk --------------------------------------------------------------------

def _entity_rows(first: int) -> list[dict[str, object]]:
    """Nine units, the same for any ``first`` but for their uuids."""
    shared = {"employees": 120, "女职工": 60, "note": "含'引号'与\\反斜杠\t制表"}
    return [{"name": f"单位{k}\n第二行", "type_code": "employer",
             "facts": shared if k % 2 else {"employees": k},
             "credit_code": None, "address": "中宁县", "region_code": "640521",
             "contact_name": None, "contact_phone": None, "demo": k % 3 == 0,
             "created_at": datetime(2026, 3, 10, 9, 30, k, k, tzinfo=BEIJING),
             "uuid": f"00000000-0000-4000-8000-{first + k:012d}", "sync_rev": 1,
             "updated_at": datetime(2026, 3, 10, 1, 30, tzinfo=UTC), "device_id": "d1",
             "sync_vv": None if k % 4 == 0 else {"d1": k}}
            for k in range(9)]


@needs_server
def test_bulk_rows_go_by_copy_and_read_back_as_sqlalchemy_binds_them(server_db: Database) -> None:
    from sqlalchemy import insert

    from models.bulk import BulkInserter

    table = Entity.__table__
    by_core, by_copy = _entity_rows(1), _entity_rows(101)
    statements: list[str] = []
    with server_db.session() as s:
        s.execute(insert(table), by_core)
        bulk = BulkInserter()
        bulk.insert(s.connection(), table, by_copy[:4])
        bulk.insert(s.connection(), table, by_copy[4:])
        statements.extend(str(p.sql) for p in bulk._plans.values())  # type: ignore[union-attr]
    assert statements and all(sql.startswith("COPY ") for sql in statements)
    columns = [c for c in table.c.keys() if c not in ("id", "uuid")]
    with server_db.engine.connect() as conn:
        def read(first: int) -> list[tuple[object, ...]]:
            return [tuple(r) for r in conn.execute(
                select(*(table.c[c] for c in columns)).where(table.c.uuid.in_(
                    [f"00000000-0000-4000-8000-{first + k:012d}" for k in range(9)]))
                .order_by(table.c.uuid))]
        core, copied = read(1), read(101)
        # JSON null stays JSON null, not SQL NULL, on both paths
        nulls = conn.execute(text("SELECT count(*) FROM entities WHERE sync_vv = 'null'::jsonb"
                                  )).scalar()
    assert copied == core
    assert nulls == 6  # three of each nine


@needs_server
def test_a_duplicate_in_a_copy_is_an_integrity_error_and_keeps_nothing(
        server_db: Database) -> None:
    from models.bulk import BulkInserter

    rows = _entity_rows(1)
    rows[5]["uuid"] = rows[2]["uuid"]
    with pytest.raises(IntegrityError), server_db.session() as s:
        BulkInserter().insert(s.connection(), Entity.__table__, rows)
    with server_db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM entities")) == 0


@needs_server
def test_rows_without_a_column_sqlalchemy_would_fill_are_refused_before_any_copy(
        server_db: Database) -> None:
    from models.bulk import BulkInserter

    rows = _entity_rows(1)
    for row in rows:
        del row["uuid"]  # SQLAlchemy makes one; COPY would leave it to the server
    with pytest.raises(ValueError, match="uuid"), server_db.session() as s:
        BulkInserter().insert(s.connection(), Entity.__table__, rows)
