""" "This is a shared phone" at sign-in (UX.md §5, gap 12): the session lasts hours, not months;
its cookie ends with the browser; its answers say ``Cache-Control: no-store`` so the phone keeps
nothing; signing out still ends it at once. Without the box, nothing changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from http.cookies import SimpleCookie

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.auth.users import hash_token
from portal_api.config import Settings
from portal_api.db.base import utcnow
from portal_api.models import AccessToken, AuditEvent
from tests.auth.support import API, ME, bearer
from tests.factories import PASSWORD, World

COOKIE_LOGIN = f"{API}/auth/cookie/login"
COOKIE_LOGOUT = f"{API}/auth/cookie/logout"
SUMMARY = f"{API}/young-people/me/summary"
APP_HEADER = {"X-Requested-With": "portal"}


async def _sign_in(client: httpx.AsyncClient, world: World, *, shared: bool) -> SimpleCookie:
    form = {"username": world.emails["young_person"], "password": PASSWORD}
    if shared:
        form["shared_device"] = "true"
    response = await client.post(COOKIE_LOGIN, data=form)
    assert response.status_code == 204, response.text
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(response.headers["set-cookie"])
    return cookie


async def _expires_at(session: AsyncSession, token: str) -> datetime | None:
    session.expire_all()
    return await session.scalar(
        select(AccessToken.expires_at).where(AccessToken.token_hash == hash_token(token))
    )


async def test_a_shared_phones_cookie_has_no_max_age_or_expiry_so_it_ends_with_the_browser(
    client: httpx.AsyncClient, world: World
) -> None:
    cookie = (await _sign_in(client, world, shared=True))["portal_session"]

    assert cookie.value
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "strict"


async def test_without_the_box_the_cookie_still_lives_as_long_as_the_session_may(
    client: httpx.AsyncClient, world: World, settings: Settings, session: AsyncSession
) -> None:
    cookie = (await _sign_in(client, world, shared=False))["portal_session"]

    assert int(cookie["max-age"]) == settings.young_person_session_lifetime_seconds
    assert await _expires_at(session, cookie.value) is None
    summary = await client.get(SUMMARY)
    assert summary.status_code == 200, summary.text
    assert summary.headers.get("cache-control") != "no-store"


async def test_a_shared_phones_session_ends_on_the_server_after_a_few_hours(
    client: httpx.AsyncClient, world: World, settings: Settings, session: AsyncSession
) -> None:
    token = (await _sign_in(client, world, shared=True))["portal_session"].value
    expires_at = await _expires_at(session, token)
    lifetime = timedelta(seconds=settings.shared_device_session_seconds)
    assert lifetime <= timedelta(hours=4)
    assert expires_at is not None
    assert abs(expires_at - (utcnow() + lifetime)) < timedelta(minutes=1)
    assert (await client.get(ME, headers=bearer(token))).status_code == 200

    # A minute past its end, though recently used and far inside a young person's 90 days.
    now = utcnow()
    await session.execute(
        update(AccessToken)
        .where(AccessToken.token_hash == hash_token(token))
        .values(created_at=now - lifetime, last_used_at=now, expires_at=now - timedelta(minutes=1))
    )
    await session.commit()

    assert (await client.get(ME, headers=bearer(token))).status_code == 401
    assert (await client.get(ME)).status_code == 401


async def test_a_shared_phones_answers_say_no_store_even_where_the_route_allows_caching(
    client: httpx.AsyncClient, world: World
) -> None:
    await _sign_in(client, world, shared=True)

    for path in (SUMMARY, ME, f"{API}/local-offer"):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text)
        # One header, not the route's "private, no-cache" beside it.
        assert response.headers.get_list("cache-control") == ["no-store"], path


async def test_signing_out_ends_a_shared_phones_session_at_once(
    client: httpx.AsyncClient, world: World
) -> None:
    token = (await _sign_in(client, world, shared=True))["portal_session"].value

    response = await client.post(COOKIE_LOGOUT, headers=APP_HEADER)

    assert response.status_code == 204, response.text
    assert (await client.get(ME, headers=bearer(token))).status_code == 401


async def test_a_shared_phone_sign_in_is_audited_as_one(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _sign_in(client, world, shared=True)

    events = (
        await session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.action == "auth.login",
                AuditEvent.actor_id == world.users["young_person"],
            )
            .order_by(AuditEvent.id)
        )
    ).all()
    assert events[-1].detail.get("shared_device") is True
