"""Documents by 18 over HTTP (DOMAIN.md §4): the council's catalogue and its changes, each young
person's checklist (what applies, start-by and due dates from birthdays, overdue and due soon),
staff changes with If-Match, what a young person may say, the home screen's piece, the outstanding
list of 17-year-olds and imported history."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.documents import service
from portal_api.models import Organisation, Team, User, YoungPerson
from portal_api.people.legal_status import add_months, add_years
from portal_api.records.import_lines import parse_lines
from portal_api.records.importer import import_records
from tests.factories import World, make_young_person

API = "/api/v1"
NOT_UASC_DEFAULTS = {
    "health_history",
    "national_insurance_number",
    "birth_certificate",
    "photo_id",
    "bank_account",
    "gp_registration",
    "care_leaver_letter",
    "junior_isa_access",
}
NEW_TYPE: dict[str, Any] = {
    "key": "driving_licence",
    "name": "Provisional driving licence",
    "why_it_matters": "Photo ID, and the first step to driving.",
    "how_to_get_it": "Apply online with your PA; the council pays.",
}


# --- helpers ---------------------------------------------------------------------------------


def _documents(young_person: uuid.UUID | str) -> str:
    return f"{API}/young-people/{young_person}/documents"


async def _ok(response: Any, status: int = 200) -> httpx.Response:
    response = await response
    assert response.status_code == status, response.text
    assert isinstance(response, httpx.Response)
    return response


async def _checklist(
    client: httpx.AsyncClient, world: World, young_person: str = "own", *, who: str = "pa"
) -> Any:
    target = "me" if who == "young_person" else world.young_people[young_person]
    return (await _ok(client.get(_documents(target), headers=world.auth(who)))).json()


async def _checklist_of(client: httpx.AsyncClient, world: World, young_person: uuid.UUID) -> Any:
    return (await _ok(client.get(_documents(young_person), headers=world.auth("pa")))).json()


def _item(checklist: Any, key: str) -> Any:
    found = [i for i in checklist["items"] if i["key"] == key]
    assert found, f"{key} is not on the checklist"
    return found[0]


def _keys(checklist: Any) -> set[str]:
    return {i["key"] for i in checklist["items"]}


async def _patch(
    client: httpx.AsyncClient,
    world: World,
    key: str,
    body: dict[str, Any],
    *,
    who: str = "pa",
    etag: str | None = None,
    young_person: uuid.UUID | str | None = None,
) -> httpx.Response:
    target = young_person or ("me" if who == "young_person" else world.young_people["own"])
    headers = world.auth(who) | ({"If-Match": etag} if etag else {})
    return await client.patch(f"{_documents(target)}/{key}", json=body, headers=headers)


async def _change(
    client: httpx.AsyncClient,
    world: World,
    key: str,
    body: dict[str, Any],
    young_person: uuid.UUID | None = None,
) -> Any:
    """A PA's change with the item's current ETag; the checklist it returns."""
    person = young_person or world.young_people["own"]
    etag = _item(await _checklist_of(client, world, person), key)["etag"]
    return (await _ok(_patch(client, world, key, body, etag=etag, young_person=person))).json()


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


def _names(response: httpx.Response, field: str) -> bool:
    """The 422 names ``field`` (as ``body.<field>`` or bare, as the service layer writes it)."""
    return any(f == field or f.endswith(f".{field}") for f in _fields(response))


async def _add_person(
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
    *,
    date_of_birth: date,
    given_name: str = "Test",
    uasc: bool = False,
) -> uuid.UUID:
    """Another young person on pa's caseload in team North."""
    async with sessionmaker() as session, session.begin():
        org = await session.get(Organisation, world.org_id)
        team = await session.get(Team, world.teams["north"])
        pa = await session.get(User, world.users["pa"])
        assert org is not None
        assert team is not None
        assert pa is not None
        person = await make_young_person(
            session,
            org,
            team,
            pa,
            date_of_birth=date_of_birth,
            care=((add_years(date_of_birth, 10), None),),
            given_name=given_name,
        )
        person.uasc = uasc
        await session.flush()
        return person.id


