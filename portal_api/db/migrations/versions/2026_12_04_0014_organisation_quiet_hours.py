"""the organisation's quiet hours

organisation gains quiet_from and quiet_until ("HH:MM", London time; 21:00 to 08:00 unless the
council changes them): a young person's phone is not notified between them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 16:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_from', sa.String(length=5), nullable=False, server_default='21:00'))
        batch_op.add_column(sa.Column('quiet_until', sa.String(length=5), nullable=False, server_default='08:00'))


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('quiet_until')
        batch_op.drop_column('quiet_from')
