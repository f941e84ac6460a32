"""invites sent to the young person, mobile sign-in, emails unique per council

An invite now goes to the young person through the notification outbox (SMS or email) and
records which: invite gains channel, mobile and the outbox row carrying it; outbox rows may be
addressed to an address rather than an account (user_id null). Accounts may sign in with a UK
mobile (user.mobile, E.164) and need not have an email; email and mobile are unique per
council (org_id), no longer across the whole deployment.

Downgrading refuses nothing silently: it fails if two councils share an address or an account
has no email (those accounts would have nothing to sign in with).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 13:31:44.743968
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('channel', sa.String(length=10), server_default='email', nullable=False)
        )
        batch_op.add_column(sa.Column('mobile', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('notification_id', sa.Uuid(), nullable=True))
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f('fk_invite_notification_id_notification_outbox'),
            'notification_outbox',
            ['notification_id'],
            ['id'],
            ondelete='SET NULL',
        )

    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Uuid(), nullable=True)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=20), nullable=True))
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=True)
        batch_op.drop_constraint(batch_op.f('uq_user_email'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_user_email'), ['email', 'org_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_user_mobile'), ['mobile', 'org_id'])


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_mobile'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_user_email'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_user_email'), ['email'])
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=False)
        batch_op.drop_column('mobile')

    # Invites, unlike accounts, can go: an unsent invite is sent again by asking again.
    op.execute("UPDATE invite SET notification_id = NULL")
    op.execute("DELETE FROM notification_outbox WHERE user_id IS NULL")
    with op.batch_alter_table('notification_outbox', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Uuid(), nullable=False)

    op.execute("DELETE FROM invite WHERE email IS NULL")
    with op.batch_alter_table('invite', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_invite_notification_id_notification_outbox'), type_='foreignkey'
        )
        batch_op.alter_column('email', existing_type=sa.String(length=320), nullable=False)
        batch_op.drop_column('notification_id')
        batch_op.drop_column('mobile')
        batch_op.drop_column('channel')
