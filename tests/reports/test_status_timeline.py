"""The figures' fast status reading agrees with people.legal_status on every date."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal_api.models import LegalStatus
from portal_api.people import legal_status
from portal_api.reports.measures.status import StatusTimeline


def _random_history(rng: random.Random) -> tuple[date, list[legal_status.CarePeriod]]:
    born = date(2000, 1, 1) + timedelta(days=rng.randrange(0, 4000))
    if rng.random() < 0.05:
        born = date(rng.choice([2004, 2008]), 2, 29)
    periods = []
    cursor = legal_status.add_years(born, rng.randint(8, 17)) + timedelta(days=rng.randrange(365))
    for _ in range(rng.randint(0, 3)):
        start = cursor + timedelta(days=rng.randrange(0, 400))
        # Lengths around the 91-day line, open-ended periods, and same-day periods.
        length = rng.choice([0, 1, 45, 89, 90, 91, 92, 200, 700, 1500])
        end = None if rng.random() < 0.15 else start + timedelta(days=length)
        periods.append(legal_status.CarePeriod(start, end))
        cursor = (end or start) + timedelta(days=rng.choice([-30, 0, 1, 60]))
    return born, periods


def test_status_matches_computed_status_on_random_histories() -> None:
    rng = random.Random(20261129)
    for _ in range(3000):
        born, periods = _random_history(rng)
        timeline = StatusTimeline.of(born, periods)
        assert timeline.computed_first_plan_due_on == legal_status.first_plan_due_on(born, periods)
        assert timeline.became_eligible_on == legal_status.became_eligible_on(born, periods)
        probes = [legal_status.add_years(born, age) for age in (14, 16, 18, 21, 25)]
        probes += [p - timedelta(days=1) for p in probes]
        probes += [born + timedelta(days=rng.randrange(14 * 365, 26 * 365)) for _ in range(12)]
        for period in periods:
            probes += [period.start, period.start - timedelta(days=1)]
            if period.end:
                probes += [period.end, period.end - timedelta(days=1)]
        for on in probes:
            if on < born:
                continue
            assert timeline.computed_status_on(on) == legal_status.computed_status(
                born, periods, on
            ), (born, periods, on)


def test_override_holds_on_every_date() -> None:
    born = date(2006, 5, 1)
    timeline = StatusTimeline.of(born, [], LegalStatus.relevant)
    assert timeline.status_on(date(2023, 1, 1)) is LegalStatus.relevant
    assert timeline.computed_status_on(date(2023, 1, 1)) is None
    # No care history to date it from: the first plan is due 3 months after the 16th birthday.
    assert timeline.first_plan_due_on == date(2022, 8, 1)
