"""a received package's import keeps what it said

Adds ``sync_imports.details``: what the import reported when it merged the package, so that it
can be read again from 收到的数据包 (its notes and warnings, the changed records it listed, the
backup made before it, the sender's office). NULL for packages imported before this revision.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sync_imports', schema=None) as batch_op:
        batch_op.drop_column('details')
