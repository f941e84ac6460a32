"""Who answers now comes as a code with parameters beside the English, so an Arabic or Pashto
home screen words it itself; the parameters hold no English."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal_api.common.time import LONDON
from portal_api.messaging.reach import Office, StaffContact, reach_from

OFFICE = Office("Eastmarsh", "01632 960 000", "01632 960 999", "09:00", "17:00")
PA = StaffContact("Priya", "07700 900001")
COVER = StaffContact("Tom", None)
WEDNESDAY_MORNING = datetime(2026, 11, 11, 10, 0, tzinfo=LONDON)
WEDNESDAY_NIGHT = datetime(2026, 11, 11, 22, 0, tzinfo=LONDON)
AWAY_UNTIL = WEDNESDAY_MORNING + timedelta(days=5)


def test_in_office_hours_with_the_pa_in_is_pa_in_hours_naming_them() -> None:
    reach = reach_from(OFFICE, PA, None, None, WEDNESDAY_MORNING)

    assert reach.code == "pa_in_hours"
    assert (reach.params.name, reach.params.phone) == ("Priya", "07700 900001")


def test_a_pa_away_with_cover_is_cover_in_hours_with_both_names_and_until() -> None:
    reach = reach_from(OFFICE, PA, AWAY_UNTIL, COVER, WEDNESDAY_MORNING)

    assert reach.code == "cover_in_hours"
    assert (reach.params.name, reach.params.pa_name, reach.params.until) == (
        "Tom",
        "Priya",
        AWAY_UNTIL,
    )
    # Tom has no number of his own: the office's.
    assert reach.params.phone == OFFICE.office_phone


def test_a_pa_away_without_cover_is_duty_team_with_no_name_to_translate() -> None:
    reach = reach_from(OFFICE, PA, AWAY_UNTIL, None, WEDNESDAY_MORNING)

    assert reach.code == "duty_team"
    assert (reach.params.name, reach.params.pa_name, reach.params.until) == (
        None,
        "Priya",
        AWAY_UNTIL,
    )


def test_nobody_allocated_is_duty_team_without_a_pa() -> None:
    reach = reach_from(OFFICE, None, None, None, WEDNESDAY_MORNING)

    assert (reach.code, reach.params.pa_name) == ("duty_team", None)


def test_out_of_hours_gives_the_emergency_number_and_when_the_office_opens() -> None:
    reach = reach_from(OFFICE, PA, None, None, WEDNESDAY_NIGHT)

    assert reach.code == "out_of_hours"
    assert reach.params.phone == OFFICE.out_of_hours_phone
    assert reach.params.opens_at == datetime(2026, 11, 12, 9, 0, tzinfo=LONDON)
    assert reach.params.name is None


@pytest.mark.parametrize(
    ("away_until", "cover", "now"),
    [
        (None, None, WEDNESDAY_MORNING),
        (AWAY_UNTIL, COVER, WEDNESDAY_MORNING),
        (AWAY_UNTIL, None, WEDNESDAY_MORNING),
        (None, None, WEDNESDAY_NIGHT),
    ],
)
def test_the_english_message_is_still_there_for_api_users(
    away_until: datetime | None, cover: StaffContact | None, now: datetime
) -> None:
    reach = reach_from(OFFICE, PA, away_until, cover, now)

    assert reach.message
    assert "team" not in str(reach.params.name or "").lower()
