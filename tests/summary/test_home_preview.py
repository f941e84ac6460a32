"""An administrator's preview of the phone's home screen for a chosen profile: the same rules as a
young person's own home screen and checklist, and nobody's record read."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.models import AuditEvent
from tests.factories import World

PREVIEW = "/api/v1/home-preview"


async def _preview(client: httpx.AsyncClient, world: World, **profile: Any) -> dict[str, Any]:
    response = await client.get(PREVIEW, params=profile, headers=world.auth("admin"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _slugs(pages: list[dict[str, str]]) -> set[str]:
    return {p["slug"] for p in pages}


async def test_a_university_student_who_left_care_is_shown_the_bursary_and_a_child_is_not(
    client: httpx.AsyncClient, world: World
) -> None:
    student = await _preview(client, world, status="former_relevant", age=19, activity="F1")
    at_school = await _preview(client, world, status="eligible", age=16, activity="F2")

    assert "higher-education-bursary" in _slugs(student["local_offer"])
    assert "higher-education-bursary" not in _slugs(at_school["local_offer"])
    # The pathway plan is a core right for both: it is on the home screen as something to read.
    assert "pathway-plan" in _slugs(student["rights_to_read"])
    assert "pathway-plan" in _slugs(at_school["rights_to_read"])
    assert _slugs(student["rights_to_read"]) <= _slugs(student["local_offer"])


async def test_immigration_documents_are_asked_of_unaccompanied_young_people_only(
    client: httpx.AsyncClient, world: World
) -> None:
    uasc = await _preview(client, world, status="relevant", age=17, uasc=True)
    not_uasc = await _preview(client, world, status="relevant", age=17)

    assert "Immigration documents" in uasc["documents"]
    assert "Immigration documents" not in not_uasc["documents"]
    assert set(not_uasc["documents"]) < set(uasc["documents"])


async def test_a_document_type_an_administrator_adds_is_in_the_preview_at_once(
    client: httpx.AsyncClient, world: World
) -> None:
    before = await _preview(client, world, status="relevant", age=17)
    added = await client.post(
        "/api/v1/document-types",
        json={
            "key": "tenancy_pack",
            "name": "Tenancy starter pack",
            "why_it_matters": "So you know your rights as a tenant.",
            "how_to_get_it": "Your PA gives it to you before you move.",
        },
        headers=world.auth("admin"),
    )
    assert added.status_code == 201, added.text

    after = await _preview(client, world, status="relevant", age=17)

    assert "Tenancy starter pack" not in before["documents"]
    assert "Tenancy starter pack" in after["documents"]


async def test_the_preview_shows_the_councils_numbers_and_reads_no_record(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await client.patch(
        "/api/v1/organisation",
        json={"out_of_hours_phone": "0800 123 4567"},
        headers=world.auth("admin"),
    )
    audited = await session.scalar(select(func.count()).select_from(AuditEvent))

    preview = await _preview(client, world, age=20, is_parent=True, looked_after=False)

    assert preview["organisation"]["out_of_hours_phone"] == "0800 123 4567"
    assert await session.scalar(select(func.count()).select_from(AuditEvent)) == audited


async def test_a_profile_outside_the_care_leaving_ages_names_the_field(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(PREVIEW, params={"age": 40}, headers=world.auth("admin"))

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["query.age"]
