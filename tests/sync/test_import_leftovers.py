"""A failed import leaves no file behind that no row refers to, and a read-only database
refuses an import before anything is written."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.db import ReadOnlyError, open_database
from models.evidence_store import object_path
from sync.format import PackageError
from tests.sync.helpers import Laptop, repack
from tests.sync.test_hostile import _jsonl, _lines
from tests.sync.test_hostile import pair as pair  # the fixture


@pytest.fixture
def failing(pair: tuple[Laptop, Laptop, Path]) -> Iterator[tuple[Laptop, Laptop, Path]]:
    a, sup, good = pair
    rows = _lines(good, "records/notice_items.jsonl")
    rows[-1]["data"]["notice_id"] = "0b7e6c9a-1111-4222-8333-944455556666"  # type: ignore[index]
    bad = repack(good, good.with_name("late.sypkg"), key=a.key,
                 members={"records/notice_items.jsonl": _jsonl(rows)})
    yield a, sup, bad


def test_a_failed_import_also_removes_older_leftovers(
    failing: tuple[Laptop, Laptop, Path],
) -> None:
    _a, sup, bad = failing
    root = sup.db.evidence_root
    leftover = object_path(root, "ab" * 32, ".jpg")  # from an earlier crash
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"no row names me")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    with pytest.raises(PackageError):
        sup.import_(bad)
    assert not leftover.exists()
    assert not [p for p in root.rglob("*") if p.is_file() and "tmp" not in
                p.relative_to(root).parts]


def test_a_read_only_database_refuses_an_import_with_nothing_written(
    pair: tuple[Laptop, Laptop, Path],
) -> None:
    from sync.importer import import_package

    _a, sup, good = pair
    where = sup.db.path or sup.db.url
    assert where is not None
    sup.db.dispose()
    ro = open_database(where, read_only=True, evidence_dir=sup.db.evidence_root)
    try:
        with pytest.raises(ReadOnlyError, match="只读"):
            import_package(ro, [good], key=sup.key)
    finally:
        ro.dispose()
    assert not ro.backup_dir.exists() or not list(ro.backup_dir.iterdir())
