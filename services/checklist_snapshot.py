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
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.checklist_model import Checklist, ChecklistItem
from checklists.snapshot import (
    SnapshotError,
    checked_item,
    from_snapshot,
    snapshot_bytes,
    snapshot_sha256,
)
from checklists.template_model import AnswerSpec
from models.bulk import BulkInserter
from models.dialect import insert_shared_many, is_sqlite
from models.inspection import ChecklistSnapshot, Inspection, SnapshotItem

_T = TypeVar("_T")

__all__ = ["ItemSpec", "SnapshotError", "SnapshotInfo", "checklist_info", "inspection_checklist",
           "inspection_snapshot", "inspection_snapshot_hashes", "read_snapshot", "snapshot_by_hash",
           "snapshot_id", "store_snapshot", "store_snapshots"]

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
    return checklist_info(from_snapshot(snapshot))


def checklist_info(checklist: Checklist) -> SnapshotInfo:
    """What :func:`read_snapshot` gives for the snapshot of this checklist, without writing and
    reading it back (``from_snapshot(to_snapshot(c)) == c``): for a checklist just generated."""
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
    return store_snapshots(session, [snapshot])[0]


def store_snapshots(session: Session, snapshots: Sequence[dict[str, Any] | bytes]) -> list[int]:
    """:func:`store_snapshot` for many snapshots at once (their ids, in order), with a few
    statements for the lot: what is stored already is looked up by hash, the rest written with
    the bulk inserts (:mod:`models.bulk`). An item dict, or another part, that several of the
    snapshots share (the same object) is encoded once."""
    encoded: dict[int, tuple[bytes, str]] = {}
    parts: dict[int, bytes] = {}
    forms = [_Canonical(json.loads(s) if isinstance(s, bytes) else s, encoded, parts)
             for s in snapshots]
    shas = [snapshot_sha256(form.whole()) for form in forms]
    ids = _ids_by_sha(session, ChecklistSnapshot, shas)
    new = {sha: form for sha, form in zip(shas, forms, strict=True) if sha not in ids}
    if not new:
        return [ids[sha] for sha in shas]
    items: dict[str, bytes] = {}
    for form in new.values():
        items.update(zip(form.item_names, form.items, strict=True))
    item_ids = _ids_by_sha(session, SnapshotItem, items)
    bulk = BulkInserter()

    def write(table: Any, rows: list[dict[str, Any]]) -> None:
        if is_sqlite(session):
            bulk.insert(session.connection(), table, rows)
        else:  # another import may be storing the same content right now: take its row
            insert_shared_many(session, table, "sha256", rows)

    # In the order of their names: two imports storing overlapping checklists at once on a
    # server then wait for each other instead of deadlocking.
    missing = sorted(name for name in items if name not in item_ids)
    write(SnapshotItem.__table__,
          [{"sha256": name, "content": items[name].decode("utf-8")} for name in missing])
    item_ids.update(_ids_by_sha(session, SnapshotItem, missing))
    write(ChecklistSnapshot.__table__, [
        {"sha256": sha, "frame": _compressed(
            form.with_items(snapshot_bytes([item_ids[n] for n in form.item_names])))}
        for sha, form in sorted(new.items())])
    ids.update(_ids_by_sha(session, ChecklistSnapshot, list(new)))
    return [ids[sha] for sha in shas]


def _compressed(frame: bytes) -> bytes:
    """A frame as stored: zlib's format at its best compression. Frames are a few kilobytes,
    so a small working memory (``memLevel`` 5 of 9) compresses them as well and sets up in a
    fraction of the time; any zlib reader inflates them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS, 5)
    return packer.compress(frame) + packer.flush()


#: The canonical JSON of a snapshot's top-level keys (a dozen names, spliced thousands of times).
_KEYS: dict[str, bytes] = {}


def _key(name: str) -> bytes:
    done = _KEYS.get(name)
    if done is None:
        done = _KEYS[name] = snapshot_bytes(name)
    return done


class _Canonical:
    """A snapshot's canonical JSON (:func:`checklists.snapshot.snapshot_bytes`) made from its
    items' own canonical JSON, so that each item is encoded once for both: the snapshot's hash
    and the item's row. The same parts give the frame, with ``items`` as their ids."""

    def __init__(self, value: dict[str, Any], encoded: dict[int, tuple[bytes, str]],
                 parts: dict[int, bytes]) -> None:
        self.value = value
        listed = value.get("items")
        self.items: list[bytes] = []
        self.item_names: list[str] = []
        for item in listed or ():
            done = encoded.get(id(item))  # the caller keeps every item alive: ids are unique
            if done is None:
                data = snapshot_bytes(item)
                done = encoded[id(item)] = (data, snapshot_sha256(data))
            self.items.append(done[0])
            self.item_names.append(done[1])
        # the top level of canonical JSON is its keys in order, each "key":value
        self.spliced = isinstance(listed, list) and all(isinstance(k, str) for k in value)
        self.parts = {k: self._part(v, parts) for k, v in value.items() if k != "items"} \
            if self.spliced else {}

    @staticmethod
    def _part(value: Any, parts: dict[int, bytes]) -> bytes:
        """A part's canonical JSON; a list or dict that several snapshots share (the same
        object: their sections, exclusions) is encoded once."""
        if not isinstance(value, list | dict):
            return snapshot_bytes(value)
        done = parts.get(id(value))
        if done is None:
            done = parts[id(value)] = snapshot_bytes(value)
        return done

    def with_items(self, encoded: bytes) -> bytes:
        if not self.spliced:
            return snapshot_bytes({**self.value, "items": json.loads(encoded)})
        parts = {**self.parts, "items": encoded}
        return b"{" + b",".join(_key(k) + b":" + parts[k] for k in sorted(parts)) + b"}"

    def whole(self) -> bytes:
        if not self.spliced:
            return snapshot_bytes(self.value)
        return self.with_items(b"[" + b",".join(self.items) + b"]")


