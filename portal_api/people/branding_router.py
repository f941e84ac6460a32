"""Before sign-in: the council's branding, the app's icons and its web app manifest (public)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Response, status

from portal_api.common.vapid import public_key
from portal_api.config import SettingsDep
from portal_api.db.session import SessionDep
from portal_api.errors import NotFound, problem_responses
from portal_api.people import branding
from portal_api.people.schemas import BrandingRead

router = APIRouter(tags=["branding"])
# Served at the site's root, beside the app (a manifest is fetched from the page's own origin).
manifest_router = APIRouter(tags=["branding"])

IfNoneMatch = Annotated[
    str | None, Header(description="the ETag you have: 304 if it is still current")
]
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the copy you have is current"}
}


def _not_modified(if_none_match: str | None, etag: str) -> bool:
    return bool(if_none_match) and etag in {t.strip() for t in (if_none_match or "").split(",")}


def _cached(content: bytes, media_type: str, cache: str, if_none_match: str | None) -> Response:
    etag = branding.etag_of(content)
    headers = {"ETag": etag, "Cache-Control": cache}
    if _not_modified(if_none_match, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content, media_type=media_type, headers=headers)


async def _branding(session: SessionDep, settings: SettingsDep) -> BrandingRead:
    org = await branding.deployment_organisation(session, settings.default_org)
    key = public_key(settings.vapid_private_key) if settings.vapid_private_key else None
    return branding.branding_of(org, key)


@router.get(
    "/branding",
    response_model=BrandingRead,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def get_branding(
    session: SessionDep, settings: SettingsDep, if_none_match: IfNoneMatch = None
) -> Response:
    """The council's names, colour, logo, out-of-hours number and Web Push key, for the app
    before anyone signs in. Cacheable; send If-None-Match to revalidate."""
    found = await _branding(session, settings)
    # A few minutes' staleness is fine for a colour or a name; an ETag makes the check cheap.
    return _cached(
        found.model_dump_json().encode(),
        "application/json",
        "public, max-age=300",
        if_none_match,
    )


@router.get(
    "/branding/icons/{size}.png",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "The app's icon, in PNG"},
        **NOT_MODIFIED,
        **problem_responses(404, 422),
    },
)
async def get_app_icon(
    session: SessionDep,
    settings: SettingsDep,
    size: Annotated[int, Path(ge=1, le=4096, description="192 or 512 pixels square")],
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The installed app's icon: the council's colour with a plain mark, nothing that says
    "care" on a home screen."""
    if size not in branding.ICON_SIZES:
        raise NotFound(f"There is no {size}-pixel icon; there are {branding.ICON_SIZES}.")
    org = await branding.deployment_organisation(session, settings.default_org)
    return _cached(
        branding.icon_png(org.brand_colour, size),
        "image/png",
        "public, max-age=86400",
        if_none_match,
    )


@manifest_router.get(
    "/manifest.webmanifest",
    response_class=Response,
    responses={
        200: {
            "content": {branding.MANIFEST_MEDIA_TYPE: {}},
            "description": "The web app manifest",
        },
        **NOT_MODIFIED,
        **problem_responses(404, 422),
    },
)
async def get_web_app_manifest(
    session: SessionDep,
    settings: SettingsDep,
    name: Annotated[
        Literal["discreet", "council"],
        Query(
            description="discreet (the default): installed under the discreet name; council: "
            "under the council's own name, for someone who chooses that before installing"
        ),
    ] = "discreet",
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The web app manifest for this council: start at /, standalone, the council's colour."""
    found = await _branding(session, settings)
    # no-cache: a browser checks for a changed name or colour each time (cheap with the ETag).
    return _cached(
        branding.manifest_bytes(found, discreet=name == "discreet"),
        branding.MANIFEST_MEDIA_TYPE,
        "no-cache",
        if_none_match,
    )
