"""reports finalised under a 文号 are kept

Adds ``issued_reports``: each 督查通报 finalised under a 文号, with what it reports on (its
period, region, theme and department, as JSON and in words), the day overdue was judged on,
when it was finalised, its page count and the SHA-256 of the PDF kept in the evidence store.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'issued_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('doc_number', sa.String(length=80), nullable=False),
        sa.Column('scope', sa.String(length=400), nullable=False),
        sa.Column('scope_label', sa.String(length=400), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('doc_number'),
    )
    with op.batch_alter_table('issued_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_reports_scope'), ['scope'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('issued_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_reports_scope'))
    op.drop_table('issued_reports')
