"""Young people over HTTP: creating, listing, changing and reassigning records, the audit trail a
young person can read, the phone's home screen, contacts and status observations."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.time import today
from portal_api.models import Allocation, AuditEvent, YoungPerson
from tests.factories import World

YOUNG_PEOPLE = "/api/v1/young-people"


def _new_person(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": "NEW1",
        "given_name": "Nadia",
        "family_name": "Okafor",
        "date_of_birth": "2008-02-14",
        "gender": "female",
        "team_id": str(world.teams["north"]),
        "care_periods": [{"start": "2019-06-01", "end": "2026-02-14"}],
    }
    body.update(changes)
    return body


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


async def _count_young_people(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(YoungPerson)) or 0)


async def _list(client: httpx.AsyncClient, world: World, actor: str, **params: Any) -> Any:
    response = await client.get(YOUNG_PEOPLE, headers=world.auth(actor), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(page: Any) -> set[uuid.UUID]:
    return {uuid.UUID(item["id"]) for item in page["items"]}


async def _audit_rows(
    session: AsyncSession, action: str, young_person_id: uuid.UUID
) -> list[tuple[uuid.UUID | None, dict[str, Any]]]:
    rows = await session.execute(
        select(AuditEvent.actor_id, AuditEvent.detail)
        .where(AuditEvent.action == action, AuditEvent.young_person_id == young_person_id)
        .order_by(AuditEvent.id)
    )
    return [(actor, detail) for actor, detail in rows]


async def _allocations(
    session: AsyncSession, young_person_id: uuid.UUID
) -> list[tuple[uuid.UUID | None, date, date | None]]:
    rows = await session.execute(
        select(Allocation.adviser_id, Allocation.started_on, Allocation.ended_on)
        .where(Allocation.young_person_id == young_person_id)
        .order_by(Allocation.started_on, Allocation.ended_on.is_(None))
    )
    return [(adviser, started, ended) for adviser, started, ended in rows]


# --- creating --------------------------------------------------------------------------------


async def test_adviser_creates_young_person_on_own_caseload(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(YOUNG_PEOPLE, headers=world.auth("pa"), json=_new_person(world))

    assert response.status_code == 201, response.text
    assert response.headers["ETag"] == '"1"'
    body = response.json()
    assert body["version"] == 1
    assert body["personal_adviser"]["id"] == str(world.users["pa"])
    assert body["team"] == {"id": str(world.teams["north"]), "name": "North"}
    assert body["care_periods"] == [{"start": "2019-06-01", "end": "2026-02-14"}]
    assert body["has_account"] is False


async def test_creating_young_person_opens_an_allocation(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await client.post(YOUNG_PEOPLE, headers=world.auth("pa"), json=_new_person(world))
    assert response.status_code == 201, response.text

    created = uuid.UUID(response.json()["id"])
    assert await _allocations(session, created) == [(world.users["pa"], today(), None)]


async def test_creating_young_person_is_audited(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await client.post(YOUNG_PEOPLE, headers=world.auth("pa"), json=_new_person(world))
    assert response.status_code == 201, response.text

    created = uuid.UUID(response.json()["id"])
    rows = await _audit_rows(session, "young_person.create", created)
    assert [actor for actor, _ in rows] == [world.users["pa"]]


async def test_duplicate_external_id_is_a_conflict(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    before = await _count_young_people(session)

    response = await client.post(
        YOUNG_PEOPLE, headers=world.auth("pa"), json=_new_person(world, external_id="OWN1")
    )

    assert response.status_code == 409, response.text
    assert await _count_young_people(session) == before


INVALID_BODIES: list[Any] = [
    pytest.param({"role": "manager"}, "body.role", id="unknown-field"),
    pytest.param({"uasc": "sometimes"}, "body.uasc", id="wrong-type"),
    pytest.param(
        {"date_of_birth": (today() + timedelta(days=1)).isoformat()},
        "body.date_of_birth",
        id="birth-in-future",
    ),
    pytest.param(
        {"care_periods": [{"start": "2022-01-01", "end": "2021-01-01"}]},
        "body.care_periods",
        id="care-period-ends-before-start",
    ),
    pytest.param(
        {
            "care_periods": [
                {"start": "2020-01-01", "end": "2022-01-01"},
                {"start": "2021-06-01", "end": None},
            ]
        },
        "body.care_periods",
        id="care-periods-overlap",
    ),
    pytest.param(
        {"status_override": "relevant"}, "status_override_reason", id="override-without-reason"
    ),
    pytest.param({"gender": "unknown"}, "body.gender", id="unknown-gender"),
]


@pytest.mark.parametrize(("changes", "field"), INVALID_BODIES)
async def test_invalid_young_person_is_refused_naming_the_field(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    changes: dict[str, Any],
    field: str,
) -> None:
    before = await _count_young_people(session)

    response = await client.post(
        YOUNG_PEOPLE, headers=world.auth("pa"), json=_new_person(world, **changes)
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    named = _fields(response)
    if field == "status_override_reason":
        assert any(f.endswith(field) for f in named), named
    else:
        assert any(f.startswith(field) for f in named), named
    assert await _count_young_people(session) == before


# --- listing ---------------------------------------------------------------------------------


async def test_adviser_lists_caseload_and_team_but_not_another_team(
    client: httpx.AsyncClient, world: World
) -> None:
    page = await _list(client, world, "pa")

    assert _ids(page) == {world.young_people["own"], world.young_people["colleague"]}
    assert page["total"] == 2


async def test_list_filters_by_team(client: httpx.AsyncClient, world: World) -> None:
    north = await _list(client, world, "org_manager", team=str(world.teams["north"]))
    south = await _list(client, world, "org_manager", team=str(world.teams["south"]))

    assert _ids(north) == {world.young_people["own"], world.young_people["colleague"]}
    assert _ids(south) == {world.young_people["other_team"]}


async def test_adviser_cannot_list_another_team_by_filter(
    client: httpx.AsyncClient, world: World
) -> None:
    page = await _list(client, world, "pa", team=str(world.teams["south"]))

    assert page["items"] == []
    assert page["total"] == 0


async def test_list_filters_by_adviser_me(client: httpx.AsyncClient, world: World) -> None:
    page = await _list(client, world, "pa", adviser="me")

    assert _ids(page) == {world.young_people["own"]}


async def test_list_filters_by_status(client: httpx.AsyncClient, world: World) -> None:
    overridden = await client.post(
        YOUNG_PEOPLE,
        headers=world.auth("pa"),
        json=_new_person(
            world, status_override="qualifying", status_override_reason="left care at 17"
        ),
    )
    assert overridden.status_code == 201, overridden.text
    everyone = await _list(client, world, "pa")

    page = await _list(client, world, "pa", status="qualifying")

    expected = {uuid.UUID(i["id"]) for i in everyone["items"] if i["status"] == "qualifying"}
    assert uuid.UUID(overridden.json()["id"]) in _ids(page)
    assert _ids(page) == expected
    assert page["total"] == len(expected)
    assert all(item["status"] == "qualifying" for item in page["items"])


async def test_list_searches_names_and_external_ids(
    client: httpx.AsyncClient, world: World
) -> None:
    by_name = await _list(client, world, "pa", search="amira")
    by_external_id = await _list(client, world, "pa", search="col1")

    assert _ids(by_name) == {world.young_people["own"]}
    assert _ids(by_external_id) == {world.young_people["colleague"]}


async def test_list_pages_with_total_limit_and_offset(
    client: httpx.AsyncClient, world: World
) -> None:
    first = await _list(client, world, "pa", limit=1, offset=0)
    second = await _list(client, world, "pa", limit=1, offset=1)
    past_the_end = await _list(client, world, "pa", limit=1, offset=2)

    assert (first["total"], first["limit"], first["offset"]) == (2, 1, 0)
    assert (second["total"], second["limit"], second["offset"]) == (2, 1, 1)
    assert len(first["items"]) == len(second["items"]) == 1
    assert _ids(first) | _ids(second) == {
        world.young_people["own"],
        world.young_people["colleague"],
    }
    assert past_the_end["items"] == []


async def test_list_limit_above_200_is_refused(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(YOUNG_PEOPLE, headers=world.auth("pa"), params={"limit": 201})

    assert response.status_code == 422, response.text
    assert _fields(response) == ["query.limit"]


# --- changing --------------------------------------------------------------------------------


async def test_stale_if_match_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}"

    response = await client.patch(
        url, headers={**world.auth("pa"), "If-Match": '"99"'}, json={"given_name": "Changed"}
    )

    assert response.status_code == 412, response.text
    after = await client.get(url, headers=world.auth("pa"))
    assert after.json()["given_name"] == "Amira"
    assert after.json()["version"] == 1


async def test_change_with_current_if_match_bumps_the_version(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}"
    etag = (await client.get(url, headers=world.auth("pa"))).headers["ETag"]

    response = await client.patch(
        url, headers={**world.auth("pa"), "If-Match": etag}, json={"preferred_name": "Mira"}
    )

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert response.json()["full_name"] == "Mira Person"


async def test_adviser_cannot_reassign_young_person(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}"

    response = await client.patch(
        url,
        headers=world.auth("pa"),
        json={"personal_adviser_id": str(world.users["colleague_pa"])},
    )

    assert response.status_code == 403, response.text
    after = await client.get(url, headers=world.auth("pa"))
    assert after.json()["personal_adviser"]["id"] == str(world.users["pa"])
    assert len(await _allocations(session, world.young_people["own"])) == 1


async def test_manager_reassigning_closes_old_allocation_and_opens_new(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}"

    response = await client.patch(
        url,
        headers=world.auth("team_manager"),
        json={"personal_adviser_id": str(world.users["colleague_pa"])},
    )

    assert response.status_code == 200, response.text
    assert response.json()["personal_adviser"]["id"] == str(world.users["colleague_pa"])
    assert await _allocations(session, world.young_people["own"]) == [
        (world.users["pa"], date(2025, 1, 1), today()),
        (world.users["colleague_pa"], today(), None),
    ]


async def test_a_manager_cannot_allocate_a_pa_from_another_team(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    """The PA of another team could not read the young person's messages they would be told of."""
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}"

    response = await client.patch(
        url,
        headers=world.auth("org_manager"),
        json={"personal_adviser_id": str(world.users["south_pa"])},
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["personal_adviser_id"]
    assert len(await _allocations(session, world.young_people["own"])) == 1


async def test_moving_a_young_person_to_a_team_their_pa_is_not_in_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.patch(
        f"{YOUNG_PEOPLE}/{world.young_people['own']}",
        headers=world.auth("org_manager"),
        json={"team_id": str(world.teams["south"])},
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["personal_adviser_id"]


async def test_a_new_young_person_cannot_be_given_a_pa_from_another_team(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await client.post(
        YOUNG_PEOPLE,
        headers=world.auth("org_manager"),
        json=_new_person(world, personal_adviser_id=str(world.users["south_pa"])),
    )

    assert response.status_code == 422, response.text
    assert _fields(response) == ["personal_adviser_id"]
    assert await _count_young_people(session) == 4  # the world's, and no more


async def test_a_new_young_person_can_be_given_a_pa_of_their_team(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        YOUNG_PEOPLE,
        headers=world.auth("org_manager"),
        json=_new_person(world, personal_adviser_id=str(world.users["colleague_pa"])),
    )

    assert response.status_code == 201, response.text
    assert response.json()["personal_adviser"]["id"] == str(world.users["colleague_pa"])


# --- the audit trail and the access log ------------------------------------------------------


async def test_every_staff_read_is_audited(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}"
    for _ in range(2):
        assert (await client.get(url, headers=world.auth("pa"))).status_code == 200

    rows = await _audit_rows(session, "young_person.read", world.young_people["own"])
    assert [actor for actor, _ in rows] == [world.users["pa"], world.users["pa"]]


async def test_duty_cover_read_is_audited_as_duty_cover(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await client.get(
        f"{YOUNG_PEOPLE}/{world.young_people['colleague']}", headers=world.auth("pa")
    )
    assert response.status_code == 200, response.text

    rows = await _audit_rows(session, "young_person.read", world.young_people["colleague"])
    assert len(rows) == 1
    assert rows[0][1]["duty_cover"] is True


async def test_caseload_read_is_not_audited_as_duty_cover(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await client.get(f"{YOUNG_PEOPLE}/{world.young_people['own']}", headers=world.auth("pa"))

    rows = await _audit_rows(session, "young_person.read", world.young_people["own"])
    assert [detail["duty_cover"] for _, detail in rows] == [False]


async def test_access_log_shows_young_person_which_staff_read_their_record(
    client: httpx.AsyncClient, world: World
) -> None:
    await client.get(f"{YOUNG_PEOPLE}/{world.young_people['own']}", headers=world.auth("pa"))

    response = await client.get(f"{YOUNG_PEOPLE}/me/access-log", headers=world.auth("young_person"))

    assert response.status_code == 200, response.text
    entries = response.json()["items"]
    assert [(e["action"], e["staff_name"], e["staff_role"]) for e in entries] == [
        ("young_person.read", "Priya PA", "personal_adviser")
    ]
    assert response.json()["total"] == 1


async def test_access_log_leaves_out_the_young_persons_own_reads(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    me = world.auth("young_person")
    assert (await client.get(f"{YOUNG_PEOPLE}/me", headers=me)).status_code == 200
    assert (await client.get(f"{YOUNG_PEOPLE}/me/summary", headers=me)).status_code == 200

    response = await client.get(f"{YOUNG_PEOPLE}/me/access-log", headers=me)

    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
    assert response.json()["total"] == 0


# --- the phone's home screen -----------------------------------------------------------------


async def test_summary_shows_my_adviser_and_out_of_hours_number(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(f"{YOUNG_PEOPLE}/me/summary", headers=world.auth("young_person"))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["young_person_id"] == str(world.young_people["own"])
    assert body["personal_adviser"]["name"] == "Priya PA"
    assert body["organisation"]["out_of_hours_phone"] == "01632 960 999"
    assert body["team_name"] == "North"


# --- contacts and observations ---------------------------------------------------------------


async def test_contacts_are_recorded_and_listed_newest_first(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}/contacts"
    for on, kind in (("2026-09-01", "visit"), ("2026-11-01", "phone"), ("2026-10-01", "video")):
        created = await client.post(
            url, headers=world.auth("pa"), json={"contact_on": on, "kind": kind}
        )
        assert created.status_code == 201, created.text
        assert created.json()["recorded_by"]["name"] == "Priya PA"

    listed = await client.get(url, headers=world.auth("pa"))

    assert listed.status_code == 200, listed.text
    assert [c["contact_on"] for c in listed.json()] == ["2026-11-01", "2026-10-01", "2026-09-01"]


async def test_observations_are_recorded_and_listed_newest_first(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}/observations"
    for on in ("2026-06-01", "2026-11-01", "2026-08-01"):
        created = await client.post(
            url,
            headers=world.auth("pa"),
            json={"recorded_on": on, "in_touch": "YES", "activity": "F2", "accommodation": "U1"},
        )
        assert created.status_code == 201, created.text

    listed = await client.get(url, headers=world.auth("pa"))

    assert listed.status_code == 200, listed.text
    assert [o["recorded_on"] for o in listed.json()] == ["2026-11-01", "2026-08-01", "2026-06-01"]


INVALID_OBSERVATIONS: list[Any] = [
    pytest.param(
        {"recorded_on": "2026-06-01", "in_touch": "YES", "activity": "F2", "accommodation": "S1"},
        "accommodation",
        id="homeless-is-never-suitable",
    ),
    pytest.param(
        {"recorded_on": "2026-06-01", "in_touch": "YES", "activity": "0", "accommodation": "U1"},
        "activity",
        id="in-touch-needs-an-activity",
    ),
    pytest.param(
        # own was born 2008-05-01, so 17 on 2025-06-01
        {"recorded_on": "2025-06-01", "in_touch": "YES", "activity": "F2", "accommodation": "Z1"},
        "accommodation",
        id="former-foster-carers-at-17",
    ),
]


@pytest.mark.parametrize(("body", "field"), INVALID_OBSERVATIONS)
async def test_invalid_observation_is_refused_naming_the_field(
    client: httpx.AsyncClient, world: World, body: dict[str, str], field: str
) -> None:
    url = f"{YOUNG_PEOPLE}/{world.young_people['own']}/observations"

    response = await client.post(url, headers=world.auth("pa"), json=body)

    assert response.status_code == 422, response.text
    assert any(f.split(".")[-1] == field for f in _fields(response)), _fields(response)
    assert (await client.get(url, headers=world.auth("pa"))).json() == []


async def test_clearing_override_reason_while_override_stands_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    created = await client.post(
        YOUNG_PEOPLE,
        headers=world.auth("pa"),
        json=_new_person(
            world, status_override="qualifying", status_override_reason="left care at 17"
        ),
    )
    assert created.status_code == 201, created.text
    url = f"{YOUNG_PEOPLE}/{created.json()['id']}"

    response = await client.patch(
        url, headers=world.auth("pa"), json={"status_override_reason": None}
    )

    assert response.status_code == 422, response.text
    assert any(f.endswith("status_override_reason") for f in _fields(response))
    after = (await client.get(url, headers=world.auth("pa"))).json()
    assert (after["status_override"], after["status_override_reason"]) == (
        "qualifying",
        "left care at 17",
    )
