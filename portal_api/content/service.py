"""The local offer for one reader: what applies to them now, soon, or not yet; what they have seen
and their responses to each revision. The entitlements a young person receives are in
``entitlements``."""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.content.eligibility import Profile
from portal_api.content.library import CATEGORIES, ENGLISH, Library, Page, Served
from portal_api.content.schemas import (
    Applies,
    LocalOfferList,
    PageActivity,
    PageRead,
    PageSummary,
    ResponseCreate,
    ResponseRead,
)
from portal_api.db.session import insert_ignoring_duplicates
from portal_api.db.sql import joined_strings
from portal_api.errors import Forbidden, NotFound
from portal_api.messaging import service as messages
from portal_api.models import (
    FollowUp,
    FollowUpKind,
    LocalOfferResponse,
    LocalOfferView,
    Organisation,
    PageResponse,
    Role,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.facts import (
    EligibilityFacts,
    eligibility_facts,
    own_eligibility_facts,
    own_record_select,
)

SOON_MONTHS = 6
_org_slugs: dict[uuid.UUID, str] = {}


async def org_slug(session: AsyncSession, org_id: uuid.UUID) -> str:
    """Organisation slugs never change, so they are looked up once per process."""
    if org_id not in _org_slugs:
        slug = await session.scalar(select(Organisation.slug).where(Organisation.id == org_id))
        assert slug is not None
        _org_slugs[org_id] = slug
    return _org_slugs[org_id]


def profile_on(facts: EligibilityFacts, on: date) -> Profile:
    person = facts.young_person
    return Profile(
        status=facts.status_on(on),
        age=facts.age_on(on),
        activity=facts.activity,
        accommodation_letter=facts.accommodation[0]
        if facts.accommodation not in (None, "0")
        else None,
        in_touch=facts.in_touch,
        uasc=person.uasc,
        disabled=bool(person.disabled),
        is_parent=person.is_parent,
        looked_after=facts.looked_after_on(on),
    )


def applies(page: Page, now: Profile, soon: Profile) -> Applies:
    if page.eligibility.applies(now):
        return Applies.now
    if page.eligibility.applies(soon):
        return Applies.soon
    return Applies.not_now


def responses_column() -> Any:
    """The (slug, revision) pairs a young person has responded to, as 'slug:rev;slug:rev'."""
    pair = LocalOfferResponse.slug + ":" + cast(LocalOfferResponse.revision, String)
    return (
        select(joined_strings(pair, ";"))
        .where(LocalOfferResponse.young_person_id == YoungPerson.id)
        .scalar_subquery()
    )


def _org_slug_column() -> Any:
    return select(Organisation.slug).where(Organisation.id == YoungPerson.org_id).scalar_subquery()


def _responded(text: str | None) -> set[tuple[str, int]]:
    pairs = set()
    for part in (text or "").split(";"):
        slug, _, revision = part.rpartition(":")
        if slug:
            pairs.add((slug, int(revision)))
    return pairs


@dataclass(frozen=True)
class Reader:
    """Who is reading, with what their eligibility depends on (None for staff)."""

    org_slug: str
    now: Profile | None = None
    soon: Profile | None = None
    responded: frozenset[tuple[str, int]] = frozenset()
    young_person_id: uuid.UUID | None = None


def _reader_columns() -> dict[str, Any]:
    return {"responded": responses_column(), "org_slug": _org_slug_column()}


@functools.cache
def _own_reader_select() -> Select[Any]:
    """The reader's query for a young person's own record, built once (people.facts)."""
    return own_record_select(_reader_columns())


async def reader(session: AsyncSession, actor: Actor) -> Reader:
    if actor.role is not Role.young_person:
        return Reader(org_slug=await org_slug(session, actor.user.org_id))
    if actor.user.young_person_id is None:  # answers as eligibility_facts does: not found
        facts, values = await eligibility_facts(session, actor, "me", _reader_columns())
    else:
        facts, values = await own_eligibility_facts(
            session, actor, _own_reader_select(), ("responded", "org_slug")
        )
    return reader_for(facts, values["org_slug"], values["responded"])


def reader_for(facts: EligibilityFacts, org_slug: str, responded: str | None) -> Reader:
    """A young person as a reader, from their facts and ``responses_column()``."""
    on = today()
    return Reader(
        org_slug=org_slug,
        now=profile_on(facts, on),
        soon=profile_on(facts, legal_status.add_months(on, SOON_MONTHS)),
        responded=frozenset(_responded(responded)),
        young_person_id=facts.young_person.id,
    )


def _summary(served: Served, who: Reader) -> PageSummary:
    meta = served.english.meta
    shown = served.page.meta
    return PageSummary(
        slug=meta.slug,
        title=shown.title,
        summary=shown.summary,
        category=meta.category,
        core=meta.core,
        revision=meta.revision,
        claimable=meta.claimable,
        amount_gbp=meta.amount_gbp,
        lang=served.page.lang,
        applies=applies(served.english, who.now, who.soon) if who.now and who.soon else None,
        responded=(meta.slug, meta.revision) in who.responded if who.young_person_id else None,
    )


_ORDER = {Applies.now: 0, Applies.soon: 1, Applies.not_now: 2, None: 0}


def list_pages(library: Library, who: Reader, lang: str) -> LocalOfferList:
    """What applies now first (core pages first), then what will apply soon, then the rest."""
    items = []
    for slug in library.english(who.org_slug):
        served = library.serve(who.org_slug, slug, lang)
        assert served is not None
        items.append(_summary(served, who))
    items.sort(
        key=lambda p: (_ORDER[p.applies], not p.core, CATEGORIES.index(p.category), p.title.lower())
    )
    served_lang = lang if any(p.lang == lang for p in items) else ENGLISH
    return LocalOfferList(lang=served_lang, items=items)


async def get_page(
    session: AsyncSession, library: Library, who: Reader, slug: str, lang: str
) -> tuple[PageRead, str]:
    served = library.serve(who.org_slug, slug, lang)
    if served is None:
        raise NotFound(f"No local-offer page {slug!r}.")
    meta, shown = served.english.meta, served.page.meta
    page = PageRead(
        **_summary(served, who).model_dump(),
        html=served.page.html,
        how_to_get_it=shown.how_to_get_it,
        effective_from=meta.effective_from,
        reviewed_on=meta.reviewed_on,
        source=meta.source,
        related=meta.related,
        notice=served.notice,
        notice_code=served.notice_code,
        translation_status=shown.translation_status,
    )
    # Reading records nothing: a precached or refreshed page is not a page seen (record_view).
    etag = f'"{served.page.etag}-{int(bool(page.responded))}"'
    return page, etag


async def record_view(
    session: AsyncSession, library: Library, who: Reader, slug: str, lang: str
) -> None:
    """The young person opened this page: seen once per revision, in the language shown first."""
    served = library.serve(who.org_slug, slug, lang)
    if served is None:
        raise NotFound(f"No local-offer page {slug!r}.")
    if who.young_person_id is None:
        raise Forbidden("Only a young person's own reading is recorded.")
    await insert_ignoring_duplicates(
        session,
        LocalOfferView,
        {
            "young_person_id": who.young_person_id,
            "slug": served.english.slug,
            "revision": served.english.meta.revision,
            "lang": served.page.lang,
        },
    )


async def respond(
    session: AsyncSession,
    actor: Actor,
    library: Library,
    who: Reader,
    slug: str,
    data: ResponseCreate,
) -> ResponseRead:
    """Recorded per revision, even for a page that does not apply to them: they may read anything."""
    served = library.serve(who.org_slug, slug, ENGLISH)
    if served is None:
        raise NotFound(f"No local-offer page {slug!r}.")
    if who.young_person_id is None or who.now is None:
        raise Forbidden("Only a young person responds to a page, for themselves.")
    response = LocalOfferResponse(
        org_id=actor.user.org_id,
        young_person_id=who.young_person_id,
        slug=slug,
        revision=served.english.meta.revision,
        response=data.response,
        applied_to_them=served.english.eligibility.applies(who.now),
        comment=data.comment,
    )
    session.add(response)
    if data.response is PageResponse.want_to_talk:
        # It shows in the conversation with their PA, and stays on the PA's list until resolved.
        person = await session.get(YoungPerson, who.young_person_id)
        assert person is not None
        await messages.system_message(
            session,
            person,
            f"{person.preferred_name or person.given_name} wants to talk about "
            f"“{served.english.meta.title}”" + (f": {data.comment}" if data.comment else ""),
        )
        session.add(
            FollowUp(
                org_id=actor.user.org_id,
                young_person_id=who.young_person_id,
                kind=FollowUpKind.local_offer_talk,
                subject=f"Wants to talk about “{served.english.meta.title}”",
                detail=data.comment,
            )
        )
    await session.flush()
    return ResponseRead.model_validate(response)


async def activity(
    session: AsyncSession, library: Library, person: YoungPerson
) -> list[PageActivity]:
    """Which pages a young person has seen, and how they responded, core pages first."""
    slug = await org_slug(session, person.org_id)
    views = (
        await session.execute(
            select(LocalOfferView).where(LocalOfferView.young_person_id == person.id)
        )
    ).scalars()
    seen: dict[str, list[LocalOfferView]] = defaultdict(list)
    for view in views:
        seen[view.slug].append(view)
    latest: dict[str, LocalOfferResponse] = {}
    for response in (
        await session.execute(
            select(LocalOfferResponse)
            .where(LocalOfferResponse.young_person_id == person.id)
            .order_by(LocalOfferResponse.created_at)
        )
    ).scalars():
        latest[response.slug] = response
    result = []
    for page_slug, page in library.english(slug).items():
        views_of = seen.get(page_slug, [])
        answer = latest.get(page_slug)
        result.append(
            PageActivity(
                slug=page_slug,
                title=page.meta.title,
                core=page.meta.core,
                current_revision=page.meta.revision,
                seen_revisions=sorted(v.revision for v in views_of),
                first_seen_at=min((v.first_seen_at for v in views_of), default=None),
                latest_response=answer.response if answer else None,
                latest_response_revision=answer.revision if answer else None,
                latest_response_at=answer.created_at if answer else None,
                up_to_date=bool(answer and answer.revision == page.meta.revision),
            )
        )
    result.sort(key=lambda a: (not a.core, a.up_to_date, a.slug))
    return result


def core_pages_to_read(library: Library, who: Reader, lang: str = ENGLISH) -> list[PageSummary]:
    """Core pages that apply to them and that they have not responded to at this revision, in
    ``lang`` where translated (each says its ``lang``)."""
    if who.now is None or who.soon is None:
        return []  # nothing "applies now" to a reader with no profile (list_pages says None)
    # The same pages, in the same order, as filtering list_pages; but only core pages that apply
    # now and are not yet answered are served and summarised (the listing built every page of the
    # library for each home screen: bench/README.md, issue 16).
    items = []
    for slug, english in library.english(who.org_slug).items():
        meta = english.meta
        if not meta.core or not english.eligibility.applies(who.now):
            continue
        if who.young_person_id and (meta.slug, meta.revision) in who.responded:
            continue
        served = library.serve(who.org_slug, slug, lang)
        assert served is not None
        items.append(_summary(served, who))
    items.sort(key=lambda p: (CATEGORIES.index(p.category), p.title.lower()))
    return items
