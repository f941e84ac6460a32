"""Push subscriptions belong to the session that made them and can be removed; a push carries
only ``{template, lang}``; a young person is told the ways they chose, SMS when no phone takes a
push; and an urgent alert reaches staff by SMS whether or not they have push."""

from __future__ import annotations

import json
import uuid
from typing import Any
from unittest.mock import patch

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import NotificationOutbox, PushSubscription, User, YoungPerson
from portal_api.notifications import outbox
from portal_api.notifications.notifier import (
    Delivery,
    NotifierError,
    RecordingNotifier,
    WebPushNotifier,
)
from tests.factories import PASSWORD, World


@pytest.fixture(autouse=True)
def outside_quiet_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    """A young person's notices wait out the council's quiet hours (21:00 to 08:00 by default;
    tests/messaging/test_notifications.py tests that). These tests are about channels, so their
    notices are due at once whatever the time of day the suite runs at: run after 21:00 they
    found nothing due and failed."""
    monkeypatch.setattr(outbox, "after_quiet_hours", lambda moment, *_: moment)


API = "/api/v1"
PUSH = f"{API}/users/me/push-subscriptions"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/phone-1"
OTHER_ENDPOINT = "https://fcm.googleapis.com/fcm/send/phone-2"
MOBILE = "+447700900123"
SECRET_BODY = "Meet me at the back of 4 Quiet Road"


def _subscription(endpoint: str = ENDPOINT) -> dict[str, str]:
    return {"endpoint": endpoint, "p256dh": "BPp256dh-key-0123456789", "auth": "auth-secret"}


async def _subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint: str = ENDPOINT
) -> None:
    response = await client.post(PUSH, json=_subscription(endpoint), headers=headers)
    assert response.status_code == 204, response.text


