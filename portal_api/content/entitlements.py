"""Entitlements: money and other things a young person receives under the local offer, with what
was paid and what is left, in words the young person reads; recorded by their PA."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.content.library import ENGLISH, Library
from portal_api.content.schemas import (
    EntitlementMessageCode,
    EntitlementMessageParams,
    EntitlementRead,
    EntitlementStep,
    EntitlementUpdate,
)
from portal_api.content.service import org_slug, profile_on
from portal_api.errors import InvalidInput, NotFound
from portal_api.models import EntitlementRecord, EntitlementStatus, User, YoungPerson
from portal_api.people.facts import EligibilityFacts

# --- entitlements ---------------------------------------------------------------------------


def _money(amount: Decimal) -> str:
    return f"£{amount:,.0f}" if amount == amount.to_integral() else f"£{amount:,.2f}"


# An entitlement's line for the young person: a stable code the app words in its own language,
# and the same line in English for API users (``_message``).
MESSAGE_CODES: dict[EntitlementStatus, EntitlementMessageCode] = {
    EntitlementStatus.received: "entitlement_received",
    EntitlementStatus.applied: "entitlement_applied",
    EntitlementStatus.declined: "entitlement_declined",
    EntitlementStatus.not_eligible: "entitlement_not_eligible",
    EntitlementStatus.not_started: "entitlement_may_get",
}


def message_code(
    status: EntitlementStatus, full: Decimal | None, paid: Decimal
) -> EntitlementMessageCode:
    if status is EntitlementStatus.received and full is not None and paid < full:
        return "entitlement_part_paid"
    return MESSAGE_CODES.get(status, "entitlement_may_get")


def _noun(title: str) -> tuple[str, str]:
    """A page title as a noun in a sentence, with the word that goes before it: ("the",
    "setting up home allowance"); a title that is already theirs keeps it: "Your care leaver
    letter" is ("your", "care leaver letter"), never "the your care leaver letter". Names with
    capitals of their own (National Insurance, ISA) keep them."""
    first, _, rest = title.partition(" ")
    if first.lower() == "your" and rest:
        determiner, title = "your", rest
        first, _, rest = title.partition(" ")
    else:
        determiner = "the"
    proper = first.isupper() or any(word[:1].isupper() for word in rest.split())
    return determiner, title if proper else title[:1].lower() + title[1:]


def _message(title: str, status: EntitlementStatus, full: Decimal | None, paid: Decimal) -> str:
    the, name = _noun(title)
    match status:
        case EntitlementStatus.received if full is not None and paid < full:
            return (
                f"{_money(paid)} of your {_money(full)} {name} has been paid; "
                "ask your PA about the rest."
            )
        case EntitlementStatus.received:
            return f"You have received your {name}."
        case EntitlementStatus.applied:
            return f"Your {name} has been applied for. Your PA will tell you when it is paid."
        case EntitlementStatus.declined:
            return f"You chose not to take up your {name}. You can change your mind: ask your PA."
        case EntitlementStatus.not_eligible:
            return (
                f"Your PA has recorded that {the} {name} does not apply to you. "
                "Ask them why if you are not sure."
            )
        case _:
            return f"You may be able to get {the} {name}. Ask your PA to start it with you."


async def entitlements(
    session: AsyncSession, library: Library, facts: EligibilityFacts, *, lang: str = ENGLISH
) -> list[EntitlementRead]:
    person = facts.young_person
    slug = await org_slug(session, person.org_id)
    rows = (
        await session.execute(
            select(EntitlementRecord, User.display_name)
            .outerjoin(User, User.id == EntitlementRecord.recorded_by_id)
            .where(EntitlementRecord.young_person_id == person.id)
            .order_by(EntitlementRecord.status_on, EntitlementRecord.created_at)
        )
    ).all()
    history: dict[str, list[tuple[EntitlementRecord, str | None]]] = defaultdict(list)
    for record, name in rows:
        history[record.slug].append((record, name))
    on = today()
    now = profile_on(facts, on)
    result = []
    for page_slug, page in library.english(slug).items():
        if not page.meta.claimable:
            continue
        steps = history.get(page_slug, [])
        applies_now = page.eligibility.applies(now)
        if not applies_now and not steps:
            continue
        latest = steps[-1][0] if steps else None
        status = latest.status if latest else EntitlementStatus.not_started
        paid = sum(
            (
                r.amount_gbp or Decimal(0)
                for r, _ in steps
                if r.status is EntitlementStatus.received
            ),
            Decimal(0),
        )
        full = page.meta.amount_gbp
        served = library.serve(slug, page_slug, lang)
        title = served.page.meta.title if served else page.meta.title
        title_lang = served.page.lang if served else page.lang
        result.append(
            EntitlementRead(
                slug=page_slug,
                title=title,
                title_lang=title_lang,
                amount_gbp=full,
                status=status,
                status_on=latest.status_on if latest else None,
                paid_gbp=paid,
                remaining_gbp=max(full - paid, Decimal(0)) if full is not None else None,
                message=_message(page.meta.title, status, full, paid),
                message_code=message_code(status, full, paid),
                message_params=EntitlementMessageParams(
                    slug=page_slug, title=title, paid_gbp=paid, amount_gbp=full
                ),
                applies_now=applies_now,
                history=[
                    EntitlementStep(
                        status=r.status,
                        status_on=r.status_on,
                        amount_gbp=r.amount_gbp,
                        note=r.note,
                        recorded_by=name,
                        recorded_at=r.created_at,
                    )
                    for r, name in steps
                ],
            )
        )
    return result


async def record_entitlement(
    session: AsyncSession,
    actor: Actor,
    library: Library,
    person: YoungPerson,
    slug: str,
    data: EntitlementUpdate,
) -> None:
    page = library.english(await org_slug(session, person.org_id)).get(slug)
    if page is None:
        raise NotFound(f"No local-offer page {slug!r}.")
    if not page.meta.claimable:
        raise InvalidInput(
            "slug", f"{slug!r} is information, not something a young person receives"
        )
    if data.status_on < person.date_of_birth:
        raise InvalidInput("status_on", "is before the young person was born")
    session.add(
        EntitlementRecord(
            org_id=person.org_id,
            young_person_id=person.id,
            slug=slug,
            status=data.status,
            status_on=data.status_on,
            amount_gbp=data.amount_gbp,
            note=data.note,
            recorded_by_id=actor.user.id,
        )
    )
    audit.record(
        session,
        actor,
        "entitlement.change",
        young_person_id=person.id,
        slug=slug,
        status=data.status.value,
    )
    await session.flush()
