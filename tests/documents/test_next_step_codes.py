"""Each checklist item's next step comes as a code beside the English, case for case."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from portal_api.documents.checklist import next_step_code
from portal_api.models import DocumentState
from tests.factories import World

ON = date(2026, 11, 11)


@pytest.mark.parametrize(
    ("state", "start", "code"),
    [
        (DocumentState.with_young_person, None, "done"),
        (DocumentState.not_applicable, None, "not_needed"),
        (DocumentState.requested, None, "requested"),
        (DocumentState.in_progress, None, "in_progress"),
        (DocumentState.not_started, date(2027, 1, 1), "starts_on"),
        (DocumentState.not_started, date(2026, 1, 1), "how_to_get_it"),
        (DocumentState.not_started, None, "how_to_get_it"),
    ],
)
def test_next_step_code(state: DocumentState, start: date | None, code: str) -> None:
    assert next_step_code(state, start, ON) == code


async def test_every_item_the_young_person_sees_has_a_code_and_its_document(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        "/api/v1/young-people/me/documents", headers=world.auth("young_person")
    )

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items
    for item in items:
        assert item["next_step_params"]["key"] == item["key"]
        if item["next_step_code"] == "starts_on":
            assert item["next_step_params"]["start_on"] == item["start_on"]
        if item["next_step_code"] == "how_to_get_it":
            assert item["next_step"] == item["how_to_get_it"]
