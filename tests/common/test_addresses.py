"""One rule for emails and one for UK mobiles, whichever way an address comes in."""

from __future__ import annotations

import pytest

from portal_api.common.addresses import (
    mask_email,
    mask_mobile,
    normalise_email,
    normalise_uk_mobile,
    sign_in_name,
)


@pytest.mark.parametrize(
    "typed",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "447700900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "07700-900-123",
    ],
)
def test_every_way_of_writing_a_uk_mobile_is_one_number(typed: str) -> None:
    assert normalise_uk_mobile(typed) == "+447700900123"


@pytest.mark.parametrize(
    "typed",
    ["01632 960000", "+33 6 12 34 56 78", "0770090012", "077009001234", "07600 900123", "hello"],
)
def test_landlines_foreign_and_wrong_length_numbers_are_not_uk_mobiles(typed: str) -> None:
    with pytest.raises(ValueError, match="UK mobile"):
        normalise_uk_mobile(typed)


@pytest.mark.parametrize(
    "address", ["pa@council.test", "pa@localhost", "not an email", "pa@@example.org"]
)
def test_addresses_nobody_can_send_to_are_refused(address: str) -> None:
    with pytest.raises(ValueError, match="email"):
        normalise_email(address)


def test_an_email_is_kept_in_lower_case() -> None:
    assert normalise_email(" Priya.Shah@Example.ORG ") == "priya.shah@example.org"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("07700 900123", "+447700900123"),
        ("Priya.Shah@Example.org", "priya.shah@example.org"),
        ("+pa@example.org", "+pa@example.org"),
        ("01632 960000", "01632 960000"),
        ("not an email", "not an email"),
    ],
)
def test_a_sign_in_name_is_spelt_as_accounts_store_it_and_never_refused(
    typed: str, name: str
) -> None:
    assert sign_in_name(typed) == name


def test_masks_leave_enough_to_recognise_and_no_more() -> None:
    assert mask_mobile("+447700900123") == "07••• ••• 123"
    assert mask_email("amira.khan@example.org") == "a•••@example.org"
