"""GET /young-people/{yp}/summary: the phone's home screen; GET /home-preview: staff's preview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from portal_api.auth.dependencies import CurrentActor, CurrentStaff
from portal_api.common.kept import keep_until
from portal_api.common.responses import json_of
from portal_api.content.dependencies import RequestedLanguage, library_of
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.summary import preview, service
from portal_api.summary.schemas import HomePreview, PreviewProfile, Summary

router = APIRouter(tags=["young people"])


@router.get(
    "/young-people/{yp}/summary", response_model=Summary, responses=problem_responses(401, 403, 404)
)
async def get_summary(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    yp: Annotated[str, Path(description="a young person's id, or `me`")],
    lang: RequestedLanguage,
) -> Response:
    """The phone's home screen in one call: my PA, how to reach someone now, what to read
    (titles in ``lang`` or Accept-Language where translated)."""
    home, holds_until = await service.summary(session, actor, library_of(request), yp, lang)
    keep_until(request, holds_until)
    return json_of(home)


@router.get("/home-preview", response_model=HomePreview, responses=problem_responses(401, 403, 422))
async def get_home_preview(
    request: Request,
    session: SessionDep,
    actor: CurrentStaff,
    profile: Annotated[PreviewProfile, Query()],
) -> HomePreview:
    """The home screen as a young person with this profile would see it (staff; no record read)."""
    return await preview.home_preview(session, actor, library_of(request), profile)
