"""The conversation over HTTP: sending exactly once per Idempotency-Key (retries, races, keys per
sender), what a message may contain, cursor pages, read receipts and unread counts, hiding and
flagging (staff only), who a young person can reach right now (office hours, bank holidays, a PA
away with cover), the duty queue, check-ins and their rhythm, and the portal's own system notes."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import LONDON
from portal_api.db import base
from portal_api.db.base import utcnow
from portal_api.messaging import service
from portal_api.models import (
    AuditEvent,
    CheckInRhythm,
    Contact,
    ContactKind,
    Message,
    MessageKind,
    NotificationOutbox,
)
from portal_api.notifications import outbox
from tests.factories import World

API = "/api/v1"
OUT_OF_HOURS_PHONE = "01632 960 999"  # tests.factories.make_org
WEEKDAY_MORNING = datetime(2026, 11, 11, 10, 0, tzinfo=LONDON)  # Wednesday
WEEKDAY_EVENING = datetime(2026, 11, 11, 20, 0, tzinfo=LONDON)
SATURDAY = datetime(2026, 11, 14, 11, 0, tzinfo=LONDON)
CHRISTMAS_MORNING = datetime(2026, 12, 25, 10, 0, tzinfo=LONDON)  # a Friday
STAFF_ONLY_KEYS = {"hidden", "hidden_reason", "flagged"}

SetClock = Callable[[datetime], None]


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SetClock:
    """Place "now" for messaging and the home screen: every module of theirs that imported
    ``utcnow`` by name gets a fixed one (sign-in and model defaults keep the real clock)."""
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


def _thread(world: World, who: str, young_person: str) -> str:
    target = "me" if who == "young_person" and young_person == "own" else None
    return f"{API}/young-people/{target or world.young_people[young_person]}/messages"


async def _send(
    client: httpx.AsyncClient,
    world: World,
    body: str,
    *,
    who: str = "young_person",
    key: str | None = None,
    young_person: str = "own",
) -> httpx.Response:
    headers = world.auth(who) | {"Idempotency-Key": key or str(uuid.uuid4())}
    return await client.post(
        _thread(world, who, young_person), json={"body": body}, headers=headers
    )


async def _sent(client: httpx.AsyncClient, world: World, body: str, **kwargs: Any) -> Any:
    response = await _send(client, world, body, **kwargs)
    assert response.status_code == 201, response.text
    return response.json()


async def _page(
    client: httpx.AsyncClient,
    world: World,
    who: str = "pa",
    young_person: str = "own",
    **params: Any,
) -> Any:
    response = await client.get(
        _thread(world, who, young_person), params=params, headers=world.auth(who)
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _summary(client: httpx.AsyncClient, world: World) -> Any:
    response = await client.get(
        f"{API}/young-people/me/summary", headers=world.auth("young_person")
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _count_messages(sessionmaker: async_sessionmaker[AsyncSession], *where: Any) -> int:
    async with sessionmaker() as session:
        return int(
            await session.scalar(select(func.count()).select_from(Message).where(*where)) or 0
        )


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


def _keys_anywhere(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys_anywhere(v)}
    return set()


async def _away(
    client: httpx.AsyncClient, world: World, until: datetime, cover: str | None = None
) -> None:
    body: dict[str, Any] = {"away_until": until.isoformat()}
    if cover is not None:
        body["cover_id"] = str(world.users[cover])
    response = await client.put(f"{API}/users/me/availability", json=body, headers=world.auth("pa"))
    assert response.status_code == 204, response.text


async def _duty_queue(client: httpx.AsyncClient, world: World) -> list[str]:
    response = await client.get(f"{API}/messages/duty-queue", headers=world.auth("pa"))
    assert response.status_code == 200, response.text
    result: list[str] = response.json()
    return result


async def _outbox_recipients(sessionmaker: async_sessionmaker[AsyncSession]) -> set[uuid.UUID]:
    async with sessionmaker() as session:
        rows = (await session.execute(select(NotificationOutbox.user_id))).scalars()
        return {user_id for user_id in rows if user_id is not None}


# --- sending ---------------------------------------------------------------------------------


async def test_young_person_sends_a_message_that_is_stored_before_the_201(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    response = await _send(client, world, "Can we meet on Tuesday?")

    assert response.status_code == 201, response.text
    assert "Idempotent-Replayed" not in response.headers
    message = response.json()["message"]
    assert (message["body"], message["kind"], message["sender_role"], message["from_me"]) == (
        "Can we meet on Tuesday?",
        "text",
        "young_person",
        True,
    )
    assert message["young_person_id"] == str(world.young_people["own"])
    # Another session (another worker) sees it: the 201 came after the commit.
    assert await _count_messages(sessionmaker, Message.id == message["id"]) == 1


async def test_pa_reply_shows_as_from_me_for_the_pa_and_not_for_the_young_person(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = await _sent(client, world, "See you Tuesday.", who="pa")

    [mine] = [m for m in (await _page(client, world))["items"] if m["id"] == sent["message"]["id"]]
    [theirs] = [
        m
        for m in (await _page(client, world, "young_person"))["items"]
        if m["id"] == sent["message"]["id"]
    ]
    assert (mine["from_me"], theirs["from_me"]) == (True, False)
    assert theirs["sender_name"] == "Priya PA"


async def test_retry_with_the_same_key_returns_the_original_and_stores_one_message(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    key = str(uuid.uuid4())
    first = await _send(client, world, "Are you there?", key=key)
    retry = await _send(client, world, "Are you there?", key=key)

    assert (first.status_code, retry.status_code) == (201, 201), retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["message"]["id"] == first.json()["message"]["id"]
    assert await _count_messages(sessionmaker, Message.idempotency_key == key) == 1


async def test_same_key_with_a_different_body_is_422_naming_the_header_and_stores_nothing(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    key = str(uuid.uuid4())
    await _sent(client, world, "First words", key=key)

    response = await _send(client, world, "Different words", key=key)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _fields(response) == ["header.Idempotency-Key"]
    assert await _count_messages(sessionmaker, Message.body == "Different words") == 0
    assert await _count_messages(sessionmaker, Message.idempotency_key == key) == 1


async def test_same_key_to_another_conversation_is_422(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    key = str(uuid.uuid4())
    await _sent(client, world, "Same words", who="pa", key=key)

    response = await _send(client, world, "Same words", who="pa", key=key, young_person="colleague")

    assert response.status_code == 422, response.text
    assert _fields(response) == ["header.Idempotency-Key"]
    colleague = Message.young_person_id == world.young_people["colleague"]
    assert await _count_messages(sessionmaker, colleague, Message.body == "Same words") == 0


async def test_the_same_key_from_another_sender_is_a_different_message(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    key = str(uuid.uuid4())
    mine = await _send(client, world, "Hello", key=key)
    theirs = await _send(client, world, "Hello", who="pa", key=key)

    assert (mine.status_code, theirs.status_code) == (201, 201), theirs.text
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.json()["message"]["id"] != theirs.json()["message"]["id"]
    assert await _count_messages(sessionmaker, Message.idempotency_key == key) == 2


async def test_ten_identical_sends_at_once_store_one_message(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    key = str(uuid.uuid4())

    responses = await asyncio.gather(
        *(_send(client, world, "Only once, please", key=key) for _ in range(10))
    )

    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
    assert len({r.json()["message"]["id"] for r in responses}) == 1
    assert sum("Idempotent-Replayed" not in r.headers for r in responses) >= 1
    assert await _count_messages(sessionmaker, Message.idempotency_key == key) == 1


async def test_a_replayed_send_queues_no_second_notification(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    key = str(uuid.uuid4())
    await _sent(client, world, "Once", key=key)
    await _sent(client, world, "Once", key=key)

    async with sessionmaker() as session:
        rows = await session.scalar(select(func.count()).select_from(NotificationOutbox))
    assert rows == 1


# --- what a message may be ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["", "   \n\t  ", "x" * 4001, "ring \x07 ring", "hello \u202e dlrow", "zero\u200bwidth"],
    ids=["empty", "whitespace", "4001-chars", "bell", "right-to-left-override", "zero-width"],
)
async def test_a_message_that_is_not_plain_words_is_422_and_nothing_is_stored(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    body: str,
) -> None:
    before = await _count_messages(sessionmaker)

    response = await _send(client, world, body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _fields(response) == ["body.body"]
    assert await _count_messages(sessionmaker) == before


async def test_4000_characters_with_newlines_and_tabs_is_accepted(
    client: httpx.AsyncClient, world: World
) -> None:
    body = "line one\n\tline two " + "x" * (4000 - 19)

    sent = await _sent(client, world, body)

    assert sent["message"]["body"] == body


async def test_a_send_without_an_idempotency_key_is_422_and_nothing_is_stored(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    before = await _count_messages(sessionmaker)

    response = await client.post(
        f"{API}/young-people/me/messages",
        json={"body": "No key"},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 422, response.text
    assert [f.lower() for f in _fields(response)] == ["header.idempotency-key"]
    assert await _count_messages(sessionmaker) == before


async def test_a_too_short_idempotency_key_is_422(client: httpx.AsyncClient, world: World) -> None:
    response = await _send(client, world, "Short key", key="abc")

    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    ("who", "young_person"),
    [("young_person", "colleague"), ("south_pa", "own"), ("other_pa", "own")],
)
async def test_a_thread_the_sender_may_not_see_is_404_and_nothing_is_stored(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    who: str,
    young_person: str,
) -> None:
    before = await _count_messages(sessionmaker)

    response = await _send(client, world, "Hello?", who=who, young_person=young_person)

    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await _count_messages(sessionmaker) == before


async def test_a_young_person_cannot_read_another_young_persons_thread(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{API}/young-people/{world.young_people['colleague']}/messages",
        headers=world.auth("young_person"),
    )

    assert response.status_code == 404, response.text


async def test_a_colleague_on_duty_cover_can_take_part_in_the_conversation(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = await _sent(client, world, "Covering for Priya today.", who="colleague_pa")

    items = (await _page(client, world, "young_person"))["items"]
    assert sent["message"]["id"] in [m["id"] for m in items]


# --- pages ------------------------------------------------------------------------------------


async def _five_messages(client: httpx.AsyncClient, world: World) -> list[int]:
    """The world's first PA message and four more, oldest first."""
    ids = [world.messages["own"]]
    for n in range(4):
        ids.append((await _sent(client, world, f"Message {n}", who="pa"))["message"]["id"])
    return ids


