"""organisation: the most young people a PA should hold (caseload_max)

The manager's caseload figure shows each PA's count against it. Existing councils start at 25
(PAs usually carry 20 to 40); an administrator changes it through PATCH /organisation.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 16:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('caseload_max', sa.Integer(), server_default='25', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('caseload_max')
