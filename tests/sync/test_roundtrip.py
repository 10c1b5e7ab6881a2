"""A package carries everything it selects: exported from one laptop into an empty database,
every synced record and every evidence file reads the same on both, and so do the lists."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from main import main
from models.db import Database
from models.evidence_store import object_path
from sync.export import ExportSelection
from sync.merge import NEW, UNCHANGED
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
from tests.sync.helpers import Laptop, laptop


def cli_json(db: Database, *args: str) -> object:
    """What a command prints as JSON, run on this database (a file, or a server URL)."""
    where = str(db.path) if db.path is not None else db.url.render_as_string(hide_password=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--db", where, *args]) == 0
    return json.loads(out.getvalue())


def _files(lap: Laptop, hashes: dict[str, str]) -> dict[str, bytes]:
    """Every evidence file the laptop's records name, by name."""
    from sqlalchemy import select

    from models.inspection import Evidence, Signature

    out = {}
    with lap.db.session() as s:
        for sha, ext in s.execute(select(Evidence.sha256, Evidence.ext)):
            out[f"{sha}{ext}"] = object_path(lap.db.evidence_root, sha, ext).read_bytes()
        for (sha,) in s.execute(select(Signature.image_sha256).where(
                Signature.image_sha256.is_not(None))):
            out[f"{sha}.png"] = object_path(lap.db.evidence_root, sha, ".png").read_bytes()
    return out


plans = st.fixed_dictionaries({
    "inspections": st.lists(st.fixed_dictionaries({
        "photos": st.integers(0, 2),
        "sign": st.booleans(),
        "refuse": st.booleans(),
        "notices": st.booleans(),
    }), min_size=1, max_size=3),
    "drafts": st.booleans(),
    "encrypt": st.booleans(),
    "split": st.booleans(),
})


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(plan=plans)
def test_a_random_dataset_reads_the_same_after_a_round_trip(
        tmp_path_factory: pytest.TempPathFactory, catalog_template: Path,
        plan: dict[str, object]) -> None:
    root = tmp_path_factory.mktemp("roundtrip")
    a = laptop(root / "a", "A", catalog_template)
    b = laptop(root / "b", "B", catalog_template)
    try:
        setup_org(a.db)
        for n, spec in enumerate(plan["inspections"]):  # type: ignore[attr-defined]
            made = full_inspection(a.db, a.db.evidence_root, root, photos=spec["photos"],
                                   sign=spec["sign"], refuse=spec["refuse"])
            if spec["notices"] and spec["sign"]:
                issue_all(a.db, made, issued_on=date(2026, 3, 11 + n),
                          served_on=date(2026, 3, 12 + n))
        result = a.export(selection=ExportSelection(include_drafts=bool(plan["drafts"])),
                          password="口令 2026" if plan["encrypt"] else None,
                          split_bytes=128 * 1024 if plan["split"] else None)
        report = b.import_(*result.paths, password="口令 2026" if plan["encrypt"] else None)
        assert report.total(NEW) == result.total
        sent = a.hashes()
        got = b.hashes()
        # exactly the exported records, each with the same content
        assert {u: h for u, h in sent.items() if u in got} == got
        assert len(got) == result.total
        if plan["drafts"]:
            assert got == sent
        assert _files(b, got).items() <= _files(a, sent).items()
        listed_a = cli_json(a.db, "inspections", "--json")["inspections"]  # type: ignore[index]
        listed_b = cli_json(b.db, "inspections", "--json")["inspections"]  # type: ignore[index]
        assert [r for r in listed_a if r["id"] in got] == listed_b
        notices_a = cli_json(a.db, "notices", "--json", "--as-of", "2026-04-01")
        notices_b = cli_json(b.db, "notices", "--json", "--as-of", "2026-04-01")
        assert notices_a == notices_b
        again = b.import_(*result.paths, password="口令 2026" if plan["encrypt"] else None)
        assert again.already_imported_at is not None
        assert b.hashes() == got
    finally:
        a.close()
        b.close()


def test_the_same_records_from_a_second_package_change_nothing(tmp_path: Path,
                                                                catalog_template: Path) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=1)
        first = a.export("one.sypkg")
        second = a.export("two.sypkg")  # same records, another package
        b.import_(first.paths[0])
        before = b.hashes()
        report = b.import_(second.paths[0])
        assert report.already_imported_at is None
        assert report.total(UNCHANGED) == second.total
        assert report.total(NEW) == 0
        assert b.hashes() == before
    finally:
        a.close()
        b.close()


def test_only_what_changed_since_the_last_package_to_a_recipient(tmp_path: Path,
                                                                  catalog_template: Path) -> None:
    from services.entities import update_entity

    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        made = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=1)
        to_city = ExportSelection(since_last_to="市卫健委")
        first = a.export("one.sypkg", to_city)
        assert first.total > 0
        nothing = a.export("none.sypkg", to_city)
        assert nothing.total == 0
        from models.inspection import Inspection

        with a.db.session() as s:
            entity = s.get(Inspection, made).entity_id
            update_entity(s, entity, address="中宁县新堡镇1号")
        changed = a.export("two.sypkg", to_city)
        assert changed.counts["entities"] == 1 and changed.total == 1
        other = a.export("other.sypkg", ExportSelection(since_last_to="县总工会"))
        assert other.total == first.total  # another recipient gets everything
        b.import_(first.paths[0])
        b.import_(changed.paths[0])
        assert b.hashes() == a.hashes()
    finally:
        a.close()
        b.close()


def test_demo_records_never_leave_in_a_real_package(tmp_path: Path,
                                                    catalog_template: Path) -> None:
    from sqlalchemy import update

    from models.inspection import Inspection
    from models.registry import Entity

    a = laptop(tmp_path / "a", "A", catalog_template)
    try:
        real = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        demo = full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        with a.db.session() as s:  # a record marked as demo in a real database
            entity = s.get(Inspection, demo).entity_id
            s.execute(update(Entity).where(Entity.id == entity).values(demo=True))
            real_uuid = s.get(Inspection, real).uuid
            demo_uuid = s.get(Inspection, demo).uuid
        result = a.export()
        assert not result.demo
        import zipfile

        with zipfile.ZipFile(result.paths[0]) as zf:
            text = zf.read("records/inspections.jsonl").decode()
        assert real_uuid in text and demo_uuid not in text
    finally:
        a.close()


@pytest.mark.sqlite_only  # about the text a SQLite file stores; a server stores timestamptz
def test_imported_times_are_stored_as_the_records_were_written(tmp_path: Path,
                                                              catalog_template: Path) -> None:
    """The bulk inserts of an import store each value through its column's type for the
    database, as the ORM does: a time on the whole second keeps its microseconds."""
    import sqlite3

    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        b.import_(a.export().paths[0])

        def stored(lap: Laptop) -> list[tuple[object, ...]]:
            conn = sqlite3.connect(lap.db.path)
            try:
                return conn.execute("SELECT uuid, started_at, ended_at, signed_at, demo "
                                    "FROM inspections ORDER BY uuid").fetchall()
            finally:
                conn.close()

        rows = stored(b)
        assert rows == stored(a) and rows
        assert all(str(started).endswith(".000000") for _, started, *_ in rows)
    finally:
        a.close()
        b.close()