async def test_the_first_page_is_newest_first_with_a_cursor_to_older_ones(
    client: httpx.AsyncClient, world: World
) -> None:
    ids = await _five_messages(client, world)

    page = await _page(client, world, limit=2)

    assert [m["id"] for m in page["items"]] == [ids[4], ids[3]]
    assert page["next_cursor"] == ids[3]


async def test_before_pages_back_to_the_oldest_and_then_has_no_cursor(
    client: httpx.AsyncClient, world: World
) -> None:
    ids = await _five_messages(client, world)

    second = await _page(client, world, before=ids[3], limit=2)
    last = await _page(client, world, before=second["next_cursor"], limit=2)

    assert [m["id"] for m in second["items"]] == [ids[2], ids[1]]
    assert [m["id"] for m in last["items"]] == [ids[0]]
    assert last["next_cursor"] is None


async def test_after_pages_forward_oldest_first(client: httpx.AsyncClient, world: World) -> None:
    ids = await _five_messages(client, world)

    first = await _page(client, world, after=ids[0], limit=2)
    rest = await _page(client, world, after=first["next_cursor"], limit=2)

    assert [m["id"] for m in first["items"]] == [ids[1], ids[2]]
    assert first["next_cursor"] == ids[2]
    assert [m["id"] for m in rest["items"]] == [ids[3], ids[4]]
    assert rest["next_cursor"] is None


