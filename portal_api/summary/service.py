"""Compose the home screen from one query over the record and what each domain contributes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.content import service as local_offer
from portal_api.content.library import Library
from portal_api.db.base import utcnow
from portal_api.documents import service as documents
from portal_api.messaging import check_ins, reach
from portal_api.messaging import service as messages
from portal_api.models import Organisation, Team, User, YoungPerson
from portal_api.people import legal_status, scope
from portal_api.people.facts import eligibility_facts
from portal_api.plans import service as plans
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


async def summary(
    session: AsyncSession, actor: Actor, library: Library, young_person_id: str
) -> Summary:
    facts, extra = await eligibility_facts(
        session,
        actor,
        young_person_id,
        Organisation.name,
        Organisation.slug,
        Organisation.office_phone,
        Organisation.out_of_hours_phone,
        User.display_name,
        User.email,
        User.phone,
        Team.name,
        local_offer.responses_column(),
        *plans.latest_agreed_columns(),
        documents.item_states_column(),
        Organisation.office_opens,
        Organisation.office_closes,
        *messages.summary_columns(actor.user.id),
        audit_action="young_person.summary.read",
        joins=_joins,
    )
    (org_name, org_slug, office, out_of_hours, pa_name, pa_email, pa_phone, team, responded,
     plan_id, agreed_on, review_by, requested, item_states, opens, closes,
     unread, away_until, cover_name, cover_phone, every_days, rhythm_set_at,
     last_check_in) = extra  # fmt: skip
    person = facts.young_person
    on = today()
    now = utcnow()
    review_on = next_review_on(
        agreed_on,
        review_by,
        [requested] if requested else [],
        legal_status.first_plan_due_on(person.date_of_birth, facts.periods),
    )
    reader = local_offer.reader_for(facts, org_slug, responded)
    checklist = await documents.progress(session, facts, item_states)
    awaiting = await plans.awaiting_answer(session, person.id)
    return Summary(
        young_person_id=person.id,
        given_name=person.preferred_name or person.given_name,
        full_name=person.full_name,
        age=facts.age_on(on),
        status=facts.status_on(on),
        personal_adviser=PersonalAdviserContact(name=pa_name, email=pa_email, phone=pa_phone)
        if pa_name
        else None,
        team_name=team,
        organisation=OrganisationContact(
            name=org_name, office_phone=office, out_of_hours_phone=out_of_hours
        ),
        rights_to_read=[
            RightsPageRef(slug=p.slug, title=p.title)
            for p in local_offer.core_pages_to_read(library, reader)
        ],
        next_plan_review_on=review_on,
        plan_review_overdue_days=overdue_days(review_on, on),
        plan_awaiting_answer=PlanAwaitingAnswer(number=awaiting[0], shared_at=awaiting[1])
        if awaiting
        else None,
        actions_due_soon=await plans.actions_due(session, plan_id),
        documents_done=checklist.done,
        documents_applicable=checklist.applicable,
        next_document_due=DocumentDue(
            key=checklist.next_due[0], name=checklist.next_due[1], due_on=checklist.next_due[2]
        )
        if checklist.next_due
        else None,
        unread_messages=unread,
        reach_now=reach.reach_from(
            reach.Office(org_name, office, out_of_hours, opens, closes),
            reach.Person(pa_name, pa_phone) if pa_name else None,
            away_until,
            reach.Person(cover_name, cover_phone) if cover_name else None,
            now,
        ),
        check_in_due=check_ins.check_in_is_due(every_days, rhythm_set_at, last_check_in, now),
    )
