"""the inspections list sorts and filters by stored, indexed values

Adds ``inspection_counts.rate`` (the compliance rate of the stored counts, as
``rules.compliance.compliance_rate`` defines it; NULL when nothing was judged) and
``inspection_counts.superseded`` (a later version supersedes the inspection) and back-fills
both, and indexes every column the list sorts by: the rate, 不符合数, 进度 and 状态 (as
expressions), 类型 and 主题. An inspection that has no counts row yet gets one counted from its findings, so
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

#: As models.inspection writes them (kept here as this revision made them).
STATUS_RANK = ("CASE status WHEN 'draft' THEN 0 WHEN 'completed' THEN 1 "
               "WHEN 'signed' THEN 2 ELSE 3 END")
PROGRESS = "CASE WHEN total = 0 THEN 0.0 ELSE answered * 1.0 / total END"


def _count(result: str) -> str:
    return f"sum(CASE WHEN f.result = '{result}' THEN 1 ELSE 0 END)"


def upgrade() -> None:
    with op.batch_alter_table('inspection_counts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rate', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('superseded', sa.Boolean(), server_default='0',
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_inspection_counts_rate'), ['rate'], unique=False)
        batch_op.create_index('ix_inspection_counts_failed', ['failed'], unique=False)
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index('ix_inspections_kind', ['kind'], unique=False)
        batch_op.create_index('ix_inspections_themes', ['themes'], unique=False)
    op.execute(f"CREATE INDEX ix_inspections_status_rank ON inspections (({STATUS_RANK}))")
    op.execute(f"CREATE INDEX ix_inspection_counts_progress ON inspection_counts (({PROGRESS}))")
    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO inspection_counts (inspection_id, total, answered, passed, failed, "
        "partial, not_applicable, superseded) "
        "SELECT i.id, count(f.id), sum(CASE WHEN f.answered THEN 1 ELSE 0 END), "
        f"{_count('符合')}, {_count('不符合')}, {_count('部分符合')}, {_count('不适用')}, FALSE "
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
    op.execute("DROP INDEX ix_inspection_counts_progress")
    op.execute("DROP INDEX ix_inspections_status_rank")
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index('ix_inspections_themes')
        batch_op.drop_index('ix_inspections_kind')
    with op.batch_alter_table('inspection_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_counts_failed')
        batch_op.drop_index(batch_op.f('ix_inspection_counts_rate'))
        batch_op.drop_column('superseded')
        batch_op.drop_column('rate')
