"""What an open action lacks, as codes beside the English words."""

from __future__ import annotations

from datetime import date

import pytest

from portal_api.models import ActionOwner, ActionStatus
from portal_api.plans.schemas import ActionIn
from portal_api.plans.service import missing_codes, missing_parts


def _action(**fields: object) -> ActionIn:
    return ActionIn.model_validate({"section_code": "health", "description": "See a GP", **fields})


@pytest.mark.parametrize(
    ("fields", "codes"),
    [
        ({}, ["owner", "due_on"]),
        ({"owner": "young_person"}, ["due_on"]),
        ({"due_on": date(2027, 1, 1)}, ["owner"]),
        ({"owner": "other"}, ["owner", "due_on"]),  # someone else, unnamed
        ({"owner": "other", "owner_name": "Eastmarsh College", "due_on": date(2027, 1, 1)}, []),
        ({"status": "done", "completed_on": date(2026, 1, 1)}, []),  # nothing open lacks
    ],
)
def test_missing_codes_follow_the_english_parts(
    fields: dict[str, object], codes: list[str]
) -> None:
    action = _action(**fields)

    assert missing_codes(action) == codes
    assert len(missing_parts(action)) == len(codes)


def test_the_codes_cover_every_part_the_english_can_name() -> None:
    bare = _action(owner=ActionOwner.other, status=ActionStatus.not_started)

    assert set(missing_codes(bare)) == {"owner", "due_on"}
