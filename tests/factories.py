"""Typed async helpers that make test data directly (no HTTP), and the shared test world.

Passwords are hashed once per run (argon2 is slow on purpose); sessions are inserted as tokens
so tests need not sign in through the API unless that is what they test.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.auth.users import hash_token, password_helper
from portal_api.models import (
    AccessToken,
    Allocation,
    CarePeriod,
    FollowUp,
    FollowUpKind,
    Gender,
    Message,
    MessageKind,
    Organisation,
    PlanSection,
    PlanState,
    PlanVersion,
    Role,
    Team,
    TeamMembership,
    User,
    YoungPerson,
)

PASSWORD = "correct horse battery staple"
PASSWORD_HASH = password_helper.hash(PASSWORD)


async def make_org(session: AsyncSession, slug: str | None = None) -> Organisation:
    slug = slug or f"org-{secrets.token_hex(4)}"
    org = Organisation(
        slug=slug, name=f"{slug.title()} Council", out_of_hours_phone="01632 960 999"
    )
    session.add(org)
    await session.flush()
    return org


async def make_team(session: AsyncSession, org: Organisation, name: str) -> Team:
    team = Team(org_id=org.id, name=name)
    session.add(team)
    await session.flush()
    return team


async def make_user(
    session: AsyncSession,
    org: Organisation,
    role: Role,
    *,
    teams: tuple[Team, ...] = (),
    young_person: YoungPerson | None = None,
    email: str | None = None,
    name: str | None = None,
    council_wide: bool = False,
) -> User:
    user = User(
        org_id=org.id,
        email=email or f"{role.value}-{secrets.token_hex(4)}@example.org",
        hashed_password=PASSWORD_HASH,
        display_name=name or role.value.replace("_", " ").title(),
        role=role,
        young_person_id=young_person.id if young_person else None,
        council_wide=council_wide,
    )
    session.add(user)
    await session.flush()
    session.add_all(TeamMembership(user_id=user.id, team_id=t.id) for t in teams)
    await session.flush()
    return user


async def make_token(session: AsyncSession, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(AccessToken(token_hash=hash_token(token), user_id=user.id))
    await session.flush()
    return token


async def make_young_person(
    session: AsyncSession,
    org: Organisation,
    team: Team | None,
    adviser: User | None,
    *,
    date_of_birth: date = date(2008, 5, 1),
    care: tuple[tuple[date, date | None], ...] = ((date(2020, 1, 1), date(2025, 1, 1)),),
    external_id: str | None = None,
    given_name: str = "Test",
    family_name: str = "Person",
    allocated_on: date = date(2025, 1, 1),
) -> YoungPerson:
    person = YoungPerson(
        org_id=org.id,
        external_id=external_id or f"X{secrets.token_hex(4)}",
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        gender=Gender.female,
        team_id=team.id if team else None,
        personal_adviser_id=adviser.id if adviser else None,
        care_periods=[CarePeriod(start_on=s, end_on=e) for s, e in care],
    )
    session.add(person)
    await session.flush()
    session.add(
        Allocation(
            young_person_id=person.id,
            team_id=person.team_id,
            adviser_id=person.personal_adviser_id,
            started_on=allocated_on,
        )
    )
    await session.flush()
    return person


async def make_plan_version(
    session: AsyncSession,
    person: YoungPerson,
    number: int,
    state: PlanState,
    *,
    agreed_on: date | None = None,
    needs: str = "",
) -> PlanVersion:
    from portal_api.plans.schemas import SECTIONS

    version = PlanVersion(
        org_id=person.org_id,
        young_person_id=person.id,
        number=number,
        state=state,
        agreed_on=agreed_on,
        sections=[
            PlanSection(code=code, position=i, needs=needs) for i, code in enumerate(SECTIONS)
        ],
    )
    session.add(version)
    await session.flush()
    return version


@dataclass
class World:
    """Two councils. In the first: team North (PAs ``pa`` and ``colleague_pa``, manager
    ``team_manager``), team South (``south_pa``), a council-wide ``org_manager`` and an
    ``admin``. Young people: ``own`` (pa's caseload, has an account), ``colleague`` (colleague_pa's,
    same team: duty cover), ``other_team`` (South). In the second council: ``other_org`` with its
    own ``other_org_manager``."""

    org_id: uuid.UUID
    tokens: dict[str, str] = field(default_factory=dict)
    young_people: dict[str, uuid.UUID] = field(default_factory=dict)
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    teams: dict[str, uuid.UUID] = field(default_factory=dict)
    follow_ups: dict[str, uuid.UUID] = field(default_factory=dict)
    messages: dict[str, int] = field(default_factory=dict)

    def auth(self, actor: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[actor]}"} if actor in self.tokens else {}


async def build_world(session: AsyncSession) -> World:
    org = await make_org(session, "eastmarsh")
    north = await make_team(session, org, "North")
    south = await make_team(session, org, "South")
    pa = await make_user(session, org, Role.personal_adviser, teams=(north,), name="Priya PA")
    colleague_pa = await make_user(session, org, Role.personal_adviser, teams=(north,))
    south_pa = await make_user(session, org, Role.personal_adviser, teams=(south,))
    team_manager = await make_user(session, org, Role.manager, teams=(north,))
    org_manager = await make_user(session, org, Role.manager, council_wide=True)
    admin = await make_user(session, org, Role.admin)
    own = await make_young_person(session, org, north, pa, external_id="OWN1", given_name="Amira")
    colleague = await make_young_person(session, org, north, colleague_pa, external_id="COL1")
    other_team = await make_young_person(session, org, south, south_pa, external_id="STH1")
    young_person = await make_user(session, org, Role.young_person, young_person=own)

    other = await make_org(session, "westshire")
    west = await make_team(session, other, "West")
    other_pa = await make_user(session, other, Role.personal_adviser, teams=(west,))
    other_org_manager = await make_user(session, other, Role.manager, council_wide=True)
    other_org = await make_young_person(session, other, west, other_pa, external_id="WST1")

    # Every young person has an agreed plan (version 1) and a draft of the next (version 2).
    for person in (own, colleague, other_team, other_org):
        await make_plan_version(
            session, person, 1, PlanState.agreed, agreed_on=date(2026, 6, 1), needs="Support"
        )
        await make_plan_version(session, person, 2, PlanState.draft)

    talk = FollowUp(
        org_id=org.id,
        young_person_id=own.id,
        kind=FollowUpKind.local_offer_talk,
        subject="Wants to talk about your rights",
    )
    session.add(talk)
    await session.flush()

    world = World(org_id=org.id)
    world.follow_ups = {"own": talk.id}
    # Every conversation has one message from the young person's PA.
    for name, person, sender in (
        ("own", own, pa),
        ("colleague", colleague, colleague_pa),
        ("other_team", other_team, south_pa),
        ("other_org", other_org, other_pa),
    ):
        message = Message(
            org_id=person.org_id,
            young_person_id=person.id,
            sender_id=sender.id,
            sender_role=sender.role.value,
            kind=MessageKind.text,
            body="Hello, how are things?",
        )
        session.add(message)
        await session.flush()
        world.messages[name] = message.id
    world.teams = {"north": north.id, "south": south.id, "west": west.id}
    world.young_people = {
        "own": own.id,
        "colleague": colleague.id,
        "other_team": other_team.id,
        "other_org": other_org.id,
    }
    actors = {
        "young_person": young_person,
        "pa": pa,
        "colleague_pa": colleague_pa,
        "south_pa": south_pa,
        "team_manager": team_manager,
        "org_manager": org_manager,
        "admin": admin,
        "other_org_manager": other_org_manager,
        "other_pa": other_pa,
    }
    for name, user in actors.items():
        world.users[name] = user.id
        assert user.email is not None
        world.emails[name] = user.email
        world.tokens[name] = await make_token(session, user)
    return world


async def other_council_young_person_token(session: AsyncSession, world: World) -> str:
    """An account for the young person in the other council (``other_org``, who has none in the
    world), and its token: a second young person for tests of statements built once."""
    person = await session.get(YoungPerson, world.young_people["other_org"])
    assert person is not None
    org = await session.get(Organisation, person.org_id)
    assert org is not None
    user = await make_user(session, org, Role.young_person, young_person=person)
    return await make_token(session, user)
