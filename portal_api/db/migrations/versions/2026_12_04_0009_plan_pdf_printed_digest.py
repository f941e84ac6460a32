"""plan PDFs say what they printed

plan_pdf gains printed_digest, the SHA-256 of everything the PDF prints (the PA's name and phone,
the council's phones, the young person's name as well as the version), so a PDF made before a
change of PA is rendered again instead of being served. The rows already there are a cache whose
contacts nobody can vouch for: they are dropped and made again on the next download.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.text('DELETE FROM plan_pdf'))
    with op.batch_alter_table('plan_pdf', schema=None) as batch_op:
        batch_op.add_column(sa.Column('printed_digest', sa.String(length=64), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('plan_pdf', schema=None) as batch_op:
        batch_op.drop_column('printed_digest')
