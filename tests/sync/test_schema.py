"""The committed JSON Schema is the one the tables give, it is a valid draft-07 schema, and the
fast record checker compiled from it accepts and refuses exactly what fastjsonschema does."""

from __future__ import annotations

import json

import fastjsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from resources import resource_path
from sync.kinds import KINDS
from sync.schema import SCHEMA_FILE, build_schema, schema_text


def test_the_committed_schema_matches_the_tables() -> None:
    committed = resource_path(*SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m sync.schema"


def test_every_definition_compiles_and_every_kind_has_one() -> None:
    schema = build_schema()
    for name in ("manifest", "tombstone", "audit", "catalog", "receipt"):
        fastjsonschema.compile(schema["definitions"][name])
    assert set(schema["definitions"]["records"]) == {k.name for k in KINDS}
    for definition in schema["definitions"]["records"].values():
        fastjsonschema.compile(definition)
    json.dumps(schema)  # plain JSON


def _records() -> list[tuple[str, dict[str, object]]]:
    """Real records of every kind, from a package of the demo data."""
    import tempfile
    import zipfile
    from pathlib import Path

    from main import main
    from sync import keys
    from sync.export import ExportSelection, export_package

    folder = Path(tempfile.mkdtemp())
    assert main(["--db", str(folder / "d.sqlite"), "demo", "--scale", "0.02"]) == 0
    from models.db import open_database

    db = open_database(folder / "d.sqlite")
    try:
        with db.session() as s:
            result = export_package(s, folder / "p.sypkg", ExportSelection(include_drafts=True),
                                    key=keys.load_or_create(folder / "k"),
                                    evidence_root=db.evidence_root)
    finally:
        db.dispose()
    out = []
    with zipfile.ZipFile(result.paths[0]) as zf:
        for name in zf.namelist():
            if name.startswith("records/"):
                kind = name[len("records/"):-len(".jsonl")]
                out += [(kind, json.loads(x)) for x in zf.read(name).splitlines()[:3]]
    return out


_SAMPLES: list[tuple[str, dict[str, object]]] = []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2**40) | st.floats(allow_nan=False,
                                                                   allow_infinity=False)
    | st.text(max_size=40) | st.sampled_from(["2026-03-10", "2026-03-10T01:30:00+00:00",
                                              "0b7e6c9a-1111-4222-8333-944455556666"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_the_record_checker_agrees_with_fastjsonschema(data: st.DataObject) -> None:
    from sync.schema import compile_checker

    if not _SAMPLES:
        _SAMPLES.extend(_records())
    kind, record = data.draw(st.sampled_from(_SAMPLES))
    record = json.loads(json.dumps(record))
    target: dict[str, object] = record
    if data.draw(st.booleans()):
        target = record["data"]  # type: ignore[assignment]
    key = data.draw(st.sampled_from([*sorted(target), "extra"]))
    action = data.draw(st.sampled_from(["replace", "drop", "keep"]))
    if action == "replace":
        target[key] = data.draw(json_values)
    elif action == "drop":
        target.pop(key, None)
    definition = build_schema()["definitions"]["records"][kind]
    ours = compile_checker(definition)(record) is None
    try:
        fastjsonschema.compile(definition)(record)
        theirs = True
    except fastjsonschema.JsonSchemaValueException:
        theirs = False
    assert ours == theirs, (kind, key, action, record)
