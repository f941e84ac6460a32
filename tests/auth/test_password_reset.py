"""Forgetting a password: one answer whether or not the email has an account, a single-use
short-lived link stored only as a hash, every session ended, and two-step sign-in untouched."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.auth.users import hash_token
from portal_api.db.base import utcnow
from portal_api.models import AccessToken, AuditEvent, User
from portal_api.models.user import PasswordReset
from portal_api.notifications.notifier import RecordingNotifier
from tests.auth.support import API, ME, TotpClock, bearer, client_at, enrol, login
from tests.factories import PASSWORD, World

FORGOT = f"{API}/auth/forgot-password"
RESET = f"{API}/auth/reset-password"
NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"https?://\S+/reset-password#token=(?P<token>[A-Za-z0-9_-]+)")


async def _forgot(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(FORGOT, json={"email": email})


def _token_sent_to(notifier: RecordingNotifier, email: str) -> str:
    sent = [d for d in notifier.sent if d.to == email]
    assert len(sent) == 1, sent
    assert sent[0].channel == "email"
    assert sent[0].template == "password_reset"
    found = LINK.search(sent[0].text)
    assert found, sent[0].text
    return found["token"]


async def _reset(
    client: httpx.AsyncClient, token: str, password: str = NEW_PASSWORD
) -> httpx.Response:
    return await client.post(RESET, json={"token": token, "new_password": password})


async def _reset_link(client: httpx.AsyncClient, notifier: RecordingNotifier, email: str) -> str:
    response = await _forgot(client, email)
    assert response.status_code == 202, response.text
    return _token_sent_to(notifier, email)


# --- asking ---------------------------------------------------------------------------------


async def test_known_and_unknown_emails_get_the_same_answer(
    client: httpx.AsyncClient, world: World, notifier: RecordingNotifier
) -> None:
    known = await _forgot(client, world.emails["pa"])
    unknown = await _forgot(client, "nobody-here@example.org")
    malformed = await _forgot(client, "not an email at all")

    assert known.status_code == unknown.status_code == malformed.status_code == 202
    assert known.json() == unknown.json() == malformed.json()
    assert known.headers.get("content-length") == unknown.headers.get("content-length")


async def test_a_known_email_is_sent_a_link_and_an_unknown_one_nothing(
    client: httpx.AsyncClient, world: World, session: AsyncSession, notifier: RecordingNotifier
) -> None:
    await _forgot(client, world.emails["pa"].upper())
    await _forgot(client, "nobody-here@example.org")

    assert [d.to for d in notifier.sent] == [world.emails["pa"]]
    rows = list((await session.execute(select(PasswordReset.user_id))).scalars())
    assert rows == [world.users["pa"]]


async def test_a_disabled_account_is_sent_nothing(
    client: httpx.AsyncClient, world: World, session: AsyncSession, notifier: RecordingNotifier
) -> None:
    await session.execute(update(User).where(User.id == world.users["pa"]).values(is_active=False))
    await session.commit()

    response = await _forgot(client, world.emails["pa"])

    assert response.status_code == 202
    assert notifier.sent == []


async def test_the_link_is_stored_only_as_a_hash(
    client: httpx.AsyncClient, world: World, session: AsyncSession, notifier: RecordingNotifier
) -> None:
    token = await _reset_link(client, notifier, world.emails["pa"])

    stored = list((await session.execute(select(PasswordReset.token_hash))).scalars())
    assert stored == [hash_token(token)]


async def test_the_link_is_never_logged(
    client: httpx.AsyncClient,
    world: World,
    notifier: RecordingNotifier,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    token = await _reset_link(client, notifier, world.emails["pa"])
    await _reset(client, token)

    assert token not in "\n".join(r.getMessage() for r in caplog.records)


async def test_a_new_request_replaces_the_old_link(
    client: httpx.AsyncClient, world: World, notifier: RecordingNotifier
) -> None:
    old = await _reset_link(client, notifier, world.emails["pa"])
    notifier.sent.clear()
    new = await _reset_link(client, notifier, world.emails["pa"])

    assert (await _reset(client, old)).status_code == 404
    assert (await _reset(client, new)).status_code == 204


async def test_asking_again_and_again_has_to_wait_known_or_not(
    app: FastAPI, world: World, notifier: RecordingNotifier
) -> None:
    answers = {}
    for email, address in (
        (world.emails["pa"], "198.51.100.20"),
        ("nobody@example.org", "198.51.100.21"),
    ):
        async with client_at(app, address) as client:
            for _ in range(3):
                assert (await _forgot(client, email)).status_code == 202
            answers[email] = await _forgot(client, email)

    known, unknown = answers[world.emails["pa"]], answers["nobody@example.org"]
    assert known.status_code == unknown.status_code == 429
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]
    assert len([d for d in notifier.sent if d.to == world.emails["pa"]]) == 3


# --- resetting ------------------------------------------------------------------------------


async def test_the_link_sets_a_new_password_and_the_old_one_stops_working(
    client: httpx.AsyncClient, world: World, notifier: RecordingNotifier
) -> None:
    token = await _reset_link(client, notifier, world.emails["pa"])

    response = await _reset(client, token)

    assert response.status_code == 204, response.text
    assert (await login(client, world.emails["pa"], PASSWORD)).status_code == 401
    assert (await login(client, world.emails["pa"], NEW_PASSWORD)).status_code == 200


async def test_a_reset_signs_out_every_session(
    client: httpx.AsyncClient, world: World, session: AsyncSession, notifier: RecordingNotifier
) -> None:
    second = (await login(client, world.emails["pa"])).json()["access_token"]
    token = await _reset_link(client, notifier, world.emails["pa"])

    assert (await _reset(client, token)).status_code == 204

    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 401
    assert (await client.get(ME, headers=bearer(second))).status_code == 401
    remaining = await session.scalar(
        select(func.count())
        .select_from(AccessToken)
        .where(AccessToken.user_id == world.users["pa"])
    )
    assert remaining == 0


async def test_the_link_works_once(
    client: httpx.AsyncClient, world: World, notifier: RecordingNotifier
) -> None:
    token = await _reset_link(client, notifier, world.emails["pa"])
    assert (await _reset(client, token)).status_code == 204

    again = await _reset(client, token, "yet another passphrase")

    assert again.status_code == 404
    assert again.headers["content-type"] == "application/problem+json"
    assert (await login(client, world.emails["pa"], NEW_PASSWORD)).status_code == 200


async def test_an_expired_link_and_a_made_up_one_get_the_same_answer(
    client: httpx.AsyncClient, world: World, session: AsyncSession, notifier: RecordingNotifier
) -> None:
    token = await _reset_link(client, notifier, world.emails["pa"])
    await session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    await session.commit()

    expired = await _reset(client, token)
    made_up = await _reset(client, "x" * 43)

    assert expired.status_code == made_up.status_code == 404
    assert {k: v for k, v in expired.json().items() if k != "instance"} == {
        k: v for k, v in made_up.json().items() if k != "instance"
    }
    assert (await login(client, world.emails["pa"], PASSWORD)).status_code == 200


async def test_the_link_lasts_thirty_minutes(
    client: httpx.AsyncClient, world: World, session: AsyncSession, notifier: RecordingNotifier
) -> None:
    before = utcnow()
    await _reset_link(client, notifier, world.emails["pa"])

    expires = await session.scalar(select(PasswordReset.expires_at))

    assert expires is not None
    assert timedelta(minutes=29) < expires - before <= timedelta(minutes=31)


async def test_a_short_new_password_is_refused_and_the_link_still_works(
    client: httpx.AsyncClient, world: World, notifier: RecordingNotifier
) -> None:
    token = await _reset_link(client, notifier, world.emails["pa"])

    refused = await _reset(client, token, "short")

    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.new_password"]
    assert (await _reset(client, token)).status_code == 204


async def test_a_reset_never_turns_off_two_step_sign_in(
    client: httpx.AsyncClient, world: World, notifier: RecordingNotifier, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)
    token = await _reset_link(client, notifier, world.emails["pa"])
    assert (await _reset(client, token)).status_code == 204

    password_only = await login(client, world.emails["pa"], NEW_PASSWORD)
    assert password_only.status_code == 401
    assert password_only.json()["otp_required"] is True
    with_code = await login(client, world.emails["pa"], NEW_PASSWORD, otp=totp_clock.code(secret))
    assert with_code.status_code == 200, with_code.text


async def test_a_reset_lets_the_owner_in_at_once_while_someone_fails_at_their_password(
    app: FastAPI, world: World, notifier: RecordingNotifier
) -> None:
    async with client_at(app, "198.51.100.30") as attacker:
        for _ in range(5):
            await login(attacker, world.emails["pa"], "a guess at the password")
    async with client_at(app, "203.0.113.30") as owner:
        assert (await login(owner, world.emails["pa"], PASSWORD)).status_code == 429
        token = await _reset_link(owner, notifier, world.emails["pa"])
        assert (await _reset(owner, token)).status_code == 204

        assert (await login(owner, world.emails["pa"], NEW_PASSWORD)).status_code == 200


async def test_asking_for_and_using_a_link_are_audited(
    client: httpx.AsyncClient, world: World, session: AsyncSession, notifier: RecordingNotifier
) -> None:
    token = await _reset_link(client, notifier, world.emails["pa"])
    await _reset(client, token)

    events = (
        await session.execute(
            select(AuditEvent.action, AuditEvent.actor_id).order_by(AuditEvent.id)
        )
    ).all()
    assert [(a, actor) for a, actor in events] == [
        ("auth.password_reset_requested", world.users["pa"]),
        ("auth.password_reset", world.users["pa"]),
    ]
