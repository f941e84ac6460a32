"""A synthetic council of any size, in the import format of DESIGN.md (JSON Lines), so it loads
through ``portal import`` like a real case-management extract.

    uv run python -m bench.synthetic --young-people 50000 --seed 1 --out council.jsonl

Young people aged 15 to 25 with care histories, teams of personal advisers (about 25 young people
each), SSDA903 observations, a year of contacts, pathway plans every six months or so (some late,
some never copied to the young person) and checklist histories around the 18th birthday. Every
date is on or before ``--today``; every code passes the import's checks. The same seed gives the
same file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from portal_api.common.time import today as london_today
from portal_api.documents.catalogue import DEFAULTS
from portal_api.people.codes import ACCOMMODATION, ACTIVITY, IN_TOUCH, observation_problems
from portal_api.people.legal_status import add_years, age_on

CASELOAD = 25
TEAM_SIZE = 8  # personal advisers per team
GIVEN = [
    "Amira",
    "Ben",
    "Chloe",
    "Dawit",
    "Ella",
    "Farah",
    "Gabe",
    "Hana",
    "Isaac",
    "Jade",
    "Kofi",
    "Lena",
    "Musa",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tia",
    "Uche",
    "Vera",
    "Wes",
    "Xena",
    "Yusuf",
    "Zara",
]
FAMILY = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fofana",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "Mensah",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Smith",
    "Taylor",
    "Usman",
    "Vasquez",
    "Walker",
    "Yilmaz",
    "Zhang",
]
ETHNICITY = ("WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "BCRB", "CHNE", "OOTH", "REFU")
DOCUMENT_KEYS = tuple(d.key for d in DEFAULTS)
FIELDS_FOR_DOCUMENTS = ("requested", "in_progress", "with_young_person")


def _day(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _observation(rng: random.Random, born: date, on: date) -> dict[str, str]:
    age = age_on(born, on)
    codes = sorted(ACCOMMODATION)
    activities = list(ACTIVITY)
    while True:
        in_touch = rng.choices(list(IN_TOUCH), weights=(80, 8, 1, 4, 5, 2))[0]
        if in_touch in ("DIED", "RHOM"):
            activity, accommodation = "0", "0"
        else:
            activity, accommodation = rng.choice(activities), rng.choice(codes)
        if not observation_problems(in_touch, activity, accommodation, age=age):
            return {
                "recorded_on": on.isoformat(),
                "in_touch": in_touch,
                "activity": activity,
                "accommodation": accommodation,
            }


def young_person(
    rng: random.Random, n: int, on: date, teams: list[str], advisers: list[tuple[str, str]]
) -> dict[str, Any]:
    born = _day(rng, add_years(on, -25) + timedelta(days=1), add_years(on, -15))
    adviser_email, team = rng.choice(advisers)
    record: dict[str, Any] = {
        "external_id": f"SYN{n:07d}",
        "given_name": rng.choice(GIVEN),
        "family_name": rng.choice(FAMILY),
        "date_of_birth": born.isoformat(),
        "gender": rng.choices(["female", "male", "not_stated", "neither"], (48, 48, 3, 1))[0],
        "ethnicity": rng.choice(ETHNICITY),
        "uasc": rng.random() < 0.08,
        "disabled": rng.choices([False, True, None], (80, 12, 8))[0],
        "is_parent": rng.random() < 0.06,
        "team": team,
        "personal_adviser_email": adviser_email if rng.random() < 0.96 else None,
        "preferred_language": "en",
        "care_periods": [],
        "closed_on": None,
        "observations": [],
        "contacts": [],
        "documents": [],
        "plans": [],
    }
    if rng.random() < 0.03:
        # Held by a team with no PA yet (a PA must be in the team that holds the case).
        record["team"] = teams[0]
        record["personal_adviser_email"] = None
    record["allocations"] = _allocations(rng, on, record, advisers)
    start = _day(rng, add_years(born, 11), add_years(born, 17) - timedelta(days=100))
    eighteenth = add_years(born, 18)
    end: date | None = _day(rng, start + timedelta(days=40), eighteenth)
    if end is not None and end > on:
        end = None  # still looked after
    if end is None and rng.random() < 0.5 and eighteenth <= on:
        end = eighteenth
    if start <= on:
        record["care_periods"].append(
            {"start": start.isoformat(), "end": end.isoformat() if end else None}
        )
    if rng.random() < 0.04:
        record["closed_on"] = _day(rng, add_years(on, -1), on).isoformat()
    sixteenth = add_years(born, 16)
    for _ in range(rng.randint(0, 4)):
        seen_on = _day(rng, max(sixteenth, add_years(on, -3)), on)
        if seen_on >= born + timedelta(days=1) and seen_on <= on:
            record["observations"].append(_observation(rng, born, seen_on))
    record["observations"] = list(
        {o["recorded_on"]: o for o in record["observations"]}.values()
    )  # one a day
    kinds = ("visit", "phone", "video", "message", "office", "check_in")
    contact_days = {
        _day(rng, add_years(on, -1), on)
        for _ in range(rng.choices([0, 2, 6, 10], (10, 30, 40, 20))[0])
    }
    record["contacts"] = [
        {"on": d.isoformat(), "kind": rng.choice(kinds)} for d in sorted(contact_days)
    ]
    if sixteenth + timedelta(days=90) <= on and rng.random() < 0.9:
        agreed = _day(rng, sixteenth + timedelta(days=30), sixteenth + timedelta(days=150))
        agreed = max(agreed, add_years(on, -3))
        while agreed <= on:
            copy = agreed + timedelta(days=rng.choice([0, 1, 5, 20]))
            record["plans"].append(
                {
                    "agreed_on": agreed.isoformat(),
                    "copy_received_on": copy.isoformat()
                    if rng.random() < 0.7 and copy <= on
                    else None,
                }
            )
            agreed = agreed + timedelta(days=rng.choice([150, 170, 180, 182, 200, 260]))
    if add_years(on, -20) <= born <= add_years(on, -16) + timedelta(days=1):
        for key in DOCUMENT_KEYS:
            if key == "immigration_documents" and not record["uasc"]:
                continue
            if rng.random() < 0.65:
                step_on = _day(
                    rng, eighteenth - timedelta(days=500), eighteenth + timedelta(days=90)
                )
                for state in rng.sample(FIELDS_FOR_DOCUMENTS, rng.randint(1, 2)):
                    if step_on > on or step_on < born:
                        break
                    record["documents"].append(
                        {"type": key, "status": state, "status_on": step_on.isoformat()}
                    )
                    step_on = step_on + timedelta(days=rng.randrange(1, 80))
            elif rng.random() < 0.05 and eighteenth - timedelta(days=200) <= on:
                record["documents"].append(
                    {
                        "type": key,
                        "status": "not_applicable",
                        "status_on": min(on, eighteenth - timedelta(days=200)).isoformat(),
                        "not_applicable_reason": "Already has one from before care",
                    }
                )
    return record


def _allocations(
    rng: random.Random, on: date, record: dict[str, Any], advisers: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Allocation history over the last two years: today's allocation since some date, and
    before it none, one or two earlier PAs (so pa_changes has something to count)."""
    start = on - timedelta(days=rng.randrange(30, 730))
    history = [
        {
            "team": record["team"],
            "personal_adviser_email": record["personal_adviser_email"],
            "from": start.isoformat(),
            "to": None,
        }
    ]
    for _ in range(rng.choice((0, 0, 1, 2))):
        earlier = start - timedelta(days=rng.randrange(60, 400))
        email, team = rng.choice(advisers)
        history.insert(
            0,
            {
                "team": team,
                "personal_adviser_email": email,
                "from": earlier.isoformat(),
                "to": start.isoformat(),
            },
        )
        start = earlier
    return history


def advisers_for(count: int) -> tuple[list[str], list[tuple[str, str]]]:
    """Team names and (adviser email, team) pairs for ``count`` young people."""
    pas = max(1, count // CASELOAD)
    teams = [f"Team {i + 1:02d}" for i in range(max(1, (pas + TEAM_SIZE - 1) // TEAM_SIZE))]
    return teams, [(f"pa{i + 1:04d}@bench.example", teams[i // TEAM_SIZE]) for i in range(pas)]


def generate(count: int, seed: int, on: date) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    teams, advisers = advisers_for(count)
    for n in range(count):
        yield young_person(rng, n, on, teams, advisers)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--young-people", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="Latest date (default: today)"
    )
    args = parser.parse_args(argv)
    on = args.today or london_today()
    with args.out.open("w", encoding="utf-8") as out:
        for record in generate(args.young_people, args.seed, on):
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
    print(f"wrote {args.young_people} young people to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
