"""shared phone sessions end sooner

access_token gains expires_at: a session started with "This is a shared phone" ends then
(a few hours after sign-in), whatever its role's lifetime. Null for every other session.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 16:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
