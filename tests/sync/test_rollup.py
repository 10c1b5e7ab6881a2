"""A province gathers its counties' packages on one PostgreSQL server: several programs import
at once, none duplicates or loses a record, and the result is the same as one SQLite import
of the same packages. A program killed mid-import leaves nothing of it; importing again
completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from models.db import Database, open_database
from services.amendments import amend_inspection
from sync.export import ExportSelection
from sync.importer import IMPORT_LOCK
from sync.records import content_hashes
from tests import engines
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
from tests.sync.helpers import Laptop, laptop

pytestmark = [
    pytest.mark.own_engines,
    pytest.mark.slow,
    pytest.mark.skipif(engines.server_url() is None,
                       reason=f"{engines.PG_ENV} names no PostgreSQL server"),
]
ROOT = Path(__file__).resolve().parents[2]

IMPORTER = """
import sys
from pathlib import Path
from models.db import open_database
from sync import keys
from sync.importer import import_package
db = open_database(sys.argv[1], evidence_dir=Path(sys.argv[2]))
folder = Path(sys.argv[3])
key = keys.load_or_create(folder / "keys")
for name in sys.argv[4:]:
    import_package(db, [Path(name)], key=key, trust_unknown=True,
                   receipt_dir=folder / "receipts")
    print("imported", name, flush=True)
db.dispose()
"""


def _importer(url: str, evidence: Path, folder: Path, packages: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", IMPORTER, url, str(evidence), str(folder),
                             *map(str, packages)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _counties(tmp_path: Path, template: Path, n: int, inspections: int) -> list[Path]:
    """``n`` county laptops, each exporting its signed inspections with their notices; the
    first exports twice, the second time with an amended version (so two packages carry
    the same records, one of them newer)."""
    packages: list[Path] = []
    for i in range(n):
        lap: Laptop = laptop(tmp_path / f"c{i}", f"C{i}", template,
                             org=f"第{i}县卫生健康局")
        try:
            setup_org(lap.db)
            made = [full_inspection(lap.db, lap.db.evidence_root, tmp_path, photos=1)
                    for _ in range(inspections)]
            issue_all(lap.db, made[0], issued_on=date(2026, 5, 1))
            packages.append(lap.export(f"c{i}.sypkg").paths[0])
            if i == 0:
                with lap.db.session() as s:
                    amend_inspection(s, made[1], reason="复核后更正")
                packages.append(lap.export(f"c{i}-2.sypkg",
                                           ExportSelection(include_drafts=True)).paths[0])
        finally:
            lap.close()
    return packages


def _rows(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
                for t in ("entities", "inspections", "findings", "evidence", "signatures",
                          "notices", "audit_log", "checklist_snapshots")}


def _same_records(a: Database, b: Database) -> None:
    with a.session() as x, b.session() as y:
        assert content_hashes(x) == content_hashes(y)
    assert _rows(a) == _rows(b)


def test_four_programs_importing_at_once_give_what_one_sqlite_import_gives(
        tmp_path: Path, catalog_template: Path) -> None:
    packages = _counties(tmp_path, catalog_template, n=8, inspections=3)
    reference = laptop(tmp_path / "ref", "REF", catalog_template)
    server = engines.server()
    url = server.new_database(catalog=True)
    address = url.render_as_string(hide_password=False)
    try:
        for package in packages:  # one program, one at a time, on SQLite
            reference.import_(package)
        # four programs at once; the amended package and its original in different ones,
        # the same county package twice
        shares = [packages[i::4] for i in range(4)]
        shares[3] = [*shares[3], packages[0]]
        runs = [_importer(address, tmp_path / "evidence", tmp_path / "supervisor", share)
                for share in shares]
        outcomes = [r.communicate(timeout=600) for r in runs]
        assert [r.returncode for r in runs] == [0] * 4, [err for _o, err in outcomes]
        province = open_database(url, evidence_dir=tmp_path / "evidence")
        try:
            _same_records(province, reference.db)
            with province.engine.connect() as conn:
                uuids = Counter(conn.execute(text("SELECT uuid FROM inspections")).scalars())
                assert max(uuids.values()) == 1
                superseded = conn.scalar(text(
                    "SELECT count(*) FROM inspection_counts WHERE superseded"))
            assert superseded == 1  # the amended version supersedes its original
            # every evidence file a row names is in the shared folder
            with province.engine.connect() as conn:
                for sha, ext in conn.execute(text("SELECT sha256, ext FROM evidence")):
                    assert (tmp_path / "evidence" / sha[:2] / f"{sha}{ext}").is_file()
        finally:
            province.dispose()
    finally:
        reference.close()
        server.drop(url)


def test_an_importer_killed_midway_leaves_nothing_and_the_next_import_completes(
        tmp_path: Path, catalog_template: Path) -> None:
    big = _counties(tmp_path, catalog_template, n=1, inspections=12)[0]
    reference = laptop(tmp_path / "ref", "REF", catalog_template)
    server = engines.server()
    url = server.new_database(catalog=True)
    address = url.render_as_string(hide_password=False)
    try:
        reference.import_(big)
        province = open_database(url, evidence_dir=tmp_path / "evidence")
        before = _rows(province)
        run = _importer(address, tmp_path / "evidence", tmp_path / "supervisor", [big])
        deadline = time.monotonic() + 120
        # wait until the import holds its lock and has begun writing (its transaction has an
        # id): it is then killed in the middle of its transaction
        with province.engine.connect() as conn:
            while time.monotonic() < deadline and run.poll() is None:
                writing = conn.execute(text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.objid = :k "
                    "AND a.backend_xid IS NOT NULL"), {"k": IMPORT_LOCK}).scalar()
                conn.rollback()
                if writing:
                    break
                time.sleep(0.005)  # polling another process: there is no signal to wait on
        killed = run.poll() is None
        if killed:
            os.kill(run.pid, signal.SIGKILL)
        run.communicate(timeout=60)
        after = _rows(province)
        with province.engine.connect() as conn:
            logged = conn.scalar(text("SELECT count(*) FROM sync_imports"))
        if killed and logged == 0:
            assert after == before  # nothing of the killed import remains
        else:  # it had committed before the signal: then all of it is there
            _same_records(province, reference.db)
        # importing again completes it
        again = _importer(address, tmp_path / "evidence", tmp_path / "supervisor", [big])
        _out, err = again.communicate(timeout=600)
        assert again.returncode == 0, err
        _same_records(province, reference.db)
        province.dispose()
    finally:
        reference.close()
        server.drop(url)
