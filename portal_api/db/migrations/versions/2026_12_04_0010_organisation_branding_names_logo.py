"""organisation branding: short name, discreet name, logo

What the app shows before anyone signs in (GET /api/v1/branding) and the name it is installed
under (the web app manifest). All three may be empty: the app falls back to the council's name
and a neutral discreet name.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 13:33:56.336161
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_name', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('discreet_name', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('logo_url', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('logo_url')
        batch_op.drop_column('discreet_name')
        batch_op.drop_column('short_name')
