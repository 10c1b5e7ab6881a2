"""Fuzzing the import with mutations of a real package: whatever arrives, the import either
merges it or refuses it with a Chinese PackageError; it never crashes and never writes part.

Byte-level mutations (flips, cuts, insertions) hit the container, the manifest and the
signature: every one must be refused. Structural mutations are re-signed with the trusted
key, so that they reach the records: those may merge or be refused, but nothing else.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.devices import trust_device
from sync.format import PackageError
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
from tests.sync.helpers import Laptop, db_bytes, files_under, laptop, repack

# The merge under fuzzing is the same code on either engine; the exchange tests that run on
# PostgreSQL as well (round trip, convergence, hostile packages, roll-up) cover the engine.
pytestmark = pytest.mark.sqlite_only


@dataclass
class Target:
    sender: Laptop
    receiver: Laptop
    package: Path
    members: dict[str, bytes]
    work: Path
    stats: dict[str, int]


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory, catalog_template: Path
           ) -> Iterator[Target]:
    from datetime import date

    root = tmp_path_factory.mktemp("fuzz")
    a = laptop(root / "a", "A", catalog_template)
    sup = laptop(root / "s", "S", catalog_template)
    setup_org(a.db)
    made = full_inspection(a.db, a.db.evidence_root, a.folder, photos=1)
    issue_all(a.db, made, issued_on=date(2026, 3, 11))
    package = a.export("good.sypkg").paths[0]
    with sup.db.session() as s:
        trust_device(s, public_key=a.key.public_hex, name="甲", device_id=a.db.device_id)
    with zipfile.ZipFile(package) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    stats = {"cases": 0, "refused": 0, "merged": 0, "crashes": 0, "partial_writes": 0}
    yield Target(a, sup, package, members, root / "work", stats)
    print(f"\nfuzz: {stats}")
    a.close()
    sup.close()


def _attempt(t: Target, path: Path, *, must_refuse: bool) -> None:
    """Import (as a dry run) and check that nothing was written, whatever happened."""
    before = db_bytes(t.receiver.db)
    files = files_under(t.receiver.folder)
    t.stats["cases"] += 1
    try:
        t.receiver.import_(path, dry_run=True, trust_unknown=True)
    except PackageError as exc:
        assert str(exc) and not str(exc).isascii(), repr(exc)  # a Chinese message
        t.stats["refused"] += 1
    except Exception:
        t.stats["crashes"] += 1
        raise
    else:
        t.stats["merged"] += 1
        assert not must_refuse, "a damaged package was accepted"
    if db_bytes(t.receiver.db) != before or files_under(t.receiver.folder) != files:
        t.stats["partial_writes"] += 1
        raise AssertionError("the import wrote something")
    data = Path(os.environ["SHENGYU_DATA_DIR"]) / "tmp"
    assert not data.exists() or not any(data.iterdir())


FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(FUZZ, max_examples=1200)
@given(data=st.data())
def test_any_damaged_byte_is_refused(target: Target, data: st.DataObject) -> None:
    raw = bytearray(target.package.read_bytes())
    how = data.draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 4))):
            pos = data.draw(st.integers(0, len(raw) - 1))
            raw[pos] ^= data.draw(st.integers(1, 255))
    elif how == "cut":
        del raw[data.draw(st.integers(0, len(raw) - 1)):]
    elif how == "insert":
        pos = data.draw(st.integers(0, len(raw)))
        raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=64))
    else:
        pos = data.draw(st.integers(0, len(raw) - 1))
        size = data.draw(st.integers(1, 512))
        raw[pos:pos + size] = bytes(len(raw[pos:pos + size]))
    if bytes(raw) == target.package.read_bytes():
        return
    target.work.mkdir(exist_ok=True)
    path = target.work / "bytes.sypkg"
    path.write_bytes(bytes(raw))
    _attempt(target, path, must_refuse=True)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)


def _mutate_json(value: Any, data: st.DataObject) -> Any:
    """One random change somewhere inside a parsed JSON value."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["drop", "replace", "descend", "add"]))
        out = dict(value)
        if action == "drop":
            del out[key]
        elif action == "replace":
            out[key] = data.draw(json_values)
        elif action == "add":
            out[data.draw(st.text(max_size=8))] = data.draw(json_values)
        else:
            out[key] = _mutate_json(value[key], data)
        return out
    if isinstance(value, list) and value and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(value) - 1))
        out_list = list(value)
        out_list[i] = _mutate_json(value[i], data)
        return out_list
    return data.draw(json_values)


@settings(FUZZ, max_examples=500)
@given(data=st.data())
def test_any_changed_record_is_merged_or_refused_never_half(target: Target,
                                                             data: st.DataObject) -> None:
    names = sorted(n for n in target.members if n.endswith((".jsonl", ".json"))
                   and n != "manifest.json")
    name = data.draw(st.sampled_from(names))
    body = target.members[name]
    how = data.draw(st.sampled_from(["json", "json", "json", "duplicate", "drop", "garbage"]))
    if name.endswith(".jsonl"):
        lines = [x for x in body.splitlines() if x.strip()]
        if not lines:
            lines = [b"{}"]
        i = data.draw(st.integers(0, len(lines) - 1))
        if how == "json":
            lines[i] = json.dumps(_mutate_json(json.loads(lines[i]), data),
                                  ensure_ascii=False).encode()
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "drop":
            del lines[i]
        else:
            lines[i] = data.draw(st.binary(max_size=80))
        new = b"\n".join(lines) + b"\n"
    elif how == "garbage":
        new = data.draw(st.binary(max_size=200))
    else:
        new = json.dumps(_mutate_json(json.loads(body), data), ensure_ascii=False).encode()
    target.work.mkdir(exist_ok=True)
    path = repack(target.package, target.work / "records.sypkg", key=target.sender.key,
                  members={name: new})
    _attempt(target, path, must_refuse=False)


@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_any_changed_manifest_is_merged_or_refused(target: Target, data: st.DataObject) -> None:
    manifest = json.loads(target.members["manifest.json"])
    mutated = _mutate_json({k: v for k, v in manifest.items() if k != "members"}, data)
    if not isinstance(mutated, dict):
        mutated = {"value": mutated}
    target.work.mkdir(exist_ok=True)
    def replace_body(m: dict[str, Any]) -> None:
        members = m["members"]
        m.clear()
        m.update(mutated)
        m.setdefault("members", members)

    path = repack(target.package, target.work / "manifest.sypkg", key=target.sender.key,
                  manifest=replace_body)
    _attempt(target, path, must_refuse=False)
