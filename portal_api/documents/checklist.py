"""The documents-by-18 checklist as a reader sees it: which document types apply to a young person,
when each is due, where each item stands, the next step, and who made each change (said from the
reader's side). Changing it is in ``service``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.content.eligibility import Eligibility, Profile, parse_condition
from portal_api.content.service import profile_on
from portal_api.documents.catalogue import CatalogueEntry, catalogue, wording_code
from portal_api.documents.schemas import (
    Checklist,
    ChecklistItem,
    DocumentEventRead,
    NextStepCode,
    NextStepParams,
)
from portal_api.models import (
    DocumentEvent,
    DocumentEventKind,
    DocumentItem,
    DocumentState,
    DocumentType,
    Role,
    User,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.facts import EligibilityFacts, eligibility_facts

DONE = (DocumentState.with_young_person, DocumentState.not_applicable)
SOON_DAYS = 90


def type_applies(doc_type: DocumentType | CatalogueEntry, profile: Profile) -> bool:
    return Eligibility(conditions=tuple(parse_condition(c) for c in doc_type.conditions)).applies(
        profile
    )


def start_and_due(
    doc_type: DocumentType | CatalogueEntry, date_of_birth: date
) -> tuple[date | None, date]:
    start = (
        _at_age(date_of_birth, doc_type.start_at_months)
        if doc_type.start_at_months is not None
        else None
    )
    return start, _at_age(date_of_birth, doc_type.due_at_months)


def _at_age(date_of_birth: date, months: int) -> date:
    # A whole number of years is a birthday (29 February: 1 March, as legal_status reads it);
    # years and months count calendar months from the birthday.
    if months % 12 == 0:
        return legal_status.add_years(date_of_birth, months // 12)
    return legal_status.add_months(date_of_birth, months)


def _next_step(doc_type: DocumentType, state: DocumentState, start: date | None, on: date) -> str:
    match state:
        case DocumentState.with_young_person:
            return "Done: keep it somewhere safe."
        case DocumentState.not_applicable:
            return "You do not need this one."
        case DocumentState.requested:
            return "It has been asked for. Your PA will tell you when it arrives."
        case DocumentState.in_progress:
            return "Your PA is working on it with you."
        case _ if start is not None and start > on:
            return f"Your PA starts this from {start:%-d %B %Y}."
        case _:
            return doc_type.how_to_get_it


def next_step_code(state: DocumentState, start: date | None, on: date) -> NextStepCode:
    """``_next_step`` as a code, case for case, for the app to word in the reader's language."""
    match state:
        case DocumentState.with_young_person:
            return "done"
        case DocumentState.not_applicable:
            return "not_needed"
        case DocumentState.requested:
            return "requested"
        case DocumentState.in_progress:
            return "in_progress"
        case _ if start is not None and start > on:
            return "starts_on"
        case _:
            return "how_to_get_it"


def item_etag(item: DocumentItem | None) -> str:
    return f'"{item.version if item else 0}"'


async def _events(
    session: AsyncSession, young_person_id: uuid.UUID
) -> dict[uuid.UUID, list[tuple[DocumentEvent, str | None]]]:
    rows = await session.execute(
        select(DocumentEvent, User.display_name)
        .outerjoin(User, User.id == DocumentEvent.recorded_by_id)
        .where(DocumentEvent.young_person_id == young_person_id)
        .order_by(DocumentEvent.event_on, DocumentEvent.created_at)
    )
    by_item: dict[uuid.UUID, list[tuple[DocumentEvent, str | None]]] = defaultdict(list)
    for event, name in rows.all():
        by_item[event.item_id].append((event, name))
    return by_item


def _by(
    event: DocumentEvent, recorded_by: str | None, reader: Actor, person: YoungPerson
) -> str | None:
    """Who did it, said from the reader's side: "you" for the reader's own changes; otherwise the
    young person's name (what they told their PA) or the member of staff's."""
    if event.source == "import":
        return "imported"
    if event.kind is not DocumentEventKind.state_change:  # only the young person says these
        return "you" if reader.role is Role.young_person else person.full_name
    if event.recorded_by_id is not None and event.recorded_by_id == reader.user.id:
        return "you"
    return recorded_by


async def build_checklist(
    session: AsyncSession, facts: EligibilityFacts, reader: Actor
) -> Checklist:
    """The young person's checklist as ``reader`` sees it (who did what is said from their side)."""
    person = facts.young_person
    on = today()
    profile = profile_on(facts, on)
    types = await catalogue(session, person.org_id, include_retired=True)
    items = {
        i.type_id: i
        for i in (
            await session.execute(
                select(DocumentItem).where(DocumentItem.young_person_id == person.id)
            )
        ).scalars()
    }
    events = await _events(session, person.id)
    result: list[ChecklistItem] = []
    for doc_type in types:
        item = items.get(doc_type.id)
        retired = doc_type.retired_on is not None
        if item is None and (retired or not type_applies(doc_type, profile)):
            continue
        state = item.state if item else DocumentState.not_started
        start, due = start_and_due(doc_type, person.date_of_birth)
        history = events.get(item.id, []) if item else []
        last_staff = max(
            (i for i, (e, _) in enumerate(history) if e.kind is DocumentEventKind.state_change),
            default=-1,
        )
        since = [e.kind for e, _ in history[last_staff + 1 :]]
        open_item = state not in DONE
        result.append(
            ChecklistItem(
                key=doc_type.key,
                name=doc_type.name,
                why_it_matters=doc_type.why_it_matters,
                how_to_get_it=doc_type.how_to_get_it,
                wording_code=wording_code(
                    doc_type.key, doc_type.name, doc_type.why_it_matters, doc_type.how_to_get_it
                ),
                local_offer_slug=doc_type.local_offer_slug,
                state=state,
                state_on=item.state_on if item else None,
                not_applicable_reason=item.not_applicable_reason if item else None,
                original_location=item.original_location if item else None,
                start_on=start,
                due_on=due,
                overdue=open_item and due < on,
                due_soon=open_item and on <= due <= on + timedelta(days=SOON_DAYS),
                next_step=_next_step(doc_type, state, start, on),
                next_step_code=next_step_code(state, start, on),
                next_step_params=NextStepParams(start_on=start, key=doc_type.key),
                help_requested=open_item and DocumentEventKind.young_person_needs_help in since,
                says_has_it=open_item and DocumentEventKind.young_person_has_it in since,
                retired=retired,
                history=[
                    DocumentEventRead(
                        kind=e.kind,
                        state=e.state,
                        on=e.event_on,
                        note=e.note,
                        by=_by(e, name, reader, person),
                        at=e.created_at,
                    )
                    for e, name in history
                ],
                etag=item_etag(item),
            )
        )
    # Overdue first, then due soonest; done and retired items last.
    result.sort(key=lambda i: (i.state in DONE or i.retired, not i.overdue, i.due_on, i.name))
    applicable = [
        i for i in result if not i.retired and i.state is not DocumentState.not_applicable
    ]
    waiting = [i for i in applicable if i.state is not DocumentState.with_young_person]
    return Checklist(
        young_person_id=person.id,
        done=sum(i.state is DocumentState.with_young_person for i in applicable),
        applicable=len(applicable),
        next_due=min(waiting, key=lambda i: (i.due_on, i.name)) if waiting else None,
        items=result,
    )


async def checklist(session: AsyncSession, actor: Actor, young_person_id: str) -> Checklist:
    facts, _ = await eligibility_facts(
        session, actor, young_person_id, audit_action="documents.read"
    )
    return await build_checklist(session, facts, actor)