async def test_after_and_before_together_is_422(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        _thread(world, "pa", "own"), params={"after": 1, "before": 5}, headers=world.auth("pa")
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["query.before"]


# --- unread counts and read receipts ------------------------------------------------------------


async def test_unread_counts_only_the_other_sides_messages(
    client: httpx.AsyncClient, world: World
) -> None:
    await _sent(client, world, "From the PA", who="pa")
    await _sent(client, world, "From me")

    young_persons = await _page(client, world, "young_person")
    pas = await _page(client, world, "pa")

    assert young_persons["unread"] == 2  # the world's PA message and this one
    assert pas["unread"] == 1
    assert (await _summary(client, world))["unread_messages"] == 2


async def test_after_reading_up_to_the_newest_nothing_is_unread(
    client: httpx.AsyncClient, world: World
) -> None:
    newest = (await _sent(client, world, "Any news?", who="pa"))["message"]["id"]

    response = await client.post(
        f"{API}/young-people/me/messages/read",
        json={"up_to": newest},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 200, response.text
    assert (await _page(client, world, "young_person"))["unread"] == 0
    assert (await _summary(client, world))["unread_messages"] == 0


async def test_the_read_receipt_response_counts_unread_after_the_new_mark(
    client: httpx.AsyncClient, world: World
) -> None:
    """Regression: the session has autoflush off, so mark_read must flush the new or changed
    ReadMark before counting, or the answer is the unread count from before the read."""
    read = f"{API}/young-people/me/messages/read"
    me = world.auth("young_person")
    newest = (await _sent(client, world, "Any news?", who="pa"))["message"]["id"]

    first = await client.post(read, json={"up_to": newest}, headers=me)
    newer = (await _sent(client, world, "One more thing", who="pa"))["message"]["id"]
    second = await client.post(read, json={"up_to": newer}, headers=me)

    assert (first.status_code, second.status_code) == (200, 200), second.text
    assert (first.json()["unread"], second.json()["unread"]) == (0, 0)


async def test_reading_part_of_the_conversation_leaves_the_rest_unread(
    client: httpx.AsyncClient, world: World
) -> None:
    await _sent(client, world, "Second", who="pa")
    await _sent(client, world, "Third", who="pa")
    read = await client.post(
        f"{API}/young-people/me/messages/read",
        json={"up_to": world.messages["own"]},
        headers=world.auth("young_person"),
    )
    assert read.status_code == 200, read.text

    assert (await _page(client, world, "young_person"))["unread"] == 2


async def test_one_side_reading_does_not_change_the_other_sides_unread(
    client: httpx.AsyncClient, world: World
) -> None:
    newest = (await _sent(client, world, "From me"))["message"]["id"]
    read = await client.post(
        f"{API}/young-people/me/messages/read",
        json={"up_to": newest},
        headers=world.auth("young_person"),
    )
    assert read.status_code == 200, read.text

    assert (await _page(client, world, "pa"))["unread"] == 1


async def test_reading_past_the_newest_message_is_422(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/young-people/me/messages/read",
        json={"up_to": world.messages["own"] + 1000},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["up_to"]


# --- hiding and flagging (staff only) -----------------------------------------------------------


async def _hide(client: httpx.AsyncClient, world: World, message_id: int, reason: str) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages/{message_id}/hide",
        json={"reason": reason},
        headers=world.auth("pa"),
    )
    assert response.status_code == 204, response.text


async def _flag(client: httpx.AsyncClient, world: World, message_id: int, reason: str) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages/{message_id}/flags",
        json={"reason": reason},
        headers=world.auth("pa"),
    )
    assert response.status_code == 204, response.text


async def test_a_hidden_message_disappears_for_the_young_person_only(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    wrong = (await _sent(client, world, "Meant for another young person", who="pa"))["message"]

    await _hide(client, world, wrong["id"], "Sent to the wrong young person")

    theirs = await _page(client, world, "young_person")
    staff = {m["id"]: m for m in (await _page(client, world, "pa"))["items"]}
    assert wrong["id"] not in [m["id"] for m in theirs["items"]]
    assert theirs["unread"] == 1  # the world's message, not the hidden one
    assert staff[wrong["id"]]["hidden"] is True
    assert staff[wrong["id"]]["hidden_reason"] == "Sent to the wrong young person"
    # Never deleted: the record keeps it.
    assert await _count_messages(sessionmaker, Message.id == wrong["id"]) == 1


async def test_hiding_a_message_is_audited(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _hide(client, world, world.messages["own"], "Wrong details")

    actions = (
        await session.execute(
            select(AuditEvent.actor_id, AuditEvent.young_person_id).where(
                AuditEvent.action == "message.hide"
            )
        )
    ).all()
    assert actions == [(world.users["pa"], world.young_people["own"])]


async def test_hiding_without_a_reason_is_422(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages/{world.messages['own']}/hide",
        json={"reason": ""},
        headers=world.auth("pa"),
    )

    assert response.status_code == 422, response.text


async def test_hiding_a_message_of_another_conversation_is_404(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages/{world.messages['colleague']}/hide",
        json={"reason": "Not here"},
        headers=world.auth("pa"),
    )

    assert response.status_code == 404, response.text


async def test_managers_see_flagged_messages_and_young_people_may_not(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = (await _sent(client, world, "I don't feel safe at home"))["message"]
    await _flag(client, world, sent["id"], "Possible risk at home")

    flagged = await client.get(f"{API}/messages/flagged", headers=world.auth("team_manager"))
    refused = await client.get(f"{API}/messages/flagged", headers=world.auth("young_person"))

    assert flagged.status_code == 200, flagged.text
    assert [(f["message_id"], f["reason"], f["message_body"]) for f in flagged.json()] == [
        (sent["id"], "Possible risk at home", "I don't feel safe at home")
    ]
    assert refused.status_code == 403
    staff = {m["id"]: m for m in (await _page(client, world, "pa"))["items"]}
    assert staff[sent["id"]]["flagged"] is True


async def test_a_young_persons_responses_never_carry_staff_only_fields(
    client: httpx.AsyncClient, world: World
) -> None:
    sent = (await _sent(client, world, "Something worrying"))["message"]
    await _flag(client, world, sent["id"], "FLAG-REASON-SECRET")
    hidden = (await _sent(client, world, "Oops", who="pa"))["message"]
    await _hide(client, world, hidden["id"], "HIDE-REASON-SECRET")
    me = world.auth("young_person")

    responses = [
        await client.get(f"{API}/young-people/me/messages", headers=me),
        await client.get(f"{API}/young-people/me/messages", params={"after": 0}, headers=me),
        await _send(client, world, "Another one"),
        await client.post(
            f"{API}/young-people/me/messages/read", json={"up_to": sent["id"]}, headers=me
        ),
        await client.get(f"{API}/young-people/me/summary", headers=me),
    ]

    for response in responses:
        assert response.status_code in (200, 201), response.text
        assert not _keys_anywhere(response.json()) & STAFF_ONLY_KEYS, response.text
        assert "SECRET" not in response.text


# --- who a young person can reach now -----------------------------------------------------------


async def test_in_office_hours_the_young_person_reaches_their_pa(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(WEEKDAY_MORNING)

    reach = (await _summary(client, world))["reach_now"]

    assert (reach["who"], reach["name"], reach["in_office_hours"]) == (
        "personal_adviser",
        "Priya PA",
        True,
    )
    assert reach["emergency_phone"] == OUT_OF_HOURS_PHONE


@pytest.mark.parametrize(
    "moment",
    [SATURDAY, CHRISTMAS_MORNING, WEEKDAY_EVENING],
    ids=["saturday", "christmas-day", "weekday-20:00"],
)
async def test_out_of_hours_the_young_person_sees_the_emergency_number(
    client: httpx.AsyncClient, world: World, clock: SetClock, moment: datetime
) -> None:
    clock(moment)

    reach = (await _summary(client, world))["reach_now"]

    assert (reach["who"], reach["phone"], reach["in_office_hours"]) == (
        "out_of_hours",
        OUT_OF_HOURS_PHONE,
        False,
    )
    assert reach["emergency_phone"] == OUT_OF_HOURS_PHONE


async def test_out_of_hours_says_when_the_pa_will_reply(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(CHRISTMAS_MORNING)

    reach = (await _summary(client, world))["reach_now"]

    assert "Tuesday 29 December at 09:00" in reach["message"]


async def test_a_message_out_of_hours_goes_to_the_duty_queue(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(SATURDAY)

    sent = await _sent(client, world, "Locked out of my flat")

    assert sent["message"]["to_duty_queue"] is True
    assert sent["out_of_hours"] is True
    assert sent["emergency_phone"] == OUT_OF_HOURS_PHONE
    assert await _duty_queue(client, world) == [str(world.young_people["own"])]


async def test_a_staff_reply_takes_the_young_person_off_the_duty_queue(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(SATURDAY)
    await _sent(client, world, "Locked out of my flat")

    await _sent(client, world, "Duty team here: call us now.", who="colleague_pa")

    assert await _duty_queue(client, world) == []


async def test_the_duty_queue_judges_each_young_person_by_their_latest_message_not_a_system_note(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """own: waiting (a system note after their message does not count as a reply); colleague:
    answered after an earlier wait; other_team: waiting, but outside the PA's teams."""

    def message(who: str, role: str, kind: MessageKind, *, duty: bool) -> Message:
        return Message(
            org_id=world.org_id,
            young_person_id=world.young_people[who],
            sender_role=role,
            kind=kind,
            body="x",
            to_duty_queue=duty,
        )

    async with sessionmaker() as session, session.begin():
        for row in (
            message("own", "personal_adviser", MessageKind.text, duty=False),
            message("colleague", "young_person", MessageKind.text, duty=True),
            message("own", "young_person", MessageKind.text, duty=True),
            message("colleague", "personal_adviser", MessageKind.text, duty=False),
            message("other_team", "young_person", MessageKind.text, duty=True),
            message("own", "system", MessageKind.system, duty=False),
        ):
            session.add(row)
            await session.flush()  # ids in this order

    assert await _duty_queue(client, world) == [str(world.young_people["own"])]


async def test_a_message_in_office_hours_goes_to_the_pa_not_the_duty_queue(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(WEEKDAY_MORNING)

    sent = await _sent(client, world, "Quick question")

    assert (sent["message"]["to_duty_queue"], sent["out_of_hours"]) == (False, False)
    assert await _duty_queue(client, world) == []


async def test_the_duty_queue_lists_only_young_people_the_member_of_staff_may_see(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(SATURDAY)
    await _sent(client, world, "Help")

    response = await client.get(f"{API}/messages/duty-queue", headers=world.auth("south_pa"))

    assert response.status_code == 200, response.text
    assert response.json() == []


async def test_while_the_pa_is_away_the_young_person_reaches_the_cover_and_only_the_cover_is_told(
    client: httpx.AsyncClient,
    world: World,
    clock: SetClock,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING + timedelta(days=7), cover="colleague_pa")

    reach = (await _summary(client, world))["reach_now"]
    sent = await _sent(client, world, "Where is Priya?")

    assert (reach["who"], reach["name"]) == ("cover", "Personal Adviser")
    assert "Priya PA is away until Wednesday 18 November" in reach["message"]
    assert sent["message"]["to_duty_queue"] is False
    assert await _outbox_recipients(sessionmaker) == {world.users["colleague_pa"]}


async def test_a_pa_away_without_cover_sends_messages_to_the_duty_queue(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING + timedelta(days=2))

    reach = (await _summary(client, world))["reach_now"]
    sent = await _sent(client, world, "Anyone there?")

    assert reach["who"] == "duty_team"
    assert sent["message"]["to_duty_queue"] is True
    assert await _duty_queue(client, world) == [str(world.young_people["own"])]


async def test_out_of_hours_message_goes_to_the_duty_queue_even_when_the_pa_is_away_with_cover(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    """Regression: outside office hours the cover is no more at work than the PA; the young
    person is shown the emergency number, and their message must reach the duty queue."""
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING + timedelta(days=7), cover="colleague_pa")
    clock(SATURDAY)

    reach = (await _summary(client, world))["reach_now"]
    sent = await _sent(client, world, "Nobody is answering")

    assert reach["who"] == "out_of_hours"
    assert sent["message"]["to_duty_queue"] is True
    assert await _duty_queue(client, world) == [str(world.young_people["own"])]


async def test_once_away_until_has_passed_the_pa_is_back(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(WEEKDAY_MORNING)
    await _away(client, world, WEEKDAY_MORNING - timedelta(hours=1), cover="colleague_pa")

    assert (await _summary(client, world))["reach_now"]["who"] == "personal_adviser"


async def test_away_until_without_a_time_zone_is_422(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.put(
        f"{API}/users/me/availability",
        json={"away_until": "2026-12-01T09:00:00"},
        headers=world.auth("pa"),
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["away_until"]


async def test_cover_from_another_organisation_is_422(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.put(
        f"{API}/users/me/availability",
        json={"away_until": "2026-12-01T09:00:00Z", "cover_id": str(world.users["other_pa"])},
        headers=world.auth("pa"),
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["cover_id"]


# --- check-ins ----------------------------------------------------------------------------------


async def _check_in(
    client: httpx.AsyncClient, world: World, mood: str, *, key: str | None = None, **extra: str
) -> httpx.Response:
    return await client.post(
        f"{API}/young-people/me/check-ins",
        json={"mood": mood, **extra},
        headers=world.auth("young_person") | {"Idempotency-Key": key or str(uuid.uuid4())},
    )


async def test_a_check_in_counts_as_a_contact_and_shows_in_the_conversation(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await _check_in(client, world, "good")

    assert response.status_code == 201, response.text
    message = response.json()["message"]
    assert (message["kind"], message["mood"], message["body"]) == (
        "check_in",
        "good",
        "I'm doing well",
    )
    items = (await _page(client, world, "pa"))["items"]
    assert [(m["kind"], m["mood"]) for m in items if m["id"] == message["id"]] == [
        ("check_in", "good")
    ]
    contacts = (
        await session.execute(
            select(Contact.kind).where(Contact.young_person_id == world.young_people["own"])
        )
    ).scalars()
    assert list(contacts) == [ContactKind.check_in]


async def test_a_check_in_note_follows_the_mood_words(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _check_in(client, world, "some_help", note="Money is tight")

    assert response.status_code == 201, response.text
    assert response.json()["message"]["body"] == "I could use some help: Money is tight"


async def test_a_retried_check_in_is_one_message_and_one_contact(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    key = str(uuid.uuid4())
    first = await _check_in(client, world, "good", key=key)
    retry = await _check_in(client, world, "good", key=key)

    assert (first.status_code, retry.status_code) == (201, 201), retry.text
    assert retry.json()["message"]["id"] == first.json()["message"]["id"]
    assert await _count_messages(sessionmaker, Message.kind == MessageKind.check_in) == 1
    assert await session.scalar(select(func.count()).select_from(Contact)) == 1


async def test_need_help_now_shows_the_emergency_number(
    client: httpx.AsyncClient, world: World, clock: SetClock
) -> None:
    clock(WEEKDAY_MORNING)

    response = await _check_in(client, world, "need_help_now")

    assert response.status_code == 201, response.text
    assert response.json()["emergency_phone"] == OUT_OF_HOURS_PHONE
    assert response.json()["message"]["body"] == "I need help now"


async def test_a_check_in_with_an_unknown_mood_is_422_and_nothing_is_stored(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    before = await _count_messages(sessionmaker)

    response = await _check_in(client, world, "fine")

    assert response.status_code == 422, response.text
    assert await _count_messages(sessionmaker) == before


async def _set_rhythm(client: httpx.AsyncClient, world: World, every_days: int) -> None:
    response = await client.put(
        f"{API}/young-people/{world.young_people['own']}/check-in-rhythm",
        json={"every_days": every_days},
        headers=world.auth("pa"),
    )
    assert response.status_code == 204, response.text


async def _backdate_check_ins(sessionmaker: async_sessionmaker[AsyncSession], days: int) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Message)
            .where(Message.kind == MessageKind.check_in)
            .values(created_at=utcnow() - timedelta(days=days))
        )


async def test_a_check_in_is_not_due_just_after_the_rhythm_is_set(
    client: httpx.AsyncClient, world: World
) -> None:
    await _set_rhythm(client, world, 28)

    assert (await _summary(client, world))["check_in_due"] is False


async def test_a_check_in_is_due_when_the_last_is_older_than_the_rhythm(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _set_rhythm(client, world, 28)
    assert (await _check_in(client, world, "good")).status_code == 201
    await _backdate_check_ins(sessionmaker, 29)

    assert (await _summary(client, world))["check_in_due"] is True


async def test_a_check_in_is_not_due_when_the_last_is_within_the_rhythm(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _set_rhythm(client, world, 28)
    assert (await _check_in(client, world, "good")).status_code == 201
    await _backdate_check_ins(sessionmaker, 27)

    assert (await _summary(client, world))["check_in_due"] is False


async def test_a_check_in_is_due_when_none_came_since_the_rhythm_was_set(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _set_rhythm(client, world, 28)
    async with sessionmaker() as session, session.begin():
        await session.execute(update(CheckInRhythm).values(set_at=utcnow() - timedelta(days=29)))

    assert (await _summary(client, world))["check_in_due"] is True


async def test_no_rhythm_means_no_check_in_is_due(client: httpx.AsyncClient, world: World) -> None:
    assert (await _summary(client, world))["check_in_due"] is False


async def test_a_rhythm_shorter_than_a_week_is_422(client: httpx.AsyncClient, world: World) -> None:
    response = await client.put(
        f"{API}/young-people/{world.young_people['own']}/check-in-rhythm",
        json={"every_days": 3},
        headers=world.auth("pa"),
    )

    assert response.status_code == 422, response.text


# --- the portal's own notes in the conversation -------------------------------------------------


async def _system_messages(client: httpx.AsyncClient, world: World) -> list[Any]:
    items = (await _page(client, world, "pa"))["items"]
    return [m for m in items if m["kind"] == "system"]


async def test_wanting_to_talk_about_a_local_offer_page_arrives_as_a_system_message(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/local-offer/staying-put/responses",
        json={"response": "want_to_talk", "comment": "Can I stay?"},
        headers=world.auth("young_person"),
    )
    assert response.status_code == 201, response.text

    [note] = await _system_messages(client, world)

    assert note["body"] == (
        "Amira wants to talk about “Staying Put with your foster carers”: Can I stay?"
    )
    assert (note["sender_role"], note["sender_name"], note["from_me"]) == ("system", None, False)


async def test_understanding_a_local_offer_page_makes_no_system_message(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/local-offer/staying-put/responses",
        json={"response": "understood"},
        headers=world.auth("young_person"),
    )
    assert response.status_code == 201, response.text

    assert await _system_messages(client, world) == []


async def test_needing_help_with_a_document_arrives_as_a_system_message(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.patch(
        f"{API}/young-people/me/documents/photo_id",
        json={"young_person_says": "need_help"},
        headers=world.auth("young_person"),
    )
    assert response.status_code == 200, response.text

    [note] = await _system_messages(client, world)

    assert note["body"] == "Amira needs help with: Photo ID"
    assert note["sender_role"] == "system"
