"""An entitlement's line for the young person: plain English that reads right whatever the page
title ("Your care leaver letter" never becomes "the your care leaver letter"), and a code with
parameters beside it for the app to word in Arabic or Pashto."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from portal_api.content.entitlements import _message, _noun, message_code
from portal_api.models import EntitlementStatus
from tests.factories import World

ALL_STATUSES = list(EntitlementStatus)


@pytest.mark.parametrize(
    ("title", "noun"),
    [
        ("Your care leaver letter", ("your", "care leaver letter")),
        ("Setting up home allowance", ("the", "setting up home allowance")),
        ("Your National Insurance number", ("your", "National Insurance number")),
        ("Your Junior ISA", ("your", "Junior ISA")),
        ("ISA top-up", ("the", "ISA top-up")),
        ("Your", ("the", "your")),
    ],
)
def test_a_title_becomes_a_noun_with_its_word_before_it(title: str, noun: tuple[str, str]) -> None:
    assert _noun(title) == noun


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_no_line_says_the_your_or_your_your(status: EntitlementStatus) -> None:
    line = _message("Your care leaver letter", status, None, Decimal(0)).lower()

    assert "the your" not in line
    assert "your your" not in line
    assert "care leaver letter" in line


def test_not_started_reads_as_plain_english() -> None:
    assert _message("Your care leaver letter", EntitlementStatus.not_started, None, Decimal(0)) == (
        "You may be able to get your care leaver letter. Ask your PA to start it with you."
    )
    assert _message(
        "Setting up home allowance", EntitlementStatus.not_started, None, Decimal(0)
    ).startswith("You may be able to get the setting up home allowance.")


@pytest.mark.parametrize(
    ("status", "full", "paid", "code"),
    [
        (EntitlementStatus.not_started, Decimal(3000), Decimal(0), "entitlement_may_get"),
        (EntitlementStatus.applied, Decimal(3000), Decimal(0), "entitlement_applied"),
        (EntitlementStatus.received, Decimal(3000), Decimal(1200), "entitlement_part_paid"),
        (EntitlementStatus.received, Decimal(3000), Decimal(3000), "entitlement_received"),
        (EntitlementStatus.received, None, Decimal(0), "entitlement_received"),
        (EntitlementStatus.declined, None, Decimal(0), "entitlement_declined"),
        (EntitlementStatus.not_eligible, None, Decimal(0), "entitlement_not_eligible"),
    ],
)
def test_each_line_has_its_code(
    status: EntitlementStatus, full: Decimal | None, paid: Decimal, code: str
) -> None:
    assert message_code(status, full, paid) == code


async def test_the_young_person_gets_the_code_and_its_figures_beside_the_english(
    client: httpx.AsyncClient, world: World
) -> None:
    recorded = await client.post(
        f"/api/v1/young-people/{world.young_people['own']}/entitlements/setting-up-home-allowance",
        json={"status": "received", "status_on": "2026-10-01", "amount_gbp": "1200"},
        headers=world.auth("pa"),
    )
    assert recorded.status_code == 201, recorded.text

    response = await client.get(
        "/api/v1/young-people/me/entitlements", headers=world.auth("young_person")
    )

    [allowance] = [e for e in response.json() if e["slug"] == "setting-up-home-allowance"]
    assert allowance["message_code"] == "entitlement_part_paid"
    params = allowance["message_params"]
    assert (params["slug"], float(params["paid_gbp"]), float(params["amount_gbp"])) == (
        "setting-up-home-allowance",
        1200,
        3000,
    )
    assert params["title"] == allowance["title"]
