"""A case's first screen in one read: the record, plan dates, checklist progress, the latest
messages, open concerns, follow-ups and the check-in rhythm. It leaves ONE event in the young
person's access log; each section's fuller list is its own GET when that section is opened."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.common.actor import Actor
from portal_api.console import queries
from portal_api.console.schemas import CaseOverview, ConcernLine, FollowUpLine, MessagePreview
from portal_api.errors import NotFound
from portal_api.messaging import conversations
from portal_api.messaging import service as messages
from portal_api.models import (
    AccommodationConcern,
    ConcernStatus,
    FollowUp,
    Message,
    Role,
    User,
    YoungPerson,
)
from portal_api.people import service as people
from portal_api.people.scope import NOT_FOUND, audit_read, is_duty_cover, scoped_select

OVERVIEW_READ = "overview.read"
LATEST_MESSAGES = 5


def _sender(role: str) -> str:
    if role == Role.young_person.value:
        return "young_person"
    return "system" if role == "system" else "staff"


async def overview(session: AsyncSession, actor: Actor, young_person_id: str) -> CaseOverview:
    columns = queries.observation_columns()
    columns["unread"] = messages.summary_columns(actor.user.id)["unread"]
    found = (
        await session.execute(
            scoped_select(
                actor, young_person_id, *(c.label(k) for k, c in columns.items())
            ).options(selectinload(YoungPerson.care_periods))
        )
    ).one_or_none()
    if found is None:  # out of scope is "not found", as on every route
        raise NotFound(NOT_FOUND)
    person: YoungPerson = found.YoungPerson
    audit_read(session, actor, person, OVERVIEW_READ)
    latest = (
        await session.execute(
            select(Message, User.display_name)
            .outerjoin(User, User.id == Message.sender_id)
            .where(Message.young_person_id == person.id)
            .order_by(Message.id.desc())
            .limit(LATEST_MESSAGES)
        )
    ).all()
    concerns = await session.scalars(
        select(AccommodationConcern)
        .where(
            AccommodationConcern.young_person_id == person.id,
            AccommodationConcern.status != ConcernStatus.closed,
        )
        .order_by(AccommodationConcern.created_at)
    )
    follow_ups = await session.scalars(
        select(FollowUp)
        .where(FollowUp.young_person_id == person.id, FollowUp.resolved_at.is_(None))
        .order_by(FollowUp.created_at)
    )
    return CaseOverview(
        record=await people.read_model(session, person),
        duty_cover=is_duty_cover(actor, person),
        plan=(await queries.plan_dates(session, [person]))[person.id],
        documents=await queries.progress_of(session, person, found),
        unread=found.unread,
        latest_messages=[
            MessagePreview(
                id=m.id,
                kind=m.kind,
                mood=m.mood,
                body=m.body,
                sender=_sender(m.sender_role),
                sender_name=name,
                at=m.created_at,
                hidden=m.hidden_at is not None,
            )
            for m, name in latest
        ],
        open_concerns=[
            ConcernLine(
                id=c.id,
                category=c.category,
                urgency=c.urgency,
                status=c.status,
                raised_at=c.created_at,
            )
            for c in concerns
        ],
        follow_ups=[
            FollowUpLine(id=f.id, subject=f.subject, created_at=f.created_at) for f in follow_ups
        ],
        check_in_rhythm=await conversations.rhythm_of(session, person.id),
    )
