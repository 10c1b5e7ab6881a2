"""exchange packages: version vectors, tombstones, devices, logs, conflicts, receipts

Adds a version vector (``sync_vv``, JSON, NULL until the record's next edit: a record without
one is read as ``{its device: its edit count}``) to every table that travels; the tables of
models.sync; ``audit_log.origin`` for entries merged from another laptop; and
``issued_device`` on ``notices`` and ``rechecks``. A document number is now unique per
issuing device instead of per database, so that two laptops that issued the same number can
both be kept when their work is merged (the clash is reported, nothing is renumbered).
Existing notices and rechecks take their device as the issuing device.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.dialect import JSON

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TRAVELLING = ("policy_documents", "measures", "measure_units", "entities", "inspectors",
              "inspector_conflicts", "inspections", "inspection_officers", "findings",
              "evidence", "signatures", "number_blocks", "notices", "notice_items",
              "notice_extensions", "rectification_reports", "rechecks", "notice_attachments",
              "draws", "draw_results", "user_template_items")


def upgrade() -> None:
    for table in TRAVELLING:
        # a plain ADD COLUMN: no table copy, and the triggers of signed inspections stay
        op.add_column(table, sa.Column('sync_vv', JSON, nullable=True))
    op.add_column('audit_log', sa.Column('origin', sa.String(length=80), nullable=True))
    op.create_index('uq_audit_log_origin', 'audit_log', ['origin'], unique=True)

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_device', sa.String(length=36), nullable=True))
        batch_op.drop_constraint('uq_notices_doc_number', type_='unique')
        batch_op.create_unique_constraint('uq_notices_doc_number',
                                          ['doc_number', 'issued_device'])
        batch_op.create_index('ix_notices_doc_number', ['doc_number'], unique=False)
    op.execute("UPDATE notices SET issued_device = device_id WHERE issued_device IS NULL")
    with op.batch_alter_table('rechecks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_device', sa.String(length=36), nullable=True))
        batch_op.drop_constraint('uq_rechecks_doc_number', type_='unique')
        batch_op.create_unique_constraint('uq_rechecks_doc_number',
                                          ['doc_number', 'issued_device'])
        batch_op.create_index('ix_rechecks_doc_number', ['doc_number'], unique=False)
    op.execute("UPDATE rechecks SET issued_device = device_id "
               "WHERE issued_device IS NULL AND doc_number IS NOT NULL")

    op.create_table('sync_tombstones',
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=True),
        sa.Column('sync_vv', JSON, nullable=False),
        sa.PrimaryKeyConstraint('uuid', name=op.f('pk_sync_tombstones')))
    op.create_table('sync_devices',
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('public_key', sa.String(length=64), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('device_id', sa.String(length=36), nullable=True),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('fingerprint', name=op.f('pk_sync_devices')))
    op.create_table('sync_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('package_sha256', sa.String(length=64), nullable=False),
        sa.Column('package_id', sa.String(length=36), nullable=False),
        sa.Column('file_name', sa.Text(), nullable=True),
        sa.Column('device_id', sa.String(length=36), nullable=True),
        sa.Column('device_name', sa.Text(), nullable=True),
        sa.Column('fingerprint', sa.String(length=64), nullable=True),
        sa.Column('public_key', sa.String(length=64), nullable=True),
        sa.Column('trust', sa.String(length=12), nullable=False),
        sa.Column('demo', sa.Boolean(), nullable=False),
        sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('counts', JSON, nullable=False),
        sa.Column('conflicts', sa.Integer(), nullable=False),
        sa.Column('receipt_sha256', sa.String(length=64), nullable=True),
        sa.Column('user', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_imports')))
    op.create_index('ix_sync_imports_package_sha256', 'sync_imports', ['package_sha256'])
    op.create_index('ix_sync_imports_package_id', 'sync_imports', ['package_id'])
    op.create_index('ix_sync_imports_fingerprint', 'sync_imports', ['fingerprint'])
    op.create_table('sync_exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('package_id', sa.String(length=36), nullable=False),
        sa.Column('package_sha256', sa.String(length=64), nullable=False),
        sa.Column('recipient', sa.Text(), nullable=True),
        sa.Column('file_name', sa.Text(), nullable=True),
        sa.Column('selection', JSON, nullable=False),
        sa.Column('counts', JSON, nullable=False),
        sa.Column('encrypted', sa.Boolean(), nullable=False),
        sa.Column('parts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_exports')))
    op.create_index('ix_sync_exports_package_id', 'sync_exports', ['package_id'])
    op.create_index('ix_sync_exports_recipient', 'sync_exports', ['recipient'])
    op.create_table('sync_sent',
        sa.Column('recipient', sa.String(length=100), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('sync_vv', JSON, nullable=False),
        sa.PrimaryKeyConstraint('recipient', 'uuid', name=op.f('pk_sync_sent')))
    op.create_table('sync_conflicts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('local', JSON, nullable=False),
        sa.Column('incoming', JSON, nullable=False),
        sa.Column('kept', sa.String(length=8), nullable=False),
        sa.Column('package_sha256', sa.String(length=64), nullable=True),
        sa.Column('from_device', sa.Text(), nullable=True),
        sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('resolution', sa.String(length=12), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts')))
    op.create_index('ix_sync_conflicts_status', 'sync_conflicts', ['status'])
    op.create_index('ix_sync_conflicts_uuid', 'sync_conflicts', ['uuid'])
    op.create_table('sync_peer_holdings',
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('sync_vv', JSON, nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('fingerprint', 'uuid', name=op.f('pk_sync_peer_holdings')))
    op.create_table('sync_pending_refs',
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('column', sa.String(length=64), nullable=False),
        sa.Column('target_kind', sa.String(length=40), nullable=False),
        sa.Column('target_uuid', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'uuid', 'column', name=op.f('pk_sync_pending_refs')))
    op.create_index('ix_sync_pending_refs_target_uuid', 'sync_pending_refs', ['target_uuid'])
    op.create_table('sync_receipts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('receipt_sha256', sa.String(length=64), nullable=False),
        sa.Column('package_id', sa.String(length=36), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('device_name', sa.Text(), nullable=True),
        sa.Column('merged_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('counts', JSON, nullable=False),
        sa.Column('missing', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_receipts')),
        sa.UniqueConstraint('receipt_sha256', name=op.f('uq_sync_receipts_receipt_sha256')))


def downgrade() -> None:
    for table in ('sync_pending_refs', 'sync_receipts', 'sync_peer_holdings', 'sync_conflicts', 'sync_sent',
                  'sync_exports', 'sync_imports', 'sync_devices', 'sync_tombstones'):
        op.drop_table(table)
    for table in ('rechecks', 'notices'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_doc_number')
            batch_op.drop_constraint(f'uq_{table}_doc_number', type_='unique')
            batch_op.create_unique_constraint(f'uq_{table}_doc_number', ['doc_number'])
            batch_op.drop_column('issued_device')
    op.drop_index('uq_audit_log_origin', table_name='audit_log')
    # plain DROP COLUMN (SQLite 3.35+): copying inspections would break its triggers
    op.execute("ALTER TABLE audit_log DROP COLUMN origin")
    for table in TRAVELLING:
        op.execute(f"ALTER TABLE {table} DROP COLUMN sync_vv")
