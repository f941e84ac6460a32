"""one new-message notice per conversation and recipient

message_notice: the last "new message" notice each participant was sent about a conversation,
so a burst of messages is one email or SMS until it is read or a quiet interval passes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:20:48.018490
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('message_notice',
    sa.Column('young_person_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('message_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('noticed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_message_notice_user_id_user')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_person.id'], name=op.f('fk_message_notice_young_person_id_young_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('young_person_id', 'user_id', name=op.f('pk_message_notice'))
    )


def downgrade() -> None:
    op.drop_table('message_notice')
