"""Sign-in, sessions, passwords and invites: what a signed-in token can do and when it stops."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.auth.users import hash_token
from portal_api.db.base import utcnow
from portal_api.models import AccessToken, AuditEvent, Invite, Organisation, Role, YoungPerson
from portal_api.notifications import outbox
from portal_api.notifications.notifier import RecordingNotifier
from tests.factories import PASSWORD, World, make_user

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/users/me"
NEW_PASSWORD = "a brand new passphrase"


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(LOGIN, data={"username": email, "password": password})


async def _token(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    response = await _login(client, email, password)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _without_instance(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "instance"}


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


async def _change_password(
    client: httpx.AsyncClient, token: str, current: str, new: str
) -> httpx.Response:
    return await client.post(
        f"{ME}/password",
        headers=_bearer(token),
        json={"current_password": current, "new_password": new},
    )


async def _actions(session: AsyncSession) -> list[tuple[str, Any, dict[str, Any]]]:
    rows = await session.execute(
        select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail).order_by(AuditEvent.id)
    )
    return [(action, actor, detail) for action, actor, detail in rows]


# --- signing in and out ----------------------------------------------------------------------


async def test_login_returns_a_token_that_works_on_me(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _login(client, world.emails["pa"], PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"

    me = await client.get(ME, headers=_bearer(body["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["id"] == str(world.users["pa"])
    assert me.json()["role"] == "personal_adviser"
    assert me.json()["young_person_id"] is None


async def test_login_email_is_case_insensitive(client: httpx.AsyncClient, world: World) -> None:
    response = await _login(client, world.emails["pa"].upper(), PASSWORD)
    assert response.status_code == 200, response.text


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, world: World
) -> None:
    wrong_password = await _login(client, world.emails["pa"], "not the password at all")
    unknown_email = await _login(client, "nobody-here@example.org", PASSWORD)

    assert wrong_password.status_code == 401
    assert unknown_email.status_code == wrong_password.status_code
    assert wrong_password.headers["content-type"] == "application/problem+json"
    assert _without_instance(unknown_email.json()) == _without_instance(wrong_password.json())


async def test_disabled_account_cannot_sign_in_and_gets_the_same_answer(
    client: httpx.AsyncClient, world: World
) -> None:
    wrong_password = await _login(client, world.emails["team_manager"], "not the password at all")
    disabled = await client.patch(
        f"/api/v1/staff/{world.users['team_manager']}",
        headers=world.auth("admin"),
        json={"is_active": False},
    )
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["is_active"] is False

    refused = await _login(client, world.emails["team_manager"], PASSWORD)
    assert refused.status_code == wrong_password.status_code
    assert _without_instance(refused.json()) == _without_instance(wrong_password.json())


async def test_disabling_an_account_ends_its_sessions_at_once(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    assert (await client.get(ME, headers=world.auth("team_manager"))).status_code == 200

    disabled = await client.patch(
        f"/api/v1/staff/{world.users['team_manager']}",
        headers=world.auth("admin"),
        json={"is_active": False},
    )
    assert disabled.status_code == 200, disabled.text

    assert (await client.get(ME, headers=world.auth("team_manager"))).status_code == 401
    remaining = await session.scalar(
        select(func.count())
        .select_from(AccessToken)
        .where(AccessToken.user_id == world.users["team_manager"])
    )
    assert remaining == 0


async def test_logout_revokes_the_token(client: httpx.AsyncClient, world: World) -> None:
    token = await _token(client, world.emails["pa"])

    logout = await client.post("/api/v1/auth/logout", headers=_bearer(token))
    assert logout.status_code == 204, logout.text

    assert (await client.get(ME, headers=_bearer(token))).status_code == 401


async def test_logout_leaves_other_sessions_signed_in(
    client: httpx.AsyncClient, world: World
) -> None:
    token = await _token(client, world.emails["pa"])

    await client.post("/api/v1/auth/logout", headers=_bearer(token))

    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 200


async def test_token_older_than_the_session_lifetime_stops_working(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await session.execute(
        update(AccessToken)
        .where(AccessToken.token_hash == hash_token(world.tokens["pa"]))
        .values(created_at=utcnow() - timedelta(hours=8, minutes=1))
    )
    await session.commit()

    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 401


async def test_tokens_are_stored_hashed(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    token = await _token(client, world.emails["pa"])

    stored = list((await session.execute(select(AccessToken.token_hash))).scalars())
    assert token not in stored
    assert not any(token in value for value in stored)
    assert hash_token(token) in stored


# --- passwords -------------------------------------------------------------------------------


async def test_password_change_signs_out_every_session(
    client: httpx.AsyncClient, world: World
) -> None:
    second = await _token(client, world.emails["pa"])

    changed = await _change_password(client, world.tokens["pa"], PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 204, changed.text

    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 401
    assert (await client.get(ME, headers=_bearer(second))).status_code == 401


async def test_after_password_change_the_new_password_works_and_the_old_does_not(
    client: httpx.AsyncClient, world: World
) -> None:
    changed = await _change_password(client, world.tokens["pa"], PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 204, changed.text

    assert (await _login(client, world.emails["pa"], PASSWORD)).status_code == 401
    assert (await _login(client, world.emails["pa"], NEW_PASSWORD)).status_code == 200


async def test_password_change_needs_the_current_password(
    client: httpx.AsyncClient, world: World
) -> None:
    refused = await _change_password(client, world.tokens["pa"], "a wrong guess", NEW_PASSWORD)

    assert refused.status_code == 422
    assert _fields(refused) == ["current_password"]
    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 200


async def test_password_shorter_than_eight_characters_is_refused_naming_the_field(
    client: httpx.AsyncClient, world: World
) -> None:
    refused = await _change_password(client, world.tokens["pa"], PASSWORD, "seven77")

    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert _fields(refused) == ["body.new_password"]
    assert (await _login(client, world.emails["pa"], PASSWORD)).status_code == 200


async def test_long_passphrase_with_spaces_is_accepted(
    client: httpx.AsyncClient, world: World
) -> None:
    passphrase = ("the owl and the pussycat went to sea " * 6)[:199] + "!"
    assert len(passphrase) == 200

    changed = await _change_password(client, world.tokens["pa"], PASSWORD, passphrase)
    assert changed.status_code == 204, changed.text

    assert (await _login(client, world.emails["pa"], passphrase)).status_code == 200


# --- audit -----------------------------------------------------------------------------------


async def test_failed_login_leaves_an_audit_event(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _login(client, world.emails["pa"], "not the password at all")

    assert [(a, actor) for a, actor, _ in await _actions(session)] == [("auth.login_failed", None)]


async def test_login_with_unknown_email_leaves_an_audit_event(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _login(client, "nobody-here@example.org", PASSWORD)

    assert [a for a, _, _ in await _actions(session)] == ["auth.login_failed"]


async def test_successful_login_leaves_an_audit_event(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _token(client, world.emails["pa"])

    events = await _actions(session)
    assert [(a, actor) for a, actor, _ in events] == [("auth.login", world.users["pa"])]


# --- invites (more in test_invites.py) -------------------------------------------------------

INVITE_LINK = re.compile(r"/invite#token=(?P<token>[A-Za-z0-9_-]+)")


async def _invite(
    client: httpx.AsyncClient, world: World, young_person: str = "colleague"
) -> httpx.Response:
    # colleague_pa holds "colleague", who has no account yet.
    return await client.post(
        f"/api/v1/young-people/{world.young_people[young_person]}/invites",
        headers=world.auth("colleague_pa"),
        json={"email": "new.young.person@example.org"},
    )


async def _invite_token(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> str:
    """The token as the young person gets it: from the link the outbox sent them."""
    response = await _invite(client, world)
    assert response.status_code == 201, response.text
    await outbox.deliver_due(sessionmaker, notifier)
    found = INVITE_LINK.search(notifier.sent[-1].text)
    assert found, notifier.sent[-1].text
    return found["token"]


async def _accept(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/v1/invites/accept", json={"token": token, "password": PASSWORD})


async def test_invite_token_is_stored_hashed(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invite_token(client, world, sessionmaker, notifier)

    stored = list((await session.execute(select(Invite.token_hash))).scalars())
    assert stored == [hash_token(token)]


async def test_accepting_an_invite_signs_in_as_that_young_person(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invite_token(client, world, sessionmaker, notifier)

    accepted = await _accept(client, token)
    assert accepted.status_code == 201, accepted.text

    me = await client.get(ME, headers=_bearer(accepted.json()["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["role"] == "young_person"
    assert me.json()["young_person_id"] == str(world.young_people["colleague"])
    assert me.json()["email"] == "new.young.person@example.org"


async def test_accepted_invite_password_signs_in(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invite_token(client, world, sessionmaker, notifier)
    assert (await _accept(client, token)).status_code == 201

    assert (await _login(client, "new.young.person@example.org", PASSWORD)).status_code == 200


async def test_invite_cannot_be_used_twice(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invite_token(client, world, sessionmaker, notifier)
    assert (await _accept(client, token)).status_code == 201

    again = await _accept(client, token)

    assert again.status_code == 404


async def test_expired_invite_is_not_found(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invite_token(client, world, sessionmaker, notifier)
    await session.execute(
        update(Invite)
        .where(Invite.token_hash == hash_token(token))
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    await session.commit()

    assert (await _accept(client, token)).status_code == 404


async def test_unknown_invite_is_not_found(client: httpx.AsyncClient, world: World) -> None:
    assert (await _accept(client, "x" * 43)).status_code == 404


async def test_new_invite_replaces_the_old_one(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    old = await _invite_token(client, world, sessionmaker, notifier)
    new = await _invite_token(client, world, sessionmaker, notifier)

    assert (await _accept(client, old)).status_code == 404
    assert (await _accept(client, new)).status_code == 201


async def test_invite_password_shorter_than_eight_characters_is_refused(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invite_token(client, world, sessionmaker, notifier)

    refused = await client.post(
        "/api/v1/invites/accept", json={"token": token, "password": "short"}
    )

    assert refused.status_code == 422
    assert _fields(refused) == ["body.password"]
    assert (await _accept(client, token)).status_code == 201


async def test_invite_for_someone_who_since_got_an_account_is_a_conflict(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invite_token(client, world, sessionmaker, notifier)
    # Meanwhile an account was made for them another way (`portal create-user --young-person`).
    org = await session.get(Organisation, world.org_id)
    person = await session.get(YoungPerson, world.young_people["colleague"])
    assert org is not None
    assert person is not None
    await make_user(session, org, Role.young_person, young_person=person)
    await session.commit()

    response = await _accept(client, token)

    assert response.status_code == 409, response.text


async def test_inviting_a_young_person_who_has_an_account_is_a_conflict(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"/api/v1/young-people/{world.young_people['own']}/invites",
        headers=world.auth("pa"),
        json={"email": "someone.else@example.org"},
    )

    assert response.status_code == 409, response.text
