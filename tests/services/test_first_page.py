"""The catalog page remembered at close holds only while the database file is as it was left."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.db import open_database
from services.entities import create_entity
from services.first_page import FirstPage, compute, note_path, recall, remember
from services.settings import JURISDICTION, set_setting

pytestmark = pytest.mark.sqlite_only  # a note is about a database file


@pytest.fixture
def closed_db(catalog_template: Path, tmp_path: Path) -> Path:
    """A database file holding the catalog, closed as the program closes it, with its note."""
    path = tmp_path / "jiancha.sqlite"
    path.write_bytes(catalog_template.read_bytes())
    db = open_database(path)
    with db.session() as session:
        assert compute(session) is None  # a new database opens on 开始使用
        create_entity(session, name="中宁县某商业广场", type_code="commercial_center")
        page = compute(session)
    db.dispose()
    assert page is not None
    remember(path, page)
    return path


def _compute(path: Path) -> FirstPage | None:
    db = open_database(path)
    try:
        with db.session() as session:
            return compute(session)
    finally:
        db.dispose()


def test_the_page_comes_back_as_it_was_computed(closed_db: Path) -> None:
    page = recall(closed_db)
    assert page is not None
    assert [d.short for d in page.documents] == ["中宁", "宝鸡", "鹿寨", "内蒙古", "白银"]
    assert page.measures and all(m.document_id == page.documents[0].id for m in page.measures)
    assert all(code in page.topic_labels for m in page.measures for code in m.topics)
    assert page.jurisdiction is None and page.jurisdiction_path == ""
    # what the database holds now: the note read back is the same page, field for field
    fresh = _compute(closed_db)
    assert recall(closed_db) == fresh


def test_a_jurisdiction_narrows_the_documents_and_is_named(closed_db: Path) -> None:
    db = open_database(closed_db)
    with db.session() as session:
        set_setting(session, JURISDICTION, "640521")  # 中宁县
        page = compute(session)
    db.dispose()
    assert page is not None
    remember(closed_db, page)
    back = recall(closed_db)
    assert back is not None and back.jurisdiction == "640521"
    assert back.jurisdiction_path == "宁夏回族自治区 中卫市 中宁县"
    assert [d.short for d in back.documents] == ["中宁"]


def test_any_change_to_the_file_makes_the_note_stale(closed_db: Path) -> None:
    db = open_database(closed_db)
    with db.session() as session:
        set_setting(session, JURISDICTION, "610300")
    db.dispose()
    assert recall(closed_db) is None


def test_a_file_put_in_its_place_is_not_the_one_remembered(closed_db: Path,
                                                            tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(closed_db.read_bytes())
    copy.replace(closed_db)  # same bytes, another file (a restored backup, a copy)
    assert recall(closed_db) is None


def test_a_write_ahead_log_left_beside_the_file_makes_it_stale(closed_db: Path) -> None:
    Path(f"{closed_db}-wal").write_bytes(b"\0" * 32)
    assert recall(closed_db) is None


def test_a_note_for_another_file_or_a_missing_file_is_not_used(closed_db: Path,
                                                               tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    other.write_bytes(closed_db.read_bytes())
    assert recall(other) is None
    assert recall(tmp_path / "missing.sqlite") is None


def test_a_note_from_another_version_of_the_program_is_not_used(closed_db: Path) -> None:
    note = note_path(closed_db)
    data = json.loads(note.read_text(encoding="utf-8"))
    data["key"][1] = "0.0.1"
    note.write_text(json.dumps(data), encoding="utf-8")
    assert recall(closed_db) is None


def test_an_unwritable_cache_folder_only_loses_the_shortcut(
        closed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = recall(closed_db)
    assert page is not None
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("SHENGYU_CACHE_DIR", str(blocker / "cache"))
    remember(closed_db, page)  # no exception
    assert recall(closed_db) is None
    assert not list(tmp_path.glob("**/.first-page-*.tmp"))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.one_of(
    st.binary(max_size=300),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=20).map(lambda v: json.dumps(v).encode())))
def test_a_damaged_note_is_ignored_never_raised(closed_db: Path, garbage: bytes) -> None:
    note = note_path(closed_db)
    good = note.read_bytes()
    try:
        note.write_bytes(garbage)
        assert recall(closed_db) is None
        # the right key with a damaged page is just as harmless
        key = json.loads(good)["key"]
        note.write_text(json.dumps({"key": key, "page": garbage.decode("latin-1")}))
        assert recall(closed_db) is None
    finally:
        note.write_bytes(good)


def test_a_note_nested_too_deep_is_ignored(closed_db: Path) -> None:
    note = note_path(closed_db)
    note.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert recall(closed_db) is None


def test_reading_the_note_loads_neither_the_orm_nor_the_data_files(closed_db: Path) -> None:
    code = ("import sys; from pathlib import Path; from services.first_page import recall; "
            f"page = recall(Path({str(closed_db)!r})); assert page is not None; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'yaml', 'alembic') or m in ('models.db', 'services.catalog')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_note_is_small(closed_db: Path) -> None:
    with sqlite3.connect(closed_db) as conn:
        measures = conn.execute("SELECT count(*) FROM measures").fetchone()[0]
    assert note_path(closed_db).stat().st_size < 2_000 * measures  # one document's measures
