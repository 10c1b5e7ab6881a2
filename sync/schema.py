"""The package's JSON Schema (``sync/package.schema.json``), and validation against it.

The schema file is written from the tables (``python -m sync.schema``) and committed; a test
checks that the committed file is the one the tables give, and every import validates the
manifest and every record against the committed file. Validators are compiled once
(fastjsonschema), so checking a record costs microseconds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema

from resources import resource_path
from sync.format import FORMAT, PackageError
from sync.kinds import KINDS, Field

SCHEMA_FILE = ("sync", "package.schema.json")
TEXT_MAX = 1_000_000  # characters in one text field
UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
HEX64 = "^[0-9a-f]{64}$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
            r"(Z|[+-][0-9]{2}:[0-9]{2})$")
#: Fields a kind carries beyond its columns.
EXTRA_FIELDS = {"inspections": {"checklist_sha256": {"type": "string", "pattern": HEX64}}}


def _nullable(schema: dict[str, Any], nullable: bool) -> dict[str, Any]:
    if not nullable:
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(f: Field) -> dict[str, Any]:
    if f.ref:
        base: dict[str, Any] = {"type": "string", "pattern": UUID}
    elif f.kind == "string":
        base = {"type": "string", "maxLength": f.max_length or TEXT_MAX}
    elif f.kind == "text":
        base = {"type": "string", "maxLength": TEXT_MAX}
    elif f.kind == "integer":
        base = {"type": "integer"}
    elif f.kind == "number":
        base = {"type": "number"}
    elif f.kind == "boolean":
        base = {"type": "boolean"}
    elif f.kind == "date":
        base = {"type": "string", "pattern": DATE}
    elif f.kind == "datetime":
        base = {"type": "string", "pattern": DATETIME}
    else:  # json: its shape is the column's own; its depth is bounded by the reader
        return {}
    return _nullable(base, f.nullable)


VECTOR = {"type": "object", "maxProperties": 1000,
          "additionalProperties": {"type": "integer", "minimum": 0}}


def record_schema(kind: str) -> dict[str, Any]:
    k = next(x for x in KINDS if x.name == kind)
    props = {f.name: field_schema(f) for f in k.fields}
    props.update(EXTRA_FIELDS.get(kind, {}))
    return {
        "type": "object", "additionalProperties": False,
        "required": ["uuid", "rev", "vv", "updated_at", "device_id", "data"],
        "properties": {
            "uuid": {"type": "string", "pattern": UUID},
            "id": {"type": "integer", "minimum": 1},
            "rev": {"type": "integer", "minimum": 1},
            "vv": VECTOR,
            "updated_at": _nullable({"type": "string", "pattern": DATETIME}, True),
            "device_id": _nullable({"type": "string", "maxLength": 36}, True),
            "data": {"type": "object", "additionalProperties": False,
                     "required": sorted(props), "properties": props},
        },
    }


def build_schema() -> dict[str, Any]:
    member = {"type": "object", "additionalProperties": False, "required": ["sha256", "size"],
              "properties": {"sha256": {"type": "string", "pattern": HEX64},
                             "size": {"type": "integer", "minimum": 0},
                             "records": {"type": "integer", "minimum": 0}}}
    opt_str = _nullable({"type": "string", "maxLength": 500}, True)
    manifest = {
        "type": "object",
        "required": ["format", "format_version", "package_id", "app_version",
                     "schema_revision", "device", "issuer", "exported_at", "demo",
                     "selection", "counts", "members"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"type": "integer", "minimum": 1},
            "package_id": {"type": "string", "pattern": UUID},
            "app_version": {"type": "string", "maxLength": 40},
            "schema_revision": {"type": "string", "maxLength": 40},
            "device": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "string", "maxLength": 36},
                "name": {"type": "string", "maxLength": 500},
                "fingerprint": {"type": "string", "pattern": HEX64},
                "public_key": {"type": "string", "pattern": HEX64}}},
            "issuer": {"type": "object", "properties": {
                "organisation": opt_str, "jurisdiction": opt_str, "jurisdiction_name": opt_str,
                "department": opt_str}},
            "exported_at": {"type": "string", "pattern": DATETIME},
            "demo": {"type": "boolean"},
            "selection": {"type": "object"},
            "counts": {"type": "object", "maxProperties": 100,
                       "additionalProperties": {"type": "integer", "minimum": 0}},
            "members": {"type": "object", "maxProperties": 1_000_000,
                        "additionalProperties": member},
        },
    }
    tombstone = {
        "type": "object", "additionalProperties": False,
        "required": ["uuid", "kind", "deleted_at", "device_id", "vv"],
        "properties": {"uuid": {"type": "string", "pattern": UUID},
                       "kind": {"enum": [k.name for k in KINDS]},
                       "deleted_at": {"type": "string", "pattern": DATETIME},
                       "device_id": _nullable({"type": "string", "maxLength": 36}, True),
                       "vv": VECTOR}}
    audit = {
        "type": "object", "additionalProperties": False,
        "required": ["origin", "at", "device_id", "user", "action", "table_name", "record_id",
                     "detail"],
        "properties": {"origin": {"type": "string", "maxLength": 80, "minLength": 3},
                       "at": {"type": "string", "pattern": DATETIME},
                       "device_id": _nullable({"type": "string", "maxLength": 36}, True),
                       "user": _nullable({"type": "string", "maxLength": 64}, True),
                       "action": {"type": "string", "maxLength": 32},
                       "table_name": {"type": "string", "maxLength": 64},
                       "record_id": {"type": "string", "maxLength": 64},
                       "detail": {"type": "object"}}}
    catalog = {"type": "object", "required": ["id", "document"],
               "properties": {"id": {"type": "string", "maxLength": 64},
                              "source_name": opt_str, "bundled": {"type": "boolean"},
                              "document": {"type": "object"}}}
    receipt = {
        "type": "object", "additionalProperties": False,
        "required": ["format", "format_version", "package_id", "package_sha256", "receiver",
                     "merged_at", "counts", "records"],
        "properties": {
            "format": {"const": "shengyu-jiancha-receipt"},
            "format_version": {"type": "integer", "minimum": 1},
            "package_id": {"type": "string", "pattern": UUID},
            "package_sha256": {"type": "string", "pattern": HEX64},
            "receiver": {"type": "object", "required": ["device_id", "name"]},
            "merged_at": {"type": "string", "pattern": DATETIME},
            "counts": {"type": "object"},
            "records": {"type": "array", "maxItems": 10_000_000, "items": {
                "type": "array", "minItems": 4, "maxItems": 4,
                "items": [{"enum": [k.name for k in KINDS]},
                          {"type": "string", "pattern": UUID},
                          {"type": "string", "maxLength": 16}, VECTOR]}}}}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://shengyu-jiancha.invalid/package.schema.json",
        "title": "积极生育支持措施落实检查工具 数据包",
        "description": "Generated by `python -m sync.schema`; see docs/package-format.md.",
        "definitions": {"manifest": manifest, "tombstone": tombstone, "audit": audit,
                        "catalog": catalog, "receipt": receipt,
                        "records": {k.name: record_schema(k.name) for k in KINDS}},
    }


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@cache
def _committed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path(*SCHEMA_FILE).read_text(encoding="utf-8"))
    return data


@cache
def _validator(*path: str) -> Callable[[Any], Any]:
    node: Any = _committed()["definitions"]
    for part in path:
        node = node[part]
    return fastjsonschema.compile({"$schema": "http://json-schema.org/draft-07/schema#",
                                   **node})


def _check(path: tuple[str, ...], value: Any, what: str) -> None:
    try:
        _validator(*path)(value)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise PackageError(f"{what}不符合数据包格式（{_where(exc)}）。") from None
    except KeyError:
        raise PackageError(f"{what}：数据包格式中没有这种记录。") from None


def _where(exc: fastjsonschema.JsonSchemaValueException) -> str:
    """Which field failed, in words (the validator's own message is English)."""
    path = ".".join(str(p) for p in (exc.path or [])[1:])
    return f"字段 {path}" if path else "整体结构"


def validate_manifest(manifest: Any) -> None:
    _check(("manifest",), manifest, "数据包清单")


def record_validator(kind: str) -> Callable[[Any], Any]:
    """A fast validator for one kind's records; raises PackageError (Chinese)."""
    try:
        compiled = _validator("records", kind)
    except KeyError:
        raise PackageError(f"数据包中有本程序不认识的记录种类：{kind}") from None

    def check(value: Any) -> Any:
        try:
            return compiled(value)
        except fastjsonschema.JsonSchemaValueException as exc:
            raise PackageError(f"数据包中的{kind}记录不符合数据包格式（{_where(exc)}）。"
                               ) from None

    return check


def validate(definition: str, value: Any, what: str) -> None:
    _check((definition,), value, what)


if __name__ == "__main__":
    target = resource_path(*SCHEMA_FILE)
    if "--check" in sys.argv:
        sys.exit(0 if target.read_text(encoding="utf-8") == schema_text() else 1)
    target.write_text(schema_text(), encoding="utf-8")
    print(target)
