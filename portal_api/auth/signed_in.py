"""Who is signed in on this request: the token's two ways in, and the dependencies that read it.

A token arrives in one of two ways, with the same sessions behind both: the ``Authorization:
Bearer`` header (integrations, the CLI, tests) or the ``portal_session`` cookie (the browser apps:
HttpOnly, so no script can read it, and ``EventSource`` and the service worker carry it without
help). A cookie is sent by the browser whoever asked, so a cookie-signed request that changes
something must also carry ``X-Requested-With: portal``, which another site's form or image cannot
send (cross-site fetch could, but SameSite=Strict keeps the cookie off it, and CORS never allows
credentials).

A shared phone's answers are marked ``Cache-Control: no-store`` so neither the browser nor the
app's service worker keeps them (``NO_STORE_STATE``, applied by security.SecurityHeaders).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi_users.authentication import BearerTransport, CookieTransport

from portal_api.auth.users import (
    HashedDatabaseStrategy,
    SessionLimits,
    SignedIn,
    UserManager,
    get_strategy,
    get_user_manager,
    strategy_for,
)
from portal_api.common.kept import KeptReader, read_by
from portal_api.config import Settings
from portal_api.db.session import SessionDep
from portal_api.errors import Forbidden, Unauthorized
from portal_api.models import Role, User

bearer_transport = BearerTransport(tokenUrl="/api/v1/auth/login")
SESSION_COOKIE = "portal_session"
CSRF_HEADER = "X-Requested-With"
CSRF_VALUE = "portal"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
StrategyDep = Annotated[HashedDatabaseStrategy, Depends(get_strategy)]
UserManagerDep = Annotated[UserManager, Depends(get_user_manager)]
_BearerToken = Annotated[str | None, Depends(bearer_transport.scheme)]
# Reading only: the cookie's attributes depend on the role and the environment (session_cookie).
_CookieToken = Annotated[str | None, Depends(CookieTransport(cookie_name=SESSION_COOKIE).scheme)]
# Set in the request's ASGI state by a shared phone's session: its answers get
# "Cache-Control: no-store" (security.SecurityHeaders), so nothing of them stays on the phone.
NO_STORE_STATE = "portal_no_store"


def session_cookie(
    settings: Settings, role: Role | None = None, *, shared_device: bool = False
) -> CookieTransport:
    """The cookie a browser keeps its session in. It lives as long as the session may (the
    role's absolute lifetime; the idle limit is still checked on every request), so an installed
    app that the phone closes stays signed in. A shared phone's has no Max-Age: it ends when the
    browser closes (and its session ends on the server within hours anyway). Secure everywhere
    but a developer's own machine, which serves plain HTTP."""
    max_age = None
    if role is not None and not shared_device:
        max_age = int(SessionLimits.from_settings(settings).for_role(role)[1].total_seconds())
    return CookieTransport(
        cookie_name=SESSION_COOKIE,
        cookie_max_age=max_age,
        cookie_path="/",
        cookie_secure=settings.environment not in ("demo", "dev", "test"),
        cookie_httponly=True,
        cookie_samesite="strict",
    )


def _not_signed_in() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, "Sign in to continue.", {"WWW-Authenticate": "Bearer"}
    )


def _refuse_cross_site() -> Forbidden:
    return Forbidden(
        f"A request signed in with the session cookie that changes something must send the "
        f"header {CSRF_HEADER}: {CSRF_VALUE}.",
        missing_header=CSRF_HEADER,
    )


async def _session_from(
    request: Request, bearer: str | None, cookie: str | None, strategy: HashedDatabaseStrategy
) -> SignedIn | None:
    if (
        not bearer
        and cookie
        and request.method not in SAFE_METHODS
        and request.headers.get(CSRF_HEADER) != CSRF_VALUE
    ):
        # Refused before the session is read: a forged request must not even keep it alive.
        raise _refuse_cross_site()
    signed_in = await strategy.read_session(bearer or cookie)
    if signed_in is None:
        return None
    if signed_in.shared_device:
        request.scope.setdefault("state", {})[NO_STORE_STATE] = True
    user = signed_in.user
    if user.role is Role.young_person and user.young_person_id and signed_in.recheck_at:
        # A young person's own reads may be kept for this session (kept_reads.py).
        read_by(
            request,
            KeptReader(
                user.id, user.young_person_id, signed_in.recheck_at, signed_in.shared_device
            ),
        )
    return signed_in


async def any_session(
    request: Request, bearer: _BearerToken, cookie: _CookieToken, session: SessionDep
) -> SignedIn:
    """Any live session, including one that may only set up two-step sign-in (for the routes
    that set it up, and for signing out). The bearer header wins when both are sent."""
    signed_in = await _session_from(request, bearer, cookie, strategy_for(request, session))
    if signed_in is None:
        raise _not_signed_in()
    return signed_in


async def session_if_any(
    request: Request, bearer: _BearerToken, cookie: _CookieToken, session: SessionDep
) -> SignedIn | None:
    """The live session if there is one (same rules as ``any_session``), else None: for
    signing a browser out, which must also work once its session has ended."""
    return await _session_from(request, bearer, cookie, strategy_for(request, session))


async def full_session(signed_in: Annotated[SignedIn, Depends(any_session)]) -> SignedIn:
    """A session that may do everything its role may: every other route."""
    return may_do_everything(signed_in)


def may_do_everything(signed_in: SignedIn) -> SignedIn:
    """``full_session``'s check, for a dependency that takes ``any_session`` itself (each level
    of dependencies costs every request that uses it: bench/README.md, "Kept rows")."""
    if signed_in.enrolment_only:
        raise Unauthorized(
            "Your organisation needs you to set up two-step sign-in before you continue.",
            headers={"WWW-Authenticate": "Bearer"},
            mfa_enrolment_required=True,
        )
    return signed_in


async def current_active_user_and_token(
    signed_in: Annotated[SignedIn, Depends(full_session)],
) -> tuple[User, str]:
    return signed_in.user, signed_in.token


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
