"""What the inspection services read from a stored checklist snapshot.

The snapshot is the generator's checklist as :func:`checklists.snapshot.to_snapshot` writes
it, kept whole on the inspection so the templates are never read again. Reading it back goes
through :func:`checklists.snapshot.from_snapshot`, which refuses a foreign format, a newer
version or an item whose text no longer matches its hash; here only what an inspection needs is
taken out: the theme names and, per item, its answer spec, competent department,
require-on-fail rule and text hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checklists.snapshot import SnapshotError, from_snapshot
from checklists.template_model import AnswerSpec

__all__ = ["ItemSpec", "SnapshotError", "SnapshotInfo", "read_snapshot"]


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
