"""Changing the documents-by-18 checklist (staff change an item's state; a young person says they
have it or need help), the outstanding list, the home screen's piece and imported history. How the
checklist reads is in ``checklist``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.content.eligibility import Eligibility, Profile, parse_condition
from portal_api.content.service import profile_on
from portal_api.db.base import utcnow
from portal_api.db.session import insert_ignoring_duplicates
from portal_api.db.sql import joined_strings
from portal_api.documents.catalogue import cached_catalogue, catalogue
from portal_api.documents.checklist import (
    DONE,
    build_checklist,
    item_etag,
    start_and_due,
    type_applies,
)
from portal_api.documents.schemas import (
    Checklist,
    DocumentUpdate,
    OutstandingRow,
    YoungPersonSays,
)
from portal_api.errors import Forbidden, InvalidInput, PreconditionFailed
from portal_api.messaging import service as messages
from portal_api.models import (
    DocumentEvent,
    DocumentEventKind,
    DocumentItem,
    DocumentState,
    DocumentType,
    FollowUp,
    FollowUpKind,
    Role,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.facts import EligibilityFacts, eligibility_facts
from portal_api.people.queries import open_on
from portal_api.people.scope import Access, visible


class ImportedStep(Protocol):
    type: str
    status: DocumentState
    status_on: date
    note: str | None
    not_applicable_reason: str | None


async def _type_by_key(session: AsyncSession, org_id: uuid.UUID, key: str) -> DocumentType:
    for doc_type in await catalogue(session, org_id, include_retired=True):
        if doc_type.key == key:
            return doc_type
    raise InvalidInput("path.type", f"unknown document type {key!r}")


async def _item(
    session: AsyncSession, person: YoungPerson, doc_type: DocumentType, on: date
) -> DocumentItem:
    query = select(DocumentItem).where(
        DocumentItem.young_person_id == person.id, DocumentItem.type_id == doc_type.id
    )
    item: DocumentItem | None = await session.scalar(query)
    if item is None:
        # Two first changes at once: one row is made, and the slower change then meets the
        # faster one's version (412), instead of a duplicate-row error.
        await insert_ignoring_duplicates(
            session,
            DocumentItem,
            {
                "id": uuid.uuid4(),
                "created_at": utcnow(),
                "org_id": person.org_id,
                "young_person_id": person.id,
                "type_id": doc_type.id,
                "state": DocumentState.not_started,
                "state_on": on,
                "version": 0,
            },
        )
        item = await session.scalar(query.execution_options(populate_existing=True))
        assert item is not None
    return item


async def update(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    key: str,
    data: DocumentUpdate,
    if_match: str | None,
) -> Checklist:
    if actor.role is Role.young_person:
        return await _young_person_says(session, actor, person, key, data)
    if data.young_person_says is not None:
        raise InvalidInput("young_person_says", "is for the young person; staff change the state")
    doc_type = await _type_by_key(session, person.org_id, key)
    on = data.on or today()
    if on < person.date_of_birth:
        raise InvalidInput("on", "is before the young person was born")
    item = await _item(session, person, doc_type, on)
    if if_match is not None and if_match.strip() != item_etag(item):
        raise PreconditionFailed(
            "Someone changed this item since you opened it. Reload it and make your change again.",
            currentitem_etag=item_etag(item),
        )
    if data.state is not None:
        item.state = data.state
        item.state_on = on
        item.not_applicable_reason = (
            data.not_applicable_reason if data.state is DocumentState.not_applicable else None
        )
    if data.original_location is not None:
        item.original_location = data.original_location
    item.version += 1
    item.updated_at = utcnow()
    session.add(
        DocumentEvent(
            item_id=item.id,
            young_person_id=person.id,
            kind=DocumentEventKind.state_change,
            state=item.state,
            event_on=on,
            note=data.note,
            recorded_by_id=actor.user.id,
        )
    )
    audit.record(session, actor, "documents.change", young_person_id=person.id, type=key)
    await session.flush()
    facts, _ = await eligibility_facts(session, actor, person.id)
    return await build_checklist(session, facts, actor)


async def _young_person_says(
    session: AsyncSession, actor: Actor, person: YoungPerson, key: str, data: DocumentUpdate
) -> Checklist:
    """A young person tells their PA; it does not mark anything done (a PA confirms)."""
    if data.young_person_says is None or data.state is not None or data.original_location:
        raise Forbidden(
            "Only your PA can change this. Tell them you have it, or that you need help."
        )
    facts, _ = await eligibility_facts(session, actor, person.id)
    doc_type = await _type_by_key(session, person.org_id, key)
    on = today()
    if doc_type.retired_on is not None or not type_applies(doc_type, profile_on(facts, on)):
        raise InvalidInput("path.type", f"{doc_type.name} is not on your checklist")
    item = await _item(session, person, doc_type, on)
    has_it = data.young_person_says is YoungPersonSays.have_it
    session.add(
        DocumentEvent(
            item_id=item.id,
            young_person_id=person.id,
            kind=DocumentEventKind.young_person_has_it
            if has_it
            else DocumentEventKind.young_person_needs_help,
            event_on=on,
            note=data.note,
            recorded_by_id=actor.user.id,
        )
    )
    name = person.preferred_name or person.given_name
    await messages.system_message(
        session,
        person,
        (
            f"{name} says they have: {doc_type.name}"
            if has_it
            else f"{name} needs help with: {doc_type.name}"
        )
        + (f" ({data.note})" if data.note else ""),
    )
    session.add(
        FollowUp(
            org_id=person.org_id,
            young_person_id=person.id,
            kind=FollowUpKind.document_has_it if has_it else FollowUpKind.document_help,
            subject=f"Says they have: {doc_type.name}"
            if has_it
            else f"Needs help with: {doc_type.name}",
            detail=data.note,
        )
    )
    await session.flush()
    return await build_checklist(session, facts, actor)


async def outstanding(session: AsyncSession, actor: Actor) -> list[OutstandingRow]:
    """Young people aged 17 to 18 with items still outstanding, the nearest 18th birthday first."""
    on = today()
    youngest_birth = legal_status.add_years(on, -17)
    oldest_birth = legal_status.add_years(on, -18)
    people = list(
        (
            await session.execute(
                select(YoungPerson).where(
                    visible(actor, Access.read),
                    YoungPerson.date_of_birth <= youngest_birth,
                    YoungPerson.date_of_birth > oldest_birth,
                    open_on(on),
                )
            )
        ).scalars()
    )
    if not people:
        return []
    types = await cached_catalogue(session, actor.user.org_id)
    states: dict[tuple[uuid.UUID, uuid.UUID], DocumentState] = {
        (yp_id, type_id): state
        for yp_id, type_id, state in (
            await session.execute(
                select(
                    DocumentItem.young_person_id, DocumentItem.type_id, DocumentItem.state
                ).where(DocumentItem.young_person_id.in_([p.id for p in people]))
            )
        ).all()
    }
    conditions = {
        t.id: Eligibility(conditions=tuple(parse_condition(c) for c in t.conditions)) for t in types
    }
    rows = []
    for person in people:
        profile = Profile(
            status=None,
            age=17,
            uasc=person.uasc,
            disabled=bool(person.disabled),
            is_parent=person.is_parent,
        )
        missing, late = [], []
        for doc_type in types:
            if not conditions[doc_type.id].applies(profile):
                continue
            if states.get((person.id, doc_type.id), DocumentState.not_started) in DONE:
                continue
            missing.append(doc_type.name)
            if start_and_due(doc_type, person.date_of_birth)[1] < on:
                late.append(doc_type.name)
        if missing:
            eighteen = legal_status.add_years(person.date_of_birth, 18)
            rows.append(
                OutstandingRow(
                    young_person_id=person.id,
                    full_name=person.full_name,
                    date_of_birth=person.date_of_birth,
                    eighteenth_birthday=eighteen,
                    days_to_18=(eighteen - on).days,
                    outstanding=missing,
                    overdue=late,
                )
            )
    rows.sort(key=lambda r: (r.days_to_18, -len(r.outstanding)))
    audit.record(session, actor, "documents.outstanding.read", count=len(rows))
    return rows


# --- the home screen's piece --------------------------------------------------------------------


def item_states_column() -> Any:
    """Correlated column for the summary query: 'type_id:state;...' for the young person."""
    pair = cast(DocumentItem.type_id, String) + ":" + cast(DocumentItem.state, String)
    return (
        select(joined_strings(pair, ";"))
        .where(DocumentItem.young_person_id == YoungPerson.id)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Progress:
    done: int
    applicable: int
    next_due: tuple[str, str, date] | None  # key, name, due date


async def progress(
    session: AsyncSession, facts: EligibilityFacts, item_states: str | None
) -> Progress:
    person = facts.young_person
    states: dict[str, str] = {}
    for part in (item_states or "").split(";"):
        type_id, _, state = part.partition(":")
        if type_id:
            states[type_id.replace("-", "")] = state
    profile = profile_on(facts, today())
    done, applicable, waiting = 0, 0, []
    for doc_type in await cached_catalogue(session, person.org_id):
        state = states.get(doc_type.id.hex, DocumentState.not_started.value)
        if not type_applies(doc_type, profile) or state == DocumentState.not_applicable.value:
            continue
        applicable += 1
        if state == DocumentState.with_young_person.value:
            done += 1
        else:
            waiting.append((start_and_due(doc_type, person.date_of_birth)[1], doc_type))
    first = min(waiting, key=lambda w: (w[0], w[1].name)) if waiting else None
    return Progress(done, applicable, (first[1].key, first[1].name, first[0]) if first else None)


async def import_document_history(
    session: AsyncSession, person: YoungPerson, entries: Sequence[ImportedStep]
) -> bool:
    """Each entry becomes a dated history event; several for one type are its history in date
    order, and the latest is the item's state. Re-importing the same entries adds nothing."""
    types = {t.key: t for t in await catalogue(session, person.org_id, include_retired=True)}
    changed = False
    for i, entry in sorted(enumerate(entries), key=lambda pair: pair[1].status_on):
        doc_type = types.get(entry.type)
        if doc_type is None:
            raise InvalidInput(
                f"{i}.type",
                f"unknown document type {entry.type!r}; use one of {', '.join(sorted(types))}",
            )
        if entry.status_on < person.date_of_birth:
            raise InvalidInput(f"{i}.status_on", "is before the young person was born")
        item = await _item(session, person, doc_type, entry.status_on)
        seen = await session.scalar(
            select(DocumentEvent.id).where(
                DocumentEvent.item_id == item.id,
                DocumentEvent.state == entry.status,
                DocumentEvent.event_on == entry.status_on,
                DocumentEvent.source == "import",
            )
        )
        if seen is not None:
            continue
        session.add(
            DocumentEvent(
                item_id=item.id,
                young_person_id=person.id,
                kind=DocumentEventKind.state_change,
                state=entry.status,
                event_on=entry.status_on,
                note=entry.note,
                source="import",
            )
        )
        if entry.status_on >= item.state_on or item.version == 0:
            item.state = entry.status
            item.state_on = entry.status_on
            item.not_applicable_reason = (
                entry.not_applicable_reason or entry.note
                if entry.status is DocumentState.not_applicable
                else None
            )
        item.version += 1
        changed = True
    return changed


async def applicable_to(session: AsyncSession, org_id: uuid.UUID, profile: Profile) -> list[str]:
    """The names of the live document types a young person with this profile is asked for (an
    administrator's preview of the app: the same rule as their checklist, without a record)."""
    return [t.name for t in await cached_catalogue(session, org_id) if type_applies(t, profile)]
