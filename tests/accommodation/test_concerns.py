"""Tell us about where you live (DOMAIN.md §8 accommodation_concerns): a young person raises a
concern for themselves, it arrives in their conversation, staff acknowledge it, act and close it
with an outcome the young person reads, and the manager sees it against the right scheme."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import (
    AccommodationConcern,
    AuditEvent,
    ConcernAction,
    Message,
    NotificationOutbox,
)
from tests.accommodation.support import (
    API,
    account_for,
    concerns_path,
    count,
    fields,
    move,
    ok,
    problem,
    provider,
    scheme,
)
from tests.factories import World

PRIVACY = {
    "category": "privacy",
    "urgency": "soon",
    "text": "Staff come into my room without knocking.",
}


async def _raise(
    client: httpx.AsyncClient, world: World, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = await ok(
        client.post(concerns_path("me"), json=body or PRIVACY, headers=world.auth("young_person")),
        201,
    )
    return result


def _concern_path(world: World, concern_id: str, action: str) -> str:
    return f"{concerns_path(world.young_people['own'])}/{concern_id}/{action}"


async def _overview(client: httpx.AsyncClient, world: World, who: str = "org_manager") -> Any:
    return await ok(client.get(f"{API}/providers/overview", headers=world.auth(who)))


def _scheme_row(overview: Any, scheme_id: str) -> dict[str, Any]:
    for row in overview["concerns"]:
        for s in row["schemes"]:
            if s["scheme_id"] == scheme_id:
                found: dict[str, Any] = s
                return found
    raise AssertionError(f"scheme {scheme_id} is not in the concerns overview")


async def test_privacy_concern_is_raised_acknowledged_closed_and_counted_against_its_scheme(
    client: httpx.AsyncClient, world: World
) -> None:
    harbour = await provider(client, world)
    quay = await scheme(client, world, harbour["id"], "Quay House")
    other = await scheme(client, world, harbour["id"], "Mill Court")
    await move(client, world, "own", scheme_id=quay["id"], code="D1")

    raised = await _raise(client, world)
    assert raised["status"] == "open"
    assert raised["category"] == "privacy"
    assert raised["scheme_id"] == quay["id"]
    assert raised["scheme_name"] == "Quay House"
    assert raised["provider_name"] == "Harbour Housing"
    assert raised["anonymous_to_provider"] is True  # high-privacy default
    assert raised["emergency_phone"] is None  # not an urgent safety concern

    # It arrives in the young person's conversation, where their PA sees it.
    conversation = await ok(
        client.get(
            f"{API}/young-people/{world.young_people['own']}/messages", headers=world.auth("pa")
        )
    )
    system = [m for m in conversation["items"] if m["kind"] == "system"]
    assert any("privacy" in m["body"] and "without knocking" in m["body"] for m in system)

    # The manager sees it open against Quay House, and not against Mill Court.
    before = _scheme_row(await _overview(client, world), quay["id"])
    assert before["open"] == 1
    assert before["oldest_open_days"] == 0
    assert before["categories"] == {"privacy": 1}
    assert [p["full_name"] for p in before["young_people"]] == ["Amira Person"]
    providers = await ok(client.get(f"{API}/providers", headers=world.auth("pa")))
    counts = {s["name"]: s["open_concerns"] for s in providers[0]["schemes"]}
    assert counts == {"Quay House": 1, "Mill Court": 0}
    assert providers[0]["open_concerns"] == 1

    concern_id = raised["id"]
    acknowledged = await ok(
        client.post(_concern_path(world, concern_id, "acknowledge"), headers=world.auth("pa"))
    )
    assert acknowledged["status"] == "acknowledged"
    assert acknowledged["acknowledged_by"] == "Priya PA"
    await ok(
        client.post(
            _concern_path(world, concern_id, "actions"),
            json={"note": "Spoke to the scheme manager: staff knock and wait from today."},
            headers=world.auth("pa"),
        ),
        201,
    )
    outcome = "Staff now knock and wait for you to answer. Tell me if it happens again."
    closed = await ok(
        client.post(
            _concern_path(world, concern_id, "close"),
            json={"outcome": outcome},
            headers=world.auth("pa"),
        )
    )
    assert closed["status"] == "closed"
    assert closed["closed_by"] == "Priya PA"

    # The young person sees the outcome and what was done.
    mine = await ok(client.get(concerns_path("me"), headers=world.auth("young_person")))
    assert len(mine) == 1
    assert mine[0]["status"] == "closed"
    assert mine[0]["outcome"] == outcome
    assert [a["note"] for a in mine[0]["actions"]] == [
        "Spoke to the scheme manager: staff knock and wait from today."
    ]
    assert mine[0]["acknowledged_by"] == "Priya PA"

    # The manager sees it closed, still counted against Quay House, with its outcome.
    after = await _overview(client, world)
    row = _scheme_row(after, quay["id"])
    assert row["open"] == 0
    assert row["oldest_open_days"] is None
    assert row["total"] == 1
    assert row["categories"] == {"privacy": 1}
    assert [o["outcome"] for o in row["outcomes"]] == [outcome]
    assert row["outcomes"][0]["full_name"] == "Amira Person"
    assert [r["provider_name"] for r in after["concerns"]] == ["Harbour Housing"]
    assert {s["scheme_id"] for s in after["concerns"][0]["schemes"]} == {quay["id"]}
    assert other["id"] not in {s["scheme_id"] for s in after["concerns"][0]["schemes"]}


async def test_urgent_safety_concern_answer_gives_the_out_of_hours_number(
    client: httpx.AsyncClient, world: World
) -> None:
    raised = await _raise(
        client,
        world,
        {"category": "safety", "urgency": "urgent", "text": "The front door lock is broken."},
    )
    assert raised["emergency_phone"] == "01632 960 999"
    assert "01632 960 999" in raised["what_happens_next"]
    assert raised["reach_now"]["emergency_phone"] == "01632 960 999"
    assert raised["scheme_id"] is None  # nowhere recorded yet: counted as "not in a scheme"

    routine = await _raise(
        client, world, {"category": "safety", "urgency": "routine", "text": "Smoke alarm beeps."}
    )
    assert routine["emergency_phone"] is None
    assert routine["reach_now"] is None


async def test_the_pa_is_told_of_a_concern_and_at_once_when_it_is_urgent(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _raise(client, world)
    await _raise(
        client,
        world,
        {"category": "safety", "urgency": "urgent", "text": "The front door lock is broken."},
    )
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                select(NotificationOutbox.user_id, NotificationOutbox.template).order_by(
                    NotificationOutbox.created_at
                )
            )
        ).all()
    pa = world.users["pa"]
    assert [tuple(r) for r in rows] == [
        (pa, "concern_for_staff"),
        (pa, "urgent_concern_for_staff"),
    ]
    # Nothing of what they wrote goes into a notification: a lock screen is not private.
    async with sessionmaker() as session:
        payloads = (await session.execute(select(NotificationOutbox.payload))).scalars().all()
    assert not any("lock" in str(p) for p in payloads)


async def test_young_person_cannot_raise_a_concern_for_someone_else(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    for someone_else in ("colleague", "other_org"):
        response = await client.post(
            concerns_path(world.young_people[someone_else]),
            json=PRIVACY,
            headers=world.auth("young_person"),
        )
        problem(response, 404)
    # Staff never raise one on a young person's behalf.
    problem(
        await client.post(
            concerns_path(world.young_people["own"]), json=PRIVACY, headers=world.auth("pa")
        ),
        403,
    )
    assert await count(sessionmaker, AccommodationConcern) == 0


async def test_unknown_category_is_invalid_and_stores_nothing(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    messages_before = await count(sessionmaker, Message)
    for body, field in (
        ({**PRIVACY, "category": "ghosts"}, "body.category"),
        ({**PRIVACY, "urgency": "whenever"}, "body.urgency"),
        ({**PRIVACY, "text": "   "}, "body.text"),
        (
            {**PRIVACY, "young_person_id": str(world.young_people["colleague"])},
            "body.young_person_id",
        ),
    ):
        response = await client.post(
            concerns_path("me"), json=body, headers=world.auth("young_person")
        )
        problem(response, 422)
        assert field in fields(response)
    assert await count(sessionmaker, AccommodationConcern) == 0
    assert await count(sessionmaker, Message) == messages_before


async def test_closing_needs_an_outcome_and_happens_once(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    concern_id = (await _raise(client, world))["id"]
    close = _concern_path(world, concern_id, "close")
    messages_before = await count(sessionmaker, Message)
    for body in ({}, {"outcome": ""}, {"outcome": "   "}):
        response = await client.post(close, json=body, headers=world.auth("pa"))
        problem(response, 422)
        assert "body.outcome" in fields(response)
    async with sessionmaker() as session:
        stored = await session.get(AccommodationConcern, uuid.UUID(concern_id))
        assert stored is not None
        assert stored.status == "open"
        assert stored.outcome is None
        assert stored.acknowledged_at is None
    assert await count(sessionmaker, Message) == messages_before

    await ok(client.post(close, json={"outcome": "Fixed the lock."}, headers=world.auth("pa")))
    again = await client.post(close, json={"outcome": "Again"}, headers=world.auth("pa"))
    problem(again, 409)
    late_steps: tuple[tuple[str, dict[str, str] | None], ...] = (
        ("acknowledge", None),
        ("actions", {"note": "Too late"}),
    )
    for action, late_body in late_steps:
        late = await client.post(
            _concern_path(world, concern_id, action), json=late_body, headers=world.auth("pa")
        )
        problem(late, 409)
    async with sessionmaker() as session:
        stored = await session.get(AccommodationConcern, uuid.UUID(concern_id))
        assert stored is not None
        assert stored.outcome == "Fixed the lock."
    assert await count(sessionmaker, ConcernAction) == 0


async def test_acknowledging_twice_is_a_conflict_and_an_unknown_concern_is_not_found(
    client: httpx.AsyncClient, world: World
) -> None:
    concern_id = (await _raise(client, world))["id"]
    acknowledge = _concern_path(world, concern_id, "acknowledge")
    await ok(client.post(acknowledge, headers=world.auth("team_manager")))
    problem(await client.post(acknowledge, headers=world.auth("pa")), 409)
    problem(
        await client.post(
            _concern_path(world, str(uuid.uuid4()), "acknowledge"), headers=world.auth("pa")
        ),
        404,
    )
    # A concern named under another young person's record is not found there.
    wrong_record = f"{concerns_path(world.young_people['colleague'])}/{concern_id}/acknowledge"
    problem(await client.post(wrong_record, headers=world.auth("team_manager")), 404)


async def test_an_action_on_an_open_concern_acknowledges_it(
    client: httpx.AsyncClient, world: World
) -> None:
    concern_id = (await _raise(client, world))["id"]
    updated = await ok(
        client.post(
            _concern_path(world, concern_id, "actions"),
            json={"note": "Rang the provider."},
            headers=world.auth("pa"),
        ),
        201,
    )
    assert updated["status"] == "acknowledged"
    assert updated["acknowledged_by"] == "Priya PA"
    assert updated["actions"][0]["by"] == "Priya PA"


async def test_anonymous_concern_hides_the_name_from_the_provider_never_from_the_pa(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    harbour = await provider(client, world)
    quay = await scheme(client, world, harbour["id"])
    await move(client, world, "own", scheme_id=quay["id"])
    await move(client, world, "colleague", scheme_id=quay["id"])
    await _raise(client, world)  # anonymous by default
    colleague = await account_for(sessionmaker, world, "colleague")
    await ok(
        client.post(
            concerns_path("me"),
            json={**PRIVACY, "category": "repairs", "anonymous_to_provider": False},
            headers=colleague,
        ),
        201,
    )

    shared = await ok(
        client.get(f"{API}/providers/{harbour['id']}/concerns", headers=world.auth("team_manager"))
    )
    names = {c["category"]: c["young_person_name"] for c in shared}
    assert names == {"privacy": None, "repairs": "Test Person"}

    pa_view = await ok(client.get(f"{API}/accommodation-concerns", headers=world.auth("pa")))
    assert {c["young_person_name"] for c in pa_view} == {"Amira Person", "Test Person"}
    mine = await ok(client.get(concerns_path(world.young_people["own"]), headers=world.auth("pa")))
    assert mine[0]["young_person_name"] == "Amira Person"
    assert mine[0]["anonymous_to_provider"] is True


async def test_staff_reads_of_concerns_are_audited(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _raise(client, world)
    await ok(client.get(concerns_path(world.young_people["own"]), headers=world.auth("pa")))
    await ok(client.get(f"{API}/providers/overview", headers=world.auth("org_manager")))
    async with sessionmaker() as session:
        actions = set(
            (
                await session.execute(
                    select(AuditEvent.action).where(AuditEvent.org_id == world.org_id)
                )
            ).scalars()
        )
    assert {
        "accommodation_concern.raise",
        "accommodation_concerns.read",
        "providers.overview.read",
    } <= actions
