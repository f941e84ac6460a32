"""The local offer's rules decide once per part of a profile that some page looks at
(offer.offer_key): young people who share that part get the pages a full profile would give."""

from __future__ import annotations

import random
import uuid
from dataclasses import fields, replace
from datetime import date, timedelta
from pathlib import Path

from portal_api.content.eligibility import LIST_FIELDS, Condition, Eligibility, Profile
from portal_api.content.library import Page
from portal_api.content.loading import load_library
from portal_api.models import LegalStatus
from portal_api.people import legal_status
from portal_api.reports.measures.facts import Facts, Observation, YoungPersonRecord
from portal_api.reports.measures.offer import _FIELDS, _applying, profile_on
from portal_api.reports.measures.outcome import young_person_on
from portal_api.reports.measures.status import StatusTimeline

CONTENT = Path(__file__).resolve().parents[2] / "content"
ON = date(2026, 12, 5)


def _rule(rng: random.Random) -> Eligibility:
    conditions = []
    for _ in range(rng.choice([0, 0, 1, 2])):
        if rng.random() < 0.5:
            field = rng.choice(sorted(LIST_FIELDS))
            codes = sorted(LIST_FIELDS[field])
            conditions.append(Condition(field, frozenset(rng.sample(codes, rng.randint(1, 3)))))
        else:
            flag = rng.choice(["uasc", "disabled", "is_parent", "looked_after"])
            conditions.append(Condition(flag, None, negated=rng.random() < 0.3))
    statuses = list(LegalStatus)
    return Eligibility(
        statuses=frozenset(rng.sample(statuses, rng.randint(1, 3))) if rng.random() < 0.5 else None,
        min_age=rng.choice([None, 16, 17, 18, 21]),
        max_age=rng.choice([None, 17, 20, 24]),
        conditions=tuple(conditions),
    )


def _person(rng: random.Random) -> YoungPersonRecord:
    born = legal_status.add_years(ON, -rng.randint(16, 24)) - timedelta(days=rng.randrange(365))
    start = legal_status.add_years(born, rng.randint(13, 17))
    end = None if rng.random() < 0.3 else start + timedelta(days=rng.choice([30, 200, 900]))
    override = rng.choice([None, None, None, LegalStatus.relevant, LegalStatus.qualifying])
    return YoungPersonRecord(
        id=uuid.uuid4(),
        external_id="x",
        given_name="A",
        preferred_name=None,
        family_name="B",
        date_of_birth=born,
        uasc=rng.random() < 0.2,
        disabled=rng.random() < 0.2,
        is_parent=rng.random() < 0.2,
        closed_on=None,
        team_id=None,
        adviser_id=None,
        allocated_on=None,
        timeline=StatusTimeline.of(born, [legal_status.CarePeriod(start, end)], override),
    )


def _observation(rng: random.Random) -> Observation:
    return Observation(
        in_touch=rng.choice(sorted(LIST_FIELDS["in_touch"])),
        activity=rng.choice(sorted(LIST_FIELDS["activity"])),
        accommodation=rng.choice(["0", "B1", "D2", "T3", "K4", "X1"]),
    )


def test_pages_decided_once_per_offer_key_match_each_young_persons_full_profile() -> None:
    rng = random.Random(20261205)
    template = next(iter(load_library(CONTENT).english("national").values()))
    for _ in range(30):
        pages: list[Page] = [
            replace(template, eligibility=_rule(rng)) for _ in range(rng.randint(1, 6))
        ]
        people = [_person(rng) for _ in range(300)]
        facts = Facts(
            as_of=ON,
            people=people,
            teams={},
            staff={},
            core_pages=pages,
            claimable_pages=pages[: rng.randint(0, len(pages))],
            document_types=[],
            observations={p.id: _observation(rng) for p in people if rng.random() < 0.8},
        )
        for person in people:
            seen = young_person_on(person, ON)
            profile = profile_on(facts, seen)
            for listed in (facts.core_pages, facts.claimable_pages):
                expected = tuple(i for i, p in enumerate(listed) if p.eligibility.applies(profile))
                assert _applying(facts, seen, listed) == expected, (profile, listed)
        # Fewer decisions than young people, or the memo would not be worth its keep.
        assert len(facts.memo) < 2 * len(people)


def test_the_sieve_reads_every_field_of_a_profile_a_page_can_name() -> None:
    """A field added to Profile (and so to what a page's conditions can name) must be read into
    the offer key too, or young people differing only in it would share one decision."""
    assert set(_FIELDS) == {f.name for f in fields(Profile)} - {"status", "age"}
