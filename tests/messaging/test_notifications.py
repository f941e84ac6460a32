"""Notifications through the outbox: rows written with the message, delivered by the worker with
retries and backoff, ``failed`` after the last try and listed for staff; push subscriptions that
are gone are forgotten; nothing sent carries message text; young people get no buzzing phone at
night unless it is urgent; and a broken notifier never fails a send."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import LONDON
from portal_api.config import Settings
from portal_api.db import base
from portal_api.main import create_app
from portal_api.messaging import service
from portal_api.models import NotificationOutbox, OutboxStatus, PushSubscription, YoungPerson
from portal_api.notifications import outbox
from portal_api.notifications.notifier import (
    TEXTS,
    Delivery,
    NotifierError,
    NotifyNotifier,
    RecordingNotifier,
    WebPushNotifier,
)
from tests.factories import World

API = "/api/v1"
WEEKDAY_MORNING = datetime(2026, 11, 11, 10, 0, tzinfo=LONDON)  # Wednesday
WINTER_NIGHT = datetime(2026, 11, 11, 22, 0, tzinfo=LONDON)
SUMMER_NIGHT = datetime(2026, 7, 1, 22, 30, tzinfo=LONDON)  # BST
MOBILE = "07700 900123"
SECRET_BODY = "My new address is 12 Hidden Lane"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"

SetClock = Callable[[datetime], None]


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SetClock:
    """Place "now" for messaging (sending, the outbox and its worker)."""
    users = [
        module
        for name, module in sorted(sys.modules.items())
        if name.startswith(
            ("portal_api.messaging", "portal_api.notifications", "portal_api.summary")
        )
        and getattr(module, "utcnow", None) is base.utcnow
    ]
    assert service in users
    assert outbox in users

    def set_now(moment: datetime) -> None:
        fixed = moment.astimezone(UTC)
        for module in users:
            monkeypatch.setattr(module, "utcnow", lambda: fixed)

    return set_now


async def _send(
    client: httpx.AsyncClient, world: World, body: str = SECRET_BODY, *, who: str = "young_person"
) -> Any:
    target = "me" if who == "young_person" else world.young_people["own"]
    response = await client.post(
        f"{API}/young-people/{target}/messages",
        json={"body": body},
        headers=world.auth(who) | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _rows(sessionmaker: async_sessionmaker[AsyncSession]) -> list[NotificationOutbox]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(NotificationOutbox).order_by(NotificationOutbox.channel)
        )
        return list(rows.scalars())


async def _row(sessionmaker: async_sessionmaker[AsyncSession]) -> NotificationOutbox:
    [row] = await _rows(sessionmaker)
    return row


async def _give_young_person_a_mobile(
    sessionmaker: async_sessionmaker[AsyncSession], world: World
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(YoungPerson)
            .where(YoungPerson.id == world.young_people["own"])
            .values(mobile=MOBILE)
        )


async def _subscribe_to_push(client: httpx.AsyncClient, world: World, who: str) -> None:
    response = await client.post(
        f"{API}/users/me/push-subscriptions",
        json={"endpoint": ENDPOINT, "p256dh": "BPp256dh-key-0123456789", "auth": "auth-secret"},
        headers=world.auth(who),
    )
    assert response.status_code == 204, response.text


class GoneForPush(RecordingNotifier):
    """The push service says the subscription is gone (410); email and SMS go through."""

    async def send(self, delivery: Delivery) -> None:
        if delivery.channel == "push":
            raise NotifierError("push service said 410", gone=True)
        await super().send(delivery)


class UnreachableForPush(RecordingNotifier):
    """The push service cannot be reached at all (no HTTP answer); email and SMS go through."""

    async def send(self, delivery: Delivery) -> None:
        if delivery.channel == "push":
            raise ConnectionError("push service unreachable")
        await super().send(delivery)


# --- what is queued ----------------------------------------------------------------------------


async def test_a_young_persons_message_queues_an_email_for_their_pa(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _send(client, world)

    rows = await _rows(sessionmaker)

    assert [
        (r.user_id, r.channel, r.template, r.status, r.young_person_id, r.attempts) for r in rows
    ] == [
        (
            world.users["pa"],
            "email",
            "new_message_for_staff",
            OutboxStatus.pending,
            world.young_people["own"],
            0,
        )
    ]
    assert SECRET_BODY not in str(rows[0].payload)


async def test_a_young_person_without_a_mobile_or_push_gets_nothing_queued(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _send(client, world, who="pa")

    assert await _rows(sessionmaker) == []


# --- delivery ---------------------------------------------------------------------------------


async def test_the_worker_delivers_the_email_without_the_message_text(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _send(client, world)
    notifier = RecordingNotifier()

    tried = await outbox.deliver_due(sessionmaker, notifier)

    assert tried == 1
    assert notifier.sent == [
        Delivery(
            channel="email",
            to=world.emails["pa"],
            template="new_message_for_staff",
            text=TEXTS["new_message_for_staff"],
        )
    ]
    assert SECRET_BODY not in notifier.sent[0].text
    row = await _row(sessionmaker)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.sent, 1, None)
    assert row.sent_at is not None
    assert await outbox.deliver_due(sessionmaker, notifier) == 0


async def test_a_staff_message_reaches_the_young_person_by_sms_without_its_text(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WEEKDAY_MORNING)
    await _give_young_person_a_mobile(sessionmaker, world)
    await _send(client, world, who="pa")
    notifier = RecordingNotifier()

    assert await outbox.deliver_due(sessionmaker, notifier) == 1

    [sms] = notifier.sent
    assert (sms.channel, sms.to, sms.template) == (
        "sms",
        MOBILE,
        "new_message_for_young_person",
    )
    assert SECRET_BODY not in sms.text
    assert "12 Hidden Lane" not in sms.text


async def test_push_carries_no_message_text(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _subscribe_to_push(client, world, "pa")
    await _send(client, world)
    notifier = RecordingNotifier()

    assert await outbox.deliver_due(sessionmaker, notifier) == 2

    [push] = [d for d in notifier.sent if d.channel == "push"]
    assert push.to == ENDPOINT
    assert push.keys == {"p256dh": "BPp256dh-key-0123456789", "auth": "auth-secret"}
    assert SECRET_BODY not in push.text
    assert {d.channel for d in notifier.sent} == {"push", "email"}


async def test_a_young_person_with_push_is_not_also_texted(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WEEKDAY_MORNING)
    await _give_young_person_a_mobile(sessionmaker, world)
    await _subscribe_to_push(client, world, "young_person")

    await _send(client, world, who="pa")

    assert [(r.user_id, r.channel) for r in await _rows(sessionmaker)] == [
        (world.users["young_person"], "push")
    ]


async def test_a_gone_push_subscription_is_removed_and_the_email_still_goes(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _subscribe_to_push(client, world, "pa")
    await _send(client, world)
    notifier = GoneForPush()

    assert await outbox.deliver_due(sessionmaker, notifier) == 2

    async with sessionmaker() as session:
        subscriptions = await session.scalar(select(func.count()).select_from(PushSubscription))
    assert subscriptions == 0
    assert [d.channel for d in notifier.sent] == ["email"]
    # Nothing is left to retry: the next pass tries nothing.
    assert await outbox.deliver_due(sessionmaker, notifier) == 0


# --- retries, backoff and giving up -----------------------------------------------------------


async def test_a_failed_delivery_stays_pending_and_backs_off(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WEEKDAY_MORNING)
    await _send(client, world)
    notifier = RecordingNotifier()
    notifier.fail_next = [NotifierError("Notify said 500")]

    assert await outbox.deliver_due(sessionmaker, notifier) == 1

    row = await _row(sessionmaker)
    assert (row.status, row.attempts, row.last_error) == (
        OutboxStatus.pending,
        1,
        "Notify said 500",
    )
    first_retry = WEEKDAY_MORNING + timedelta(seconds=outbox.FIRST_RETRY_SECONDS)
    assert row.next_attempt_at == first_retry
    assert await outbox.deliver_due(sessionmaker, notifier) == 0  # not due yet


async def test_each_retry_waits_twice_as_long_and_a_later_success_sends(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WEEKDAY_MORNING)
    await _send(client, world)
    notifier = RecordingNotifier()
    notifier.fail_next = [NotifierError("Notify said 500"), NotifierError("Notify said 503")]
    await outbox.deliver_due(sessionmaker, notifier)
    first_retry = (await _row(sessionmaker)).next_attempt_at

    clock(first_retry)
    await outbox.deliver_due(sessionmaker, notifier)
    second_retry = (await _row(sessionmaker)).next_attempt_at
    clock(second_retry)
    await outbox.deliver_due(sessionmaker, notifier)

    assert second_retry - first_retry == timedelta(seconds=2 * outbox.FIRST_RETRY_SECONDS)
    row = await _row(sessionmaker)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.sent, 3, None)
    assert len(notifier.sent) == 1


async def _fail_every_try(
    sessionmaker: async_sessionmaker[AsyncSession], clock: SetClock
) -> RecordingNotifier:
    notifier = RecordingNotifier()
    for attempt in range(outbox.MAX_ATTEMPTS):
        clock(WEEKDAY_MORNING + timedelta(hours=attempt + 1))
        notifier.fail_next = [NotifierError(f"Notify said 500 (try {attempt + 1})")]
        assert await outbox.deliver_due(sessionmaker, notifier) == 1
    return notifier


async def test_after_the_last_try_the_notification_is_failed(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WEEKDAY_MORNING)
    await _send(client, world)

    notifier = await _fail_every_try(sessionmaker, clock)

    row = await _row(sessionmaker)
    assert (row.status, row.attempts) == (OutboxStatus.failed, outbox.MAX_ATTEMPTS)
    assert row.last_error == f"Notify said 500 (try {outbox.MAX_ATTEMPTS})"
    clock(WEEKDAY_MORNING + timedelta(days=30))
    assert await outbox.deliver_due(sessionmaker, notifier) == 0
    assert notifier.sent == []


async def test_failed_notifications_are_listed_for_staff_who_may_see_the_young_person(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WEEKDAY_MORNING)
    await _send(client, world)
    await _fail_every_try(sessionmaker, clock)
    url = f"{API}/notifications/failed"

    mine = await client.get(url, headers=world.auth("pa"))
    other_team = await client.get(url, headers=world.auth("south_pa"))
    young_person = await client.get(url, headers=world.auth("young_person"))

    assert mine.status_code == 200, mine.text
    assert [
        (f["young_person_id"], f["recipient"], f["channel"], f["template"], f["attempts"])
        for f in mine.json()
    ] == [
        (
            str(world.young_people["own"]),
            "Priya PA",
            "email",
            "new_message_for_staff",
            outbox.MAX_ATTEMPTS,
        )
    ]
    assert other_team.status_code == 200, other_team.text
    assert other_team.json() == []
    assert young_person.status_code == 403


# --- a broken notifier never fails a send -------------------------------------------------------


async def test_the_send_succeeds_while_the_in_process_worker_fails_to_notify(
    settings: Settings, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    app: FastAPI = create_app(settings.model_copy(update={"worker_in_process": True}))
    notifier = RecordingNotifier()
    notifier.fail_next = [NotifierError("Notify said 500") for _ in range(3)]
    app.state.notifier = notifier

    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
            sent = await _send(client, world)
            # The commit woke the worker: it tries, fails, and keeps the row for later.
            for _ in range(100):
                row = await _row(sessionmaker)
                if row.attempts:
                    break
                await asyncio.sleep(0.02)

    assert sent["message"]["body"] == SECRET_BODY
    assert (row.status, row.attempts, row.last_error) == (
        OutboxStatus.pending,
        1,
        "Notify said 500",
    )
    assert notifier.sent == []


async def test_a_failing_notifier_raises_nothing_to_the_worker(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _subscribe_to_push(client, world, "pa")
    await _send(client, world)
    notifier = RecordingNotifier()
    notifier.fail_next = [NotifierError("push service said 500"), NotifierError("Notify said 500")]

    assert await outbox.deliver_due(sessionmaker, notifier) == 2

    assert [(r.channel, r.status, r.attempts) for r in await _rows(sessionmaker)] == [
        ("email", OutboxStatus.pending, 1),
        ("push", OutboxStatus.pending, 1),
    ]


async def test_an_unreachable_push_service_is_a_failed_try_that_does_not_stop_the_outbox(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Regression: a notifier error other than NotifierError (a connection error) must count as
    a failed try; escaping deliver_due it rolled back the attempt count and stopped the pass, so
    the row never backed off or failed and blocked every row behind it."""
    await _subscribe_to_push(client, world, "pa")
    await _send(client, world)
    notifier = UnreachableForPush()

    await outbox.deliver_due(sessionmaker, notifier)

    by_channel = {r.channel: r for r in await _rows(sessionmaker)}
    assert (by_channel["push"].status, by_channel["push"].attempts) == (OutboxStatus.pending, 1)
    assert by_channel["email"].status is OutboxStatus.sent


