"""the inspections list sorts and filters by stored, indexed values

Adds ``inspection_counts.rate`` (the compliance rate of the stored counts, as
``rules.compliance.compliance_rate`` defines it; NULL when nothing was judged) and
``inspection_counts.superseded`` (a later version supersedes the inspection), each indexed, and
back-fills both. An inspection that has no counts row yet gets one counted from its findings, so
every inspection has one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from rules.compliance import compliance_rate

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inspection_counts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rate', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('superseded', sa.Boolean(), server_default='0',
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_inspection_counts_rate'), ['rate'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_counts_superseded'), ['superseded'],
                              unique=False)
    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO inspection_counts (inspection_id, total, answered, passed, failed, "
        "partial, not_applicable, superseded) "
        "SELECT i.id, count(f.id), coalesce(sum(f.answered), 0), "
        "coalesce(sum(f.result = '符合'), 0), coalesce(sum(f.result = '不符合'), 0), "
        "coalesce(sum(f.result = '部分符合'), 0), coalesce(sum(f.result = '不适用'), 0), 0 "
        "FROM inspections i LEFT JOIN findings f ON f.inspection_id = i.id "
        "WHERE i.id NOT IN (SELECT inspection_id FROM inspection_counts) GROUP BY i.id"))
    rates = [{"i": i, "r": compliance_rate(int(p or 0), int(pa or 0), int(f or 0))}
             for i, p, pa, f in bind.execute(sa.text(
                 "SELECT inspection_id, passed, partial, failed FROM inspection_counts"))]
    if rates:
        bind.execute(sa.text("UPDATE inspection_counts SET rate = :r WHERE inspection_id = :i"),
                     rates)
    bind.execute(sa.text(
        "UPDATE inspection_counts SET superseded = EXISTS (SELECT 1 FROM inspections n "
        "WHERE n.supersedes_id = inspection_counts.inspection_id)"))


def downgrade() -> None:
    with op.batch_alter_table('inspection_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_counts_superseded'))
        batch_op.drop_index(batch_op.f('ix_inspection_counts_rate'))
        batch_op.drop_column('superseded')
        batch_op.drop_column('rate')
