"""Pathway plans over HTTP: drafting with If-Match, submitting (every missing owner, date and
section at once), the young person's response, manager approval, copies received, review requests,
the PA's caseload of plan dates and the home screen's plan piece (DOMAIN.md §2)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pypdf
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.models import (
    ActionOwner,
    ActionStatus,
    Organisation,
    PlanAction,
    PlanPdf,
    PlanReceipt,
    PlanState,
    PlanVersion,
    ReceiptHow,
    Role,
    Team,
    User,
    YoungPerson,
)
from portal_api.people.legal_status import add_months
from portal_api.plans import drafting, pdf_service
from portal_api.plans.schemas import SECTIONS
from tests.factories import (
    make_org,
    make_plan_version,
    make_team,
    make_token,
    make_user,
    make_young_person,
)

API = "/api/v1"


@dataclass
class Desk:
    """A council of its own: one team, a PA, a team manager and a young person (with an account)
    on the PA's caseload who has no plan yet."""

    org_id: uuid.UUID
    pa_id: uuid.UUID
    young_person_id: uuid.UUID
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    @property
    def plan(self) -> str:
        return f"{API}/young-people/{self.young_person_id}/plan"


@pytest.fixture
async def desk(sessionmaker: async_sessionmaker[AsyncSession]) -> Desk:
    async with sessionmaker() as session, session.begin():
        org = await make_org(session)
        team = await make_team(session, org, "North")
        pa = await make_user(session, org, Role.personal_adviser, teams=(team,))
        manager = await make_user(session, org, Role.manager, teams=(team,))
        person = await make_young_person(session, org, team, pa, given_name="Amira")
        account = await make_user(session, org, Role.young_person, young_person=person)
        tokens = {
            "pa": await make_token(session, pa),
            "manager": await make_token(session, manager),
            "young_person": await make_token(session, account),
        }
        return Desk(org_id=org.id, pa_id=pa.id, young_person_id=person.id, tokens=tokens)


# --- helpers ---------------------------------------------------------------------------------


def _sections(needs: str = "Steady support") -> list[dict[str, Any]]:
    return [{"code": code, "needs": f"{needs}: {code}"} for code in SECTIONS]


def _action(
    section: str = "health",
    description: str = "Register with a GP",
    *,
    owner: str | None = "young_person",
    due_on: date | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"section_code": section, "description": description, "owner": owner}
    body["due_on"] = (due_on or today() + timedelta(days=30)).isoformat()
    body.update(extra)
    return body


def _complete_body() -> dict[str, Any]:
    return {
        "sections": _sections(),
        "actions": [
            _action("health", "Register with a GP", owner="young_person"),
            _action("finance", "Apply for the setting-up-home allowance", owner="personal_adviser"),
            _action(
                "education_and_training",
                "Visit the college open day",
                owner="other",
                owner_name="Eastmarsh College",
            ),
        ],
    }


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


async def _ok(response: Any, status: int = 200) -> Any:
    response = await response
    assert response.status_code == status, response.text
    return response


async def _start(client: httpx.AsyncClient, desk: Desk, *, copy_latest: bool = False) -> str:
    """Start a draft as the PA; the draft's ETag."""
    response = await _ok(
        client.post(
            f"{desk.plan}/draft", json={"copy_latest": copy_latest}, headers=desk.auth("pa")
        ),
        201,
    )
    return str(response.headers["ETag"])


async def _patch(
    client: httpx.AsyncClient, desk: Desk, body: dict[str, Any], etag: str | None
) -> httpx.Response:
    headers = desk.auth("pa") | ({"If-Match": etag} if etag else {})
    return await client.patch(f"{desk.plan}/draft", json=body, headers=headers)


async def _submit(client: httpx.AsyncClient, desk: Desk, etag: str | None) -> httpx.Response:
    headers = desk.auth("pa") | ({"If-Match": etag} if etag else {})
    return await client.post(f"{desk.plan}/draft/submit", headers=headers)


async def _shared(client: httpx.AsyncClient, desk: Desk, *, copy_latest: bool = False) -> int:
    """A complete draft, submitted to the young person; its version number."""
    etag = await _start(client, desk, copy_latest=copy_latest)
    response = await _ok(_patch(client, desk, _complete_body(), etag))
    submitted = await _ok(_submit(client, desk, response.headers["ETag"]))
    return int(submitted.json()["number"])


async def _respond(
    client: httpx.AsyncClient, desk: Desk, number: int, **body: Any
) -> httpx.Response:
    return await client.post(
        f"{desk.plan}/versions/{number}/response", json=body, headers=desk.auth("young_person")
    )


async def _agreed(client: httpx.AsyncClient, desk: Desk, *, copy_latest: bool = False) -> int:
    number = await _shared(client, desk, copy_latest=copy_latest)
    await _ok(_respond(client, desk, number, kind="agree"), 201)
    return number


