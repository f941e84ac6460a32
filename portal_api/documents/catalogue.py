"""The default catalogue (DOMAIN.md §4) and the council's own changes to it."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.content.eligibility import parse_condition
from portal_api.db.base import utcnow
from portal_api.db.session import insert_ignoring_duplicates
from portal_api.documents.schemas import DocumentTypeCreate, DocumentTypeRead, DocumentTypeUpdate
from portal_api.errors import Conflict, InvalidInput, NotFound
from portal_api.models import DocumentType

YEARS = 12


@dataclass(frozen=True)
class DefaultType:
    key: str
    name: str
    why_it_matters: str
    how_to_get_it: str
    local_offer_slug: str | None
    start_at_months: int | None
    conditions: tuple[str, ...] = ()
    due_at_months: int = 18 * YEARS


DEFAULTS: tuple[DefaultType, ...] = (
    DefaultType(
        "health_history",
        "Your health history",
        "A summary of your health from when you were in care: illnesses, vaccinations, "
        "allergies and medicines. Doctors and you will need it later.",
        "The looked-after children's nurse writes it with you. Your PA asks them.",
        "health-history",
        17 * YEARS,
    ),
    DefaultType(
        "national_insurance_number",
        "National Insurance number",
        "You need it to work, to claim benefits and to get a student loan.",
        "The council applies to HMRC for you from 15 years and 9 months. It takes about 7 weeks.",
        "national-insurance-number",
        15 * YEARS + 9,
    ),
    DefaultType(
        "birth_certificate",
        "Birth certificate",
        "You need it to get a passport or driving licence, and sometimes for jobs and housing.",
        "Your PA can order a copy from the register office where you were born.",
        None,
        16 * YEARS,
    ),
    DefaultType(
        "photo_id",
        "Photo ID",
        "A passport, provisional driving licence or CitizenCard proves who you are: for a bank, "
        "a job, a flat or a night out.",
        "Your PA helps you apply and the council can pay. Ask which one suits you.",
        None,
        16 * YEARS,
    ),
    DefaultType(
        "bank_account",
        "Bank account",
        "Your money, wages and benefits are paid into it.",
        "Your PA helps you open one. You may need photo ID and your care leaver letter.",
        None,
        16 * YEARS,
    ),
    DefaultType(
        "gp_registration",
        "Registered with a GP",
        "So you can see a doctor near where you live.",
        "Register online or at the surgery nearest you. Your PA can help.",
        None,
        16 * YEARS,
    ),
    DefaultType(
        "care_leaver_letter",
        "Care leaver letter",
        "It proves you were in care. You need it for benefits, bursaries and council tax help.",
        "Your PA gives it to you. Ask for a new one whenever you need it.",
        "care-leaver-letter",
        17 * YEARS + 6,
    ),
    DefaultType(
        "immigration_documents",
        "Immigration documents",
        "Your status papers and access to your eVisa prove your right to live, work and study "
        "in the UK.",
        "Your PA and your solicitor help you keep copies and get into your eVisa account.",
        "immigration-and-your-status",
        16 * YEARS,
        conditions=("uasc",),
    ),
    DefaultType(
        "junior_isa_access",
        "Your Junior ISA",
        "Money saved for you while you were in care. It is yours from 18.",
        "Your PA finds out where it is held and helps you take it over.",
        "junior-isa",
        17 * YEARS + 6,
    ),
)


_DEFAULT_BY_KEY = {d.key: d for d in DEFAULTS}


def wording_code(key: str, name: str, why: str | None = None, how: str | None = None) -> str | None:
    """The default type's key when a council kept its words (name, and why and how when given),
    so the app can word them in the young person's language; None when the council wrote its
    own, which the app then shows as it is, in English."""
    default = _DEFAULT_BY_KEY.get(key)
    if default is None or default.name != name:
        return None
    if why is not None and why != default.why_it_matters:
        return None
    if how is not None and how != default.how_to_get_it:
        return None
    return key


async def catalogue(
    session: AsyncSession, org_id: uuid.UUID, *, include_retired: bool = False
) -> list[DocumentType]:
    """The organisation's document types. A council starts with the defaults the first time its
    checklist is used, and may then add, reword and retire types without a code change."""
    query = (
        select(DocumentType)
        .where(DocumentType.org_id == org_id)
        .order_by(DocumentType.position, DocumentType.name)
    )
    types = list((await session.execute(query)).scalars())
    if not types:
        # Two first readers at once on two workers must not collide: insert-or-ignore by key.
        for i, d in enumerate(DEFAULTS):
            await insert_ignoring_duplicates(
                session,
                DocumentType,
                {
                    "id": uuid.uuid4(),
                    "created_at": utcnow(),
                    "org_id": org_id,
                    "key": d.key,
                    "name": d.name,
                    "why_it_matters": d.why_it_matters,
                    "how_to_get_it": d.how_to_get_it,
                    "local_offer_slug": d.local_offer_slug,
                    "start_at_months": d.start_at_months,
                    "due_at_months": d.due_at_months,
                    "conditions": list(d.conditions),
                    "position": i,
                },
            )
        types = list((await session.execute(query)).scalars())
    return [t for t in types if include_retired or t.retired_on is None]


CACHE_SECONDS = 60


@dataclass(frozen=True)
class CatalogueEntry:
    """A plain copy of a live document type, safe to keep between requests."""

    id: uuid.UUID
    key: str
    name: str
    how_to_get_it: str
    start_at_months: int | None
    due_at_months: int
    conditions: tuple[str, ...]


_cached: dict[uuid.UUID, tuple[float, list[CatalogueEntry]]] = {}


async def cached_catalogue(session: AsyncSession, org_id: uuid.UUID) -> list[CatalogueEntry]:
    """The live catalogue for hot read paths (home screen, outstanding list), kept for a minute:
    an administrator's change shows there within 60 seconds (at once on this worker)."""
    now = time.monotonic()
    hit = _cached.get(org_id)
    if hit is None or hit[0] < now:
        entries = [
            CatalogueEntry(
                id=t.id,
                key=t.key,
                name=t.name,
                how_to_get_it=t.how_to_get_it,
                start_at_months=t.start_at_months,
                due_at_months=t.due_at_months,
                conditions=tuple(t.conditions),
            )
            for t in await catalogue(session, org_id)
        ]
        _cached[org_id] = (now + CACHE_SECONDS, entries)
        return entries
    return hit[1]


