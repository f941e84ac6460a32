"""The staff console's API: one audited read per case, an access log grouped per person and day,
the conversations list, the caseload's columns, and settings that can be read back."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.audit.schemas import AccessAction
from portal_api.common.time import today
from portal_api.models import (
    Message,
    MessageKind,
    Mood,
    NotificationOutbox,
    Role,
    User,
    YoungPerson,
)
from tests.factories import World

API = "/api/v1"
# Every GET a case's sections make (UX.md §3, "Young person"): with the overview, one line.
SECTION_GETS = (
    "",
    "/contacts",
    "/observations",
    "/plan",
    "/plan/versions",
    "/documents",
    "/messages",
    "/follow-ups",
    "/entitlements",
    "/accommodation",
    "/accommodation-concerns",
    "/check-in-rhythm",
    "/invites/latest",
)


async def _ok(response: Any, status: int = 200) -> Any:
    answer = await response
    assert answer.status_code == status, answer.text
    return answer.json() if answer.content else None


async def test_a_pa_opening_every_tab_of_a_case_adds_one_line_to_the_access_log(
    client: httpx.AsyncClient, world: World
) -> None:
    yp = world.young_people["own"]
    await _ok(client.get(f"{API}/young-people/{yp}/overview", headers=world.auth("pa")))
    opened = 1
    for section in SECTION_GETS:
        answer = await client.get(f"{API}/young-people/{yp}{section}", headers=world.auth("pa"))
        if answer.status_code == 200:
            opened += 1
    assert opened > 8  # the sections were really opened, not all refused

    log = await _ok(
        client.get(f"{API}/young-people/me/access-log", headers=world.auth("young_person"))
    )

    assert log["total"] == 1
    [line] = log["items"]
    assert line["staff_name"] == "Priya PA"
    assert line["count"] == opened
    assert line["duty_cover"] is False
    assert "overview.read" in line["actions"]
    assert "plan.read" in line["actions"]
    assert line["on"] == today().isoformat()


async def test_the_access_log_groups_by_the_london_day_not_the_utc_one(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    from portal_api.models import AuditEvent

    yp = world.young_people["own"]
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time); in January it is the same day.
    at = (
        datetime(2026, 1, 10, 23, 30, tzinfo=UTC),
        datetime(2026, 1, 11, 9, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
        datetime(2026, 7, 2, 9, 0, tzinfo=UTC),
    )
    async with sessionmaker() as session:
        for moment in at:
            session.add(
                AuditEvent(
                    org_id=world.org_id,
                    actor_id=world.users["pa"],
                    actor_role=Role.personal_adviser.value,
                    action="plan.read",
                    young_person_id=yp,
                    detail={},
                    at=moment,
                )
            )
        await session.commit()

    log = await _ok(
        client.get(f"{API}/young-people/me/access-log", headers=world.auth("young_person"))
    )

    assert [(line["on"], line["count"]) for line in log["items"]] == [
        ("2026-07-02", 2),
        ("2026-01-11", 1),
        ("2026-01-10", 1),
    ]


async def test_the_overview_is_one_read_event(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    from portal_api.models import AuditEvent

    yp = world.young_people["own"]
    case = await _ok(client.get(f"{API}/young-people/{yp}/overview", headers=world.auth("pa")))

    async with sessionmaker() as session:
        events = list(
            await session.scalars(select(AuditEvent.action).where(AuditEvent.young_person_id == yp))
        )
    assert events == ["overview.read"]
    assert case["record"]["id"] == str(yp)
    assert case["record"]["invite"]["state"] == "accepted"  # they have an account
    assert [f["subject"] for f in case["follow_ups"]] == ["Wants to talk about your rights"]
    assert case["latest_messages"][0]["sender"] == "staff"
    assert case["plan"]["latest_agreed_on"] == "2026-06-01"
    assert case["duty_cover"] is False


async def test_duty_cover_is_marked_in_the_access_log_and_the_overview(
    client: httpx.AsyncClient, world: World
) -> None:
    yp = world.young_people["own"]
    case = await _ok(
        client.get(f"{API}/young-people/{yp}/overview", headers=world.auth("colleague_pa"))
    )
    log = await _ok(
        client.get(f"{API}/young-people/me/access-log", headers=world.auth("young_person"))
    )

    assert case["duty_cover"] is True
    assert [line["duty_cover"] for line in log["items"]] == [True]


async def test_the_overview_is_not_found_outside_scope(
    client: httpx.AsyncClient, world: World
) -> None:
    yp = world.young_people["other_team"]
    answer = await client.get(f"{API}/young-people/{yp}/overview", headers=world.auth("pa"))
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_every_action_code_the_portal_records_is_enumerated() -> None:
    """An audit code the enum does not know would read as "other" in the young person's log."""
    code = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
    callers = {"record", "audit_read", "audit_reads", "young_person_for", "eligibility_facts"}
    recorded = set()
    for path in Path("portal_api").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in callers:
                continue
            args = [*node.args, *(k.value for k in node.keywords if k.arg == "audit_action")]
            recorded |= {
                a.value
                for a in args
                if isinstance(a, ast.Constant) and isinstance(a.value, str) and code.match(a.value)
            }
    recorded |= {"overview.read", "caseload.read"}  # named by constant
    assert len(recorded) > 50
    assert recorded - {a.value for a in AccessAction} == set()