def _born_18_years_before(eighteenth: date) -> date:
    """A date of birth whose items (due 216 months on) fall due on ``eighteenth``."""
    born = add_months(eighteenth, -216)
    assert add_months(born, 216) == eighteenth
    return born


async def _admin(
    client: httpx.AsyncClient, world: World, method: str, path: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.request(method, f"{API}{path}", json=body, headers=world.auth("admin"))


# --- what applies --------------------------------------------------------------------------------


async def test_uasc_young_persons_checklist_includes_immigration_documents(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    uasc = await _add_person(sessionmaker, world, date_of_birth=date(2009, 6, 1), uasc=True)

    checklist = await _checklist_of(client, world, uasc)

    assert _keys(checklist) == NOT_UASC_DEFAULTS | {"immigration_documents"}


async def test_non_uasc_young_persons_checklist_has_no_immigration_documents(
    client: httpx.AsyncClient, world: World
) -> None:
    checklist = await _checklist(client, world)

    assert _keys(checklist) == NOT_UASC_DEFAULTS
    assert all(i["state"] == "not_started" and i["history"] == [] for i in checklist["items"])


# --- dates from birthdays ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "starts"),
    [
        (date(2010, 6, 15), date(2026, 3, 15)),
        (date(2010, 1, 31), date(2025, 10, 31)),  # 31 October exists: no clamping needed
        (date(2009, 12, 31), date(2025, 9, 30)),  # no 31 September: the month's last day
        (date(2010, 5, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
    ],
)
async def test_national_insurance_number_starts_15_years_9_months_after_birth(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    born: date,
    starts: date,
) -> None:
    person = await _add_person(sessionmaker, world, date_of_birth=born)

    item = _item(await _checklist_of(client, world, person), "national_insurance_number")

    assert item["start_on"] == starts.isoformat()


async def test_every_default_item_is_due_on_the_18th_birthday(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    person = await _add_person(sessionmaker, world, date_of_birth=date(2009, 8, 31), uasc=True)

    checklist = await _checklist_of(client, world, person)

    assert {i["due_on"] for i in checklist["items"]} == {"2027-08-31"}


async def test_29_february_birthday_items_are_due_on_the_18th_birthday_1_march(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Born 29 February 2008: 18 on 1 March 2026 (legal_status.add_years, the portal's one rule
    for ages, and the outstanding list's eighteenth_birthday). Items are due at the 18th birthday
    (DOMAIN.md §4), but the due date goes through add_months(216), a deadline rule that clamps to
    28 February, so every item shows overdue on the young person's 18th birthday."""
    born = date(2008, 2, 29)
    person = await _add_person(sessionmaker, world, date_of_birth=born)

    checklist = await _checklist_of(client, world, person)

    assert add_years(born, 18) == date(2026, 3, 1)
    assert {i["due_on"] for i in checklist["items"]} == {"2026-03-01"}


@pytest.mark.parametrize(
    ("days_to_due", "overdue", "due_soon"),
    [(0, False, True), (-1, True, False), (90, False, True), (91, False, False)],
    ids=["due-today", "due-yesterday", "due-in-90-days", "due-in-91-days"],
)
async def test_overdue_and_due_soon_at_their_boundaries(
    client: httpx.AsyncClient,
    world: World,
    sessionmaker: async_sessionmaker[AsyncSession],
    days_to_due: int,
    overdue: bool,
    due_soon: bool,
) -> None:
    due = today() + timedelta(days=days_to_due)
    person = await _add_person(sessionmaker, world, date_of_birth=_born_18_years_before(due))

    item = _item(await _checklist_of(client, world, person), "photo_id")

    assert item["due_on"] == due.isoformat()
    assert (item["overdue"], item["due_soon"]) == (overdue, due_soon)


async def test_a_done_item_is_neither_overdue_nor_due_soon(
    client: httpx.AsyncClient, world: World
) -> None:
    checklist = await _change(client, world, "photo_id", {"state": "with_young_person"})

    item = _item(checklist, "photo_id")
    assert item["due_on"] < today().isoformat()
    assert (item["overdue"], item["due_soon"]) == (False, False)


async def test_overdue_items_lead_then_due_soon_and_done_items_come_last(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # 18 in 30 days: every default item is due soon; a type due at 17 is already overdue.
    born = _born_18_years_before(today() + timedelta(days=30))
    person = await _add_person(sessionmaker, world, date_of_birth=born)
    await _ok(
        _admin(client, world, "POST", "/document-types", NEW_TYPE | {"due_at_months": 204}), 201
    )
    await _change(client, world, "bank_account", {"state": "with_young_person"}, person)

    items = (await _checklist_of(client, world, person))["items"]

    assert (items[0]["key"], items[0]["overdue"]) == ("driving_licence", True)
    assert all(i["due_soon"] for i in items[1:-1])
    assert items[-1]["key"] == "bank_account"


# --- staff change the state ----------------------------------------------------------------------


async def test_pa_changes_state_with_if_match_and_the_history_says_who_when_and_what(
    client: httpx.AsyncClient, world: World
) -> None:
    before = _item(await _checklist(client, world), "photo_id")
    on = today() - timedelta(days=2)

    response = await _patch(
        client,
        world,
        "photo_id",
        {"state": "requested", "on": on.isoformat(), "note": "Passport form sent"},
        etag=before["etag"],
    )

    assert response.status_code == 200, response.text
    item = _item(response.json(), "photo_id")
    assert (item["state"], item["state_on"]) == ("requested", on.isoformat())
    assert [(e["kind"], e["state"], e["on"], e["note"], e["by"]) for e in item["history"]] == [
        ("state_change", "requested", on.isoformat(), "Passport form sent", "you")
    ]
    assert item["history"][0]["at"]
    assert item["etag"] != before["etag"]
    assert _item(await _checklist(client, world), "photo_id")["etag"] == item["etag"]


async def test_who_changed_an_item_is_said_from_each_readers_side(
    client: httpx.AsyncClient, world: World
) -> None:
    """The PA's change reads "you" to the PA and the PA's name to the young person and the team
    manager; the young person's reads "you" to them and their name to staff."""
    await _change(client, world, "photo_id", {"state": "requested"})
    said = await _patch(
        client, world, "photo_id", {"young_person_says": "have_it"}, who="young_person"
    )
    assert said.status_code == 200, said.text
    record = (
        await _ok(
            client.get(f"{API}/young-people/{world.young_people['own']}", headers=world.auth("pa"))
        )
    ).json()
    young_person_name = (
        f"{record['preferred_name'] or record['given_name']} {record['family_name']}"
    )

    def by(checklist: Any) -> list[tuple[str, str]]:
        return [(e["kind"], e["by"]) for e in _item(checklist, "photo_id")["history"]]

    assert by(await _checklist(client, world, who="pa")) == [
        ("state_change", "you"),
        ("young_person_has_it", young_person_name),
    ]
    assert by(await _checklist(client, world, who="young_person")) == [
        ("state_change", "Priya PA"),
        ("young_person_has_it", "you"),
    ]
    assert by(await _checklist(client, world, who="team_manager")) == [
        ("state_change", "Priya PA"),
        ("young_person_has_it", young_person_name),
    ]


async def test_pa_records_where_the_original_is_kept(
    client: httpx.AsyncClient, world: World
) -> None:
    checklist = await _change(
        client,
        world,
        "birth_certificate",
        {"state": "with_young_person", "original_location": "held_by_council"},
    )

    item = _item(checklist, "birth_certificate")
    assert (item["state"], item["original_location"]) == ("with_young_person", "held_by_council")


async def test_not_applicable_keeps_its_reason_and_leaves_the_count(
    client: httpx.AsyncClient, world: World
) -> None:
    before = await _checklist(client, world)

    checklist = await _change(
        client,
        world,
        "junior_isa_access",
        {"state": "not_applicable", "not_applicable_reason": "Came into care after 2011"},
    )

    item = _item(checklist, "junior_isa_access")
    assert item["not_applicable_reason"] == "Came into care after 2011"
    assert checklist["applicable"] == before["applicable"] - 1


async def test_stale_if_match_is_412_and_changes_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    stale = _item(await _checklist(client, world), "photo_id")["etag"]
    await _ok(_patch(client, world, "photo_id", {"state": "requested"}, etag=stale))

    response = await _patch(
        client, world, "photo_id", {"state": "in_progress"}, who="team_manager", etag=stale
    )

    assert response.status_code == 412, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    item = _item(await _checklist(client, world), "photo_id")
    assert item["state"] == "requested"
    assert len(item["history"]) == 1


def _both_arrive_first(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make two concurrent requests both finish ``service.<name>`` before either goes on."""
    original = getattr(service, name)
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

    monkeypatch.setattr(service, name, wait_for_the_other)


def _statuses(responses: Sequence[httpx.Response | BaseException]) -> list[str]:
    return sorted(
        str(r.status_code) if isinstance(r, httpx.Response) else repr(r)[:200] for r in responses
    )


async def test_two_staff_changing_an_item_at_once_the_second_gets_412(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    checklist = await _change(client, world, "photo_id", {"state": "requested"})
    etag = _item(checklist, "photo_id")["etag"]
    _both_arrive_first(monkeypatch, "_item")

    responses = await asyncio.gather(
        _patch(client, world, "photo_id", {"state": "in_progress"}, etag=etag),
        _patch(
            client, world, "photo_id", {"state": "with_young_person"}, who="team_manager", etag=etag
        ),
        return_exceptions=True,
    )

    assert _statuses(responses) == ["200", "412"]
    assert len(_item(await _checklist(client, world), "photo_id")["history"]) == 2


async def test_two_staff_making_the_first_change_to_an_item_at_once_the_second_gets_412(
    client: httpx.AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An untouched item has no row: both requests insert one (service._item) before the If-Match
    check, so the second breaks the unique (young person, type) constraint and gets the generic
    409 of a unique race, not the 412 the checklist's ETag promises."""
    etag = _item(await _checklist(client, world), "photo_id")["etag"]
    _both_arrive_first(monkeypatch, "_item")

    responses = await asyncio.gather(
        _patch(client, world, "photo_id", {"state": "requested"}, etag=etag),
        _patch(client, world, "photo_id", {"state": "in_progress"}, who="team_manager", etag=etag),
        return_exceptions=True,
    )

    assert _statuses(responses) == ["200", "412"]


# --- bad input -----------------------------------------------------------------------------------


async def test_not_applicable_without_a_reason_is_422_naming_not_applicable_reason(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(client, world, "junior_isa_access", {"state": "not_applicable"})

    assert response.status_code == 422, response.text
    assert _names(response, "not_applicable_reason"), _fields(response)


async def test_a_change_dated_in_the_future_is_422_naming_on(
    client: httpx.AsyncClient, world: World
) -> None:
    tomorrow = today() + timedelta(days=1)

    response = await _patch(
        client, world, "photo_id", {"state": "requested", "on": tomorrow.isoformat()}
    )

    assert response.status_code == 422, response.text
    assert _names(response, "on"), _fields(response)


async def test_unknown_state_is_422_naming_state(client: httpx.AsyncClient, world: World) -> None:
    response = await _patch(client, world, "photo_id", {"state": "lost"})

    assert response.status_code == 422, response.text
    assert _names(response, "state"), _fields(response)


async def test_unknown_document_type_is_422_naming_path_type(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(client, world, "passport_photo", {"state": "requested"})

    assert response.status_code == 422, response.text
    assert _fields(response) == ["path.type"]


# --- what the young person may do ----------------------------------------------------------------


async def test_young_person_asking_for_help_leaves_the_item_open_and_tells_their_pa(
    client: httpx.AsyncClient, world: World
) -> None:
    body = {"young_person_says": "need_help", "note": "I lost my passport"}

    response = await _patch(client, world, "photo_id", body, who="young_person")

    assert response.status_code == 200, response.text
    item = _item(response.json(), "photo_id")
    assert item["state"] == "not_started"
    assert (item["help_requested"], item["says_has_it"]) == (True, False)
    assert [(e["kind"], e["note"], e["by"]) for e in item["history"]] == [
        ("young_person_needs_help", "I lost my passport", "you")
    ]
    assert response.json()["done"] == 0
    follow_ups = (
        await _ok(
            client.get(
                f"{API}/follow-ups",
                params={"young_person": str(world.young_people["own"])},
                headers=world.auth("pa"),
            )
        )
    ).json()
    help_asked = [f for f in follow_ups if f["kind"] == "document_help"]
    assert [(f["subject"], f["detail"]) for f in help_asked] == [
        ("Needs help with: Photo ID", "I lost my passport")
    ]


async def test_young_person_saying_they_have_it_waits_for_the_pa_to_confirm(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(
        client, world, "bank_account", {"young_person_says": "have_it"}, who="young_person"
    )

    assert response.status_code == 200, response.text
    item = _item(response.json(), "bank_account")
    assert item["state"] == "not_started"
    assert item["says_has_it"] is True
    assert response.json()["done"] == 0


async def test_a_staff_change_answers_the_young_persons_request_for_help(
    client: httpx.AsyncClient, world: World
) -> None:
    await _ok(
        _patch(client, world, "photo_id", {"young_person_says": "need_help"}, who="young_person")
    )

    checklist = await _change(client, world, "photo_id", {"state": "in_progress"})

    assert _item(checklist, "photo_id")["help_requested"] is False


async def test_young_person_cannot_change_the_state_directly(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(
        client, world, "photo_id", {"state": "with_young_person"}, who="young_person"
    )

    assert response.status_code == 403, response.text
    assert _item(await _checklist(client, world), "photo_id")["state"] == "not_started"


async def test_young_person_sees_their_own_checklist(
    client: httpx.AsyncClient, world: World
) -> None:
    checklist = await _checklist(client, world, who="young_person")

    assert checklist["young_person_id"] == str(world.young_people["own"])
    assert _keys(checklist) == NOT_UASC_DEFAULTS


# --- who may change it ---------------------------------------------------------------------------


async def test_duty_cover_pa_can_read_but_not_change_an_item(
    client: httpx.AsyncClient, world: World
) -> None:
    etag = _item(await _checklist(client, world, who="colleague_pa"), "photo_id")["etag"]

    response = await _patch(
        client, world, "photo_id", {"state": "requested"}, who="colleague_pa", etag=etag
    )

    assert response.status_code == 403, response.text


async def test_pa_from_another_team_does_not_find_the_young_person(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _patch(client, world, "photo_id", {"state": "requested"}, who="south_pa")

    assert response.status_code == 404, response.text


# --- the council's catalogue ---------------------------------------------------------------------


async def test_admin_adds_a_type_and_it_appears_on_everyones_checklist(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _admin(client, world, "POST", "/document-types", NEW_TYPE)

    assert response.status_code == 201, response.text
    for young_person, who in (("own", "pa"), ("colleague", "colleague_pa")):
        item = _item(await _checklist(client, world, young_person, who=who), "driving_licence")
        assert (item["name"], item["state"]) == ("Provisional driving licence", "not_started")


async def test_a_new_type_with_a_flag_condition_appears_only_for_whom_it_applies(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    uasc = await _add_person(sessionmaker, world, date_of_birth=date(2009, 6, 1), uasc=True)

    await _ok(
        _admin(client, world, "POST", "/document-types", NEW_TYPE | {"conditions": ["uasc"]}), 201
    )

    assert "driving_licence" in _keys(await _checklist_of(client, world, uasc))
    assert "driving_licence" not in _keys(await _checklist(client, world))


async def test_a_pa_cannot_add_a_document_type(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(f"{API}/document-types", json=NEW_TYPE, headers=world.auth("pa"))

    assert response.status_code == 403, response.text


@pytest.mark.parametrize(
    "condition", ["activity in [F2]", "in_touch in [YES]", "looked_after", "over 18"]
)
async def test_document_type_conditions_other_than_flags_are_422(
    client: httpx.AsyncClient, world: World, condition: str
) -> None:
    response = await _admin(
        client, world, "POST", "/document-types", NEW_TYPE | {"conditions": [condition]}
    )

    assert response.status_code == 422, response.text
    assert _names(response, "conditions.0"), _fields(response)


async def test_changing_a_types_conditions_to_a_non_flag_is_422(
    client: httpx.AsyncClient, world: World
) -> None:
    await _checklist(client, world)  # the council's catalogue starts with its first use

    response = await _admin(
        client, world, "PATCH", "/document-types/photo_id", {"conditions": ["activity in [F2]"]}
    )

    assert response.status_code == 422, response.text
    assert _names(response, "conditions.0"), _fields(response)


async def test_retired_type_stays_in_history_for_someone_who_has_it(
    client: httpx.AsyncClient, world: World
) -> None:
    await _change(client, world, "photo_id", {"state": "requested", "note": "Form sent"})
    before = await _checklist(client, world)

    await _ok(_admin(client, world, "PATCH", "/document-types/photo_id", {"retired": True}))

    checklist = await _checklist(client, world)
    item = _item(checklist, "photo_id")
    assert (item["retired"], item["state"]) == (True, "requested")
    assert [e["note"] for e in item["history"]] == ["Form sent"]
    assert checklist["applicable"] == before["applicable"] - 1


async def test_retired_type_disappears_for_someone_with_no_history(
    client: httpx.AsyncClient, world: World
) -> None:
    await _change(client, world, "photo_id", {"state": "requested"})  # own has history

    await _ok(_admin(client, world, "PATCH", "/document-types/photo_id", {"retired": True}))

    colleague = await _checklist(client, world, "colleague", who="colleague_pa")
    assert "photo_id" not in _keys(colleague)
    types = (await _ok(client.get(f"{API}/document-types", headers=world.auth("admin")))).json()
    assert next(t for t in types if t["key"] == "photo_id")["retired_on"] == today().isoformat()


async def test_rewording_a_type_changes_the_name_shown(
    client: httpx.AsyncClient, world: World
) -> None:
    await _checklist(client, world)

    await _ok(
        _admin(client, world, "PATCH", "/document-types/photo_id", {"name": "Passport or licence"})
    )

    assert _item(await _checklist(client, world), "photo_id")["name"] == "Passport or licence"


# --- the home screen -----------------------------------------------------------------------------


async def _summary(client: httpx.AsyncClient, world: World) -> Any:
    response = client.get(f"{API}/young-people/me/summary", headers=world.auth("young_person"))
    return (await _ok(response)).json()


async def test_summary_counts_done_of_applicable_and_names_the_next_document_due(
    client: httpx.AsyncClient, world: World
) -> None:
    # Own was 18 on 1 May 2026; a type due at 17 (1 May 2025) is the next one due.
    await _ok(
        _admin(client, world, "POST", "/document-types", NEW_TYPE | {"due_at_months": 204}), 201
    )
    await _change(client, world, "photo_id", {"state": "with_young_person"})
    await _change(
        client,
        world,
        "junior_isa_access",
        {"state": "not_applicable", "not_applicable_reason": "None was opened"},
    )

    summary = await _summary(client, world)

    assert (summary["documents_done"], summary["documents_applicable"]) == (1, 8)
    assert summary["next_document_due"] == {
        "key": "driving_licence",
        "name": "Provisional driving licence",
        "wording_code": None,  # the council's own type: its words stay English
        "due_on": "2025-05-01",
    }


async def test_summary_and_checklist_name_the_same_next_item_due(
    client: httpx.AsyncClient, world: World
) -> None:
    """Every default item falls due on the same day (the 18th birthday), so "next due" is a tie.
    The checklist breaks it by name (service.build_checklist sorts by due date, then name); the
    home screen by catalogue position (service.progress walks cached_catalogue in order). For
    every young person on the default catalogue the two screens name different documents."""
    await _change(client, world, "bank_account", {"state": "with_young_person"})

    summary = await _summary(client, world)
    checklist = await _checklist(client, world, who="young_person")

    assert (summary["documents_done"], summary["documents_applicable"]) == (
        checklist["done"],
        checklist["applicable"],
    )
    assert summary["next_document_due"]["key"] == checklist["next_due"]["key"]


async def test_summary_shows_nothing_due_when_everything_is_done(
    client: httpx.AsyncClient, world: World
) -> None:
    for key in sorted(NOT_UASC_DEFAULTS):
        await _change(client, world, key, {"state": "with_young_person"})

    summary = await _summary(client, world)

    assert (summary["documents_done"], summary["documents_applicable"]) == (8, 8)
    assert summary["next_document_due"] is None


# --- the outstanding list ------------------------------------------------------------------------


async def test_outstanding_lists_17_year_olds_with_missing_items_nearest_18th_birthday_first(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    on = today()
    for name, born in (
        ("Later", add_years(on + timedelta(days=200), -18)),
        ("Sooner", add_years(on + timedelta(days=10), -18)),
        ("Sixteen", add_years(on + timedelta(days=10), -17)),
        ("Nineteen", add_years(on - timedelta(days=10), -19)),
    ):
        await _add_person(sessionmaker, world, date_of_birth=born, given_name=name)
    done = await _add_person(
        sessionmaker, world, date_of_birth=add_years(on + timedelta(days=5), -18), given_name="Done"
    )
    for key in sorted(NOT_UASC_DEFAULTS):
        await _change(client, world, key, {"state": "with_young_person"}, done)

    response = await _ok(client.get(f"{API}/documents/outstanding", headers=world.auth("pa")))

    rows = response.json()
    assert [r["full_name"] for r in rows] == ["Sooner Person", "Later Person"]
    assert [r["days_to_18"] for r in rows] == [10, 200]
    assert len(rows[0]["outstanding"]) == len(NOT_UASC_DEFAULTS)
    assert rows[0]["overdue"] == []


async def test_outstanding_counts_not_applicable_as_settled(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    person = await _add_person(
        sessionmaker, world, date_of_birth=add_years(today() + timedelta(days=30), -18)
    )
    await _change(
        client,
        world,
        "junior_isa_access",
        {"state": "not_applicable", "not_applicable_reason": "None was opened"},
        person,
    )

    rows = (await _ok(client.get(f"{API}/documents/outstanding", headers=world.auth("pa")))).json()

    assert "Your Junior ISA" not in rows[0]["outstanding"]
    assert len(rows[0]["outstanding"]) == len(NOT_UASC_DEFAULTS) - 1


# --- imported history ----------------------------------------------------------------------------


async def test_imported_history_appears_in_date_order_by_imported(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    line = {
        "external_id": "IMP1",
        "given_name": "Dawit",
        "family_name": "Bekele",
        "date_of_birth": "2008-03-01",
        "team": "North",
        "personal_adviser_email": world.emails["pa"],
        "documents": [
            {"type": "photo_id", "status": "with_young_person", "status_on": "2024-11-02"},
            {
                "type": "photo_id",
                "status": "requested",
                "status_on": "2024-09-01",
                "note": "Passport form",
            },
            {"type": "photo_id", "status": "in_progress", "status_on": "2024-10-01"},
        ],
    }
    records = parse_lines([json.dumps(line)])
    async with sessionmaker() as session, session.begin():
        org = await session.get(Organisation, world.org_id)
        assert org is not None
        await import_records(session, org, records)
        imported = await session.scalar(
            select(YoungPerson.id).where(YoungPerson.external_id == "IMP1")
        )
        assert imported is not None

    item = _item(await _checklist_of(client, world, imported), "photo_id")

    assert [(e["state"], e["on"], e["by"], e["note"]) for e in item["history"]] == [
        ("requested", "2024-09-01", "imported", "Passport form"),
        ("in_progress", "2024-10-01", "imported", None),
        ("with_young_person", "2024-11-02", "imported", None),
    ]
    assert (item["state"], item["state_on"]) == ("with_young_person", "2024-11-02")
