"""The committed JSON Schema is the one the tables give, and it is a valid draft-07 schema."""

from __future__ import annotations

import json

import fastjsonschema

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
