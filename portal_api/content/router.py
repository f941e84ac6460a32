"""The local offer: pages, responses, and each young person's entitlements and page activity."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from portal_api.auth.dependencies import CaseworkStaff, CurrentActor, CurrentYoungPerson
from portal_api.auth.send_limit import YOUNG_PERSON_WRITE_LIMIT
from portal_api.common.kept import keep_until, next_midnight
from portal_api.common.responses import json_of
from portal_api.content import entitlements, service
from portal_api.content.dependencies import RequestedLanguage, library_of
from portal_api.content.library import ENGLISH
from portal_api.content.schemas import (
    EntitlementRead,
    EntitlementUpdate,
    LocalOfferList,
    PageActivity,
    PageRead,
    ResponseCreate,
    ResponseRead,
)
from portal_api.db.base import utcnow
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.models import YoungPerson
from portal_api.people.facts import eligibility_facts
from portal_api.people.scope import Access, YoungPersonForWrite, YoungPersonId, young_person_for

router = APIRouter(tags=["local offer"])
Lang = Annotated[
    str,
    Query(
        max_length=12,
        description="Language code (en, ar, ps). Unknown languages fall back to English; "
        "Content-Language says which was served.",
    ),
]
Slug = Annotated[str, Path(max_length=100)]
LocalOfferActivityForRead = Annotated[
    YoungPerson, young_person_for(Access.read, "local_offer_activity.read")
]


@router.get("/local-offer", response_model=LocalOfferList, responses=problem_responses(401, 422))
async def list_local_offer(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    lang: RequestedLanguage,
) -> Response:
    """Rights and entitlements; for a young person, what applies to them now first, then soon."""
    who = await service.reader(session, actor)
    listing = service.list_pages(library_of(request), who, lang)
    keep_until(request, next_midnight(utcnow()))  # what applies moves with age: the date
    return json_of(listing, {"Content-Language": listing.lang})


@router.get(
    "/local-offer/{slug}",
    response_model=PageRead,
    responses={**problem_responses(401, 404, 422), 304: {"description": "Not modified"}},
)
async def get_local_offer_page(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    slug: Slug,
    response: Response,
    lang: RequestedLanguage,
    if_none_match: Annotated[str | None, Header()] = None,
) -> PageRead | Response:
    """One page as sanitised HTML with its facts; send If-None-Match to save data on a phone."""
    who = await service.reader(session, actor)
    page, etag = await service.get_page(session, library_of(request), who, slug, lang)
    headers = {"ETag": etag, "Content-Language": page.lang, "Cache-Control": "private, no-cache"}
    if if_none_match and etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    response.headers.update(headers)
    return page


@router.post(
    "/local-offer/{slug}/views",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_local_offer_view(
    request: Request,
    session: SessionDep,
    actor: CurrentYoungPerson,
    slug: Slug,
    lang: Lang = ENGLISH,
) -> None:
    """The young person opened this page: it counts as seen, once per revision, however often
    it is opened. Send it when they open it; reading the page (or precaching it) records nothing."""
    who = await service.reader(session, actor)
    await service.record_view(session, library_of(request), who, slug, lang)


@router.post(
    "/local-offer/{slug}/responses",
    response_model=ResponseRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422, 429),
    dependencies=[YOUNG_PERSON_WRITE_LIMIT],
)
async def respond_to_local_offer_page(
    request: Request,
    session: SessionDep,
    actor: CurrentYoungPerson,
    slug: Slug,
    body: ResponseCreate,
) -> ResponseRead:
    """I understand / I want to talk about this / not for me, to this revision of the page."""
    who = await service.reader(session, actor)
    return await service.respond(session, actor, library_of(request), who, slug, body)


@router.get(
    "/young-people/{yp}/local-offer",
    response_model=list[PageActivity],
    responses=problem_responses(401, 403, 404),
)
async def get_local_offer_activity(
    request: Request, session: SessionDep, actor: CurrentActor, person: LocalOfferActivityForRead
) -> list[PageActivity]:
    """Which pages a young person has seen and how they responded."""
    return await service.activity(session, library_of(request), person)


@router.get(
    "/young-people/{yp}/entitlements",
    response_model=list[EntitlementRead],
    responses=problem_responses(401, 403, 404),
)
async def list_entitlements(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    yp: YoungPersonId,
    lang: RequestedLanguage,
) -> list[EntitlementRead]:
    """Money and other things a young person receives: status, what is paid, what is left.
    Titles in the language asked for where translated (``message`` stays English; its code and
    parameters are for the app to word)."""
    facts, _ = await eligibility_facts(session, actor, yp, audit_action="entitlements.read")
    return await entitlements.entitlements(session, library_of(request), facts, lang=lang)


@router.post(
    "/young-people/{yp}/entitlements/{slug}",
    response_model=list[EntitlementRead],
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_entitlement(
    request: Request,
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    slug: Slug,
    body: EntitlementUpdate,
) -> list[EntitlementRead]:
    """Record a step (applied, received with the amount paid, declined, not eligible)."""
    library = library_of(request)
    await entitlements.record_entitlement(session, actor, library, person, slug, body)
    facts, _ = await eligibility_facts(session, actor, person.id)
    return await entitlements.entitlements(session, library, facts)
