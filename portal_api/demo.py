"""A believable demo council: Eastmarsh, two teams, four PAs, a manager, an administrator and about
forty young people of all four legal statuses with care histories, observations and contacts.

The young people go in through the normal import path, so the demo also exercises it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api import demo_story
from portal_api.auth import service as auth_service
from portal_api.common.time import today
from portal_api.db.base import utcnow
from portal_api.models import (
    AccommodationConcern,
    ConcernCategory,
    ConcernStatus,
    ConcernUrgency,
    Message,
    MessageKind,
    Organisation,
    Provider,
    Role,
    Scheme,
    TeamMembership,
    User,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.staff import find_or_create_team
from portal_api.records.import_lines import ImportRecord
from portal_api.records.importer import import_records

ORG_SLUG = "eastmarsh"
DEMO_PASSWORD = "eastmarsh-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    team: str | None
    council_wide: bool = False


STAFF = (
    DemoAccount("priya.pa@eastmarsh.example", "Priya Shah", Role.personal_adviser, "North"),
    DemoAccount("tom.pa@eastmarsh.example", "Tom Okafor", Role.personal_adviser, "North"),
    DemoAccount("jess.pa@eastmarsh.example", "Jess Miller", Role.personal_adviser, "South"),
    DemoAccount("ali.pa@eastmarsh.example", "Ali Hassan", Role.personal_adviser, "South"),
    DemoAccount("morgan.manager@eastmarsh.example", "Morgan Reid", Role.manager, None, True),
    DemoAccount("sam.admin@eastmarsh.example", "Sam Patel", Role.admin, None),
)
# Young people with app accounts: (external id, email).
YOUNG_PEOPLE_ACCOUNTS = (
    ("EM1001", "amira@eastmarsh.example"),
    ("EM1002", "jordan@eastmarsh.example"),
)

GIVEN = [
    "Amira",
    "Jordan",
    "Kai",
    "Leah",
    "Mo",
    "Nadia",
    "Oscar",
    "Precious",
    "Reece",
    "Sofia",
    "Tyler",
    "Uma",
    "Vinnie",
    "Wren",
    "Yusuf",
    "Zara",
    "Aaron",
    "Bea",
    "Callum",
    "Dani",
]
FAMILY = [
    "Khan",
    "Smith",
    "Jones",
    "Ahmadi",
    "Brown",
    "Taylor",
    "Wilson",
    "Okoro",
    "Evans",
    "Thomas",
    "Roberts",
    "Hussaini",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
]
ACTIVITIES = ["F1", "F2", "P2", "F4", "F5", "P5", "G4", "G5", "G6"]
ACCOMMODATION = ["U1", "D1", "E1", "Z1", "B1", "T1", "K1", "U2", "D2"]


def _birth(rng: random.Random, on: date, age: int) -> date:
    return legal_status.add_years(on, -age) - timedelta(days=rng.randint(1, 360))


def _plan_and_documents(
    rng: random.Random, on: date, dob: date, kind: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A plan agreed some months ago (a copy received for most) and part of the checklist done."""
    if kind == "qualifying":
        return [], []
    plans = []
    agreed = on - timedelta(days=rng.randint(20, 260))
    if agreed > legal_status.add_years(dob, 16):
        received = agreed + timedelta(days=rng.randint(1, 10))
        plans.append(
            {
                "agreed_on": str(agreed),
                "copy_received_on": str(received)
                if rng.random() < 0.6 and received <= on
                else None,
            }
        )
    documents = []
    earliest = legal_status.add_years(dob, 15)
    for key in ("national_insurance_number", "health_history", "photo_id", "bank_account"):
        if rng.random() < 0.55:
            status_on = max(on - timedelta(days=rng.randint(5, 400)), earliest)
            documents.append(
                {
                    "type": key,
                    "status": rng.choice(["requested", "in_progress", "with_young_person"]),
                    "status_on": str(min(status_on, on)),
                }
            )
    return plans, documents