async def _version(client: httpx.AsyncClient, desk: Desk, number: int, who: str = "pa") -> Any:
    response = await _ok(client.get(f"{desk.plan}/versions/{number}", headers=desk.auth(who)))
    return response.json()


async def _draft(client: httpx.AsyncClient, desk: Desk) -> Any:
    """The version in progress, as the PA sees it."""
    response = await _ok(client.get(desk.plan, headers=desk.auth("pa")))
    return response.json()["in_progress"]


async def _version_count(sessionmaker: async_sessionmaker[AsyncSession], desk: Desk) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(PlanVersion)
            .where(PlanVersion.young_person_id == desk.young_person_id)
        )
        return int(count or 0)


async def _receipts(
    sessionmaker: async_sessionmaker[AsyncSession], desk: Desk
) -> list[tuple[ReceiptHow, date]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(PlanReceipt.how, PlanReceipt.received_on)
            .where(PlanReceipt.young_person_id == desk.young_person_id)
            .order_by(PlanReceipt.how)
        )
        return [(how, on) for how, on in rows.all()]


async def _agreed_version(
    sessionmaker: async_sessionmaker[AsyncSession],
    desk: Desk,
    agreed_on: date,
    actions: tuple[tuple[str, date | None, ActionStatus], ...] = (),
    number: int = 1,
) -> uuid.UUID:
    """An agreed version made directly (agreed in the past), with (description, due, status)
    actions in the health section."""
    async with sessionmaker() as session, session.begin():
        person = await _person(session, desk)
        version = await make_plan_version(
            session, person, number, PlanState.agreed, agreed_on=agreed_on, needs="Support"
        )
        session.add_all(
            PlanAction(
                version_id=version.id,
                position=i,
                section_code="health",
                description=description,
                owner=ActionOwner.young_person,
                due_on=due_on,
                status=status,
                completed_on=today() if status is ActionStatus.done else None,
            )
            for i, (description, due_on, status) in enumerate(actions)
        )
        return version.id


async def _person(session: AsyncSession, desk: Desk) -> YoungPerson:
    person = await session.get(YoungPerson, desk.young_person_id)
    assert person is not None
    return person


async def _needs_approval(sessionmaker: async_sessionmaker[AsyncSession], desk: Desk) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Organisation)
            .where(Organisation.id == desk.org_id)
            .values(plans_need_manager_approval=True)
        )


