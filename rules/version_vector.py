"""Version vectors: how an exchange tells a newer revision from an older or a concurrent one.

Every travelling record carries ``{device_id: edits made on that device}``. A local edit adds
one to this device's entry. Comparing two vectors entry by entry says how two revisions of one
record relate, even when their edit counts are equal:

- every entry of ``a`` ≥ the same entry of ``b`` and one greater: ``a`` is newer (it was made
  from ``b`` or from a later revision), so ``a`` replaces ``b``;
- the other way round: ``a`` is older and is never allowed to replace ``b``;
- each has an entry greater than the other's: both sides edited since their common revision;
  the edits are concurrent, and a person decides (a conflict);
- all entries equal: the same revision, which must hold the same content.

A record written before vectors existed has none; it is read as ``{its device: its edit
count}``, which is what it was: every edit made on the one laptop that had it.
"""

from __future__ import annotations

from collections.abc import Mapping

EQUAL, NEWER, OLDER, CONCURRENT = "equal", "newer", "older", "concurrent"

Vector = dict[str, int]


def effective(vector: Mapping[str, int] | None, device_id: str | None, rev: int | None) -> Vector:
    """The vector of a record, reading a record without one as its device's edit count."""
    if vector:
        return {str(k): int(v) for k, v in vector.items()}
    return {device_id or "?": int(rev or 1)}


def compare(a: Mapping[str, int], b: Mapping[str, int]) -> str:
    """How revision ``a`` relates to revision ``b``: EQUAL, NEWER, OLDER or CONCURRENT."""
    greater = less = False
    for key in a.keys() | b.keys():
        x, y = a.get(key, 0), b.get(key, 0)
        if x > y:
            greater = True
        elif x < y:
            less = True
        if greater and less:
            return CONCURRENT
    if greater:
        return NEWER
    if less:
        return OLDER
    return EQUAL


def merged(a: Mapping[str, int], b: Mapping[str, int]) -> Vector:
    """The entry-by-entry maximum: a revision that has seen both ``a`` and ``b``."""
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in sorted(a.keys() | b.keys())}


def bumped(vector: Mapping[str, int], device_id: str) -> Vector:
    """The vector after one more edit on ``device_id``."""
    out = dict(vector)
    out[device_id] = out.get(device_id, 0) + 1
    return out
