"""Who may open a database on a server, as docs/postgresql.md tells the operator to set it up:
the owner of a database (``createdb -O``), no superuser, builds it, ``pg_trgm`` included (a
trusted extension from PostgreSQL 13 on); another user is told to connect as the owner; a
server that asks for a password nobody gave says where to put one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from models.db import DatabaseError, _server_error, head_revision, open_database
from tests import engines

pytestmark = pytest.mark.own_engines

needs_server = pytest.mark.skipif(engines.server_url() is None,
                                  reason=f"{engines.PG_ENV} names no PostgreSQL server")


def _admin(sql: str) -> None:
    with engines.server().admin.connect() as conn:
        conn.execute(text(sql))


@pytest.fixture
def owner_and_stranger() -> Iterator[tuple[str, str, str]]:
    """A database owned by a plain login role (no superuser, no CREATEDB), made as the guide
    says (``createuser``, ``createdb -O``), and a second plain role: (owner, stranger, db)."""
    tag = f"shengyu_r{os.getpid()}"
    owner, stranger, database = f"{tag}_owner", f"{tag}_other", f"{tag}_db"
    for role in (owner, stranger):
        _admin(f"DROP ROLE IF EXISTS {role}")
        _admin(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    _admin(f"CREATE DATABASE {database} OWNER {owner}")
    try:
        yield owner, stranger, database
    finally:
        _admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        for role in (owner, stranger):
            _admin(f"DROP ROLE IF EXISTS {role}")


@needs_server
def test_the_owner_of_the_database_builds_it_pg_trgm_included(
        owner_and_stranger: tuple[str, str, str], tmp_path: Path) -> None:
    owner, _stranger, database = owner_and_stranger
    url = engines.server().url.set(username=owner, database=database)
    db = open_database(url, evidence_dir=tmp_path / "evidence")
    try:
        with db.engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
            assert conn.scalar(text(
                "SELECT pg_get_userbyid(extowner) FROM pg_extension "
                "WHERE extname = 'pg_trgm'")) == owner
            assert not conn.scalar(text("SELECT rolsuper FROM pg_roles "
                                        "WHERE rolname = current_user"))
    finally:
        db.dispose()


@needs_server
def test_a_user_who_does_not_own_the_database_is_told_to_connect_as_its_owner(
        owner_and_stranger: tuple[str, str, str], tmp_path: Path) -> None:
    _owner, stranger, database = owner_and_stranger
    url = engines.server().url.set(username=stranger, database=database)
    with pytest.raises(DatabaseError) as caught:
        open_database(url, evidence_dir=tmp_path / "evidence")
    message = str(caught.value)
    assert "没有所需的权限" in message and "数据库的所有者" in message
    assert "createdb -O" in message and "CREATE TABLE" not in message
    with engines.server().admin.connect() as conn:  # nothing was left behind
        assert conn.scalar(text("SELECT count(*) FROM pg_database WHERE datname = :d"),
                           {"d": database}) == 1
    check = open_database(engines.server().url.set(database=database),
                          evidence_dir=tmp_path / "evidence")
    check.dispose()


def test_a_password_nobody_gave_is_asked_for_where_libpq_looks() -> None:
    import psycopg

    refused = psycopg.OperationalError(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
        "fe_sendauth: no password supplied")
    message = str(_server_error("postgresql+psycopg://jiancha@127.0.0.1/shengyu",
                                OperationalError("connect", None, refused)))
    assert "服务器要求密码" in message and "~/.pgpass" in message and "PGPASSWORD" in message
    assert "pgpass.conf" in message