def forget_cached(org_id: uuid.UUID) -> None:
    _cached.pop(org_id, None)


# --- an administrator's changes -----------------------------------------------------------------

DOCUMENT_FLAGS = ("uasc", "disabled", "is_parent")


def check_conditions(conditions: list[str]) -> None:
    """Document rules are about the young person, not their circumstances on a day: flags only."""
    for i, text in enumerate(conditions):
        try:
            condition = parse_condition(text)
        except ValueError as exc:
            raise InvalidInput(f"conditions.{i}", str(exc)) from None
        if condition.values is not None or condition.field not in DOCUMENT_FLAGS:
            raise InvalidInput(
                f"conditions.{i}",
                f"use a flag ({', '.join(DOCUMENT_FLAGS)}), optionally with 'not'",
            )


def type_read(doc_type: DocumentType) -> DocumentTypeRead:
    return DocumentTypeRead.model_validate(doc_type)


async def add_type(
    session: AsyncSession, actor: Actor, data: DocumentTypeCreate
) -> DocumentTypeRead:
    existing = await catalogue(session, actor.user.org_id, include_retired=True)
    if any(t.key == data.key for t in existing):
        raise Conflict(f"There is already a document type {data.key!r}.")
    check_conditions(data.conditions)
    doc_type = DocumentType(
        org_id=actor.user.org_id,
        position=max((t.position for t in existing), default=0) + 1,
        **data.model_dump(),
    )
    session.add(doc_type)
    await session.flush()
    audit.record(session, actor, "document_type.create", key=data.key)
    forget_cached(actor.user.org_id)
    return type_read(doc_type)


async def change_type(
    session: AsyncSession, actor: Actor, key: str, data: DocumentTypeUpdate
) -> DocumentTypeRead:
    found = [
        t for t in await catalogue(session, actor.user.org_id, include_retired=True) if t.key == key
    ]
    if not found:
        raise NotFound(f"No document type {key!r}.")
    doc_type = found[0]
    changes = data.model_dump(exclude_unset=True)
    if "conditions" in changes:
        check_conditions(changes["conditions"] or [])
    retired = changes.pop("retired", None)
    if retired is not None:
        # Retiring keeps every young person's history; the type just stops being asked for.
        doc_type.retired_on = today() if retired else None
    for name, value in changes.items():
        if value is None and name not in ("local_offer_slug", "start_at_months"):
            raise InvalidInput(name, "cannot be cleared")
        setattr(doc_type, name, value)
    doc_type.updated_at = utcnow()
    forget_cached(actor.user.org_id)
    audit.record(
        session, actor, "document_type.change", key=key, fields=sorted(data.model_fields_set)
    )
    await session.flush()
    return type_read(doc_type)
