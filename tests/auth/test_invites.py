"""Only the young person gets in: an invite or a staff-started reset goes to the young person
(SMS or email, through the outbox), staff learn only that it went; a mobile alone is enough to
have an account, sign in and reset a password."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.auth.users import hash_token
from portal_api.config import Settings
from portal_api.db.base import utcnow
from portal_api.models import AuditEvent, Invite, NotificationOutbox, Organisation, YoungPerson
from portal_api.notifications import outbox
from portal_api.notifications.notifier import Delivery, RecordingNotifier
from portal_api.notifications.wiring import make_notifier
from tests.auth.support import API, ME, bearer, login, without_instance
from tests.factories import PASSWORD, World

INVITE_LINK = re.compile(r"(?P<base>https?://\S+)/invite#token=(?P<token>[A-Za-z0-9_-]+)")
RESET_LINK = re.compile(r"https?://\S+/reset-password#token=(?P<token>[A-Za-z0-9_-]+)")
MOBILE = "07700 900123"
E164 = "+447700900123"
NEW_PASSWORD = "a brand new passphrase"


def _invites(world: World, person: str = "colleague") -> str:
    return f"{API}/young-people/{world.young_people[person]}/invites"


async def _set_record(
    session: AsyncSession, world: World, person: str = "colleague", **values: Any
) -> None:
    await session.execute(
        update(YoungPerson).where(YoungPerson.id == world.young_people[person]).values(**values)
    )
    await session.commit()


async def _invite(
    client: httpx.AsyncClient, world: World, body: dict[str, Any] | None = None
) -> httpx.Response:
    # colleague_pa holds "colleague", who has no account yet.
    return await client.post(_invites(world), headers=world.auth("colleague_pa"), json=body or {})


async def _deliver(
    sessionmaker: async_sessionmaker[AsyncSession], notifier: RecordingNotifier
) -> list[Delivery]:
    before = len(notifier.sent)
    await outbox.deliver_due(sessionmaker, notifier)
    return notifier.sent[before:]


def _token_in(delivery: Delivery, link: re.Pattern[str] = INVITE_LINK) -> str:
    found = link.search(delivery.text)
    assert found, delivery.text
    assert delivery.personalisation["link"] == found[0]
    return found["token"]


async def _accept(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(f"{API}/invites/accept", json={"token": token, "password": PASSWORD})


async def _invited_by_sms(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> str:
    await _set_record(session, world, mobile=MOBILE, email=None)
    response = await _invite(client, world)
    assert response.status_code == 201, response.text
    (sent,) = await _deliver(sessionmaker, notifier)
    return _token_in(sent)


# --- the invite goes to the young person, not to staff ---------------------------------------


async def test_a_pas_invite_answer_holds_no_token_and_the_link_arrives_by_sms(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
    settings: Settings,
) -> None:
    await _set_record(session, world, mobile=MOBILE)

    response = await _invite(client, world)

    assert response.status_code == 201, response.text
    answer = response.json()
    assert "token" not in answer
    assert answer["state"] == "sent"
    assert answer["channel"] == "sms"
    assert answer["sent_to"] == "07••• ••• 123"
    assert answer["delivery"] == "queued"
    (sent,) = await _deliver(sessionmaker, notifier)
    assert (sent.channel, sent.to, sent.template) == ("sms", E164, "invite")
    token = _token_in(sent)
    assert INVITE_LINK.search(sent.text)["base"] == settings.public_url  # type: ignore[index]
    org = await session.get(Organisation, world.org_id)
    assert org is not None
    assert sent.personalisation["council"] == org.name
    # Nothing staff were given carries the token, in any form.
    assert token not in response.text
    assert hash_token(token) not in response.text


async def test_accepting_the_link_the_young_person_received_signs_them_in(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invited_by_sms(client, world, session, sessionmaker, notifier)

    accepted = await _accept(client, token)

    assert accepted.status_code == 201, accepted.text
    me = await client.get(ME, headers=bearer(accepted.json()["access_token"]))
    assert me.json()["young_person_id"] == str(world.young_people["colleague"])
    assert (me.json()["email"], me.json()["mobile"]) == (None, E164)


async def test_staff_may_send_the_invite_by_email_instead(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    await _set_record(session, world, mobile=MOBILE)

    response = await _invite(client, world, {"email": "Young.Person@Example.org"})

    assert response.status_code == 201, response.text
    assert (response.json()["channel"], response.json()["sent_to"]) == ("email", "y•••@example.org")
    (sent,) = await _deliver(sessionmaker, notifier)
    assert (sent.channel, sent.to) == ("email", "young.person@example.org")
    assert (await _accept(client, _token_in(sent))).status_code == 201
    assert (await login(client, "young.person@example.org")).status_code == 200


async def test_without_a_mobile_the_invite_goes_to_the_records_email(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    await _set_record(session, world, mobile=None, email="colleague.yp@example.org")

    response = await _invite(client, world)

    assert response.json()["channel"] == "email"
    (sent,) = await _deliver(sessionmaker, notifier)
    assert sent.to == "colleague.yp@example.org"


async def test_an_invite_with_nowhere_to_go_names_the_field(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _set_record(session, world, mobile=None, email=None)

    response = await _invite(client, world)

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["channel"]


async def test_sending_again_stops_the_last_link_working(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    old = await _invited_by_sms(client, world, session, sessionmaker, notifier)

    again = await _invite(client, world)
    (sent,) = await _deliver(sessionmaker, notifier)
    new = _token_in(sent)

    assert again.status_code == 201
    assert (await client.get(f"{API}/invites/{old}")).status_code == 404
    assert (await _accept(client, old)).status_code == 404
    assert (await _accept(client, new)).status_code == 201


async def test_sending_again_before_the_first_went_sends_only_the_new_link(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    await _set_record(session, world, mobile=MOBILE)
    await _invite(client, world)
    await _invite(client, world)

    sent = await _deliver(sessionmaker, notifier)

    assert len(sent) == 1
    assert (await _accept(client, _token_in(sent[0]))).status_code == 201


async def test_the_link_is_wiped_from_the_outbox_once_sent(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invited_by_sms(client, world, session, sessionmaker, notifier)

    payloads = list((await session.execute(select(NotificationOutbox.payload))).scalars())

    assert len(payloads) == 1
    assert token not in repr(payloads)


async def test_the_invite_status_says_none_sent_expired_and_accepted(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    latest = f"{_invites(world)}/latest"
    headers = world.auth("colleague_pa")
    assert (await client.get(latest, headers=headers)).json()["state"] == "none"

    token = await _invited_by_sms(client, world, session, sessionmaker, notifier)
    sent = (await client.get(latest, headers=headers)).json()
    assert (sent["state"], sent["channel"], sent["delivery"]) == ("sent", "sms", "sent")
    assert sent["sent_to"] == "07••• ••• 123"
    assert token not in repr(sent)

    await session.execute(update(Invite).values(expires_at=utcnow() - timedelta(minutes=1)))
    await session.commit()
    assert (await client.get(latest, headers=headers)).json()["state"] == "expired"

    await session.execute(update(Invite).values(expires_at=utcnow() + timedelta(hours=1)))
    await session.commit()
    assert (await _accept(client, token)).status_code == 201
    assert (await client.get(latest, headers=headers)).json()["state"] == "accepted"


async def test_inviting_someone_with_an_account_says_to_start_a_reset(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(_invites(world, "own"), headers=world.auth("pa"), json={})

    assert response.status_code == 409, response.text
    assert "password reset" in response.json()["detail"]


# --- the set-up screen's greeting -------------------------------------------------------------


async def test_a_live_invite_greets_with_the_councils_name_only(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invited_by_sms(client, world, session, sessionmaker, notifier)

    response = await client.get(f"{API}/invites/{token}")

    org = await session.get(Organisation, world.org_id)
    assert org is not None
    assert response.status_code == 200, response.text
    assert response.json() == {"organisation_name": org.name}


async def test_unknown_used_and_expired_invites_get_one_answer(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    used = await _invited_by_sms(client, world, session, sessionmaker, notifier)
    assert (await _accept(client, used)).status_code == 201
    await _set_record(session, world, "other_team", mobile="07700 900456")
    await client.post(_invites(world, "other_team"), headers=world.auth("south_pa"), json={})
    (sent,) = await _deliver(sessionmaker, notifier)
    expired = _token_in(sent)
    await session.execute(
        update(Invite)
        .where(Invite.token_hash == hash_token(expired))
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()

    answers = [await client.get(f"{API}/invites/{t}") for t in (used, expired, "x" * 43)]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert len({repr(without_instance(a.json())) for a in answers}) == 1


# --- a mobile is enough -----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "447700900123"])
async def test_a_mobile_only_young_person_signs_in_with_their_number_however_written(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
    typed: str,
) -> None:
    token = await _invited_by_sms(client, world, session, sessionmaker, notifier)
    assert (await _accept(client, token)).status_code == 201

    signed_in = await login(client, typed)

    assert signed_in.status_code == 200, signed_in.text
    me = await client.get(ME, headers=bearer(signed_in.json()["access_token"]))
    assert me.json()["young_person_id"] == str(world.young_people["colleague"])


async def test_a_mobile_only_young_person_resets_their_password_by_sms(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    token = await _invited_by_sms(client, world, session, sessionmaker, notifier)
    assert (await _accept(client, token)).status_code == 201
    notifier.sent.clear()

    asked = await client.post(f"{API}/auth/forgot-password", json={"username": MOBILE})
    nobody = await client.post(f"{API}/auth/forgot-password", json={"username": "07700 900999"})

    assert asked.status_code == nobody.status_code == 202
    assert asked.json() == nobody.json()
    (sent,) = notifier.sent
    assert (sent.channel, sent.to, sent.template) == ("sms", E164, "password_reset")
    reset = await client.post(
        f"{API}/auth/reset-password",
        json={"token": _token_in(sent, RESET_LINK), "new_password": NEW_PASSWORD},
    )
    assert reset.status_code == 204, reset.text
    assert (await login(client, MOBILE, NEW_PASSWORD)).status_code == 200


@pytest.mark.parametrize("mobile", ["01632 960000", "+33 6 12 34 56 78", "0770090012"])
async def test_a_young_person_record_takes_only_a_uk_mobile(
    client: httpx.AsyncClient, world: World, mobile: str
) -> None:
    response = await client.patch(
        f"{API}/young-people/{world.young_people['own']}",
        headers=world.auth("pa"),
        json={"mobile": mobile},
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.mobile"]


async def test_a_young_person_record_keeps_a_mobile_in_one_spelling(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.patch(
        f"{API}/young-people/{world.young_people['own']}",
        headers=world.auth("pa"),
        json={"mobile": "+44 (0)7700 900123"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["mobile"] == E164


# --- staff start a reset; the young person gets the link ----------------------------------------


async def test_a_staff_started_reset_sends_the_link_to_the_young_person_not_to_staff(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    await _set_record(session, world, "own", mobile=MOBILE)

    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/password-reset",
        headers=world.auth("pa"),
        json={},
    )

    assert response.status_code == 202, response.text
    assert set(response.json()) == {"channel", "sent_to", "sent_at", "expires_at"}
    assert (response.json()["channel"], response.json()["sent_to"]) == ("sms", "07••• ••• 123")
    (sent,) = await _deliver(sessionmaker, notifier)
    assert (sent.channel, sent.to, sent.template) == ("sms", E164, "password_reset")
    token = _token_in(sent, RESET_LINK)
    assert token not in response.text
    # Nothing changes until the young person uses it: their password still works.
    assert (await login(client, world.emails["young_person"])).status_code == 200
    reset = await client.post(
        f"{API}/auth/reset-password", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert reset.status_code == 204, reset.text
    assert (await login(client, world.emails["young_person"], NEW_PASSWORD)).status_code == 200
    audited = await session.scalar(
        select(AuditEvent).where(AuditEvent.action == "auth.password_reset_started")
    )
    assert audited is not None
    assert (audited.actor_id, audited.young_person_id) == (
        world.users["pa"],
        world.young_people["own"],
    )


async def test_a_staff_started_reset_without_a_mobile_goes_by_email(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    notifier: RecordingNotifier,
) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/password-reset",
        headers=world.auth("pa"),
        json={},
    )

    assert response.json()["channel"] == "email"
    (sent,) = await _deliver(sessionmaker, notifier)
    assert (sent.channel, sent.to) == ("email", world.emails["young_person"])


async def test_a_reset_for_someone_without_an_account_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['colleague']}/password-reset",
        headers=world.auth("colleague_pa"),
        json={},
    )

    assert response.status_code == 409, response.text
    assert "invite" in response.json()["detail"]


# --- the recording notifier: links in the log in the demo and development only -----------------


@pytest.mark.parametrize(
    ("environment", "logged"), [("demo", True), ("dev", True), ("test", False)]
)
async def test_the_recording_notifier_logs_links_only_in_the_demo_and_development(
    settings: Settings, caplog: pytest.LogCaptureFixture, environment: str, logged: bool
) -> None:
    recording = make_notifier(settings.model_copy(update={"environment": environment}))
    assert isinstance(recording, RecordingNotifier)
    caplog.set_level(logging.DEBUG)
    link = "http://localhost:8000/invite#token=abcdefghijklmnop"

    await recording.send(
        Delivery(
            "sms", E164, "invite", f"Choose a password: {link}", personalisation={"link": link}
        )
    )

    assert (link in caplog.text) is logged