def demo_records(rng: random.Random, on: date, count: int = 40) -> list[dict[str, Any]]:
    """Import-format records covering eligible, relevant, former relevant and qualifying."""
    records: list[dict[str, Any]] = []
    pas = [s for s in STAFF if s.role is Role.personal_adviser]
    for i in range(count):
        kind = ("eligible", "relevant", "former_relevant", "qualifying", "former_relevant")[i % 5]
        if kind == "eligible":
            dob = _birth(rng, on, rng.choice([16, 17]))
            periods = [
                {"start": str(legal_status.add_years(dob, rng.randint(11, 15))), "end": None}
            ]
        elif kind == "relevant":
            dob = _birth(rng, on, 17)
            left = max(
                legal_status.add_years(dob, 16) + timedelta(days=30), on - timedelta(days=60)
            )
            periods = [{"start": str(legal_status.add_years(dob, 13)), "end": str(left)}]
        elif kind == "former_relevant":
            dob = _birth(rng, on, rng.randint(18, 24))
            periods = [
                {
                    "start": str(legal_status.add_years(dob, rng.randint(12, 15))),
                    "end": str(legal_status.add_years(dob, 18)),
                }
            ]
        else:
            dob = _birth(rng, on, rng.randint(17, 20))
            start = legal_status.add_years(dob, 16) + timedelta(days=20)
            periods = [
                {"start": str(start), "end": str(start + timedelta(days=rng.randint(20, 80)))}
            ]
        pa = pas[i % len(pas)]
        uasc = i % 7 == 3
        observations = []
        for months_ago in (9, 3):
            recorded_on = legal_status.add_months(on, -months_ago)
            if recorded_on > legal_status.add_years(dob, 16):
                observations.append(
                    {
                        "recorded_on": str(recorded_on),
                        "in_touch": "YES",
                        "activity": rng.choice(ACTIVITIES),
                        "accommodation": rng.choice([a for a in ACCOMMODATION if a[0] != "Z"])
                        if legal_status.age_on(dob, recorded_on) == 17
                        else rng.choice(ACCOMMODATION),
                    }
                )
        contacts = [
            {
                "on": str(on - timedelta(days=rng.randint(1, 120))),
                "kind": rng.choice(["visit", "phone", "message"]),
            }
            for _ in range(rng.randint(0, 4))
        ]
        plans, documents = _plan_and_documents(rng, on, dob, kind)
        records.append(
            {
                "external_id": f"EM{1001 + i}",
                "given_name": GIVEN[i % len(GIVEN)],
                "family_name": FAMILY[(i * 7) % len(FAMILY)],
                "date_of_birth": str(dob),
                "gender": rng.choice(["female", "male", "male", "female", "neither", "not_stated"]),
                "uasc": uasc,
                "disabled": i % 9 == 4,
                "team": pa.team,
                "personal_adviser_email": pa.email,
                "preferred_language": rng.choice(["ar", "ps"]) if uasc else "en",
                "care_periods": periods,
                "mobile": f"07700 900{100 + i:03d}",
                "observations": observations,
                "contacts": contacts,
                "plans": plans,
                "documents": documents,
            }
        )
    return records


async def seed(session: AsyncSession, *, seed_value: int = 2026) -> Organisation:
    """Create the demo council if it is not there yet (running the demo twice keeps one council)."""
    existing = await session.scalar(select(Organisation).where(Organisation.slug == ORG_SLUG))
    if existing is not None:
        return existing
    org = Organisation(
        slug=ORG_SLUG,
        name="Eastmarsh Borough Council",
        office_phone="01632 960 100",
        out_of_hours_phone="01632 960 999",
        brand_colour="#00703c",
    )
    session.add(org)
    await session.flush()
    for account in STAFF:
        user = await auth_service.create_user(
            session,
            org_id=org.id,
            email=account.email,
            password=DEMO_PASSWORD,
            display_name=account.name,
            role=account.role,
            phone="01632 960 1" + str(len(account.name)).zfill(2),
        )
        user.council_wide = account.council_wide
        if account.team:
            team = await find_or_create_team(session, org.id, account.team)
            session.add(TeamMembership(user_id=user.id, team_id=team.id))
    rng = random.Random(seed_value)
    records = [ImportRecord.model_validate(r) for r in demo_records(rng, today())]
    await import_records(session, org, records, source="demo")
    for external_id, email in YOUNG_PEOPLE_ACCOUNTS:
        person = await session.scalar(
            select(YoungPerson).where(
                YoungPerson.org_id == org.id, YoungPerson.external_id == external_id
            )
        )
        assert person is not None
        await auth_service.create_user(
            session,
            org_id=org.id,
            email=email,
            password=DEMO_PASSWORD,
            display_name=person.full_name,
            role=Role.young_person,
            young_person_id=person.id,
        )
    await _app_use(session, org, rng)
    await demo_story.tell(session, org)
    return org


