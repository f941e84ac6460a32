"""Writing and reading audit events. Writes join the caller's transaction: if the action rolls back,
so does its record, and an action cannot be stored without its record."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit.schemas import AccessAction, AccessLogEntry
from portal_api.common.actor import Actor
from portal_api.common.pagination import Page, PageParams
from portal_api.models import STAFF_ROLE_NAMES, AuditEvent, display_names


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


def _london_day(session: AsyncSession) -> ColumnElement[Any]:
    """The day in England of each event, as every other date in the portal: an event at 23:30 UTC
    in summer belongs to the next London day, so "who looked at my record" matches her calendar."""
    at = AuditEvent.at
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Europe/London", at))
    # SQLite knows no zones. British Summer Time runs from 01:00 UTC on the last Sunday of March
    # to 01:00 UTC on the last Sunday of October (the Sunday before 1 April, and 1 November).
    starts = func.datetime(at, "start of year", "+3 months", "weekday 0", "-7 days", "+1 hour")
    ends = func.datetime(at, "start of year", "+10 months", "weekday 0", "-7 days", "+1 hour")
    return func.date(at, case((and_(at >= starts, at < ends), "+1 hour"), else_="+0 hours"))


def _action(code: str) -> AccessAction:
    try:
        return AccessAction(code)
    except ValueError:
        return AccessAction.other


async def access_log(
    session: AsyncSession,
    young_person_id: uuid.UUID,
    page: PageParams,
    *,
    for_young_person: bool,
) -> Page[AccessLogEntry]:
    """Which staff looked at or changed this record, and when: the young person's own view, one
    line per member of staff per day (in London), newest first, so a PA opening every part of a case
    is one line with what they opened, not a line per click. Three queries whatever the page."""
    where = [
        AuditEvent.young_person_id == young_person_id,
        AuditEvent.actor_role.in_(STAFF_ROLE_NAMES),
    ]
    if for_young_person:
        where.append(AuditEvent.action.not_in(STAFF_ONLY_ACTIONS))
    day = _london_day(session)
    covering = func.max(case((AuditEvent.detail["duty_cover"].as_boolean(), 1), else_=0))
    groups = (
        select(
            AuditEvent.actor_id,
            day.label("day"),
            func.count().label("count"),
            func.max(AuditEvent.at).label("at"),
            func.max(AuditEvent.id).label("last_id"),
            func.max(AuditEvent.actor_role).label("role"),
            covering.label("duty_cover"),
        )
        .where(*where)
        .group_by(AuditEvent.actor_id, day)
    )
    total = await page.count(session, groups)
    rows = (
        await session.execute(
            groups.order_by(func.max(AuditEvent.id).desc()).limit(page.limit).offset(page.offset)
        )
    ).all()
    if not rows:
        return Page[AccessLogEntry](items=[], total=total, limit=page.limit, offset=page.offset)
    actor_ids = {r.actor_id for r in rows}
    names = await display_names(session, actor_ids)
    # Each kind of action per person and day, in the order they first did it; the page's days
    # are the only ones wanted, found by the earliest of them (a London day starts at most a day
    # before its last event in UTC; older events only fill keys nobody reads).
    earliest = min(r.at for r in rows)
    kinds: dict[tuple[uuid.UUID, str], list[tuple[int, int, str]]] = {}
    for actor_id, on, action, first_id, last_id in await session.execute(
        select(
            AuditEvent.actor_id,
            day,
            AuditEvent.action,
            func.min(AuditEvent.id),
            func.max(AuditEvent.id),
        )
        .where(
            *where,
            AuditEvent.actor_id.in_(actor_ids),
            AuditEvent.at >= earliest - timedelta(days=2),
        )
        .group_by(AuditEvent.actor_id, day, AuditEvent.action)
    ):
        kinds.setdefault((actor_id, str(on)), []).append((first_id, last_id, action))
    items = []
    for r in rows:
        done = sorted(kinds.get((r.actor_id, str(r.day)), []))
        last = max(done, key=lambda d: d[1])[2] if done else "other"
        items.append(
            AccessLogEntry(
                on=date.fromisoformat(str(r.day)),
                at=r.at,
                action=_action(last),
                actions=list(dict.fromkeys(_action(code) for _, _, code in done)),
                count=r.count,
                staff_name=names.get(r.actor_id, ""),
                staff_role=r.role,
                duty_cover=bool(r.duty_cover),
            )
        )
    return Page[AccessLogEntry](items=items, total=total, limit=page.limit, offset=page.offset)
