"""A small synthetic council for the oversight tests: random young people from a fixed seed, plus
hand-made ones on every boundary, written straight to the database through the ORM.

Each young person is first a plain record (``Record``); the tests compute what every figure
should be from these records with plain Python (tests/reports/expected.py), never by asking the
code under test.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.documents.catalogue import catalogue
from portal_api.models import (
    AccommodationConcern,
    Allocation,
    CarePeriod,
    ConcernCategory,
    ConcernStatus,
    ConcernUrgency,
    Contact,
    ContactKind,
    DocumentEvent,
    DocumentEventKind,
    DocumentItem,
    DocumentState,
    EntitlementRecord,
    EntitlementStatus,
    Gender,
    LegalStatus,
    LocalOfferResponse,
    Message,
    MessageKind,
    Mood,
    PageResponse,
    PlanReceipt,
    PlanState,
    PlanVersion,
    Provider,
    ReceiptHow,
    Role,
    Scheme,
    StatusObservation,
    User,
    YoungPerson,
)
from portal_api.people.codes import ACCOMMODATION, ACTIVITY, IN_TOUCH, observation_problems
from portal_api.people.legal_status import add_months, add_years, age_on
from tests.factories import make_org, make_team, make_token, make_user

SEED = 20261129
AS_OF = date(2026, 10, 31)
CREATED = datetime(2020, 1, 1, tzinfo=UTC)
CORE_SLUGS = (
    "access-to-your-records",
    "advocacy",
    "documents-by-18",
    "eastmarsh-local-offer",
    "emergency-out-of-hours",
    "homeless-at-16-or-17",
    "how-to-complain",
    "pathway-plan",
    "your-personal-adviser",
    "your-rights",
)
CLAIMABLE_SLUGS = (
    "apprenticeship-bursary",
    "bursary-16-to-19",
    "care-leaver-letter",
    "council-tax-relief",
    "eastmarsh-council-tax-exemption",
    "eastmarsh-driving-lessons",
    "higher-education-bursary",
    "junior-isa",
    "setting-up-home-allowance",
    "staying-put",
)


@dataclass(frozen=True)
class Said:
    sender: str  # "young_person" or "staff"
    at: datetime
    kind: MessageKind = MessageKind.text
    mood: Mood | None = None
    hidden_at: datetime | None = None


# Schemes, by key: (provider name, scheme name).
SCHEMES = {
    "foyer": ("Harbour Housing", "Harbour Foyer"),
    "lodgings": ("Harbour Housing", "Supported Lodgings"),
    "flats": ("Marsh Homes", "Marsh Training Flats"),
}


@dataclass
class Record:
    key: str
    external_id: str
    given_name: str
    family_name: str
    date_of_birth: date
    gender: Gender = Gender.female
    ethnicity: str | None = None
    uasc: bool = False
    disabled: bool | None = False
    is_parent: bool = False
    override: LegalStatus | None = None
    closed_on: date | None = None
    periods: list[tuple[date, date | None]] = field(default_factory=list)
    # (team key, adviser key or None, started_on); each runs until the next one starts.
    allocations: list[tuple[str, str | None, date]] = field(default_factory=list)
    # agreed versions: (agreed_on, received copy on or None); plus whether a draft is open.
    plans: list[tuple[date, date | None]] = field(default_factory=list)
    draft: bool = False
    contacts: list[date] = field(default_factory=list)
    observations: list[tuple[date, datetime, str, str, str]] = field(default_factory=list)
    # document type key -> [(event_on, state)] in date order
    documents: dict[str, list[tuple[date, DocumentState]]] = field(default_factory=dict)
    responses: list[tuple[str, int, datetime]] = field(default_factory=list)
    entitlements: list[tuple[str, EntitlementStatus, date, datetime]] = field(default_factory=list)
    # The conversation in the order it was sent: who ("young_person" or "staff"), when, kind,
    # mood (check-ins) and when a member of staff hid it from the young person.
    messages: list[Said] = field(default_factory=list)
    # Concerns about where they live: raised, closed (or None) and the scheme key (or None).
    concerns: list[tuple[datetime, datetime | None, str | None]] = field(default_factory=list)
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def current_team(self) -> str:
        return self.allocations[-1][0]

    @property
    def current_adviser(self) -> str | None:
        return self.allocations[-1][1]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass
class Council:
    org_id: uuid.UUID
    other_org_id: uuid.UUID
    records: list[Record]
    teams: dict[str, uuid.UUID]
    staff: dict[str, uuid.UUID]
    staff_names: dict[str, str]
    team_of_staff: dict[str, str]
    tokens: dict[str, str]
    document_types: dict[str, tuple[uuid.UUID, tuple[str, ...]]]
    schemes: dict[str, uuid.UUID]
    providers: dict[str, uuid.UUID]
    other_team_id: uuid.UUID
    other_adviser_id: uuid.UUID

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def by_key(self, key: str) -> Record:
        return next(r for r in self.records if r.key == key)


EVERYONES_DOCUMENTS = (
    "bank_account",
    "birth_certificate",
    "care_leaver_letter",
    "gp_registration",
    "health_history",
    "junior_isa_access",
    "national_insurance_number",
    "photo_id",
)
ADVISERS = {"pa_n1": "north", "pa_n2": "north", "pa_s1": "south", "pa_s2": "south"}
NAMES = {
    "pa_n1": "Nadia Noor",
    "pa_n2": "Neil Nash",
    "pa_s1": "Sam Shah",
    "pa_s2": "Sara Stone",
    "team_manager": "Tomas Team",
    "org_manager": "Olu Org",
}
GIVEN = ("Amira", "Ben", "Chloe", "Dawit", "Ella", "Farah", "Gabe", "Hana", "Isaac", "Jade")
FAMILY = ("Khan", "Lewis", "Mensah", "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Smith")
ETHNICITY = ("WBRI", "BAFR", "AIND", "MWBC", "OOTH", None)


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _moment(rng: random.Random, on: date) -> datetime:
    return datetime.combine(on, time(0), tzinfo=UTC) + timedelta(seconds=rng.randrange(86400))


def _observation(rng: random.Random, dob: date, on: date) -> tuple[str, str, str]:
    age = age_on(dob, on)
    while True:
        in_touch = rng.choice(list(IN_TOUCH))
        if in_touch in ("DIED", "RHOM"):
            activity, accommodation = "0", "0"
        else:
            activity = rng.choice(list(ACTIVITY))
            accommodation = rng.choice(sorted(ACCOMMODATION))
        if not observation_problems(in_touch, activity, accommodation, age=age):
            return in_touch, activity, accommodation


def _random_record(rng: random.Random, n: int, doc_keys: list[str]) -> Record:
    dob = _day(rng, date(2000, 9, 1), date(2011, 12, 31))
    record = Record(
        key=f"r{n}",
        external_id=f"R{n:04d}",
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        date_of_birth=dob,
        gender=rng.choice(list(Gender)),
        ethnicity=rng.choice(ETHNICITY),
        uasc=rng.random() < 0.15,
        disabled=rng.choice([True, False, False, False, None]),
        is_parent=rng.random() < 0.08,
    )
    if rng.random() < 0.88:
        start = add_years(dob, rng.randint(9, 17)) + timedelta(days=rng.randrange(300))
        length = rng.choice([40, 80, 95, 200, 600, 1200, 2500])
        end = None if rng.random() < 0.08 else start + timedelta(days=length)
        record.periods.append((start, end))
        if end is not None and rng.random() < 0.2:
            again = end + timedelta(days=rng.randrange(10, 200))
            record.periods.append((again, again + timedelta(days=rng.randrange(20, 300))))
    if rng.random() < 0.05:
        record.override = rng.choice(list(LegalStatus))
    if rng.random() < 0.1:
        record.closed_on = _day(rng, date(2024, 6, 1), date(2026, 11, 20))
    teams = ["north", "south"]
    team = rng.choice(teams)
    started = _day(rng, date(2023, 1, 1), date(2025, 6, 1))
    adviser: str | None = rng.choice([a for a, t in ADVISERS.items() if t == team])
    record.allocations.append((team, adviser, started))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4])):
        started = started + timedelta(days=rng.randrange(20, 200))
        if started > date(2026, 11, 20):
            break
        if rng.random() < 0.3:
            team = rng.choice(teams)
        adviser = (
            None
            if rng.random() < 0.1
            else rng.choice([a for a, t in ADVISERS.items() if t == team])
        )
        record.allocations.append((team, adviser, started))
    sixteenth = add_years(dob, 16)
    if sixteenth < date(2026, 11, 1):
        agreed = _day(rng, sixteenth, sixteenth + timedelta(days=200))
        for _ in range(rng.randint(0, 5)):
            if agreed > date(2026, 11, 28):
                break
            copy = (
                agreed + timedelta(days=rng.choice([0, 0, 3, 10, 40]))
                if rng.random() < 0.7
                else None
            )
            record.plans.append((agreed, copy))
            agreed = agreed + timedelta(days=rng.choice([60, 150, 181, 182, 183, 184, 240, 400]))
        record.draft = rng.random() < 0.3
    for _ in range(rng.randint(0, 10)):
        record.contacts.append(_day(rng, date(2025, 8, 1), date(2026, 11, 28)))
    for _ in range(rng.randint(0, 4)):
        on = _day(rng, max(dob + timedelta(days=1), date(2023, 1, 1)), date(2026, 11, 28))
        record.observations.append((on, _moment(rng, on), *_observation(rng, dob, on)))
    eighteenth = add_years(dob, 18)
    for key in doc_keys:
        if rng.random() < 0.7:
            on = _day(rng, eighteenth - timedelta(days=400), eighteenth + timedelta(days=120))
            steps = []
            for _ in range(rng.randint(1, 3)):
                if on > date(2026, 11, 28) or on < dob:
                    break
                steps.append(
                    (
                        on,
                        rng.choice(
                            [
                                DocumentState.requested,
                                DocumentState.in_progress,
                                DocumentState.with_young_person,
                                DocumentState.with_young_person,
                                DocumentState.not_applicable,
                            ]
                        ),
                    )
                )
                on = on + timedelta(days=rng.randrange(0, 120))
            if steps:
                record.documents[key] = steps
    diligent = rng.random() < 0.3
    for slug in CORE_SLUGS:
        if rng.random() < (0.97 if diligent else 0.5):
            on = _day(rng, date(2025, 1, 1), date(2026, 11, 28))
            # 2: a revision the library does not have, as if answered to another version
            revision = 1 if diligent or rng.random() < 0.85 else 2
            record.responses.append((slug, revision, _moment(rng, on)))
    for slug in CLAIMABLE_SLUGS:
        if rng.random() < 0.35:
            on = _day(rng, date(2024, 1, 1), date(2026, 11, 28))
            for _ in range(rng.randint(1, 3)):
                status = rng.choice(list(EntitlementStatus))
                record.entitlements.append((slug, status, on, _moment(rng, on)))
                on = on + timedelta(days=rng.choice([0, 10, 60]))
    record.messages = _conversation(rng)
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        raised = _moment(rng, _day(rng, date(2024, 9, 1), date(2026, 11, 20)))
        closed = (
            raised + timedelta(hours=rng.randrange(1, 24 * 200)) if rng.random() < 0.6 else None
        )
        record.concerns.append((raised, closed, rng.choice([*SCHEMES, None])))
    return record


def _conversation(rng: random.Random) -> list[Said]:
    """Messages around the dates the tests ask about (weekends, nights and bank holidays
    included), some answered quickly, some late, some never, some answers hidden."""
    said: list[Said] = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8])):
        sent = _moment(rng, _day(rng, date(2026, 2, 20), date(2026, 11, 5)))
        kind, mood = MessageKind.text, None
        if rng.random() < 0.3:
            kind, mood = MessageKind.check_in, rng.choice(list(Mood))
        said.append(Said("young_person", sent, kind, mood))
        if rng.random() < 0.75:
            replied = sent + timedelta(minutes=rng.choice([5, 90, 600, 1500, 3000, 5000, 9000]))
            hidden = replied + timedelta(hours=2) if rng.random() < 0.08 else None
            said.append(Said("staff", replied, hidden_at=hidden))
    if rng.random() < 0.3:
        said.append(Said("staff", _moment(rng, _day(rng, date(2026, 3, 1), date(2026, 11, 5)))))
    return sorted(said, key=lambda m: m.at)


def _in_care(start: date, end: date | None = None) -> list[tuple[date, date | None]]:
    return [(start, end)]


def boundary_records() -> list[Record]:
    """Young people on each boundary of DOMAIN.md §8, as of AS_OF (31 October 2026)."""
    north = [("north", "pa_n1", date(2024, 1, 1))]

    def person(key: str, dob: date, **extra: object) -> Record:
        record = Record(
            key=key,
            external_id=key.upper(),
            given_name=key.split("_")[0].title(),
            family_name="Boundary",
            date_of_birth=dob,
            periods=_in_care(add_years(dob, 13), add_years(dob, 17)),
            allocations=list(north),
        )
        for name, value in extra.items():
            setattr(record, name, value)
        return record

    adult = date(2006, 1, 15)
    answered_early = [
        (slug, 1, datetime(2026, 1, 5, 12, tzinfo=UTC))
        for slug in CORE_SLUGS
        if slug != "your-rights"
    ]
    return [
        # plan_current: agreed exactly 6 months before (current) and one day more (overdue).
        person("plan_exactly_6_months", adult, plans=[(date(2026, 4, 30), date(2026, 5, 2))]),
        person("plan_6_months_and_a_day", adult, plans=[(date(2026, 4, 29), None)]),
        # in_touch: a contact exactly 56 days before is outside; 55 days is inside.
        person("contact_56_days", adult, contacts=[date(2026, 9, 5)]),
        person("contact_55_days", adult, contacts=[date(2026, 9, 6)]),
        # first_plan_on_time: due exactly 12 months before (outside) and a day later (inside).
        person("first_due_12_months", date(2009, 7, 31)),
        person("first_due_inside", date(2009, 8, 1), plans=[(date(2025, 11, 1), None)]),
        # documents_by_18: 18 exactly 12 months before (outside), a day later (inside, with a
        # document on the birthday itself), and 18 on the date.
        person(
            "eighteen_12_months",
            date(2007, 10, 31),
            documents={"photo_id": [(date(2025, 10, 31), DocumentState.with_young_person)]},
        ),
        person(
            "eighteen_inside",
            date(2007, 11, 1),
            documents={
                "photo_id": [(date(2025, 11, 1), DocumentState.with_young_person)],
                "health_history": [(date(2025, 11, 2), DocumentState.with_young_person)],
                "bank_account": [(date(2025, 6, 1), DocumentState.not_applicable)],
            },
        ),
        person("eighteen_today", date(2008, 10, 31)),
        person(
            "all_documents",
            date(2008, 3, 1),
            documents={
                key: [(date(2026, 2, 1), DocumentState.with_young_person)]
                for key in EVERYONES_DOCUMENTS
            },
        ),
        # in scope: 25 on the date is out, 24 and a day short of 25 is in; closed on the date is
        # out, closed the day after is in; 16 on the date is in.
        person("aged_25_today", date(2001, 10, 31)),
        person("aged_24", date(2001, 11, 1)),
        person("closed_today", adult, closed_on=AS_OF),
        person("closed_tomorrow", adult, closed_on=date(2026, 11, 1)),
        person(
            "sixteen_today",
            date(2010, 10, 31),
            periods=_in_care(date(2023, 10, 31), None),
        ),
        # rights_informed as of 31 August 2026 (BST): 23:30 in London counts, 00:30 does not.
        person(
            "rights_before_midnight",
            adult,
            responses=[
                *answered_early,
                ("your-rights", 1, datetime(2026, 8, 31, 22, 30, tzinfo=UTC)),
            ],
        ),
        person(
            "rights_after_midnight",
            adult,
            responses=[
                *answered_early,
                ("your-rights", 1, datetime(2026, 8, 31, 23, 30, tzinfo=UTC)),
            ],
        ),
        person(
            "all_entitlements",
            adult,
            entitlements=[
                (
                    slug,
                    EntitlementStatus.declined
                    if slug == "staying-put"
                    else EntitlementStatus.received,
                    date(2026, 2, 1),
                    datetime(2026, 2, 1, 12, tzinfo=UTC),
                )
                for slug in CLAIMABLE_SLUGS
            ],
        ),
        # SSDA903 OC3, collection year 2025-26 (1 April 2025 to 31 March 2026).
        person(
            "oc3_17_left_care",
            date(2008, 6, 15),
            periods=_in_care(date(2021, 6, 15), date(2025, 1, 10)),
            observations=[
                (date(2025, 5, 1), datetime(2025, 5, 1, 9, tzinfo=UTC), "YES", "F2", "D1"),
                (date(2025, 7, 1), datetime(2025, 7, 1, 9, tzinfo=UTC), "YES", "F5", "E1"),
            ],
        ),
        person(
            "oc3_17_looked_after",
            date(2008, 9, 10),
            periods=_in_care(date(2021, 9, 10), date(2026, 3, 1)),
            observations=[
                (date(2025, 9, 1), datetime(2025, 9, 1, 9, tzinfo=UTC), "YES", "F2", "C1")
            ],
        ),
        person(
            "oc3_18_still_open",
            date(2007, 12, 1),
            periods=_in_care(date(2020, 12, 1), None),
            observations=[
                (date(2025, 12, 1), datetime(2025, 12, 1, 9, tzinfo=UTC), "YES", "F2", "Z1")
            ],
        ),
        person(
            "oc3_20_tie",
            date(2006, 2, 20),
            observations=[
                # 20 on 20 Feb 2026: ten days either side; the later date, then the later record.
                (date(2026, 2, 10), datetime(2026, 2, 10, 9, tzinfo=UTC), "NO", "G5", "S2"),
                (date(2026, 3, 2), datetime(2026, 3, 2, 9, tzinfo=UTC), "REFU", "0", "0"),
                (date(2026, 3, 2), datetime(2026, 3, 2, 8, tzinfo=UTC), "NO", "0", "0"),
            ],
        ),
        person(
            "oc3_20_window_edges",
            date(2005, 8, 31),
            observations=[
                # 3 months before 31 Aug 2025 is 31 May 2025 (inside); 1 month after is 30 Sep.
                (date(2025, 5, 31), datetime(2025, 5, 31, 9, tzinfo=UTC), "YES", "P5", "U2"),
                (date(2025, 10, 1), datetime(2025, 10, 1, 9, tzinfo=UTC), "DIED", "0", "0"),
            ],
        ),
        person(
            "oc3_21_no_observation",
            date(2005, 1, 2),
            observations=[
                (date(2025, 6, 1), datetime(2025, 6, 1, 9, tzinfo=UTC), "YES", "F1", "U1")
            ],
        ),
        person(
            "oc3_qualifying",
            date(2006, 7, 7),
            periods=_in_care(date(2022, 9, 1), date(2022, 10, 30)),
            observations=[
                (date(2025, 7, 7), datetime(2025, 7, 7, 9, tzinfo=UTC), "YES", "F2", "U1")
            ],
        ),
        # pa_changes: three different PAs in the year is "numerous"; one change is not.
        person(
            "three_advisers",
            adult,
            allocations=[
                ("north", "pa_n1", date(2025, 1, 1)),
                ("north", "pa_n2", date(2026, 1, 10)),
                ("south", "pa_s1", date(2026, 5, 1)),
                ("north", "pa_n1", date(2026, 9, 1)),
            ],
        ),
        person(
            "one_change",
            adult,
            allocations=[
                ("north", "pa_n2", date(2025, 1, 1)),
                ("north", "pa_n1", date(2026, 3, 1)),
            ],
        ),
        # pa_allocated: allocated only after the date (an import the day after) counts as none.
        person("allocated_later", adult, allocations=[("north", "pa_n1", date(2026, 11, 1))]),
        # messages_unanswered: sent Thursday 29 October 2026 at 16:00 (GMT), due Friday at 16:00.
        person(
            "reply_just_in_time",
            adult,
            messages=[
                Said("young_person", datetime(2026, 10, 29, 16, tzinfo=UTC)),
                Said("staff", datetime(2026, 10, 30, 15, 59, tzinfo=UTC)),
            ],
        ),
        person(
            "reply_a_minute_late",
            adult,
            messages=[
                Said("young_person", datetime(2026, 10, 29, 16, tzinfo=UTC)),
                Said("staff", datetime(2026, 10, 30, 16, 1, tzinfo=UTC)),
            ],
        ),
        # Friday evening: its working day ends on Monday 2 November, after the date.
        person(
            "message_not_due_yet",
            adult,
            messages=[Said("young_person", datetime(2026, 10, 30, 18, tzinfo=UTC))],
        ),
        # An answer hidden from the young person before the date never reached them.
        person(
            "reply_hidden",
            adult,
            messages=[
                Said("young_person", datetime(2026, 10, 26, 9, tzinfo=UTC)),
                Said(
                    "staff",
                    datetime(2026, 10, 26, 10, tzinfo=UTC),
                    hidden_at=datetime(2026, 10, 26, 11, tzinfo=UTC),
                ),
            ],
        ),
        # accommodation_concerns: closed on the date is closed; closed just after it was open.
        person(
            "concern_closed_on_the_date",
            adult,
            concerns=[
                (
                    datetime(2026, 9, 1, 10, tzinfo=UTC),
                    datetime(2026, 10, 31, 23, 59, tzinfo=UTC),
                    "foyer",
                )
            ],
        ),
        person(
            "concern_closed_after",
            adult,
            concerns=[
                (
                    datetime(2026, 9, 1, 10, tzinfo=UTC),
                    datetime(2026, 11, 1, 0, 1, tzinfo=UTC),
                    "flats",
                )
            ],
        ),
        person(
            "concern_old_and_open",
            adult,
            concerns=[(datetime(2024, 6, 3, 10, tzinfo=UTC), None, None)],
        ),
    ]


async def build_council(
    session: AsyncSession, *, size: int = 150, created: datetime = CREATED
) -> Council:
    """``created``: when the council started using the portal (its history is dated anyway)."""
    org = await make_org(session, "eastmarsh")
    org.created_at = created
    north = await make_team(session, org, "North")
    south = await make_team(session, org, "South")
    teams = {"north": north.id, "south": south.id}
    users: dict[str, User] = {}
    for key, team in ADVISERS.items():
        users[key] = await make_user(
            session,
            org,
            Role.personal_adviser,
            teams=(north if team == "north" else south,),
            name=NAMES[key],
        )
    users["team_manager"] = await make_user(
        session, org, Role.manager, teams=(north,), name=NAMES["team_manager"]
    )
    users["org_manager"] = await make_user(
        session, org, Role.manager, name=NAMES["org_manager"], council_wide=True
    )
    users["admin"] = await make_user(session, org, Role.admin)
    other = await make_org(session, "westshire")
    west = await make_team(session, other, "West")
    other_pa = await make_user(session, other, Role.personal_adviser, teams=(west,))
    users["other_org_manager"] = await make_user(session, other, Role.manager, council_wide=True)

    providers: dict[str, Provider] = {}
    schemes: dict[str, uuid.UUID] = {}
    for key, (provider_name, scheme_name) in SCHEMES.items():
        if provider_name not in providers:
            providers[provider_name] = Provider(id=uuid.uuid4(), org_id=org.id, name=provider_name)
            session.add(providers[provider_name])
        scheme = Scheme(
            id=uuid.uuid4(),
            org_id=org.id,
            provider_id=providers[provider_name].id,
            name=scheme_name,
            address="1 Harbour Road, Eastmarsh",
            accommodation_type="D",
        )
        session.add(scheme)
        schemes[key] = scheme.id
    await session.flush()

    types = await catalogue(session, org.id)
    document_types = {t.key: (t.id, tuple(t.conditions)) for t in types}
    rng = random.Random(SEED)
    records = [_random_record(rng, n, sorted(document_types)) for n in range(size)]
    records += boundary_records()
    for record in records:
        await _insert(session, org.id, record, teams, users, document_types, schemes)
    tokens = {name: await make_token(session, user) for name, user in users.items()}
    await session.flush()
    return Council(
        org_id=org.id,
        other_org_id=other.id,
        records=records,
        teams=teams,
        staff={k: u.id for k, u in users.items()},
        staff_names={k: u.display_name for k, u in users.items()},
        team_of_staff=dict(ADVISERS),
        tokens=tokens,
        document_types=document_types,
        schemes=schemes,
        providers={name: p.id for name, p in providers.items()},
        other_team_id=west.id,
        other_adviser_id=other_pa.id,
    )


async def _insert(
    session: AsyncSession,
    org_id: uuid.UUID,
    record: Record,
    teams: dict[str, uuid.UUID],
    users: dict[str, User],
    document_types: dict[str, tuple[uuid.UUID, tuple[str, ...]]],
    schemes: dict[str, uuid.UUID],
) -> None:
    team, adviser, _ = record.allocations[-1]
    person = YoungPerson(
        id=record.id,
        org_id=org_id,
        external_id=record.external_id,
        given_name=record.given_name,
        family_name=record.family_name,
        date_of_birth=record.date_of_birth,
        gender=record.gender,
        ethnicity=record.ethnicity,
        uasc=record.uasc,
        disabled=record.disabled,
        is_parent=record.is_parent,
        status_override=record.override,
        status_override_reason="Recorded by the PA" if record.override else None,
        closed_on=record.closed_on,
        team_id=teams[team],
        personal_adviser_id=users[adviser].id if adviser else None,
        care_periods=[CarePeriod(start_on=s, end_on=e) for s, e in record.periods],
    )
    session.add(person)
    await session.flush()
    for i, (team_key, adviser_key, started) in enumerate(record.allocations):
        ended = record.allocations[i + 1][2] if i + 1 < len(record.allocations) else None
        session.add(
            Allocation(
                young_person_id=record.id,
                team_id=teams[team_key],
                adviser_id=users[adviser_key].id if adviser_key else None,
                started_on=started,
                ended_on=ended,
                created_at=datetime.combine(started, time(9), tzinfo=UTC),
            )
        )
    number = 0
    for agreed, copy in record.plans:
        number += 1
        version = PlanVersion(
            id=uuid.uuid4(),
            org_id=org_id,
            young_person_id=record.id,
            number=number,
            state=PlanState.agreed,
            agreed_on=agreed,
        )
        session.add(version)
        await session.flush()
        if copy is not None:
            session.add(
                PlanReceipt(
                    version_id=version.id,
                    young_person_id=record.id,
                    how=ReceiptHow.opened_in_app,
                    received_on=copy,
                )
            )
    if record.draft:
        session.add(
            PlanVersion(
                org_id=org_id, young_person_id=record.id, number=number + 1, state=PlanState.draft
            )
        )
    for on in record.contacts:
        session.add(Contact(young_person_id=record.id, contact_on=on, kind=ContactKind.visit))
    for on, at, in_touch, activity, accommodation in record.observations:
        session.add(
            StatusObservation(
                young_person_id=record.id,
                recorded_on=on,
                created_at=at,
                in_touch=in_touch,
                activity=activity,
                accommodation=accommodation,
            )
        )
    for key, steps in record.documents.items():
        item = DocumentItem(
            id=uuid.uuid4(),
            org_id=org_id,
            young_person_id=record.id,
            type_id=document_types[key][0],
            state=steps[-1][1],
            state_on=steps[-1][0],
            not_applicable_reason="Not needed"
            if steps[-1][1] is DocumentState.not_applicable
            else None,
        )
        session.add(item)
        await session.flush()
        for i, (on, state) in enumerate(steps):
            session.add(
                DocumentEvent(
                    item_id=item.id,
                    young_person_id=record.id,
                    kind=DocumentEventKind.state_change,
                    state=state,
                    event_on=on,
                    created_at=datetime.combine(on, time(10), tzinfo=UTC) + timedelta(seconds=i),
                )
            )
        # A young person saying "I have it" is not the document reaching them: a PA confirms.
        session.add(
            DocumentEvent(
                item_id=item.id,
                young_person_id=record.id,
                kind=DocumentEventKind.young_person_has_it,
                state=None,
                event_on=steps[0][0],
            )
        )
    for slug, revision, at in record.responses:
        session.add(
            LocalOfferResponse(
                org_id=org_id,
                young_person_id=record.id,
                slug=slug,
                revision=revision,
                response=PageResponse.understood,
                applied_to_them=True,
                created_at=at,
            )
        )
    for slug, status, on, at in record.entitlements:
        session.add(
            EntitlementRecord(
                org_id=org_id,
                young_person_id=record.id,
                slug=slug,
                status=status,
                status_on=on,
                created_at=at,
            )
        )
    # Added one at a time, in order, so the conversation's ids follow the times.
    staff_id = users[adviser].id if adviser else users["team_manager"].id
    for said in record.messages:
        from_staff = said.sender == "staff"
        session.add(
            Message(
                org_id=org_id,
                young_person_id=record.id,
                sender_id=staff_id if from_staff else None,
                sender_role=Role.personal_adviser.value if from_staff else Role.young_person.value,
                kind=said.kind,
                mood=said.mood,
                body="Hello",
                created_at=said.at,
                hidden_at=said.hidden_at,
                hidden_by_id=staff_id if said.hidden_at else None,
                hidden_reason="Sent to the wrong young person" if said.hidden_at else None,
            )
        )
        await session.flush()
    for raised, closed, scheme in record.concerns:
        session.add(
            AccommodationConcern(
                org_id=org_id,
                young_person_id=record.id,
                scheme_id=schemes[scheme] if scheme else None,
                category=ConcernCategory.repairs,
                urgency=ConcernUrgency.soon,
                text="The heating has not worked for a week",
                status=ConcernStatus.closed if closed else ConcernStatus.open,
                created_at=raised,
                closed_at=closed,
                outcome="Fixed" if closed else None,
            )
        )
    await session.flush()


def months_before(on: date, months: int) -> date:
    return add_months(on, -months)