def _both_arrive_first(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make two concurrent requests both finish ``drafting.<name>`` before either goes on: the
    moment two advisers' saves overlap."""
    original = getattr(drafting, name)
    arrived: list[int] = []
    both = asyncio.Event()

    async def wait_for_the_other(*args: Any, **kwargs: Any) -> Any:
        result = await original(*args, **kwargs)
        arrived.append(1)
        if len(arrived) == 2:
            both.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(both.wait(), 2)
        return result

    monkeypatch.setattr(drafting, name, wait_for_the_other)


def _statuses(responses: Sequence[httpx.Response | BaseException]) -> list[str]:
    return sorted(
        str(r.status_code) if isinstance(r, httpx.Response) else repr(r)[:200] for r in responses
    )


# --- drafting --------------------------------------------------------------------------------


async def test_pa_starts_a_blank_draft_with_an_etag(client: httpx.AsyncClient, desk: Desk) -> None:
    response = await client.post(
        f"{desk.plan}/draft", json={"copy_latest": False}, headers=desk.auth("pa")
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["ETag"] == body["etag"]
    assert body["number"] == 1
    assert body["state"] == "draft"
    assert [s["code"] for s in body["sections"]] == list(SECTIONS)
    assert all(s["needs"] == "" for s in body["sections"])
    assert body["actions"] == []


async def test_pa_fills_every_section_and_action_with_if_match(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)

    response = await _patch(client, desk, _complete_body(), etag)

    assert response.status_code == 200, response.text
    body = response.json()
    assert response.headers["ETag"] == body["etag"] != etag
    assert {s["code"]: s["needs"] for s in body["sections"]} == {
        code: f"Steady support: {code}" for code in SECTIONS
    }
    actions = body["actions"]
    assert [a["owner_label"] for a in actions] == [
        "You",
        "Your personal adviser",
        "Eastmarsh College",
    ]
    assert all(a["due_on"] == (today() + timedelta(days=30)).isoformat() for a in actions)
    assert all(a["missing"] == [] for a in actions)


async def test_stale_if_match_is_412_and_changes_nothing(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    stale = await _start(client, desk)
    current = (await _ok(_patch(client, desk, _complete_body(), stale))).headers["ETag"]

    response = await _patch(
        client,
        desk,
        {"sections": [{"code": "health", "needs": "Overwritten"}], "actions": []},
        stale,
    )

    assert response.status_code == 412, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    draft = await _draft(client, desk)
    assert draft["etag"] == current
    assert next(s for s in draft["sections"] if s["code"] == "health")["needs"] == (
        "Steady support: health"
    )
    assert len(draft["actions"]) == 3


async def test_a_draft_change_without_if_match_is_428_naming_the_header_and_changes_nothing(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)

    response = await _patch(client, desk, _complete_body(), None)

    assert response.status_code == 428, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _fields(response) == ["header.If-Match"]
    draft = await _draft(client, desk)
    assert draft["etag"] == etag
    assert draft["actions"] == []


async def test_second_of_two_patches_with_the_same_if_match_gets_412(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)
    first = {"sections": [{"code": "health", "needs": "First adviser's words"}]}
    second = {"sections": [{"code": "health", "needs": "Second adviser's words"}]}

    assert (await _patch(client, desk, first, etag)).status_code == 200
    response = await _patch(client, desk, second, etag)

    assert response.status_code == 412
    draft = await _draft(client, desk)
    assert next(s for s in draft["sections"] if s["code"] == "health")["needs"] == (
        "First adviser's words"
    )


async def test_concurrent_patches_with_the_same_if_match_one_gets_412(
    client: httpx.AsyncClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two advisers save at the same moment: both pass the If-Match check before either writes.
    The check must hold when writing (a conditional UPDATE), or the second silently overwrites
    the first and both get 200 with the same new ETag."""
    etag = await _start(client, desk)
    _both_arrive_first(monkeypatch, "_editable")

    responses = await asyncio.gather(
        _patch(client, desk, {"sections": [{"code": "health", "needs": "One"}]}, etag),
        _patch(client, desk, {"sections": [{"code": "health", "needs": "Two"}]}, etag),
        return_exceptions=True,
    )

    assert _statuses(responses) == ["200", "412"]


async def test_a_second_draft_while_one_is_in_progress_is_409(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await _start(client, desk)

    response = await client.post(f"{desk.plan}/draft", json={}, headers=desk.auth("pa"))

    assert response.status_code == 409, response.text


async def test_concurrent_draft_starts_give_one_409_not_a_database_error(
    client: httpx.AsyncClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two starts at once both find no draft and both take the next number; the second insert
    breaks the unique (young person, number) constraint and escapes as an IntegrityError (500)."""
    _both_arrive_first(monkeypatch, "load_versions")

    responses = await asyncio.gather(
        *(client.post(f"{desk.plan}/draft", json={}, headers=desk.auth("pa")) for _ in "ab"),
        return_exceptions=True,
    )

    assert _statuses(responses) == ["201", "409"]


async def test_a_new_draft_while_one_awaits_the_young_person_is_409(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await _shared(client, desk)

    response = await client.post(f"{desk.plan}/draft", json={}, headers=desk.auth("pa"))

    assert response.status_code == 409, response.text


async def test_unknown_section_code_is_422_naming_the_field(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)

    response = await _patch(
        client, desk, {"sections": [{"code": "hobbies", "needs": "Football"}]}, etag
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["body.sections.0.code"]


async def test_action_without_description_is_422(client: httpx.AsyncClient, desk: Desk) -> None:
    etag = await _start(client, desk)
    nameless = _action()
    del nameless["description"]

    missing = await _patch(client, desk, {"actions": [_action(), nameless]}, etag)
    empty = await _patch(client, desk, {"actions": [_action(description="")]}, etag)

    assert missing.status_code == 422, missing.text
    assert _fields(missing) == ["body.actions.1.description"]
    assert empty.status_code == 422, empty.text
    assert _fields(empty) == ["body.actions.0.description"]
    assert (await _draft(client, desk))["actions"] == []


async def test_action_due_before_the_plan_was_started_is_422_naming_it(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)
    late = _action(due_on=today() - timedelta(days=1))

    response = await _patch(client, desk, {"actions": [_action(), late]}, etag)

    assert response.status_code == 422, response.text
    assert _fields(response) == ["actions.1.due_on"]
    assert (await _draft(client, desk))["etag"] == etag


async def test_plan_date_is_the_london_date_the_draft_was_started(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Started at 00:30 on 2 June in London (23:30 on 1 June UTC): the plan is dated 2 June, so
    an action due on 1 June is before it. The check uses the UTC date instead."""
    async with sessionmaker() as session, session.begin():
        draft = await make_plan_version(session, await _person(session, desk), 1, PlanState.draft)
        draft.created_at = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)

    etag = (await _draft(client, desk))["etag"]
    response = await _patch(client, desk, {"actions": [_action(due_on=date(2026, 6, 1))]}, etag)

    assert response.status_code == 422, response.text
    assert _fields(response) == ["actions.0.due_on"]


async def test_suitability_on_a_non_accommodation_section_is_422(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)
    suitability = {"safety": {"suitable": True, "note": "Smoke alarm fitted"}}

    response = await _patch(
        client,
        desk,
        {"sections": [{"code": "health", "needs": "GP", "suitability": suitability}]},
        etag,
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["body.sections.0.suitability"]


async def test_suitability_is_recorded_on_the_accommodation_section(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)
    suitability = {"safety": {"suitable": True, "note": "Smoke alarm fitted"}}

    response = await _patch(
        client,
        desk,
        {"sections": [{"code": "accommodation", "needs": "Flat", "suitability": suitability}]},
        etag,
    )

    assert response.status_code == 200, response.text
    accommodation = next(s for s in response.json()["sections"] if s["code"] == "accommodation")
    assert accommodation["suitability"] == suitability


# --- submitting --------------------------------------------------------------------------------


async def test_submit_lists_every_missing_owner_date_and_empty_section_and_changes_nothing(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)
    body = {
        "sections": [s for s in _sections() if s["code"] != "health"],
        "actions": [
            _action("finance", "Open a bank account", owner=None),
            _action("employment", "Find a work placement"),
            {"section_code": "identity", "description": "Apply for a passport", "owner": "other"},
        ],
    }
    etag = (await _ok(_patch(client, desk, body, etag))).headers["ETag"]

    response = await _submit(client, desk, etag)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert sorted((e["field"], e["message"]) for e in errors) == sorted(
        [
            ("sections.health.needs", "“Health and wellbeing” is empty: say what they need"),
            ("actions.0", "“Open a bank account” has no owner"),
            ("actions.2", "“Apply for a passport” has no owner"),
            ("actions.2", "“Apply for a passport” has no due date"),
        ]
    )
    draft = await _draft(client, desk)
    assert draft["state"] == "draft"
    assert draft["etag"] == etag
    assert draft["submitted_at"] is None


async def test_submit_with_a_stale_if_match_is_412_and_shares_nothing(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    stale = await _start(client, desk)
    await _ok(_patch(client, desk, _complete_body(), stale))

    response = await _submit(client, desk, stale)

    assert response.status_code == 412, response.text
    assert (await _draft(client, desk))["state"] == "draft"


async def test_submitting_a_complete_draft_shares_it_with_the_young_person(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)
    etag = (await _ok(_patch(client, desk, _complete_body(), etag))).headers["ETag"]

    response = await _submit(client, desk, etag)

    assert response.status_code == 200, response.text
    assert response.json()["state"] == "awaiting_response"
    assert response.json()["submitted_at"] is not None
    seen = await _ok(client.get(f"{API}/young-people/me/plan", headers=desk.auth("young_person")))
    assert seen.json()["in_progress"]["state"] == "awaiting_response"
    assert seen.json()["in_progress"]["number"] == 1
    assert seen.json()["current"] is None


async def test_young_person_cannot_see_a_draft(client: httpx.AsyncClient, desk: Desk) -> None:
    etag = await _start(client, desk)
    await _ok(_patch(client, desk, _complete_body(), etag))

    version = await client.get(f"{desk.plan}/versions/1", headers=desk.auth("young_person"))
    plan = await _ok(client.get(desk.plan, headers=desk.auth("young_person")))
    versions = await _ok(client.get(f"{desk.plan}/versions", headers=desk.auth("young_person")))

    assert version.status_code == 404, version.text
    assert plan.json()["in_progress"] is None
    assert versions.json() == []


async def test_editing_a_shared_version_takes_it_back_from_the_young_person(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    number = await _shared(client, desk)
    etag = (await _draft(client, desk))["etag"]

    await _ok(_patch(client, desk, {"sections": [{"code": "health", "needs": "More"}]}, etag))

    assert (await _draft(client, desk))["state"] == "draft"
    hidden = await client.get(f"{desk.plan}/versions/{number}", headers=desk.auth("young_person"))
    assert hidden.status_code == 404


# --- the young person's response ----------------------------------------------------------------


async def test_disagreeing_with_a_section_is_recorded_and_still_awaits_a_response(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    number = await _shared(client, desk)

    response = await _respond(
        client, desk, number, kind="disagree", section_code="finance", comment="I need more money"
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "awaiting_response"
    assert [(r["kind"], r["section_code"], r["comment"]) for r in body["responses"]] == [
        ("disagree", "finance", "I need more money")
    ]
    assert body["agreed_on"] is None


async def test_agreeing_agrees_the_plan_today_with_review_in_six_calendar_months(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    number = await _shared(client, desk)

    response = await _respond(client, desk, number, kind="agree")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["state"] == "agreed"
    assert body["agreed_on"] == today().isoformat()
    assert body["next_review_due_on"] == add_months(today(), 6).isoformat()
    plan = await _ok(client.get(desk.plan, headers=desk.auth("pa")))
    assert plan.json()["current"]["number"] == number
    assert plan.json()["in_progress"] is None
    assert plan.json()["next_review_due_on"] == add_months(today(), 6).isoformat()


async def test_an_agreed_version_cannot_be_edited_or_answered_again(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    number = await _agreed(client, desk)
    etag = (await _version(client, desk, number))["etag"]

    patched = await _patch(client, desk, {"sections": [{"code": "health", "needs": "x"}]}, etag)
    answered = await _respond(client, desk, number, kind="comment", comment="One more thing")

    assert patched.status_code == 404, patched.text
    assert answered.status_code == 409, answered.text
    assert await _version_count(sessionmaker, desk) == 1
    assert (await _version(client, desk, number))["etag"] == etag


async def test_the_next_draft_copies_sections_and_only_open_actions(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    etag = await _start(client, desk)
    body = _complete_body()
    body["actions"] = [
        _action("health", "Register with a GP", status="in_progress"),
        _action("finance", "Open a bank account", status="done", completed_on=today().isoformat()),
        _action("employment", "Apply to the bakery", status="dropped", dropped_reason="Closed"),
        _action("identity", "Apply for a passport"),
    ]
    etag = (await _ok(_patch(client, desk, body, etag))).headers["ETag"]
    await _ok(_submit(client, desk, etag))
    await _ok(_respond(client, desk, 1, kind="agree"), 201)

    response = await client.post(
        f"{desk.plan}/draft", json={"copy_latest": True}, headers=desk.auth("pa")
    )

    assert response.status_code == 201, response.text
    draft = response.json()
    assert draft["number"] == 2
    assert draft["state"] == "draft"
    assert {s["code"]: s["needs"] for s in draft["sections"]} == {
        code: f"Steady support: {code}" for code in SECTIONS
    }
    assert [(a["description"], a["status"]) for a in draft["actions"]] == [
        ("Register with a GP", "in_progress"),
        ("Apply for a passport", "not_started"),
    ]


# --- manager approval --------------------------------------------------------------------------


async def test_agreement_waits_for_a_manager_when_the_council_requires_it(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _needs_approval(sessionmaker, desk)
    number = await _shared(client, desk)

    agreed = await _respond(client, desk, number, kind="agree")

    assert agreed.status_code == 201, agreed.text
    assert agreed.json()["state"] == "awaiting_approval"
    assert agreed.json()["agreed_on"] is None


async def test_a_pa_cannot_approve_and_the_manager_can(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _needs_approval(sessionmaker, desk)
    number = await _agreed(client, desk)
    approve = f"{desk.plan}/versions/{number}/approve"

    by_pa = await client.post(approve, headers=desk.auth("pa"))
    by_young_person = await client.post(approve, headers=desk.auth("young_person"))
    by_manager = await client.post(approve, headers=desk.auth("manager"))

    assert by_pa.status_code == 403, by_pa.text
    assert by_young_person.status_code == 403, by_young_person.text
    assert by_manager.status_code == 200, by_manager.text
    assert by_manager.json()["state"] == "agreed"
    assert by_manager.json()["agreed_on"] == today().isoformat()


async def test_a_version_awaiting_approval_cannot_be_edited(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _needs_approval(sessionmaker, desk)
    number = await _agreed(client, desk)
    etag = (await _version(client, desk, number))["etag"]

    response = await _patch(client, desk, {"sections": [{"code": "health", "needs": "x"}]}, etag)

    assert response.status_code == 409, response.text


# --- copies received ---------------------------------------------------------------------------


async def _opened(
    client: httpx.AsyncClient, desk: Desk, number: int, who: str = "young_person"
) -> httpx.Response:
    return await client.post(f"{desk.plan}/versions/{number}/opened", headers=desk.auth(who))


async def test_young_person_reading_their_plan_records_no_receipt(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # What a precache or background refresh does: every read, more than once.
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))

    for _ in range(2):
        await _ok(client.get(desk.plan, headers=desk.auth("young_person")))
        await _ok(client.get(f"{desk.plan}/versions", headers=desk.auth("young_person")))
        await _version(client, desk, 1, who="young_person")

    assert await _receipts(sessionmaker, desk) == []


async def test_young_person_opening_an_agreed_version_records_one_receipt(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))

    answers = [await _opened(client, desk, 1) for _ in range(2)]

    assert [a.status_code for a in answers] == [204, 204], answers[0].text
    assert await _receipts(sessionmaker, desk) == [(ReceiptHow.opened_in_app, today())]


async def test_opening_a_version_waiting_for_their_answer_records_no_copy_yet(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    number = await _shared(client, desk)

    response = await _opened(client, desk, number)

    assert response.status_code == 204, response.text
    assert await _receipts(sessionmaker, desk) == []


async def test_staff_cannot_say_the_young_person_opened_their_plan(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))

    response = await _opened(client, desk, 1, who="pa")

    assert response.status_code == 403, response.text
    assert await _receipts(sessionmaker, desk) == []


async def test_opening_a_version_that_does_not_exist_is_not_found(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    response = await _opened(client, desk, 7)

    assert response.status_code == 404, response.text


async def test_young_person_downloading_the_pdf_records_a_download(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))

    response = await client.get(f"{desk.plan}/versions/1/pdf", headers=desk.auth("young_person"))

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (ReceiptHow.downloaded, today()) in await _receipts(sessionmaker, desk)


async def test_the_pdf_is_rendered_once_and_the_same_for_staff_and_young_person(
    client: httpx.AsyncClient,
    desk: Desk,
    sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version_id = await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))
    pdf = f"{desk.plan}/versions/1/pdf"
    by_pa = await client.get(pdf, headers=desk.auth("pa"))
    assert by_pa.status_code == 200, by_pa.text
    async with sessionmaker() as session:
        stored = await session.scalar(
            select(PlanPdf.content).where(PlanPdf.version_id == version_id)
        )
    assert stored == by_pa.content

    async def no_second_render(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("rendered the same agreed version twice")

    monkeypatch.setattr(pdf_service, "render_plan_pdf", no_second_render)
    # Forget this process's recent PDFs too, so the stored one is what is served.
    monkeypatch.setattr(pdf_service, "_recent", OrderedDict())

    by_young_person = await client.get(pdf, headers=desk.auth("young_person"))

    assert by_young_person.status_code == 200, by_young_person.text
    assert by_young_person.content == by_pa.content


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


async def test_the_pdf_after_a_change_of_pa_tells_the_young_person_to_ring_the_new_pa(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))
    async with sessionmaker() as session, session.begin():
        old_pa = await session.get(User, desk.pa_id)
        assert old_pa is not None
        old_pa.display_name, old_pa.phone = "Priya Shah", "07700 900111"
        person = await _person(session, desk)
        team = await session.get(Team, person.team_id)
        org = await session.get(Organisation, desk.org_id)
        assert team is not None
        assert org is not None
        new_pa = await make_user(
            session, org, Role.personal_adviser, teams=(team,), name="Noor Haddad"
        )
        new_pa.phone = "07700 900222"
        new_pa_id = new_pa.id
    pdf = f"{desk.plan}/versions/1/pdf"
    before = await client.get(pdf, headers=desk.auth("young_person"))
    assert before.status_code == 200, before.text
    assert "Priya Shah" in _pdf_text(before.content)

    moved = await client.patch(
        f"{API}/young-people/{desk.young_person_id}",
        json={"personal_adviser_id": str(new_pa_id)},
        headers=desk.auth("manager"),
    )
    assert moved.status_code == 200, moved.text
    after = await client.get(pdf, headers=desk.auth("young_person"))

    assert after.status_code == 200, after.text
    text = _pdf_text(after.content)
    assert "Noor Haddad" in text
    assert "07700 900222" in text
    assert "Priya Shah" not in text
    assert "07700 900111" not in text


async def test_the_pdf_after_the_council_changes_its_phones_shows_the_new_number(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    version_id = await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))
    pdf = f"{desk.plan}/versions/1/pdf"
    assert (await client.get(pdf, headers=desk.auth("young_person"))).status_code == 200
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(Organisation)
            .where(Organisation.id == desk.org_id)
            .values(out_of_hours_phone="01632 960777")
        )

    after = await client.get(pdf, headers=desk.auth("young_person"))

    assert "01632 960777" in _pdf_text(after.content)
    async with sessionmaker() as session:
        stored = await session.scalar(
            select(PlanPdf.content).where(PlanPdf.version_id == version_id)
        )
    assert stored == after.content  # the stored PDF was replaced, not kept beside a new one


async def test_render_locks_stay_a_fixed_number_however_many_versions_are_downloaded() -> None:
    locks = {id(pdf_service.render_lock(uuid.uuid4())) for _ in range(5 * pdf_service.RENDER_LOCKS)}
    same = pdf_service.render_lock(version := uuid.uuid4()) is pdf_service.render_lock(version)

    assert len(locks) <= pdf_service.RENDER_LOCKS
    assert same  # one version always waits on the same lock, so it is rendered once at a time


async def test_pdf_of_a_draft_is_409_for_staff_and_404_for_the_young_person(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await _shared(client, desk)

    by_pa = await client.get(f"{desk.plan}/versions/1/pdf", headers=desk.auth("pa"))
    etag = (await _draft(client, desk))["etag"]
    await _ok(_patch(client, desk, {"sections": [{"code": "health", "needs": "x"}]}, etag))
    by_young_person = await client.get(
        f"{desk.plan}/versions/1/pdf", headers=desk.auth("young_person")
    )

    assert by_pa.status_code == 409, by_pa.text
    assert by_young_person.status_code == 404, by_young_person.text


async def test_staff_record_a_copy_posted(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    agreed_on = today() - timedelta(days=10)
    await _agreed_version(sessionmaker, desk, agreed_on)
    posted_on = agreed_on + timedelta(days=2)

    response = await client.post(
        f"{desk.plan}/versions/1/receipts",
        json={"how": "posted", "received_on": posted_on.isoformat()},
        headers=desk.auth("pa"),
    )

    assert response.status_code == 201, response.text
    assert response.json()["receipts"] == [{"how": "posted", "received_on": posted_on.isoformat()}]
    versions = await _ok(client.get(f"{desk.plan}/versions", headers=desk.auth("pa")))
    assert versions.json()[0]["first_received_on"] == posted_on.isoformat()
    assert await _receipts(sessionmaker, desk) == [(ReceiptHow.posted, posted_on)]


async def test_a_copy_received_before_agreement_is_422(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    agreed_on = today() - timedelta(days=10)
    await _agreed_version(sessionmaker, desk, agreed_on)

    response = await client.post(
        f"{desk.plan}/versions/1/receipts",
        json={"how": "posted", "received_on": (agreed_on - timedelta(days=1)).isoformat()},
        headers=desk.auth("pa"),
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["received_on"]
    assert await _receipts(sessionmaker, desk) == []


# --- review requests ---------------------------------------------------------------------------


async def _request_review(client: httpx.AsyncClient, desk: Desk) -> httpx.Response:
    return await client.post(
        f"{API}/young-people/me/plan/review-requests",
        json={"reason": "I am moving to a new flat"},
        headers=desk.auth("young_person"),
    )


async def test_young_person_requests_a_review_due_in_28_days(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    response = await _request_review(client, desk)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["requested_by_role"] == "young_person"
    assert body["requested_on"] == today().isoformat()
    assert body["due_on"] == (today() + timedelta(days=28)).isoformat()
    assert body["met"] is False


async def test_a_review_request_is_listed_for_the_pa_and_the_manager(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    request_id = (await _request_review(client, desk)).json()["id"]

    for who in ("pa", "manager"):
        listed = await _ok(client.get(f"{API}/plans/review-requests", headers=desk.auth(who)))
        assert [r["id"] for r in listed.json()] == [request_id], who


async def test_a_review_request_brings_the_next_review_forward(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))
    before = (await _ok(client.get(desk.plan, headers=desk.auth("pa")))).json()
    assert before["next_review_due_on"] == add_months(today() - timedelta(days=10), 6).isoformat()

    due_on = (await _request_review(client, desk)).json()["due_on"]

    after = (await _ok(client.get(desk.plan, headers=desk.auth("pa")))).json()
    assert due_on == (today() + timedelta(days=28)).isoformat()
    assert after["next_review_due_on"] == due_on
    assert after["current"]["next_review_due_on"] == due_on
    assert [r["due_on"] for r in after["open_review_requests"]] == [due_on]


async def test_a_later_review_request_leaves_an_earlier_review_date(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    agreed_on = add_months(today(), -6) + timedelta(days=5)
    await _agreed_version(sessionmaker, desk, agreed_on)

    await _ok(_request_review(client, desk), 201)

    plan = (await _ok(client.get(desk.plan, headers=desk.auth("pa")))).json()
    assert plan["next_review_due_on"] == add_months(agreed_on, 6).isoformat()


async def test_agreeing_a_new_version_meets_the_review_request(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))
    await _ok(_request_review(client, desk), 201)

    number = await _agreed(client, desk, copy_latest=True)

    assert number == 2
    listed = await _ok(client.get(f"{API}/plans/review-requests", headers=desk.auth("manager")))
    assert listed.json() == []
    plan = (await _ok(client.get(desk.plan, headers=desk.auth("pa")))).json()
    assert plan["open_review_requests"] == []
    assert plan["next_review_due_on"] == add_months(today(), 6).isoformat()


# --- caseload ----------------------------------------------------------------------------------


async def test_caseload_lists_plan_duty_young_people_overdue_first(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # desk's young person: former relevant, first plan due 3 months after their 16th birthday in
    # 2024 and never agreed, so the most overdue.
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))  # now up to date
    async with sessionmaker() as session, session.begin():
        org = await session.get(Organisation, desk.org_id)
        pa = await session.get(User, desk.pa_id)
        team = await session.scalar(select(Team).where(Team.org_id == desk.org_id))
        assert org is not None
        assert pa is not None
        assert team is not None
        sixteen = add_months(today(), -16 * 12) - timedelta(days=200)
        eligible = await make_young_person(
            session,
            org,
            team,
            pa,
            date_of_birth=sixteen,
            care=((date(2015, 1, 1), None),),
            given_name="Eli",
        )
        never_planned = await make_young_person(
            session, org, team, pa, date_of_birth=date(2007, 1, 10), given_name="Nia"
        )
        qualifying = await make_young_person(
            session,
            org,
            team,
            pa,
            date_of_birth=date(2008, 5, 1),
            care=((date(2024, 6, 1), date(2024, 7, 1)),),
            given_name="Quinn",
        )
        ids = {
            "eligible": eligible.id,
            "never_planned": never_planned.id,
            "qualifying": qualifying.id,
        }

    response = await client.get(f"{API}/plans/caseload", headers=desk.auth("pa"))

    assert response.status_code == 200, response.text
    rows = response.json()
    assert [r["young_person_id"] for r in rows] == [
        str(ids["never_planned"]),
        str(ids["eligible"]),
        str(desk.young_person_id),
    ]
    assert [r["status"] for r in rows] == ["former_relevant", "eligible", "former_relevant"]
    assert rows[0]["overdue_days"] > rows[1]["overdue_days"] > 0
    assert rows[2]["overdue_days"] == 0
    assert rows[2]["latest_agreed_on"] == (today() - timedelta(days=10)).isoformat()
    assert str(ids["qualifying"]) not in {r["young_person_id"] for r in rows}


async def test_caseload_shows_a_version_in_progress_and_open_requests(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await _start(client, desk)
    await _ok(_request_review(client, desk), 201)

    rows = (await _ok(client.get(f"{API}/plans/caseload", headers=desk.auth("pa")))).json()

    assert [(r["in_progress_state"], r["open_review_requests"]) for r in rows] == [("draft", 1)]


# --- the home screen ---------------------------------------------------------------------------


async def _summary(client: httpx.AsyncClient, desk: Desk) -> Any:
    response = await _ok(
        client.get(f"{API}/young-people/me/summary", headers=desk.auth("young_person"))
    )
    return response.json()


async def test_summary_shows_the_next_review_and_how_late_it_is(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    agreed_on = add_months(today(), -7)
    await _agreed_version(sessionmaker, desk, agreed_on)

    summary = await _summary(client, desk)

    due = add_months(agreed_on, 6)
    assert summary["next_plan_review_on"] == due.isoformat()
    assert summary["plan_review_overdue_days"] == (today() - due).days > 0


async def test_summary_review_is_not_overdue_after_a_recent_plan(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))

    summary = await _summary(client, desk)

    assert summary["next_plan_review_on"] == add_months(today() - timedelta(days=10), 6).isoformat()
    assert summary["plan_review_overdue_days"] == 0


async def test_summary_says_when_a_new_version_waits_for_the_young_persons_answer(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(sessionmaker, desk, today() - timedelta(days=10))
    before = await _summary(client, desk)

    number = await _shared(client, desk, copy_latest=True)
    waiting = await _summary(client, desk)

    assert before["plan_awaiting_answer"] is None
    assert waiting["plan_awaiting_answer"]["number"] == number == 2
    assert waiting["plan_awaiting_answer"]["shared_at"] is not None


async def test_summary_stops_waiting_once_the_young_person_agrees(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await _agreed(client, desk)

    summary = await _summary(client, desk)

    assert summary["plan_awaiting_answer"] is None


async def test_a_draft_the_young_person_cannot_see_yet_does_not_wait_for_them(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await _start(client, desk)

    summary = await _summary(client, desk)

    assert summary["plan_awaiting_answer"] is None


async def test_summary_before_any_plan_shows_the_first_plan_due(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    # Born 1 May 2008 and in care until 2025: 16 on 1 May 2024, so the first plan was due 1 August.
    summary = await _summary(client, desk)

    assert summary["next_plan_review_on"] == "2024-08-01"
    assert summary["plan_review_overdue_days"] == (today() - date(2024, 8, 1)).days
    assert summary["actions_due_soon"] == []


async def test_summary_lists_open_actions_due_in_the_next_14_days(
    client: httpx.AsyncClient, desk: Desk, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _agreed_version(
        sessionmaker,
        desk,
        today() - timedelta(days=10),
        actions=(
            ("Due in 10 days", today() + timedelta(days=10), ActionStatus.not_started),
            ("Due in 20 days", today() + timedelta(days=20), ActionStatus.not_started),
            ("Done already", today() + timedelta(days=5), ActionStatus.done),
            ("Late", today() - timedelta(days=3), ActionStatus.in_progress),
        ),
    )

    summary = await _summary(client, desk)

    assert [a["description"] for a in summary["actions_due_soon"]] == ["Late", "Due in 10 days"]
    assert [a["overdue"] for a in summary["actions_due_soon"]] == [True, False]