# --- the Web Push adapter ----------------------------------------------------------------------


def _push_delivery() -> Delivery:
    return Delivery(
        channel="push",
        to=ENDPOINT,
        template="new_message_for_staff",
        text=TEXTS["new_message_for_staff"],
        keys={"p256dh": "k", "auth": "a"},
    )


@pytest.mark.parametrize(
    ("status", "gone"),
    [(410, True), (404, True), (500, False)],
    ids=["410-gone", "404-gone", "500-not-gone"],
)
async def test_web_push_reports_a_gone_subscription_only_for_404_and_410(
    monkeypatch: pytest.MonkeyPatch, status: int, gone: bool
) -> None:
    import pywebpush

    def refuse(**_: Any) -> None:
        raise pywebpush.WebPushException(
            f"Push failed: {status}", response=SimpleNamespace(status_code=status)
        )

    monkeypatch.setattr(pywebpush, "webpush", refuse)

    with pytest.raises(NotifierError) as raised:
        await WebPushNotifier("private-key", "mailto:x@example.org").send(_push_delivery())

    assert raised.value.gone is gone


async def test_web_push_reports_an_unreachable_push_service_as_a_failed_send(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression: pywebpush raises WebPushException only for an HTTP answer; when the push
    service cannot be reached, requests' ConnectionError must still become a NotifierError."""
    import pywebpush
    import requests

    def unreachable(**_: Any) -> None:
        raise requests.exceptions.ConnectionError("Max retries exceeded")

    monkeypatch.setattr(pywebpush, "webpush", unreachable)

    with pytest.raises(NotifierError) as raised:
        await WebPushNotifier("private-key", "mailto:x@example.org").send(_push_delivery())

    assert raised.value.gone is False


# --- quiet hours for young people ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (WINTER_NIGHT, datetime(2026, 11, 12, 8, 0, tzinfo=LONDON)),
        (SUMMER_NIGHT, datetime(2026, 7, 2, 8, 0, tzinfo=LONDON)),
        (datetime(2026, 11, 12, 6, 30, tzinfo=LONDON), datetime(2026, 11, 12, 8, 0, tzinfo=LONDON)),
        (datetime(2026, 11, 11, 21, 0, tzinfo=LONDON), datetime(2026, 11, 12, 8, 0, tzinfo=LONDON)),
        (
            datetime(2026, 11, 11, 20, 59, tzinfo=LONDON),
            datetime(2026, 11, 11, 20, 59, tzinfo=LONDON),
        ),
        (datetime(2026, 11, 11, 8, 0, tzinfo=LONDON), datetime(2026, 11, 11, 8, 0, tzinfo=LONDON)),
    ],
    ids=["22:00-winter", "22:30-bst", "06:30", "21:00", "20:59", "08:00"],
)
def test_after_quiet_hours(moment: datetime, due: datetime) -> None:
    assert outbox.after_quiet_hours(moment, "21:00", "08:00") == due


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (
            datetime(2026, 11, 11, 13, 30, tzinfo=LONDON),
            datetime(2026, 11, 11, 14, 0, tzinfo=LONDON),
        ),
        (
            datetime(2026, 11, 11, 14, 0, tzinfo=LONDON),
            datetime(2026, 11, 11, 14, 0, tzinfo=LONDON),
        ),
        (
            datetime(2026, 11, 11, 12, 59, tzinfo=LONDON),
            datetime(2026, 11, 11, 12, 59, tzinfo=LONDON),
        ),
    ],
    ids=["inside", "at-the-end", "before"],
)
def test_quiet_hours_within_one_day_follow_the_setting(moment: datetime, due: datetime) -> None:
    assert outbox.after_quiet_hours(moment, "13:00", "14:00") == due