# --- conversations ------------------------------------------------------------------------------


async def _message(
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
    who: str,
    minutes_ago: int,
    *,
    mood: Mood | None = None,
) -> None:
    async with sessionmaker() as session, session.begin():
        session.add(
            Message(
                org_id=world.org_id,
                young_person_id=world.young_people[who],
                sender_id=None,
                sender_role=Role.young_person.value,
                kind=MessageKind.check_in if mood else MessageKind.text,
                mood=mood,
                body="Can we talk?",
                created_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
            )
        )


async def test_conversations_put_who_has_waited_longest_first(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _message(sessionmaker, world, "own", 30)
    await _message(sessionmaker, world, "own", 10, mood=Mood.some_help)
    await _message(sessionmaker, world, "colleague", 90)

    page = await _ok(
        client.get(f"{API}/conversations", params={"scope": "team"}, headers=world.auth("pa"))
    )

    names = [(c["external_id"], c["duty_cover"]) for c in page["items"]]
    assert names == [("COL1", True), ("OWN1", False)]
    own = page["items"][1]
    assert own["unread"] == 2
    assert own["last_message"]["kind"] == "check_in"
    assert own["last_message"]["mood"] == "some_help"
    assert own["last_message"]["sender"] == "young_person"
    waited = datetime.fromisoformat(own["waiting_since"])
    assert timedelta(minutes=29) < datetime.now(UTC) - waited < timedelta(minutes=31)
    mine = await _ok(client.get(f"{API}/conversations", headers=world.auth("pa")))
    assert [c["external_id"] for c in mine["items"]] == ["OWN1"]


async def test_a_conversation_staff_answered_last_is_not_waiting(
    client: httpx.AsyncClient, world: World
) -> None:
    page = await _ok(client.get(f"{API}/conversations", headers=world.auth("pa")))
    [own] = page["items"]
    assert own["waiting_since"] is None
    assert own["last_message"]["sender"] == "staff"


async def test_conversations_take_the_same_queries_for_one_or_many(
    client: httpx.AsyncClient,
    world: World,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    async def queries_for_list() -> int:
        statements.clear()
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            await _ok(
                client.get(
                    f"{API}/conversations",
                    params={"scope": "team"},
                    headers=world.auth("org_manager"),
                )
            )
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
        return len(statements)

    with_few = await queries_for_list()
    for who in ("own", "colleague", "other_team"):
        await _message(sessionmaker, world, who, 5)
    assert await queries_for_list() == with_few


# --- the caseload -------------------------------------------------------------------------------


async def test_the_caseload_carries_its_columns_in_one_request(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _message(sessionmaker, world, "own", 60, mood=Mood.need_help_now)
    page = await _ok(
        client.get(f"{API}/caseload", params={"mine": "false"}, headers=world.auth("pa"))
    )

    rows = {r["external_id"]: r for r in page["items"]}
    assert set(rows) == {"OWN1", "COL1"}
    own, col = rows["OWN1"], rows["COL1"]
    assert own["unread"] == 1
    assert own["last_mood"] == "need_help_now"
    assert own["has_account"] is True
    assert own["invite_state"] == "accepted"
    assert col["has_account"] is False
    assert col["invite_state"] == "none"
    assert own["duty_cover"] is False
    assert col["duty_cover"] is True
    assert own["documents_applicable"] >= own["documents_done"] >= 0
    assert own["next_review_due_on"] is not None
    searched = await _ok(
        client.get(
            f"{API}/caseload", params={"mine": "false", "search": "col1"}, headers=world.auth("pa")
        )
    )
    assert [r["external_id"] for r in searched["items"]] == ["COL1"]


# --- what can be set can be read ----------------------------------------------------------------


async def test_availability_reads_back_what_was_set(
    client: httpx.AsyncClient, world: World
) -> None:
    before = await _ok(client.get(f"{API}/users/me/availability", headers=world.auth("pa")))
    until = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    await _ok(
        client.put(
            f"{API}/users/me/availability",
            json={"away_until": until.isoformat(), "cover_id": str(world.users["colleague_pa"])},
            headers=world.auth("pa"),
        ),
        204,
    )
    after = await _ok(client.get(f"{API}/users/me/availability", headers=world.auth("pa")))

    assert before["away_now"] is False
    assert before["cover"] is None
    assert after["away_now"] is True
    assert datetime.fromisoformat(after["away_until"]) == until
    assert after["cover"]["id"] == str(world.users["colleague_pa"])


async def test_the_check_in_rhythm_reads_back_what_was_set(
    client: httpx.AsyncClient, world: World
) -> None:
    yp = world.young_people["own"]
    url = f"{API}/young-people/{yp}/check-in-rhythm"
    assert (await _ok(client.get(url, headers=world.auth("pa"))))["every_days"] is None
    await _ok(client.put(url, json={"every_days": 14}, headers=world.auth("pa")), 204)
    rhythm = await _ok(client.get(url, headers=world.auth("pa")))
    assert rhythm["every_days"] == 14
    assert rhythm["set_by"]["name"] == "Priya PA"
    assert rhythm["due"] is False


async def test_an_admin_sets_quiet_hours_and_office_hours(
    client: httpx.AsyncClient, world: World
) -> None:
    org = await _ok(client.get(f"{API}/organisation", headers=world.auth("admin")))
    assert (org["quiet_from"], org["quiet_until"]) == ("21:00", "08:00")
    assert (org["office_opens"], org["office_closes"]) == ("09:00", "17:00")

    changed = await _ok(
        client.patch(
            f"{API}/organisation",
            json={"quiet_from": "20:30", "office_opens": "08:30"},
            headers=world.auth("admin"),
        )
    )
    assert (changed["quiet_from"], changed["office_opens"]) == ("20:30", "08:30")


async def test_a_badly_written_time_is_refused_naming_the_field(
    client: httpx.AsyncClient, world: World
) -> None:
    for body, field in (
        ({"quiet_until": "8am"}, "quiet_until"),
        ({"office_opens": "24:00"}, "office_opens"),
        ({"office_closes": "08:00"}, "office_closes"),  # before it opens
        ({"quiet_from": "08:00"}, "quiet_from"),  # the same as when quiet hours end
        ({"quiet_from": None}, "quiet_from"),
    ):
        answer = await client.patch(f"{API}/organisation", json=body, headers=world.auth("admin"))
        assert answer.status_code == 422, body
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert field in answer.text, answer.text
    org = await _ok(client.get(f"{API}/organisation", headers=world.auth("admin")))
    assert (org["quiet_from"], org["office_closes"]) == ("21:00", "17:00")


async def test_a_pa_cannot_change_quiet_hours(client: httpx.AsyncClient, world: World) -> None:
    answer = await client.patch(
        f"{API}/organisation", json={"quiet_from": "22:00"}, headers=world.auth("pa")
    )
    assert answer.status_code == 403


async def test_notices_to_a_young_person_follow_the_councils_quiet_hours(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Quiet hours set to the whole day but one minute: a staff message's notice is held."""
    now = datetime.now(UTC).astimezone()
    from portal_api.common.time import LONDON

    async with sessionmaker() as session, session.begin():
        person = await session.get(YoungPerson, world.young_people["own"])
        assert person is not None
        person.mobile = "07700900123"  # a way to tell them
    local = datetime.now(LONDON)
    end = (local + timedelta(minutes=2)).strftime("%H:%M")
    start = (local - timedelta(minutes=2)).strftime("%H:%M")
    await _ok(
        client.patch(
            f"{API}/organisation",
            json={"quiet_from": start, "quiet_until": end},
            headers=world.auth("admin"),
        )
    )
    await _ok(
        client.post(
            f"{API}/young-people/{world.young_people['own']}/messages",
            json={"body": "See you Tuesday"},
            headers={**world.auth("pa"), "Idempotency-Key": "quiet-hours-test-1"},
        ),
        201,
    )
    async with sessionmaker() as session:
        young_person = await session.scalar(
            select(User.id).where(User.young_person_id == world.young_people["own"])
        )
        due = list(
            await session.scalars(
                select(NotificationOutbox.next_attempt_at).where(
                    NotificationOutbox.user_id == young_person
                )
            )
        )
    assert due, "the young person was told"
    for moment in due:
        held = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        assert held > now + timedelta(seconds=30)


async def test_each_young_person_listed_in_conversations_gets_one_read_event(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    from portal_api.models import AuditEvent

    page = await _ok(
        client.get(f"{API}/conversations", params={"scope": "team"}, headers=world.auth("pa"))
    )
    async with sessionmaker() as session:
        read = list(
            await session.scalars(
                select(AuditEvent.young_person_id)
                .where(AuditEvent.action == "conversations.read")
                .order_by(AuditEvent.young_person_id)
            )
        )
    listed = sorted(world.young_people[k] for k in ("own", "colleague"))
    assert sorted(c["young_person_id"] for c in page["items"]) == sorted(map(str, listed))
    assert read == listed
