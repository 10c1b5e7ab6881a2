"""policy documents keep the corrections a person made to the parse before saving

Adds ``policy_documents.corrections`` (JSON list of {op, target, detail}); documents saved
before have none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.dialect import JSON

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: no table copy
    op.add_column('policy_documents', sa.Column('corrections', JSON, nullable=False,
                                                server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('policy_documents', schema=None) as batch_op:
        batch_op.drop_column('corrections')
