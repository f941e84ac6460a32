"""Browser sessions: the same sign-in and the same database sessions as the bearer token, carried
in an HttpOnly cookie; a cookie-signed request that changes something must carry the app's
header, so another site cannot make the browser do it."""

from __future__ import annotations

from http.cookies import SimpleCookie

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.config import Settings
from portal_api.models import AccessToken, AuditEvent
from tests.auth.support import API, ME, TotpClock, bearer, enrol, login
from tests.factories import PASSWORD, World

COOKIE_LOGIN = f"{API}/auth/cookie/login"
COOKIE_LOGOUT = f"{API}/auth/cookie/logout"
APP_HEADER = {"X-Requested-With": "portal"}
CHECK_IN = f"{API}/young-people/me/check-ins"


async def _browser_login(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, otp: str | None = None
) -> httpx.Response:
    form = {"username": email, "password": password}
    if otp is not None:
        form["otp"] = otp
    return await client.post(COOKIE_LOGIN, data=form)


def _set_cookie(response: httpx.Response) -> SimpleCookie:
    parsed: SimpleCookie = SimpleCookie()
    parsed.load(response.headers["set-cookie"])
    return parsed


async def _check_in(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.post(
        CHECK_IN,
        json={"mood": "good"},
        headers={"Idempotency-Key": "8d6f4f1e-5b8a-4c1e-9d1a-3f2b7c6e0a11", **headers},
    )


async def test_browser_sign_in_sets_an_httponly_strict_cookie_that_works_on_me(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _browser_login(client, world.emails["pa"])

    assert response.status_code == 204, response.text
    assert response.content == b""
    cookie = _set_cookie(response)["portal_session"]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "strict"
    assert cookie["path"] == "/"
    # The test environment serves plain HTTP, like a developer's machine.
    assert not cookie["secure"]
    me = await client.get(ME)
    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(world.users["pa"])


async def test_the_cookie_lives_as_long_as_the_roles_session_may(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    staff = await _browser_login(client, world.emails["pa"])
    young_person = await _browser_login(client, world.emails["young_person"])

    assert int(_set_cookie(staff)["portal_session"]["max-age"]) == (
        settings.session_lifetime_seconds
    )
    assert int(_set_cookie(young_person)["portal_session"]["max-age"]) == (
        settings.young_person_session_lifetime_seconds
    )


@pytest.mark.parametrize("environment", ["production"])
async def test_the_cookie_is_secure_outside_a_developers_machine(
    app: FastAPI, client: httpx.AsyncClient, world: World, settings: Settings, environment: str
) -> None:
    real = settings.model_copy(update={"environment": environment, "secret_key": "x" * 48})
    app.state.settings = real
    try:
        response = await _browser_login(client, world.emails["pa"])
    finally:
        app.state.settings = settings

    assert response.status_code == 204, response.text
    assert _set_cookie(response)["portal_session"]["secure"] is True


async def test_the_cookie_holds_a_database_session_like_a_bearer_token(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    before = await session.scalar(
        select(func.count())
        .select_from(AccessToken)
        .where(AccessToken.user_id == world.users["pa"])
    )

    await _browser_login(client, world.emails["pa"])

    after = await session.scalar(
        select(func.count())
        .select_from(AccessToken)
        .where(AccessToken.user_id == world.users["pa"])
    )
    assert after == (before or 0) + 1
    logins = await session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "auth.login")
    )
    assert logins == 1


async def test_browser_sign_in_refuses_a_wrong_password_as_the_bearer_sign_in_does(
    client: httpx.AsyncClient, world: World
) -> None:
    by_cookie = await _browser_login(client, world.emails["pa"], "not the password")
    by_bearer = await login(client, world.emails["pa"], "not the password")

    assert by_cookie.status_code == 401
    assert by_cookie.headers["content-type"] == "application/problem+json"
    assert "set-cookie" not in by_cookie.headers
    assert by_cookie.json()["detail"] == by_bearer.json()["detail"]


async def test_browser_sign_in_is_throttled_with_the_bearer_sign_in(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    # Failures on either way of signing in count towards one limit.
    for _ in range(settings.login_account_failures):
        await login(client, world.emails["pa"], "not the password")

    response = await _browser_login(client, world.emails["pa"])

    assert response.status_code == 429, response.text
    assert "retry-after" in response.headers


async def test_cookie_request_that_changes_something_without_the_app_header_is_refused(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _browser_login(client, world.emails["young_person"])

    response = await _check_in(client, {})

    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["missing_header"] == "X-Requested-With"
    assert "X-Requested-With: portal" in response.json()["detail"]


async def test_cookie_request_with_the_wrong_header_value_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    await _browser_login(client, world.emails["young_person"])

    response = await _check_in(client, {"X-Requested-With": "XMLHttpRequest"})

    assert response.status_code == 403, response.text


async def test_cookie_request_with_the_app_header_is_accepted(
    client: httpx.AsyncClient, world: World
) -> None:
    await _browser_login(client, world.emails["young_person"])

    response = await _check_in(client, APP_HEADER)

    assert response.status_code == 201, response.text


async def test_cookie_reads_need_no_app_header(client: httpx.AsyncClient, world: World) -> None:
    await _browser_login(client, world.emails["young_person"])

    response = await client.get(f"{API}/young-people/me/summary")

    assert response.status_code == 200, response.text


async def test_bearer_request_that_changes_something_needs_no_app_header(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _check_in(client, world.auth("young_person"))

    assert response.status_code == 201, response.text


async def test_the_bearer_token_is_used_when_both_are_sent(
    client: httpx.AsyncClient, world: World
) -> None:
    await _browser_login(client, world.emails["pa"])

    me = await client.get(ME, headers=world.auth("young_person"))

    assert me.json()["id"] == str(world.users["young_person"])


async def test_browser_sign_out_ends_the_session_and_clears_the_cookie(
    client: httpx.AsyncClient, world: World
) -> None:
    signed_in = await _browser_login(client, world.emails["pa"])
    token = _set_cookie(signed_in)["portal_session"].value

    response = await client.post(COOKIE_LOGOUT, headers=APP_HEADER)

    assert response.status_code == 204, response.text
    cleared = _set_cookie(response)["portal_session"]
    assert cleared.value == ""
    assert int(cleared["max-age"]) == 0
    assert "portal_session" not in client.cookies
    # The token itself is dead, not only forgotten by this browser.
    assert (await client.get(ME, headers=bearer(token))).status_code == 401
    assert (await client.get(ME, headers={"Cookie": f"portal_session={token}"})).status_code == 401


async def test_browser_sign_out_without_the_app_header_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    await _browser_login(client, world.emails["pa"])

    response = await client.post(COOKIE_LOGOUT)

    assert response.status_code == 403, response.text
    assert (await client.get(ME)).status_code == 200


async def test_browser_sign_out_after_the_session_ended_still_clears_the_cookie(
    client: httpx.AsyncClient, world: World
) -> None:
    client.cookies.set("portal_session", "no-such-session")

    response = await client.post(COOKIE_LOGOUT, headers=APP_HEADER)

    assert response.status_code == 204, response.text
    assert _set_cookie(response)["portal_session"].value == ""


async def test_signing_out_everywhere_ends_cookie_sessions_too(
    client: httpx.AsyncClient, world: World
) -> None:
    await _browser_login(client, world.emails["pa"])

    everywhere = await client.post(f"{API}/auth/logout-everywhere", headers=world.auth("pa"))

    assert everywhere.status_code == 204, everywhere.text
    assert (await client.get(ME)).status_code == 401


async def test_the_event_stream_works_with_the_cookie(
    client: httpx.AsyncClient, world: World
) -> None:
    await _browser_login(client, world.emails["young_person"])

    response = await client.get(f"{API}/events")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")


async def test_staff_with_a_second_factor_sign_in_to_the_cookie_with_their_code(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)

    without_code = await _browser_login(client, world.emails["pa"])
    with_code = await _browser_login(client, world.emails["pa"], otp=totp_clock.code(secret))

    assert without_code.status_code == 401
    assert without_code.json()["otp_required"] is True
    assert "set-cookie" not in without_code.headers
    assert with_code.status_code == 204, with_code.text
    assert (await client.get(ME)).status_code == 200
