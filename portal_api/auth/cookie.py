"""Browser sessions: sign in to an HttpOnly cookie and out of it again.

The same sign-in as ``POST /auth/login`` (throttling, second factor, audit) and the same database
sessions; only the way the token travels differs (see signed_in.py on cookies and the CSRF header).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from portal_api.auth import invites, service
from portal_api.auth.mfa import SecretBox
from portal_api.auth.schemas import InviteAccept
from portal_api.auth.signed_in import (
    StrategyDep,
    UserManagerDep,
    client_ip,
    session_cookie,
    session_if_any,
)
from portal_api.auth.throttle import ThrottlesDep
from portal_api.auth.users import SignedIn
from portal_api.common.actor import Actor
from portal_api.config import SettingsDep
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/cookie/login",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={
        204: {"description": "Signed in: the session is in the portal_session cookie"},
        **problem_responses(401, 422, 429),
    },
)
async def login_browser(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    manager: UserManagerDep,
    strategy: StrategyDep,
    throttles: ThrottlesDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    otp: Annotated[str | None, Form(max_length=16)] = None,
    shared_device: Annotated[bool, Form()] = False,
) -> Response:
    """Sign in as ``POST /auth/login`` does, for the browser apps: the session goes in an
    HttpOnly cookie no script can read. Requests that change something must then send
    ``X-Requested-With: portal``. ``shared_device`` ("This is a shared phone"): the session
    lasts a few hours at most, its cookie ends when the browser closes, and its answers say
    ``Cache-Control: no-store`` so nothing is kept on the phone."""
    box = SecretBox(settings.secret_key)
    lifetime = timedelta(seconds=settings.shared_device_session_seconds) if shared_device else None
    issued = await service.login(
        session,
        manager,
        strategy,
        throttles.login,
        box,
        form,
        otp,
        client_ip(request),
        lifetime=lifetime,
    )
    # The role decides how long the cookie may live; the session row has just been written.
    signed_in = await strategy.read_session(issued.access_token)
    assert signed_in is not None
    cookie = session_cookie(settings, signed_in.user.role, shared_device=shared_device)
    return await cookie.get_login_response(issued.access_token)


@router.post(
    "/auth/cookie/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={
        204: {"description": "Signed out: the session ends and the cookie is cleared"},
        **problem_responses(403),
    },
)
async def logout_browser(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    strategy: StrategyDep,
    signed_in: Annotated[SignedIn | None, Depends(session_if_any)],
) -> Response:
    """Sign this browser out: its session stops working at once and the cookie is cleared.
    Answers the same when the session had already ended, so the app can always clear it."""
    if signed_in is not None:
        actor = Actor(signed_in.user, client_ip(request))
        await service.logout(session, strategy, actor, signed_in.token)
    return await session_cookie(settings).get_logout_response()


@router.post(
    "/auth/cookie/invites/accept",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={
        204: {"description": "Account ready and signed in: the session is in the cookie"},
        **problem_responses(404, 409, 422),
    },
)
async def accept_invite_in_browser(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    strategy: StrategyDep,
    body: InviteAccept,
) -> Response:
    """Accept an invite as ``POST /invites/accept`` does, for the phone app: the young person is
    signed in at once through the HttpOnly cookie, so they never have to type the address the
    invite went to."""
    user = await invites.accept_invite(session, body.token, body.password, client_ip(request))
    token = await strategy.write_token(user)
    return await session_cookie(settings, user.role).get_login_response(token)