async def test_a_staff_message_at_22_00_reaches_the_young_person_at_08_00(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    await _give_young_person_a_mobile(sessionmaker, world)
    clock(WINTER_NIGHT)
    await _send(client, world, who="pa")
    notifier = RecordingNotifier()

    queued = await _row(sessionmaker)
    tried_at_night = await outbox.deliver_due(sessionmaker, notifier)
    clock(datetime(2026, 11, 12, 7, 59, tzinfo=LONDON))
    tried_before_eight = await outbox.deliver_due(sessionmaker, notifier)
    clock(datetime(2026, 11, 12, 8, 0, tzinfo=LONDON))
    tried_at_eight = await outbox.deliver_due(sessionmaker, notifier)

    assert queued.next_attempt_at == datetime(2026, 11, 12, 8, 0, tzinfo=LONDON)
    assert (tried_at_night, tried_before_eight, tried_at_eight) == (0, 0, 1)
    assert [d.to for d in notifier.sent] == [MOBILE]


async def test_a_young_persons_message_at_night_tells_the_pa_at_once(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WINTER_NIGHT)

    await _send(client, world)

    assert (await _row(sessionmaker)).next_attempt_at == WINTER_NIGHT


# --- need help now -------------------------------------------------------------------------------


async def test_need_help_now_alerts_the_pa_at_once_even_at_night(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: SetClock,
) -> None:
    clock(WINTER_NIGHT)
    response = await client.post(
        f"{API}/young-people/me/check-ins",
        json={"mood": "need_help_now", "note": "Please ring me about the flat"},
        headers=world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    notifier = RecordingNotifier()

    row = await _row(sessionmaker)
    tried = await outbox.deliver_due(sessionmaker, notifier)

    assert (row.user_id, row.template, row.next_attempt_at) == (
        world.users["pa"],
        "need_help_now",
        WINTER_NIGHT,
    )
    assert tried == 1
    [alert] = notifier.sent
    assert (alert.to, alert.text) == (world.emails["pa"], TEXTS["need_help_now"])
    assert "flat" not in alert.text


async def test_a_good_check_in_is_an_ordinary_notification(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    response = await client.post(
        f"{API}/young-people/me/check-ins",
        json={"mood": "good"},
        headers=world.auth("young_person") | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text

    assert (await _row(sessionmaker)).template == "new_message_for_staff"


async def test_notify_gets_the_template_id_and_its_placeholders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reset email's link reaches GOV.UK Notify as ((link)): its template holds the text."""
    from notifications_python_client.notifications import NotificationsAPIClient

    calls: list[dict[str, Any]] = []

    def record(self: Any, **kwargs: Any) -> None:
        calls.append(kwargs)

    monkeypatch.setattr(NotificationsAPIClient, "send_email_notification", record)
    notifier = NotifyNotifier(
        "key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
        {"password_reset": "tmpl-reset"},
    )
    await notifier.send(
        Delivery(
            channel="email",
            to="pa@example.org",
            template="password_reset",
            text="Reset",
            personalisation={"link": "https://portal.example/reset-password#token=abc"},
        )
    )
    assert calls == [
        {
            "template_id": "tmpl-reset",
            "personalisation": {"link": "https://portal.example/reset-password#token=abc"},
            "email_address": "pa@example.org",
        }
    ]


# --- where a push subscription may point ---------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    [
        pytest.param("https://127.0.0.1/push", id="loopback-address"),
        pytest.param("https://localhost/push", id="localhost"),
        pytest.param("https://169.254.169.254/latest/meta-data", id="link-local-metadata"),
        pytest.param("https://[::1]/push", id="ipv6-loopback"),
        pytest.param("https://10.0.0.5/push", id="private-address"),
        pytest.param("https://council-intranet.example.org/push", id="a-host-of-their-choosing"),
        pytest.param("https://fcm.googleapis.com.evil.example/send", id="allowed-name-as-prefix"),
        pytest.param("https://notify.windows.com/send", id="bare-domain-of-a-wildcard"),
        pytest.param("https://fcm.googleapis.com:8443/send", id="a-port-of-its-own"),
        pytest.param("https://user:pw@fcm.googleapis.com/send", id="credentials"),
    ],
)
async def test_a_push_endpoint_outside_the_browsers_push_services_is_refused(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    endpoint: str,
) -> None:
    response = await client.post(
        f"{API}/users/me/push-subscriptions",
        json={"endpoint": endpoint, "p256dh": "BPp256dh-key-0123456789", "auth": "auth-secret"},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.endpoint"]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(PushSubscription)) == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
        "https://web.push.apple.com/QGabc",
        "https://api.push.apple.com/3/device/abc",
    ],
)
async def test_the_browsers_push_services_are_accepted(
    client: httpx.AsyncClient, world: World, endpoint: str
) -> None:
    response = await client.post(
        f"{API}/users/me/push-subscriptions",
        json={"endpoint": endpoint, "p256dh": "BPp256dh-key-0123456789", "auth": "auth-secret"},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 204, response.text


async def test_notify_takes_the_sms_template_of_what_goes_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Notify template is SMS or email: an invite by SMS uses ``invite_sms`` when set up."""
    from notifications_python_client.notifications import NotificationsAPIClient

    calls: list[dict[str, Any]] = []

    def record(self: Any, **kwargs: Any) -> None:
        calls.append(kwargs)

    monkeypatch.setattr(NotificationsAPIClient, "send_sms_notification", record)
    notifier = NotifyNotifier(
        "key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
        {"invite_email": "tmpl-invite-email", "invite_sms": "tmpl-invite-sms"},
    )
    link = "https://portal.example/invite#token=abc"
    await notifier.send(
        Delivery(
            channel="sms",
            to="+447700900123",
            template="invite",
            text="Invite",
            personalisation={"council": "Eastmarsh", "link": link},
        )
    )

    assert calls == [
        {
            "template_id": "tmpl-invite-sms",
            "personalisation": {"council": "Eastmarsh", "link": link},
            "phone_number": "+447700900123",
        }
    ]