async def _endpoints(sessionmaker: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessionmaker() as session:
        return set(await session.scalars(select(PushSubscription.endpoint)))


async def _sign_in(client: httpx.AsyncClient, world: World, who: str) -> dict[str, str]:
    response = await client.post(
        f"{API}/auth/login", data={"username": world.emails[who], "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _rows(sessionmaker: async_sessionmaker[AsyncSession]) -> list[NotificationOutbox]:
    async with sessionmaker() as session:
        found = await session.scalars(
            select(NotificationOutbox).order_by(NotificationOutbox.created_at)
        )
        return list(found)


async def _young_person_mobile(
    sessionmaker: async_sessionmaker[AsyncSession], world: World
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(YoungPerson)
            .where(YoungPerson.id == world.young_people["own"])
            .values(mobile=MOBILE)
        )


async def _staff_reply(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages",
        json={"body": SECRET_BODY},
        headers=world.auth("pa") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text


async def _need_help_now(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(
        f"{API}/young-people/me/check-ins",
        json={"mood": "need_help_now"},
        headers=world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text


# --- unsubscribing -------------------------------------------------------------------------------


async def test_unsubscribing_removes_the_endpoint_and_a_second_time_is_still_204(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = world.auth("young_person")
    await _subscribe(client, headers)
    await _subscribe(client, headers, OTHER_ENDPOINT)

    first = await client.request("DELETE", PUSH, json={"endpoint": ENDPOINT}, headers=headers)
    again = await client.request("DELETE", PUSH, json={"endpoint": ENDPOINT}, headers=headers)

    assert (first.status_code, again.status_code) == (204, 204)
    assert await _endpoints(sessionmaker) == {OTHER_ENDPOINT}


async def test_nobody_can_unsubscribe_another_accounts_endpoint(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _subscribe(client, world.auth("young_person"))

    response = await client.request(
        "DELETE", PUSH, json={"endpoint": ENDPOINT}, headers=world.auth("pa")
    )

    # The same answer as for an endpoint nobody has: whose it is does not leak.
    assert response.status_code == 204
    assert await _endpoints(sessionmaker) == {ENDPOINT}


# --- tied to the session --------------------------------------------------------------------------


async def test_signing_out_removes_that_sessions_subscriptions_only(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    phone = await _sign_in(client, world, "young_person")
    laptop = await _sign_in(client, world, "young_person")
    await _subscribe(client, phone, ENDPOINT)
    await _subscribe(client, laptop, OTHER_ENDPOINT)

    response = await client.post(f"{API}/auth/logout", headers=phone)

    assert response.status_code == 204
    assert await _endpoints(sessionmaker) == {OTHER_ENDPOINT}


async def test_signing_out_everywhere_removes_every_subscription(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    phone = await _sign_in(client, world, "young_person")
    await _subscribe(client, phone, ENDPOINT)
    await _subscribe(client, world.auth("young_person"), OTHER_ENDPOINT)
    await _subscribe(client, world.auth("pa"), "https://fcm.googleapis.com/fcm/send/pa-phone")

    response = await client.post(f"{API}/auth/logout-everywhere", headers=phone)

    assert response.status_code == 204
    assert await _endpoints(sessionmaker) == {"https://fcm.googleapis.com/fcm/send/pa-phone"}


async def test_the_same_phone_signing_in_again_belongs_to_the_new_session(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    first = await _sign_in(client, world, "young_person")
    await _subscribe(client, first)
    second = await _sign_in(client, world, "young_person")
    await _subscribe(client, second)

    await client.post(f"{API}/auth/logout", headers=first)

    assert await _endpoints(sessionmaker) == {ENDPOINT}


async def test_a_browser_signing_out_of_its_cookie_session_removes_its_subscription(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    signed_in = await client.post(
        f"{API}/auth/cookie/login",
        data={"username": world.emails["young_person"], "password": PASSWORD},
    )
    assert signed_in.status_code == 204, signed_in.text
    csrf = {"X-Requested-With": "portal"}
    await _subscribe(client, csrf)

    response = await client.post(f"{API}/auth/cookie/logout", headers=csrf)

    assert response.status_code == 204
    assert await _endpoints(sessionmaker) == set()


# --- what a push carries and who is told which way -------------------------------------------


async def test_a_push_carries_the_template_and_the_young_persons_language_only(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await client.patch(
        f"{API}/users/me/preferences",
        json={"preferred_language": "ar"},
        headers=world.auth("young_person"),
    )
    await _subscribe(client, world.auth("young_person"))
    await _staff_reply(client, world)
    notifier = RecordingNotifier()

    await outbox.deliver_due(sessionmaker, notifier)

    [push] = [d for d in notifier.sent if d.channel == "push"]
    assert (push.template, push.lang) == ("new_message_for_young_person", "ar")
    sent: list[Any] = []
    with patch("pywebpush.webpush", side_effect=lambda **kw: sent.append(kw)):
        await WebPushNotifier("private-key", "mailto:test@example.org").send(push)
    assert json.loads(sent[0]["data"]) == {"template": "new_message_for_young_person", "lang": "ar"}


async def test_a_young_person_who_chose_not_to_be_told_gets_nothing_queued(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _young_person_mobile(sessionmaker, world)
    await _subscribe(client, world.auth("young_person"))
    chosen = await client.patch(
        f"{API}/users/me/preferences", json={"notify_by": []}, headers=world.auth("young_person")
    )
    assert chosen.status_code == 200, chosen.text

    await _staff_reply(client, world)

    assert await _rows(sessionmaker) == []


async def test_a_young_person_who_put_sms_first_is_texted_not_pushed(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _young_person_mobile(sessionmaker, world)
    await _subscribe(client, world.auth("young_person"))
    await client.patch(
        f"{API}/users/me/preferences",
        json={"notify_by": ["sms", "push"]},
        headers=world.auth("young_person"),
    )

    await _staff_reply(client, world)

    assert [r.channel for r in await _rows(sessionmaker)] == ["sms"]


async def test_when_no_phone_takes_the_push_the_young_person_is_texted(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _young_person_mobile(sessionmaker, world)
    await _subscribe(client, world.auth("young_person"))
    await _staff_reply(client, world)

    class Gone(RecordingNotifier):
        async def send(self, delivery: Delivery) -> None:
            if delivery.channel == "push":
                raise NotifierError("push service said 410", gone=True)
            await super().send(delivery)

    notifier = Gone()
    await outbox.deliver_due(sessionmaker, notifier)
    await outbox.deliver_due(sessionmaker, notifier)

    assert [(d.channel, d.to) for d in notifier.sent] == [("sms", MOBILE)]
    assert SECRET_BODY not in notifier.sent[0].text


async def test_a_push_that_is_delivered_sends_no_sms_as_well(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _young_person_mobile(sessionmaker, world)
    await _subscribe(client, world.auth("young_person"))
    await _staff_reply(client, world)
    notifier = RecordingNotifier()

    await outbox.deliver_due(sessionmaker, notifier)
    await outbox.deliver_due(sessionmaker, notifier)

    assert [d.channel for d in notifier.sent] == ["push"]


async def test_need_help_now_texts_a_pa_with_a_mobile_even_when_they_have_push(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.id == world.users["pa"]).values(mobile=MOBILE)
        )
    await _subscribe(client, world.auth("pa"))

    await _need_help_now(client, world)
    notifier = RecordingNotifier()
    await outbox.deliver_due(sessionmaker, notifier)

    assert sorted((d.channel, d.to) for d in notifier.sent) == [
        ("email", world.emails["pa"]),
        ("push", ENDPOINT),
        ("sms", MOBILE),
    ]
    assert {d.template for d in notifier.sent} == {"need_help_now"}


async def test_an_ordinary_message_does_not_text_staff(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User).where(User.id == world.users["pa"]).values(mobile=MOBILE)
        )
    response = await client.post(
        f"{API}/young-people/me/messages",
        json={"body": "Just saying hi"},
        headers=world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text

    assert [r.channel for r in await _rows(sessionmaker)] == ["email"]
