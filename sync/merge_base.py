"""What the parts of a merge share: the statuses, the result, and the state of one merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from models.bulk import BulkInserter
from models.sync import Tombstone
from rules.progress import Tracker
from sync.format import PackageError, strict_json
from sync.kinds import Kind
from sync.package import Package
from sync.records import UuidMaps

NEW, UPDATED, UNCHANGED, KEPT, CONFLICT, DELETED = (
    "new", "updated", "unchanged", "kept", "conflict", "deleted")
STATUS_LABELS = {NEW: "新增", UPDATED: "更新", UNCHANGED: "未变", KEPT: "本机较新保留",
                 CONFLICT: "冲突", DELETED: "删除"}
BATCH = 2000

LIST_MAX = 5000  # changes listed in a preview (counts are always complete)


@dataclass(frozen=True)
class Change:
    kind: str
    uuid: str
    status: str
    label: str


@dataclass
class MergeResult:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    number_clashes: list[str] = field(default_factory=list)  # found by this import
    #: clashes registered by an earlier import and not yet dealt with (not listed again)
    number_clashes_known: int = 0
    #: Every record of the package as the receipt lists it ([kind, uuid, status, vector held],
    #: one canonical JSON array per line), kept in a temporary file rather than in memory.
    held: IO[bytes] | None = None
    #: How many lines of ``held`` there are of each kind and status (the receipt's counts).
    held_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    written_files: list[Path] = field(default_factory=list)
    documents_added: int = 0
    audit_added: int = 0
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str, status: str, n: int = 1) -> None:
        per = self.counts.setdefault(kind, {})
        per[status] = per.get(status, 0) + n

    def total(self, status: str) -> int:
        return sum(per.get(status, 0) for per in self.counts.values())


#: On a server, an import holds (shared) the lock of each evidence file's bucket it stores or
#: finds, until it commits; a failed import removes a file it wrote only when it can hold that
#: bucket alone (no other import may be about to name the file) and no row names it.
EVIDENCE_LOCKS = 0x5348_4A45_0000


def evidence_lock(sha256: str) -> int:
    """The advisory lock of an evidence file's bucket (256 buckets by the first hash byte)."""
    return EVIDENCE_LOCKS + int(sha256[:2], 16)


class MergeState:
    """The state one merge keeps; the merge's parts (:mod:`sync.merge`, :mod:`sync.merge_rows`,
    :mod:`sync.merge_after`) read and change it."""

    s: Session
    pkg: Package
    root: Path
    dry_run: bool
    from_device: str
    tracker: Tracker
    max_evidence: int
    result: MergeResult
    maps: UuidMaps
    file_locks: set[int] | None  # the evidence buckets held, on a server
    status: dict[int, str]
    deferred: list[tuple[Kind, list[dict[str, Any]]]]
    snapshots: dict[str, int]  # snapshot sha -> local id
    touched_inspections: set[int]
    touched_documents: set[str]
    tombstones: dict[str, Tombstone]
    pending: dict[tuple[str, str], str]
    next_id: dict[str, int]
    bulk: BulkInserter

    def _locked(self, kind: Kind, row: Any) -> bool:
        raise NotImplementedError

    def _row_values(self, kind: Kind, obj: dict[str, Any], *, for_update: bool
                    ) -> dict[str, Any]:
        raise NotImplementedError


def aware(value: str | None) -> datetime | None:
    """A travelling time as an aware UTC datetime."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except (ValueError, OverflowError):
        raise PackageError(f"数据包中有无效的时间：{value[:40]}") from None


def parse(line: bytes, what: str) -> Any:
    try:
        return strict_json(line)
    except (ValueError, RecursionError):
        raise PackageError(f"数据包中的{what}不是有效的 JSON。") from None
