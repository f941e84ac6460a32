"""The caseload as a PA scans it, in one request: unread, last contact, last mood, account and
invite, open concerns, checklist progress, plan review date, and whose caseload it is (duty
cover). A fixed number of queries however many young people; one read event per young person
shown, as the list shows parts of their case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from portal_api.common.actor import Actor
from portal_api.common.pagination import Page, PageParams
from portal_api.common.time import today
from portal_api.console import queries
from portal_api.console.schemas import CaseloadLine, InviteState
from portal_api.db.base import utcnow
from portal_api.messaging import service as messages
from portal_api.models import (
    AccommodationConcern,
    ConcernStatus,
    Contact,
    Invite,
    Message,
    MessageKind,
    Role,
    Team,
    User,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.queries import named_or_numbered, open_on
from portal_api.people.scope import Access, audit_reads, visible
from portal_api.people.status import periods_of, status_of

CASELOAD_READ = "caseload.read"


@dataclass(frozen=True)
class CaseloadFilters:
    mine: bool = True
    search: str | None = None


def _latest_check_in(column: Any) -> Any:
    return (
        select(column)
        .where(Message.young_person_id == YoungPerson.id, Message.kind == MessageKind.check_in)
        .order_by(Message.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _latest_invite(column: Any) -> Any:
    return (
        select(column)
        .where(Invite.young_person_id == YoungPerson.id)
        .order_by(Invite.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _columns(actor: Actor) -> dict[str, Any]:
    return {
        **queries.observation_columns(),
        "unread": messages.summary_columns(actor.user.id)["unread"],
        "last_contact_on": select(func.max(Contact.contact_on))
        .where(Contact.young_person_id == YoungPerson.id)
        .scalar_subquery(),
        "last_mood": _latest_check_in(Message.mood),
        "last_mood_at": _latest_check_in(Message.created_at),
        "has_account": exists().where(User.young_person_id == YoungPerson.id),
        "invite_accepted_at": _latest_invite(Invite.accepted_at),
        "invite_expires_at": _latest_invite(Invite.expires_at),
        "open_concerns": select(func.count())
        .select_from(AccommodationConcern)
        .where(
            AccommodationConcern.young_person_id == YoungPerson.id,
            AccommodationConcern.status != ConcernStatus.closed,
        )
        .scalar_subquery(),
    }


def _invite_state(row: Any) -> InviteState:
    """As GET …/invites/latest says it: anyone with an account has accepted, however it was made."""
    if row.has_account or row.invite_accepted_at is not None:
        return "accepted"
    if row.invite_expires_at is None:
        return "none"
    return "sent" if row.invite_expires_at > utcnow() else "expired"


async def caseload(
    session: AsyncSession, actor: Actor, filters: CaseloadFilters, page: PageParams
) -> Page[CaseloadLine]:
    adviser, team = aliased(User), aliased(Team)
    query: Select[Any] = select(YoungPerson).where(
        visible(actor, Access.read),
        open_on(today()),
    )
    if filters.mine:
        query = query.where(YoungPerson.personal_adviser_id == actor.user.id)
    if filters.search:
        query = query.where(named_or_numbered(filters.search))
    total = await page.count(session, query)
    rows = (
        await session.execute(
            query.add_columns(
                adviser.display_name.label("adviser_name"),
                team.name.label("team_name"),
                *(c.label(k) for k, c in _columns(actor).items()),
            )
            .outerjoin(adviser, adviser.id == YoungPerson.personal_adviser_id)
            .outerjoin(team, team.id == YoungPerson.team_id)
            .options(selectinload(YoungPerson.care_periods))
            .order_by(YoungPerson.family_name, YoungPerson.given_name, YoungPerson.id)
            .limit(page.limit)
            .offset(page.offset)
        )
    ).all()
    people = [r.YoungPerson for r in rows]
    plans = await queries.plan_dates(session, people)
    on = today()
    items = []
    for row in rows:
        person: YoungPerson = row.YoungPerson
        progress = await queries.progress_of(session, person, row)
        plan = plans[person.id]
        items.append(
            CaseloadLine(
                young_person_id=person.id,
                full_name=person.full_name,
                external_id=person.external_id,
                date_of_birth=person.date_of_birth,
                age=legal_status.age_on(person.date_of_birth, on),
                status=status_of(person, periods_of(person), on),
                team_name=row.team_name,
                personal_adviser_name=row.adviser_name,
                duty_cover=actor.role is Role.personal_adviser
                and person.personal_adviser_id != actor.user.id,
                unread=row.unread or 0,
                last_contact_on=row.last_contact_on,
                last_mood=row.last_mood,
                last_mood_at=row.last_mood_at,
                has_account=bool(row.has_account),
                invite_state=_invite_state(row),
                open_concerns=row.open_concerns or 0,
                documents_done=progress.done,
                documents_applicable=progress.applicable,
                next_review_due_on=plan.next_review_due_on,
                plan_overdue_days=plan.overdue_days,
            )
        )
    await audit_reads(session, actor, (p.id for p in people), CASELOAD_READ)
    return Page[CaseloadLine](items=items, total=total, limit=page.limit, offset=page.offset)
