"""Writing and reading audit events. Writes join the caller's transaction: if the action rolls back,
so does its record, and an action cannot be stored without its record."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit.schemas import AccessLogEntry
from portal_api.common.actor import Actor
from portal_api.common.pagination import Page, PageParams
from portal_api.models import STAFF_ROLE_NAMES, AuditEvent, User


def record(
    session: AsyncSession,
    actor: Actor | None,
    action: str,
    *,
    org_id: uuid.UUID | None = None,
    young_person_id: uuid.UUID | None = None,
    ip: str | None = None,
    **detail: Any,
) -> None:
    user = actor.user if actor else None
    session.add(
        AuditEvent(
            org_id=org_id or (user.org_id if user else None),
            actor_id=user.id if user else None,
            actor_role=user.role.value if user else None,
            action=action,
            young_person_id=young_person_id,
            detail=detail,
            ip=ip or (actor.ip if actor else None),
        )
    )


# Actions a young person never sees named, in their access log or their export: a safeguarding
# flag is staff-only.
STAFF_ONLY_ACTIONS = frozenset({"message.flag"})


async def access_log(
    session: AsyncSession,
    young_person_id: uuid.UUID,
    page: PageParams,
    *,
    for_young_person: bool,
) -> Page[AccessLogEntry]:
    """Which staff looked at or changed this record, and when: the young person's own view."""
    where = [
        AuditEvent.young_person_id == young_person_id,
        AuditEvent.actor_role.in_(STAFF_ROLE_NAMES),
    ]
    if for_young_person:
        where.append(AuditEvent.action.not_in(STAFF_ONLY_ACTIONS))
    rows = await session.execute(
        select(AuditEvent.at, AuditEvent.action, AuditEvent.actor_role, User.display_name)
        .join(User, User.id == AuditEvent.actor_id)
        .where(*where)
        .order_by(AuditEvent.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    )
    total = await page.count(session, select(AuditEvent.id).where(*where))
    items = [
        AccessLogEntry(at=at, action=action, staff_name=name, staff_role=role)
        for at, action, role, name in rows.all()
    ]
    return Page[AccessLogEntry](items=items, total=total, limit=page.limit, offset=page.offset)