def _ids_by_sha(session: Session, model: type[ChecklistSnapshot] | type[SnapshotItem],
                shas: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(shas))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        for name, row_id in session.execute(
                select(model.sha256, model.id).where(model.sha256.in_(wanted[start:start + 900]))):
            found[name] = row_id
    return found


def snapshot_ids(session: Session, shas: Iterable[str]) -> dict[str, int]:
    """The stored snapshots among these hashes (hash -> id)."""
    return _ids_by_sha(session, ChecklistSnapshot, shas)


def snapshot_id(session: Session, sha256: str) -> int | None:
    """The stored snapshot named by this hash, if there is one."""
    return session.scalar(select(ChecklistSnapshot.id).where(ChecklistSnapshot.sha256 == sha256))


def _assemble(session: Session, frame: bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(zlib.decompress(frame))
    ids = value.get("items") or []
    content = _item_texts(session, ids)
    value["items"] = [json.loads(content[i]) for i in ids]
    return value


def _item_texts(session: Session, ids: Iterable[int]) -> dict[int, str]:
    content: dict[int, str] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 900):
        for item_id, text in session.execute(
                select(SnapshotItem.id, SnapshotItem.content)
                .where(SnapshotItem.id.in_(wanted[start:start + 900]))):
            content[item_id] = text
    return content


def inspection_snapshot(session: Session, inspection_id: int) -> dict[str, Any]:
    """The checklist snapshot the inspection was made from, as stored."""
    frame = session.scalar(select(ChecklistSnapshot.frame)
                           .join(Inspection, Inspection.snapshot_id == ChecklistSnapshot.id)
                           .where(Inspection.id == inspection_id))
    if frame is None:
        raise LookupError(f"inspection {inspection_id} has no stored checklist snapshot")
    return _assemble(session, frame)


def inspection_checklist(session: Session, inspection_id: int) -> Checklist:
    """``from_snapshot(inspection_snapshot(session, inspection_id))``: the checklist the
    inspection was made from. :class:`SnapshotError` (Chinese) if it cannot be trusted.

    A snapshot never changes and is named by the hash of its content: a checklist read from
    content that matches its name is kept (the most recent few hundred), so the next reading
    of that snapshot, here or in another database, needs only its name (issuing several
    notices for one inspection reads it each time)."""
    row = session.execute(select(ChecklistSnapshot.sha256, ChecklistSnapshot.frame)
                          .join(Inspection, Inspection.snapshot_id == ChecklistSnapshot.id)
                          .where(Inspection.id == inspection_id)).first()
    if row is None:
        raise LookupError(f"inspection {inspection_id} has no stored checklist snapshot")
    name, frame = row
    found = _READ.get(name)
    if found is not None:
        return found
    value = json.loads(zlib.decompress(frame))
    ids = value.get("items") if isinstance(value, dict) else None
    if not isinstance(ids, list) or not all(type(i) is int for i in ids) or not all(
            isinstance(k, str) for k in value):
        return from_snapshot(_assemble(session, frame))
    texts = _item_texts(session, ids)
    try:
        items = [_checked_item(texts[i]) for i in ids]
    except (SnapshotError, KeyError, TypeError, ValueError):
        # read as it always is, to fail as it always does
        return from_snapshot(_assemble(session, frame))
    checklist = from_snapshot(value, items=items)
    # the canonical form is each part's, with the items' own canonical text spliced in
    listed = b"[" + b",".join(texts[i].encode("utf-8") for i in ids) + b"]"
    whole = b"{" + b",".join(snapshot_bytes(k) + b":" + (
        listed if k == "items" else snapshot_bytes(value[k])) for k in sorted(value)) + b"}"
    if snapshot_sha256(whole) == name:
        _READ.put(name, checklist)
    return checklist


def _checked_item(text: str) -> ChecklistItem:
    """An item of a stored snapshot, read and checked; kept by its text."""
    found = _ITEMS.get(text)
    if found is None:
        found = checked_item(json.loads(text))
        _ITEMS.put(text, found)
    return found


class _Recent(Generic[_T]):
    """What was read last, by its name (thread-safe, bounded)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[str, _T] = OrderedDict()

    def get(self, name: str) -> _T | None:
        with self._lock:
            found = self._kept.get(name)
            if found is not None:
                self._kept.move_to_end(name)
            return found

    def put(self, name: str, value: _T) -> None:
        with self._lock:
            self._kept[name] = value
            self._kept.move_to_end(name)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


_READ: _Recent[Checklist] = _Recent(256)
#: Items of stored snapshots, read and checked, by their canonical text.
_ITEMS: _Recent[ChecklistItem] = _Recent(4096)


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
