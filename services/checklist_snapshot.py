"""An inspection's checklist snapshot: where it is kept, and what the services read from it.

The snapshot is the generator's checklist as :func:`checklists.snapshot.to_snapshot` writes
it, kept so the templates are never read again. It is stored once per distinct content, named
by the SHA-256 of its canonical JSON (:class:`models.inspection.ChecklistSnapshot`; its items
each stored once across all snapshots), and an inspection refers to it. Everything that writes
or reads an inspection's snapshot goes through :func:`store_snapshot` and
:func:`inspection_snapshot` (or, for packages, the by-hash forms), so no caller cares where it
is kept.

Reading it back goes through :func:`checklists.snapshot.from_snapshot`, which refuses a foreign
format, a newer version or an item whose text no longer matches its hash; :func:`read_snapshot`
takes out only what an inspection needs: the theme names and, per item, its answer spec,
competent department, require-on-fail rule and text hash.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.snapshot import SnapshotError, from_snapshot, snapshot_bytes, snapshot_sha256
from checklists.template_model import AnswerSpec
from models.dialect import insert_shared
from models.inspection import ChecklistSnapshot, Inspection, SnapshotItem

__all__ = ["ItemSpec", "SnapshotError", "SnapshotInfo", "inspection_snapshot",
           "inspection_snapshot_hashes", "read_snapshot", "snapshot_by_hash", "snapshot_id",
           "store_snapshot"]

@dataclass(frozen=True)
class ItemSpec:
    code: str
    theme: str
    question: str
    answer: AnswerSpec
    competent_department: str
    require_on_fail: str
    text_hash: str


@dataclass(frozen=True)
class SnapshotInfo:
    themes: tuple[str, ...]  # names, as shown in lists
    items: tuple[ItemSpec, ...]
    content_hash: str  # Checklist.content_hash: over the items' codes and text hashes


def read_snapshot(snapshot: dict[str, Any]) -> SnapshotInfo:
    """The parts of a snapshot an inspection uses; :class:`SnapshotError` (Chinese) if the
    snapshot cannot be trusted or has no items."""
    checklist = from_snapshot(snapshot)
    if not checklist.items:
        raise SnapshotError("检查清单中没有检查项，不能据此建立检查。")
    items = tuple(ItemSpec(i.code, i.theme, i.question, i.answer, i.competent_department,
                           i.require_on_fail, i.text_hash) for i in checklist.items)
    return SnapshotInfo(tuple(t.name for t in checklist.themes), items, checklist.content_hash)


# --------------------------------------------------------------------------- storage


def store_snapshot(session: Session, snapshot: dict[str, Any] | bytes) -> int:
    """The id to give an inspection made from this snapshot: the stored copy of the same
    content, written now if there is none. ``snapshot`` is the dict, or its JSON bytes (stored
    in canonical form whatever their spacing or key order)."""
    value: dict[str, Any] = json.loads(snapshot) if isinstance(snapshot, bytes) else snapshot
    sha = snapshot_sha256(snapshot_bytes(value))
    found = snapshot_id(session, sha)
    if found is not None:
        return found
    items = [snapshot_bytes(i) for i in value.get("items") or ()]
    names = [snapshot_sha256(i) for i in items]
    ids: dict[str, int] = {}
    wanted = sorted(set(names))
    for start in range(0, len(wanted), 900):
        for name, item_id in session.execute(
                select(SnapshotItem.sha256, SnapshotItem.id)
                .where(SnapshotItem.sha256.in_(wanted[start:start + 900]))):
            ids[name] = item_id
    for name, data in zip(names, items, strict=True):
        if name not in ids:
            ids[name] = insert_shared(session, SnapshotItem.__table__, "sha256",
                                      {"sha256": name, "content": data.decode("utf-8")})
    frame = {**value, "items": [ids[n] for n in names]}
    return insert_shared(session, ChecklistSnapshot.__table__, "sha256",
                         {"sha256": sha, "frame": zlib.compress(snapshot_bytes(frame), 9)})


def snapshot_id(session: Session, sha256: str) -> int | None:
    """The stored snapshot named by this hash, if there is one."""
    return session.scalar(select(ChecklistSnapshot.id).where(ChecklistSnapshot.sha256 == sha256))


def _assemble(session: Session, frame: bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(zlib.decompress(frame))
    ids = value.get("items") or []
    content: dict[int, str] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 900):
        for item_id, text in session.execute(
                select(SnapshotItem.id, SnapshotItem.content)
                .where(SnapshotItem.id.in_(wanted[start:start + 900]))):
            content[item_id] = text
    value["items"] = [json.loads(content[i]) for i in ids]
    return value


def inspection_snapshot(session: Session, inspection_id: int) -> dict[str, Any]:
    """The checklist snapshot the inspection was made from, as stored."""
    frame = session.scalar(select(ChecklistSnapshot.frame)
                           .join(Inspection, Inspection.snapshot_id == ChecklistSnapshot.id)
                           .where(Inspection.id == inspection_id))
    if frame is None:
        raise LookupError(f"inspection {inspection_id} has no stored checklist snapshot")
    return _assemble(session, frame)


def inspection_snapshot_hashes(session: Session, inspection_ids: Iterable[int]
                               ) -> dict[int, str]:
    """Inspection id -> the SHA-256 naming its snapshot (how a package refers to it)."""
    wanted = sorted(set(inspection_ids))
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start:start + 900]
        for inspection_id, sha in session.execute(
                select(Inspection.id, ChecklistSnapshot.sha256)
                .join(ChecklistSnapshot, ChecklistSnapshot.id == Inspection.snapshot_id)
                .where(Inspection.id.in_(chunk))):
            out[inspection_id] = sha
    return out


def snapshot_by_hash(session: Session, sha256: str) -> bytes | None:
    """The canonical bytes of the snapshot named by this hash, if it is stored here."""
    frame = session.scalar(select(ChecklistSnapshot.frame)
                           .where(ChecklistSnapshot.sha256 == sha256))
    return None if frame is None else snapshot_bytes(_assemble(session, frame))
