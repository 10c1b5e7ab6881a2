"""notice issuer, referral, problem statements, 留置送达, recheck numbers

Adds to the 整改 tables (models.rectification): the issuing body's department kind, the unit's
name and whether the document-level legal basis is verified on ``notices``; 留置送达 (refusal,
its account and the 见证人) and the 移送函 feedback (date, text) on ``notices``; the problem
statement (存在问题) on ``notice_items``; the 复查意见书's own number on ``rechecks``. Columns
only, all nullable or with a server default, so existing rows upgrade in place.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.dialect import JSON

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer_department', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('unit_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('legal_basis_verified', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('service_refused', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('service_refusal', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('service_witnesses', JSON, nullable=False,
                                      server_default='[]'))
        batch_op.add_column(sa.Column('escalated_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('feedback_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('feedback_text', sa.Text(), nullable=True))
    op.execute("UPDATE notices SET unit_name = addressee WHERE unit_name IS NULL")
    with op.batch_alter_table('notice_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('problem', sa.Text(), nullable=True))
    with op.batch_alter_table('rechecks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('doc_word', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('doc_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('doc_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('doc_number', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_rechecks_doc_number'), ['doc_number'])


def downgrade() -> None:
    with op.batch_alter_table('rechecks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_rechecks_doc_number'), type_='unique')
        for name in ('doc_number', 'doc_seq', 'doc_year', 'doc_word'):
            batch_op.drop_column(name)
    with op.batch_alter_table('notice_items', schema=None) as batch_op:
        batch_op.drop_column('problem')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        for name in ('feedback_text', 'feedback_on', 'escalated_on', 'service_witnesses', 'service_refusal',
                     'service_refused', 'legal_basis_verified', 'unit_name',
                     'issuer_department'):
            batch_op.drop_column(name)
