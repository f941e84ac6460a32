"""figures generation

organisation gains figures_generation, raised by bulk writes outside the API (portal import, the
demo seed, portal create-user): part of the key of the cached figures (db/changes.py), so a
server sees an import made by another process at once, with or without Redis.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 19:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('figures_generation', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('figures_generation')
