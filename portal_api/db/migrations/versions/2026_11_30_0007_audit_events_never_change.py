"""audit events never change: on PostgreSQL a trigger refuses UPDATE and DELETE on audit_event

SQLite has no such guard; there the rule is kept by the code (audit.service only inserts).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 00:03:18.112760
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = "audit_event_append_only"
TRIGGER = "audit_event_append_only"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute(
        f"""
        CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are never changed or deleted';
        END
        $$
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
        """
    )


def downgrade() -> None:
    if not _postgresql():
        return
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON audit_event")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
