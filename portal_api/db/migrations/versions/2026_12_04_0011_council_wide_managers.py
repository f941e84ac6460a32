"""council-wide managers are said explicitly

A manager in no team used to see the whole organisation, so a team manager whose last team was
taken away silently became council-wide. ``user.council_wide`` now says it. Managers who are in
no team today are exactly the ones who see everything now, so they keep it; nobody else has it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch copy: on SQLite a copy of "user" would trip the foreign keys
    # that every other table holds to it once there is data.
    op.add_column('user', sa.Column('council_wide', sa.Boolean(), server_default=sa.false(), nullable=False))

    user = sa.table('user', sa.column('id', sa.Uuid()), sa.column('role', sa.String()),
                    sa.column('council_wide', sa.Boolean()))
    membership = sa.table('team_membership', sa.column('user_id', sa.Uuid()))
    op.execute(
        user.update()
        .where(user.c.role == 'manager',
               ~sa.exists().where(membership.c.user_id == user.c.id))
        .values(council_wide=sa.true())
    )


def downgrade() -> None:
    op.drop_column('user', 'council_wide')
