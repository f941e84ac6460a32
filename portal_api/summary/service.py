"""Compose the home screen from one query over the record and what each domain contributes."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Select, and_, bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.common.kept import next_minute
from portal_api.common.time import today
from portal_api.content import service as local_offer
from portal_api.content.library import ENGLISH, Library
from portal_api.db.base import utcnow
from portal_api.documents import service as documents
from portal_api.documents.catalogue import wording_code
from portal_api.messaging import check_ins, reach
from portal_api.messaging import service as messages
from portal_api.models import Organisation, Role, Team, User, YoungPerson
from portal_api.people import legal_status, scope
from portal_api.people.facts import (
    READER_ID,
    EligibilityFacts,
    eligibility_facts,
    own_eligibility_facts,
    own_record_select,
)
from portal_api.plans import home as plans
from portal_api.plans.dates import next_review_on, overdue_days
from portal_api.summary.schemas import (
    DocumentDue,
    OrganisationContact,
    PersonalAdviserContact,
    PlanAwaitingAnswer,
    RightsPageRef,
    Summary,
)


def _joins(query: Select[Any]) -> Select[Any]:
    return (
        query.join(Organisation, Organisation.id == YoungPerson.org_id)
        # A PA who is disabled or no longer does casework is nobody to contact (people.scope).
        .outerjoin(
            User, and_(User.id == YoungPerson.personal_adviser_id, scope.answers_as_adviser(User))
        )
        .outerjoin(Team, Team.id == YoungPerson.team_id)
    )


@dataclass(frozen=True, slots=True)
class _HomeScreenRow:
    """What the one query brings besides the young person's facts, read by each column's label."""

    org_name: str
    org_slug: str
    office_phone: str | None
    out_of_hours_phone: str | None
    office_opens: str
    office_closes: str
    pa_name: str | None
    pa_email: str | None
    pa_phone: str | None
    team_name: str | None
    responded: str | None
    plan_version_id: uuid.UUID | None
    plan_agreed_on: date | None
    plan_review_by: date | None
    review_requested_by: date | None
    awaiting_number: int | None
    awaiting_shared_at: datetime | None
    item_states: str | None
    unread: int
    away_until: datetime | None
    cover_name: str | None
    cover_phone: str | None
    check_in_every_days: int | None
    check_in_rhythm_set_at: datetime | None
    last_check_in: datetime | None
    actions_due: str | None


def _columns(reader_id: Any, horizon: Any) -> dict[str, Any]:
    return {
        "org_name": Organisation.name,
        "org_slug": Organisation.slug,
        "office_phone": Organisation.office_phone,
        "out_of_hours_phone": Organisation.out_of_hours_phone,
        "office_opens": Organisation.office_opens,
        "office_closes": Organisation.office_closes,
        "pa_name": User.display_name,
        "pa_email": User.email,
        "pa_phone": User.phone,
        "team_name": Team.name,
        "responded": local_offer.responses_column(),
        **plans.latest_agreed_columns(),
        "item_states": documents.item_states_column(),
        **messages.summary_columns(reader_id),
        "actions_due": plans.actions_due_column(horizon),
    }


_ROW_LABELS = tuple(field.name for field in fields(_HomeScreenRow))
_HORIZON = bindparam("actions_horizon", type_=Date())  # the last day an action is due soon


@functools.cache
def _own_summary_select() -> Select[Any]:
    """The home screen's query for a young person's own record, built once (people.facts)."""
    return own_record_select(_columns(READER_ID, _HORIZON), _joins)


async def _facts_and_row(
    session: AsyncSession, actor: Actor, young_person_id: str
) -> tuple[EligibilityFacts, dict[str, Any]]:
    audit_action = "young_person.summary.read"
    user = actor.user
    own = user.young_person_id is not None and young_person_id in ("me", str(user.young_person_id))
    if user.role is Role.young_person and own:
        return await own_eligibility_facts(
            session,
            actor,
            _own_summary_select(),
            _ROW_LABELS,
            audit_action=audit_action,
            params={_HORIZON.key: plans.horizon()},
        )
    return await eligibility_facts(
        session,
        actor,
        young_person_id,
        _columns(user.id, plans.horizon()),
        audit_action=audit_action,
        joins=_joins,
    )


def _holds_until(row: _HomeScreenRow, now: datetime) -> datetime:
    """Until when the home screen stays the same with nothing written: office hours change on a
    whole minute (and the date at midnight, one of them); a PA's absence ends, or a check-in
    falls due, at its own moment."""
    ends = [next_minute(now)]
    due_at = check_ins.check_in_due_at(
        row.check_in_every_days, row.check_in_rhythm_set_at, row.last_check_in
    )
    for moment in (row.away_until, due_at):
        if moment is not None and moment > now:
            ends.append(moment)
    return min(ends)


async def summary(
    session: AsyncSession, actor: Actor, library: Library, young_person_id: str, lang: str = ENGLISH
) -> tuple[Summary, datetime]:
    """The home screen, rights titles in ``lang`` where the page is translated; and until when
    it holds if nothing is written (common/kept.py)."""
    facts, values = await _facts_and_row(session, actor, young_person_id)
    row = _HomeScreenRow(**values)
    person = facts.young_person
    on = today()
    now = utcnow()
    review_on = next_review_on(
        row.plan_agreed_on,
        row.plan_review_by,
        [row.review_requested_by] if row.review_requested_by else [],
        legal_status.first_plan_due_on(person.date_of_birth, facts.periods),
    )
    reader = local_offer.reader_for(facts, row.org_slug, row.responded)
    checklist = await documents.progress(session, facts, row.item_states)
    home = Summary(
        young_person_id=person.id,
        given_name=person.preferred_name or person.given_name,
        full_name=person.full_name,
        preferred_language=person.preferred_language,
        age=facts.age_on(on),
        status=facts.status_on(on),
        personal_adviser=PersonalAdviserContact(
            name=row.pa_name, email=row.pa_email, phone=row.pa_phone
        )
        if row.pa_name
        else None,
        team_name=row.team_name,
        organisation=OrganisationContact(
            name=row.org_name,
            office_phone=row.office_phone,
            out_of_hours_phone=row.out_of_hours_phone,
        ),
        rights_to_read=[
            RightsPageRef(slug=p.slug, title=p.title, lang=p.lang)
            for p in local_offer.core_pages_to_read(library, reader, lang)
        ],
        next_plan_review_on=review_on,
        plan_review_overdue_days=overdue_days(review_on, on),
        plan_awaiting_answer=PlanAwaitingAnswer(
            number=row.awaiting_number, shared_at=row.awaiting_shared_at
        )
        if row.awaiting_number is not None
        else None,
        actions_due_soon=plans.actions_from(row.actions_due),
        documents_done=checklist.done,
        documents_applicable=checklist.applicable,
        next_document_due=DocumentDue(
            key=checklist.next_due[0],
            name=checklist.next_due[1],
            wording_code=wording_code(checklist.next_due[0], checklist.next_due[1]),
            due_on=checklist.next_due[2],
        )
        if checklist.next_due
        else None,
        unread_messages=row.unread,
        reach_now=reach.reach_from(
            reach.Office(
                row.org_name,
                row.office_phone,
                row.out_of_hours_phone,
                row.office_opens,
                row.office_closes,
            ),
            reach.StaffContact(row.pa_name, row.pa_phone) if row.pa_name else None,
            row.away_until,
            reach.StaffContact(row.cover_name, row.cover_phone) if row.cover_name else None,
            now,
        ),
        check_in_due=check_ins.check_in_is_due(
            row.check_in_every_days, row.check_in_rhythm_set_at, row.last_check_in, now
        ),
    )
    return home, _holds_until(row, now)
