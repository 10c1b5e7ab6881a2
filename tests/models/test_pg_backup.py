"""A server database's backup as docs/postgresql.md tells the operator to take it: ``pg_dump
-Fc``, then a copy of the evidence folder; restored with ``pg_restore`` into an empty database
made by ``createdb``. The restored database opens without an upgrade, holds the same rows (the
same device, the same number blocks), finds the same measures, moves its id sequences on, and
its photos and signatures are found in the copied folder.

Runs against the test server (``SHENGYU_TEST_PG``) with the client programs found the way
``./dev`` finds the server's: the newest ``/usr/lib/postgresql/*/bin`` (Debian keeps them out of
PATH), else PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import URL

from models.db import Database, head_revision, open_database
from models.evidence_store import object_path
from models.inspection import Evidence, Signature
from tests import engines
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org

pytestmark = pytest.mark.own_engines


def pg_program(name: str) -> Path | None:
    """A PostgreSQL client program: the newest Debian-installed version's, else on PATH."""
    versions = [p for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
                if p.parts[-3].isdigit() and os.access(p, os.X_OK)]
    if versions:
        return max(versions, key=lambda p: int(p.parts[-3]))
    found = shutil.which(name)
    return Path(found) if found else None


def _major(program: Path) -> int:
    out = subprocess.run([str(program), "--version"], capture_output=True, text=True,
                         check=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    assert found is not None, out
    return int(found.group(1))


@pytest.fixture
def tools() -> dict[str, Path]:
    """pg_dump, pg_restore and createdb, no older than the server (pg_dump refuses to dump a
    newer server)."""
    if engines.server_url() is None:
        pytest.skip(f"{engines.PG_ENV} names no PostgreSQL server")
    found = {name: pg_program(name) for name in ("pg_dump", "pg_restore", "createdb")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.skip(f"no PostgreSQL client programs ({', '.join(missing)}) on this machine")
    programs = {name: path for name, path in found.items() if path is not None}
    with engines.server().admin.connect() as conn:
        server_major = int(conn.scalar(text("SHOW server_version_num"))) // 10000
    if _major(programs["pg_dump"]) < server_major:
        pytest.skip(f"pg_dump {_major(programs['pg_dump'])} is older than the server "
                    f"({server_major})")
    return programs


def _connection(url: URL) -> tuple[list[str], dict[str, str]]:
    """The ``-h -p -U`` options the guide writes, and the environment (PGPASSWORD)."""
    args: list[str] = []
    host = url.query.get("host") or url.host
    if host:
        args += ["-h", str(host)]
    if url.port:
        args += ["-p", str(url.port)]
    if url.username:
        args += ["-U", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(program: Path, *args: str, env: dict[str, str]) -> None:
    done = subprocess.run([str(program), *args], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, f"{program.name} {' '.join(args)}:\n{done.stderr}"


def _rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a fixed order."""
    with db.engine.connect() as conn:
        return {table: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{table}"'))),
                              key=repr)
                for table in sorted(inspect(conn).get_table_names())}


@pytest.fixture
def filled(tools: dict[str, Path], tmp_path: Path) -> Iterator[Database]:
    """A server database with the catalog, the organisation, number blocks, a signed
    inspection with photos and signatures, and the notices issued from it (made once the
    client programs are found)."""
    server = engines.server()
    url = server.new_database(catalog=True)
    db = open_database(url, evidence_dir=tmp_path / "evidence")
    try:
        setup_org(db)
        inspection = full_inspection(db, db.evidence_root, tmp_path, photos=2)
        assert issue_all(db, inspection, issued_on=date(2026, 3, 11),
                         served_on=date(2026, 3, 12))
        yield db
    finally:
        db.dispose()
        server.drop(url)


def test_pg_dump_and_pg_restore_give_back_the_same_database(
        filled: Database, tools: dict[str, Path], tmp_path: Path) -> None:
    from services.catalog import search_measures
    from services.entities import create_entity

    assert filled.url is not None
    server = engines.server()
    before = _rows(filled)
    assert before["inspections"] and before["findings"] and before["notices"]
    assert before["evidence"] and before["signatures"] and before["number_blocks"]
    with filled.session() as s:
        found_before = [h.measure_id for h in search_measures(s, "婴幼儿照护服务")]
    assert found_before

    # The backup: the dump first, then the evidence folder (a file is in the folder before
    # its row is committed, so every file the dump names is in the copy).
    options, env = _connection(filled.url)
    dump = tmp_path / "shengyu.dump"
    _run(tools["pg_dump"], *options, "-Fc", "-f", str(dump), str(filled.url.database), env=env)
    copied = tmp_path / "backup" / "evidence"
    shutil.copytree(filled.evidence_root, copied)

    # The restore: an empty database, pg_restore in one transaction, stopping at any error.
    restored_name = f"{filled.url.database}_restored"
    restored_url = filled.url.set(database=restored_name)
    server.created.append(restored_name)  # dropped after the test, whatever happens
    try:
        _run(tools["createdb"], *options, restored_name, env=env)
        _run(tools["pg_restore"], *options, "-d", restored_name, "--single-transaction",
             "--exit-on-error", str(dump), env=env)
        restored = open_database(restored_url, evidence_dir=copied)
        try:
            with restored.engine.connect() as conn:
                assert conn.scalar(text("SELECT version_num FROM alembic_version")) == (
                    head_revision())
            assert restored.device_id == filled.device_id
            assert _rows(restored) == before
            with restored.session() as s:
                assert [h.measure_id for h in search_measures(s, "婴幼儿照护服务")] == (
                    found_before)
                hashes = [(e.sha256, e.ext) for e in s.scalars(select(Evidence))]
                signed = [sig.image_sha256 for sig in s.scalars(select(Signature))
                          if sig.image_sha256]
            assert hashes and signed
            for sha, ext in hashes:
                assert object_path(copied, sha, ext).is_file(), sha
            for sha in signed:
                assert object_path(copied, sha, ".png").is_file(), sha
            # The id sequences came back too: a new row takes a free id.
            with restored.session() as s:
                made = create_entity(s, name="中宁县恢复后新登记的单位",
                                     type_code="commercial_center")
            assert made.id > max(row[0] for row in before["entities"])
        finally:
            restored.dispose()
    finally:
        server.drop(restored_url)
