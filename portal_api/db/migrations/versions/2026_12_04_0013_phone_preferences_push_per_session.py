"""the young person's notification choices; push subscriptions belong to a session

young_person gains notify_by (the ways they chose to be told, in order; null: not chosen).
push_subscription gains access_token_hash: deleting the session (signing out) deletes the
subscriptions it made. Subscriptions made before this keep a null session and stay until the
account signs out everywhere.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 14:25:22.506703
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.add_column(sa.Column('access_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_push_subscription_access_token_hash'), ['access_token_hash'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_push_subscription_access_token_hash_access_token'), 'access_token', ['access_token_hash'], ['token_hash'], ondelete='CASCADE')

    with op.batch_alter_table('young_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_by', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('young_person', schema=None) as batch_op:
        batch_op.drop_column('notify_by')

    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_push_subscription_access_token_hash_access_token'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_push_subscription_access_token_hash'))
        batch_op.drop_column('access_token_hash')
