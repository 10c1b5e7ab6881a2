"""a checklist snapshot is stored once per distinct content and referenced by its inspections

Adds ``checklist_snapshots`` (named by the SHA-256 of the snapshot's canonical JSON: keys
sorted, no spaces, UTF-8, the name an exchange package already gives it),
``checklist_snapshot_items`` (each distinct item of those snapshots once, as canonical JSON
with its SHA-256) and ``inspections.snapshot_id``. Each inspection's ``checklist`` JSON moves
there, identical snapshots become one row, and the column is dropped. A snapshot row keeps its
``frame``: the canonical JSON with ``items`` as the list of its items' ids, zlib-compressed.
The content is kept exactly: putting the items back into the frame gives the same JSON value,
checked by hash for every snapshot as it is written.

The triggers that lock a signed inspection and its children are dropped for the copy and made
again as migration 0002 made them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

import sqlalchemy as sa
from alembic import op

from models.dialect import JSON, create_refusing_trigger, drop_trigger

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

LOCKED = "检查记录已签名，不能修改；如需更正，请制作更正版本"
CHILD_TABLES = ("findings", "inspection_officers", "evidence", "signatures")


def _drop_lock_triggers() -> None:
    drop_trigger(op, "inspections_signed_no_update", "inspections")
    drop_trigger(op, "inspections_signed_no_delete", "inspections")
    for table in CHILD_TABLES:
        for event in ("update", "delete"):
            drop_trigger(op, f"{table}_signed_no_{event}", table)


def _create_lock_triggers() -> None:
    for event in ("UPDATE", "DELETE"):
        create_refusing_trigger(op, f"inspections_signed_no_{event.lower()}", "inspections",
                                event, LOCKED, when="OLD.status = 'signed'")
    for table in CHILD_TABLES:
        for event in ("UPDATE", "DELETE"):
            create_refusing_trigger(
                op, f"{table}_signed_no_{event.lower()}", table, event, LOCKED,
                when="(SELECT status FROM inspections WHERE id = OLD.inspection_id) = 'signed'")


def _canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def _store(conn: sa.Connection, snap_id: int, sha: str, value: dict[str, object],
           items: dict[str, int], contents: dict[int, bytes]) -> None:
    """One snapshot: its new items, then its frame; the frame with its items put back must
    hash to the snapshot's name, else the upgrade stops (and rolls back)."""
    refs = []
    listed: Any = value.get("items") or []
    for item in listed:
        data = _canonical(item)
        name = hashlib.sha256(data).hexdigest()
        if name not in items:
            items[name] = len(items) + 1
            contents[items[name]] = data
            conn.execute(sa.text("INSERT INTO checklist_snapshot_items (id, sha256, content) "
                                 "VALUES (:id, :sha, :content)"),
                         {"id": items[name], "sha": name, "content": data.decode("utf-8")})
        refs.append(items[name])
    frame = _canonical({**value, "items": refs})
    rebuilt = {**json.loads(frame), "items": [json.loads(contents[r]) for r in refs]}
    if hashlib.sha256(_canonical(rebuilt)).hexdigest() != sha:
        raise RuntimeError(f"检查清单快照 {sha[:12]} 拆分存放后内容不一致")
    conn.execute(sa.text("INSERT INTO checklist_snapshots (id, sha256, frame) "
                         "VALUES (:id, :sha, :frame)"),
                 {"id": snap_id, "sha": sha, "frame": zlib.compress(frame, 9)})


def upgrade() -> None:
    op.create_table(
        'checklist_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('frame', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_snapshots')),
        sa.UniqueConstraint('sha256', name=op.f('uq_checklist_snapshots_sha256')),
    )
    op.create_table(
        'checklist_snapshot_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_snapshot_items')),
        sa.UniqueConstraint('sha256', name=op.f('uq_checklist_snapshot_items_sha256')),
    )
    _drop_lock_triggers()
    op.add_column('inspections', sa.Column('snapshot_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    by_raw: dict[str, int] = {}  # sha of the stored text -> snapshot id
    by_sha: dict[str, int] = {}  # sha of the canonical text -> snapshot id
    items: dict[str, int] = {}  # sha of an item's canonical text -> item id
    contents: dict[int, bytes] = {}  # item id -> its canonical text
    moved: list[dict[str, int]] = []
    rows = conn.exec_driver_sql("SELECT id, checklist FROM inspections ORDER BY id")
    for inspection_id, raw in rows:
        text = raw if isinstance(raw, str) else json.dumps(raw)
        raw_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        snap_id = by_raw.get(raw_sha)
        if snap_id is None:
            value = json.loads(text)
            sha = hashlib.sha256(_canonical(value)).hexdigest()
            snap_id = by_sha.get(sha)
            if snap_id is None:
                snap_id = len(by_sha) + 1
                by_sha[sha] = snap_id
                _store(conn, snap_id, sha, value, items, contents)
            by_raw[raw_sha] = snap_id
        moved.append({"i": inspection_id, "s": snap_id})
    for start in range(0, len(moved), 5000):
        conn.execute(sa.text("UPDATE inspections SET snapshot_id = :s WHERE id = :i"),
                     moved[start:start + 5000])

    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.alter_column('snapshot_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_inspections_snapshot_id_checklist_snapshots'),
                                    'checklist_snapshots', ['snapshot_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_inspections_snapshot_id'), ['snapshot_id'],
                              unique=False)
        batch_op.drop_column('checklist')
    _create_lock_triggers()


def downgrade() -> None:
    _drop_lock_triggers()
    op.add_column('inspections', sa.Column('checklist', JSON, nullable=True))
    conn = op.get_bind()
    items: dict[int, str] = {
        int(i): str(c) for i, c in conn.execute(
            sa.text("SELECT id, content FROM checklist_snapshot_items"))}
    texts = {}
    for snap_id, frame in conn.execute(sa.text("SELECT id, frame FROM checklist_snapshots")):
        value = json.loads(zlib.decompress(frame))
        value["items"] = [json.loads(items[r]) for r in value.get("items") or []]
        texts[snap_id] = _canonical(value).decode("utf-8")
    for snap_id, text in texts.items():
        conn.execute(sa.text("UPDATE inspections SET checklist = :t WHERE snapshot_id = :s"),
                     {"t": text, "s": snap_id})
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.alter_column('checklist', existing_type=JSON, nullable=False)
        batch_op.drop_index(batch_op.f('ix_inspections_snapshot_id'))
        batch_op.drop_constraint(batch_op.f('fk_inspections_snapshot_id_checklist_snapshots'),
                                 type_='foreignkey')
        batch_op.drop_column('snapshot_id')
    op.drop_table('checklist_snapshots')
    op.drop_table('checklist_snapshot_items')
    _create_lock_triggers()
