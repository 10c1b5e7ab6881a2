"""The package's JSON Schema (``sync/package.schema.json``), and validation against it.

The schema file is written from the tables (``python -m sync.schema``) and committed; a test
checks that the committed file is the one the tables give, and every import validates the
manifest and every record against the committed file. Validators are compiled once
(fastjsonschema), so checking a record costs microseconds.
"""

from __future__ import annotations

import json
import re
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
    """The schema, also allowing null (length and pattern apply to strings only)."""
    if not nullable:
        return schema
    return {**schema, "type": [schema["type"], "null"]}


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
    """The validator of one kind's records, compiled from the committed schema; raises
    PackageError (Chinese). Records are the bulk of a package (hundreds of thousands), so they
    are checked by predicates built once from the schema's keywords (a test shows they accept
    and refuse exactly what fastjsonschema does); any keyword they do not know stops them."""
    try:
        definition = _committed()["definitions"]["records"][kind]
    except KeyError:
        raise PackageError(f"数据包中有本程序不认识的记录种类：{kind}") from None
    return _fast_validator(kind, json.dumps(definition, sort_keys=True))


@cache
def _fast_validator(kind: str, definition_text: str) -> Callable[[Any], Any]:
    predicate = compile_checker(json.loads(definition_text))

    def check(value: Any) -> Any:
        where = predicate(value)
        if where is not None:
            field = f"字段 {'.'.join(where[1:])}" if len(where) > 1 else "整体结构"
            raise PackageError(f"数据包中的{kind}记录不符合数据包格式（{field}）。")
        return value

    return check


_KNOWN = {"type", "maxLength", "minLength", "pattern", "minimum", "maxProperties",
          "additionalProperties", "properties", "required", "enum", "const"}
_TYPE_TESTS = {"string": "type({v}) is str", "integer": "type({v}) is int",
               "number": "type({v}) in (int, float)", "boolean": "type({v}) is bool",
               "null": "{v} is None", "object": "type({v}) is dict",
               "array": "type({v}) is list"}


def compile_checker(schema: dict[str, Any]) -> Callable[[Any], tuple[str, ...] | None]:
    """Python code for the subset of JSON Schema the package uses, compiled once: it returns
    None for a value the schema accepts, else the path where it fails. A keyword it does not
    know raises ValueError, so the schema cannot grow past what is checked."""
    consts: dict[str, Any] = {}
    lines = ["def check(v0):"]
    counter = [0]

    def const(value: Any) -> str:
        name = f"c{len(consts)}"
        consts[name] = value
        return name

    def emit(node: dict[str, Any], var: str, path: tuple[str, ...], indent: str) -> None:
        unknown = set(node) - _KNOWN
        if unknown:
            raise ValueError(f"schema keyword not supported by the record checker: {unknown}")
        fail = f"{indent}    return {path!r}"
        if "type" in node:
            names = node["type"] if isinstance(node["type"], list) else [node["type"]]
            test = " or ".join(_TYPE_TESTS[n].format(v=var) for n in names)
            lines.append(f"{indent}if not ({test}):")
            lines.append(fail)
        if "maxLength" in node:
            most = int(node["maxLength"])
            lines.append(f"{indent}if type({var}) is str and len({var}) > {most}:")
            lines.append(fail)
        if "minLength" in node:
            least = int(node["minLength"])
            lines.append(f"{indent}if type({var}) is str and len({var}) < {least}:")
            lines.append(fail)
        if "pattern" in node:
            pattern = const(re.compile(node["pattern"]).search)
            lines.append(f"{indent}if type({var}) is str and {pattern}({var}) is None:")
            lines.append(fail)
        if "minimum" in node:
            low = const(node["minimum"])
            lines.append(f"{indent}if type({var}) in (int, float) and {var} < {low}:")
            lines.append(fail)
        if "enum" in node or "const" in node:
            options = const([(o, type(o)) for o in node.get("enum", [node.get("const")])])
            lines.append(f"{indent}if not any({var} == o and type({var}) is t "
                         f"for o, t in {options}):")
            lines.append(fail)
        if "maxProperties" in node:
            lines.append(f"{indent}if type({var}) is dict and len({var}) > "
                         f"{int(node['maxProperties'])}:")
            lines.append(fail)
        props = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        required = node.get("required", ())
        if not (props or required or extra is not True):
            return
        lines.append(f"{indent}if type({var}) is dict:")
        inner = indent + "    "
        if required:
            lines.append(f"{inner}if {const(frozenset(required))} - {var}.keys():")
            lines.append(f"{inner}    return {path!r}")
        if extra is False:
            lines.append(f"{inner}if {var}.keys() - {const(frozenset(props))}:")
            lines.append(f"{inner}    return {path!r}")
        for key, sub in props.items():
            if not sub:
                continue
            counter[0] += 1
            item = f"v{counter[0]}"
            lines.append(f"{inner}if {key!r} in {var}:")
            lines.append(f"{inner}    {item} = {var}[{key!r}]")
            emit(sub, item, (*path, key), inner + "    ")
        if isinstance(extra, dict) and extra:
            counter[0] += 1
            item = f"v{counter[0]}"
            known = const(frozenset(props))
            lines.append(f"{inner}for k{counter[0]}, {item} in {var}.items():")
            lines.append(f"{inner}    if k{counter[0]} in {known}:")
            lines.append(f"{inner}        continue")
            emit(extra, item, (*path, "*"), inner + "    ")

    emit(schema, "v0", (), "    ")
    lines.append("    return None")
    namespace: dict[str, Any] = dict(consts)
    exec(compile("\n".join(lines), "<package-schema>", "exec"), namespace)
    checker: Callable[[Any], tuple[str, ...] | None] = namespace["check"]
    return checker


def validate(definition: str, value: Any, what: str) -> None:
    _check((definition,), value, what)


if __name__ == "__main__":
    target = resource_path(*SCHEMA_FILE)
    if "--check" in sys.argv:
        sys.exit(0 if target.read_text(encoding="utf-8") == schema_text() else 1)
    target.write_text(schema_text(), encoding="utf-8")
    print(target)
