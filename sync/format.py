"""What every part of the exchange agrees on: the format's name and version, the limits a
package must keep, the one error it raises, and reading JSON with its nesting bounded."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

FORMAT = "shengyu-jiancha-package"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Limits:
    members: int = 1_000_000
    manifest_bytes: int = 64 * 1024 * 1024
    line_bytes: int = 16 * 1024 * 1024  # one record
    json_member_bytes: int = 64 * 1024 * 1024  # a snapshot or a catalog document
    records_member_bytes: int = 8 * 1024**3
    evidence_member_bytes: int = 512 * 1024 * 1024
    total_bytes: int = 64 * 1024**3
    ratio: int = 200  # unpacked / packed, for members over RATIO_FLOOR bytes
    ratio_floor: int = 1024 * 1024
    json_depth: int = 32


LIMITS = Limits()

_HEX64 = r"[0-9a-f]{64}"
#: Every member name a package may hold.
MEMBER_NAME = re.compile(
    r"^(?:manifest\.json|audit\.jsonl|tombstones\.jsonl"
    r"|records/[a-z_]{1,40}\.jsonl"
    rf"|snapshots/{_HEX64}\.json"
    r"|catalog/[A-Za-z0-9_\-]{1,64}\.json"
    rf"|evidence/{_HEX64}(?:\.[a-z0-9]{{1,8}})?)$")


class PackageError(ValueError):
    """The package cannot be accepted. The message is Chinese and names the reason."""


def json_depth(value: Any, limit: int) -> int:
    """The nesting depth of a parsed JSON value; :class:`PackageError` past ``limit``."""
    if type(value) not in (dict, list):
        return 0
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if depth > limit:
            raise PackageError(f"数据包中的数据嵌套过深（超过 {limit} 层）。")
        deepest = max(deepest, depth)
        for child in (item.values() if type(item) is dict else item):
            if type(child) in (dict, list):
                todo.append((child, depth + 1))
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"JSON 中不允许 {name}")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


#: One decoder for every value (``json.loads`` with these options would build one per call).
_STRICT = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)


def strict_json(data: bytes | str) -> Any:
    """JSON as the standard defines it, in UTF-8: no NaN, no Infinity, no number too large
    for a float. Raises ``ValueError`` (a text that is not UTF-8 too) or ``RecursionError``."""
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    if text.startswith("\ufeff"):  # as json.loads refuses a byte-order mark in a text
        raise ValueError("JSON text starts with a byte-order mark")
    return _STRICT.decode(text)


def loads(data: bytes | str, what: str, limit: int = LIMITS.json_depth) -> Any:
    """JSON from the package, with its nesting bounded; errors name ``what``."""
    try:
        value = strict_json(data)
    except (ValueError, RecursionError):
        raise PackageError(f"数据包中的{what}不是有效的 JSON。") from None
    json_depth(value, limit)
    return value
