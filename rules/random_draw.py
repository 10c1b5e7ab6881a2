"""The 双随机 draw as a pure, replayable computation (algorithm ``sha256-ctr-v1``).

Anyone holding the published record of a draw can recompute it, in any language, from these
rules alone:

1. **Pools.** Each pool is a list of ``[id, uuid, name]`` rows sorted by uuid, written as JSON
   with no spaces (``separators=(",", ":")``, UTF-8, non-ASCII kept). Its SHA-256 (hex) is the
   pool hash. Declared conflicts are ``[inspector_uuid, entity_uuid]`` pairs, sorted, hashed the
   same way.
2. **Seed.** The JSON object (keys sorted, same writing rules) ``{"algorithm", "conflicts",
   "drawn_at", "entity_pool", "inspector_pool", "n", "per_entity", "witness"}`` - the three
   hashes, the draw time as recorded (ISO 8601 text), the numbers asked for, and the text the
   witness typed - is hashed with SHA-256. The operator chooses none of it: the witness types,
   the clock gives the time, the register gives the pools.
3. **Stream.** Block ``i`` (i = 0, 1, …) is ``SHA-256(seed bytes ‖ i as 8-byte big-endian)``;
   each block gives four unsigned 64-bit big-endian integers, used in order.
4. **Uniform integer below m:** take the next integer ``x``; reject it while
   ``x ≥ 2^64 − (2^64 mod m)``; return ``x mod m``.
5. **Entities:** partial Fisher–Yates over the entity pool (uuid order): for ``i`` in
   ``0 … n−1`` swap position ``i`` with ``i + below(len − i)``; the first ``n`` are drawn, in
   that order.
6. **Inspectors:** for each drawn entity in order, the inspector pool (uuid order) without those
   who declared a conflict with it; a partial Fisher–Yates of ``per_entity`` over that list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

ALGORITHM = "sha256-ctr-v1"
#: How each algorithm is named on a printed 公示 (anyone may recompute the draw from it).
ALGORITHM_LABELS = {ALGORITHM: "SHA-256 计数器法（第1版）：由随机种子和名录逐位计算，可复算核验"}
_TWO64 = 1 << 64


VALID, VOID = "valid", "void"
STATUS_LABELS = {VALID: "有效", VOID: "作废"}


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    needs_note: bool  # a reason must be written down (无法检查, 查无下落, 已注销)


PENDING, INSPECTED = "pending", "inspected"
OUTCOMES = (
    Outcome(PENDING, "待检查", False),
    Outcome(INSPECTED, "已检查", False),
    Outcome("inaccessible", "无法检查", True),
    Outcome("untraceable", "查无下落", True),
    Outcome("deregistered", "已注销", True),
)
OUTCOME_LABELS = {o.code: o.label for o in OUTCOMES}


class DrawComputationError(ValueError):
    """The draw cannot be made from these pools. The message is Chinese."""


@dataclass(frozen=True)
class PoolRow:
    id: int
    uuid: str
    name: str


@dataclass(frozen=True)
class Drawn:
    entity: PoolRow
    inspectors: tuple[PoolRow, ...]


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def sorted_pool(rows: Iterable[PoolRow]) -> list[PoolRow]:
    return sorted(rows, key=lambda r: r.uuid)


def pool_json(rows: Iterable[PoolRow]) -> list[list[Any]]:
    return [[r.id, r.uuid, r.name] for r in sorted_pool(rows)]


def pool_hash(rows: Iterable[PoolRow]) -> str:
    return hashlib.sha256(canonical(pool_json(rows))).hexdigest()


def conflicts_json(pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    return [list(p) for p in sorted(set(pairs))]


def conflicts_hash(pairs: Iterable[tuple[str, str]]) -> str:
    return hashlib.sha256(canonical(conflicts_json(pairs))).hexdigest()


def seed_material(*, witness: str, entity_pool: str, inspector_pool: str, conflicts: str,
                  n: int, per_entity: int, drawn_at: str) -> bytes:
    return canonical({"algorithm": ALGORITHM, "conflicts": conflicts, "drawn_at": drawn_at,
                      "entity_pool": entity_pool, "inspector_pool": inspector_pool, "n": n,
                      "per_entity": per_entity, "witness": witness})


def derive_seed(**parts: Any) -> str:
    """The seed (hex) from the witness's text, the pool hashes, the numbers and the time."""
    return hashlib.sha256(seed_material(**parts)).hexdigest()


class Stream:
    """Counter-mode SHA-256 integers (rule 3) and unbiased integers below m (rule 4)."""

    def __init__(self, seed_hex: str) -> None:
        self._seed = bytes.fromhex(seed_hex)
        self._counter = 0
        self._buffer: list[int] = []

    def next64(self) -> int:
        if not self._buffer:
            block = hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            self._buffer = [int.from_bytes(block[i:i + 8], "big") for i in (24, 16, 8, 0)]
        return self._buffer.pop()

    def below(self, m: int) -> int:
        if m <= 0:
            raise ValueError("m must be positive")
        limit = _TWO64 - (_TWO64 % m)
        while True:
            x = self.next64()
            if x < limit:
                return x % m


def partial_shuffle(rows: Sequence[PoolRow], k: int, stream: Stream) -> list[PoolRow]:
    out = list(rows)
    for i in range(k):
        j = i + stream.below(len(out) - i)
        out[i], out[j] = out[j], out[i]
    return out[:k]


def compute_draw(entities: Iterable[PoolRow], inspectors: Iterable[PoolRow],
                 conflicts: Iterable[tuple[str, str]], *, seed: str, n: int,
                 per_entity: int) -> list[Drawn]:
    """The drawn entities, in order, each with its inspectors (rules 5 and 6)."""
    entity_pool = sorted_pool(entities)
    inspector_pool = sorted_pool(inspectors)
    barred = set(conflicts)
    if n < 1:
        raise DrawComputationError("抽取数量至少为1")
    if per_entity < 1:
        raise DrawComputationError("每户检查人员至少为1名")
    if n > len(entity_pool):
        raise DrawComputationError(f"符合条件的被检查单位只有{len(entity_pool)}户，不能抽取{n}户")
    stream = Stream(seed)
    out = []
    for entity in partial_shuffle(entity_pool, n, stream):
        eligible = [p for p in inspector_pool if (p.uuid, entity.uuid) not in barred]
        if len(eligible) < per_entity:
            raise DrawComputationError(
                f"“{entity.name}”可派的检查人员只有{len(eligible)}名（已排除回避人员），"
                f"不足{per_entity}名")
        out.append(Drawn(entity, tuple(partial_shuffle(eligible, per_entity, stream))))
    return out