# What young people said in the app over the last three weeks, so the manager's figures for
# unanswered messages and accommodation concerns have something behind them.
YOUNG_PEOPLE_SAID = (
    "Can we meet next week about college?",
    "My bank card has not come yet",
    "Is the setting up home money still there?",
    "I need help with my council tax letter",
)
# Minutes until the PA answered; None: not answered.
ANSWERED_AFTER = (20, 45, 90, 240, 1500, 4500, None)


async def _app_use(session: AsyncSession, org: Organisation, rng: random.Random) -> None:
    people = list(
        (
            await session.execute(
                select(YoungPerson)
                .where(YoungPerson.org_id == org.id, YoungPerson.personal_adviser_id.is_not(None))
                .order_by(YoungPerson.external_id)
            )
        ).scalars()
    )
    now = utcnow()
    # Young people with an app account send as themselves, so their phone says "You".
    rows = await session.execute(
        select(User.young_person_id, User.id).where(
            User.org_id == org.id, User.young_person_id.is_not(None)
        )
    )
    accounts: dict[Any, Any] = dict(rows.all())
    messages_sent: list[tuple[YoungPerson, datetime, bool]] = []
    for person in people[:14]:
        for _ in range(rng.randint(1, 3)):
            sent = now - timedelta(days=rng.randint(2, 21), minutes=rng.randint(0, 600))
            messages_sent.append((person, sent, False))
            answered = rng.choice(ANSWERED_AFTER)
            if answered is not None and sent + timedelta(minutes=answered) < now:
                messages_sent.append((person, sent + timedelta(minutes=answered), True))
    # In the order they were sent, so the conversation's ids follow the clock.
    for person, at, from_pa in sorted(messages_sent, key=lambda s: s[1]):
        session.add(
            Message(
                org_id=org.id,
                young_person_id=person.id,
                sender_id=person.personal_adviser_id if from_pa else accounts.get(person.id),
                sender_role=Role.personal_adviser.value if from_pa else Role.young_person.value,
                kind=MessageKind.text,
                body="Thanks, I will sort that today."
                if from_pa
                else rng.choice(YOUNG_PEOPLE_SAID),
                created_at=at,
            )
        )
        await session.flush()
    provider = Provider(org_id=org.id, name="Harbour Housing")
    session.add(provider)
    await session.flush()
    foyer = Scheme(
        org_id=org.id,
        provider_id=provider.id,
        name="Harbour Foyer",
        address="2 Quay Street, Eastmarsh",
        accommodation_type="T",
    )
    session.add(foyer)
    await session.flush()
    for person, category, urgency, days_ago, closed in (
        (people[0], ConcernCategory.repairs, ConcernUrgency.soon, 34, False),
        (people[3], ConcernCategory.safety, ConcernUrgency.urgent, 2, False),
        (people[5], ConcernCategory.neighbours, ConcernUrgency.routine, 60, True),
    ):
        raised = now - timedelta(days=days_ago)
        session.add(
            AccommodationConcern(
                org_id=org.id,
                young_person_id=person.id,
                scheme_id=foyer.id,
                category=category,
                urgency=urgency,
                text="The heating has not worked since last week.",
                status=ConcernStatus.closed if closed else ConcernStatus.open,
                created_at=raised,
                closed_at=raised + timedelta(days=9) if closed else None,
                outcome="Harbour Housing spoke to the neighbours." if closed else None,
            )
        )
