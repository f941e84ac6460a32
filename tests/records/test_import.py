"""``portal import``: JSON Lines from a case-management system, whole file or nothing, upserted by
external id so running the same file twice changes nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload
from typer.testing import CliRunner, Result

from portal_api import cli
from portal_api.common.time import today
from portal_api.config import get_settings
from portal_api.models import (
    Allocation,
    Contact,
    DocumentEvent,
    DocumentItem,
    DocumentState,
    Organisation,
    PlanReceipt,
    PlanSource,
    PlanState,
    PlanVersion,
    ReceiptHow,
    Role,
    StatusObservation,
    Team,
    User,
    YoungPerson,
)
from portal_api.records.import_lines import ImportFailed, parse_lines
from portal_api.records.importer import ImportResult, import_records
from tests.factories import make_org, make_team, make_user

ORG = "eastmarsh"
PA1 = "pa1@example.org"
PA2 = "pa2@example.org"

# DESIGN.md's sample line, less `plans` and `documents` (they arrive with later parts).
SAMPLE: dict[str, Any] = {
    "external_id": "CL1001",
    "given_name": "Amira",
    "family_name": "Khan",
    "date_of_birth": "2007-03-01",
    "gender": "female",
    "uasc": True,
    "disabled": False,
    "team": "North",
    "personal_adviser_email": PA1,
    "preferred_language": "ar",
    "care_periods": [{"start": "2021-05-01", "end": "2025-03-01"}],
    "status_override": None,
    "closed_on": None,
    "mobile": "07700900123",
    "email": None,
    "observations": [
        {"recorded_on": "2026-03-10", "in_touch": "YES", "activity": "F2", "accommodation": "U1"}
    ],
    "contacts": [{"on": "2026-10-01", "kind": "visit"}],
}


def _line(**changes: Any) -> str:
    return json.dumps({**SAMPLE, **changes})


def _second(**changes: Any) -> str:
    return _line(external_id="CL1002", given_name="Dawit", family_name="Bekele", **changes)


@pytest.fixture
async def org(sessionmaker: async_sessionmaker[AsyncSession]) -> Organisation:
    """The council, with two personal advisers in team North the file can name."""
    async with sessionmaker() as session, session.begin():
        organisation = await make_org(session, ORG)
        north = await make_team(session, organisation, "North")
        for email, name in ((PA1, "Pat One"), (PA2, "Pat Two")):
            await make_user(
                session, organisation, Role.personal_adviser, email=email, name=name, teams=(north,)
            )
        return organisation


@pytest.fixture
async def importing(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation
) -> AsyncIterator[AsyncSession]:
    """A session in a transaction, as the CLI gives the importer (rolled back at the end)."""
    async with sessionmaker() as session, session.begin():
        yield session
        await session.rollback()


async def _import(sessionmaker: async_sessionmaker[AsyncSession], lines: list[str]) -> ImportResult:
    """One run of the import in its own transaction, as the CLI does."""
    records = parse_lines(lines)
    async with sessionmaker() as session, session.begin():
        organisation = await session.scalar(select(Organisation).where(Organisation.slug == ORG))
        assert organisation is not None
        return await import_records(session, organisation, records)


async def _count(session: AsyncSession, table: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def _person(session: AsyncSession, external_id: str = "CL1001") -> YoungPerson:
    found = await session.scalar(
        select(YoungPerson)
        .options(selectinload(YoungPerson.care_periods))
        .where(YoungPerson.external_id == external_id)
        .execution_options(populate_existing=True)
    )
    assert found is not None
    return found


async def _user_id(session: AsyncSession, email: str) -> uuid.UUID:
    found = await session.scalar(select(User.id).where(User.email == email))
    assert found is not None
    return found


def _failure(lines: list[str]) -> ImportFailed:
    with pytest.raises(ImportFailed) as failed:
        parse_lines(lines)
    return failed.value


# --- a good file -----------------------------------------------------------------------------


async def test_design_sample_line_imports(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    result = await _import(sessionmaker, [_line()])

    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    person = await _person(session)
    assert (person.given_name, person.family_name, person.date_of_birth) == (
        "Amira",
        "Khan",
        date(2007, 3, 1),
    )
    # The mobile in one spelling (E.164), as every way in stores it.
    assert (person.uasc, person.preferred_language, person.mobile) == (True, "ar", "+447700900123")
    assert [(p.start_on, p.end_on) for p in person.care_periods] == [
        (date(2021, 5, 1), date(2025, 3, 1))
    ]
    assert person.personal_adviser_id == await _user_id(session, PA1)
    team = await session.get(Team, person.team_id)
    assert team is not None
    assert (team.name, team.org_id) == ("North", org.id)


async def test_design_sample_line_imports_observations_contacts_and_allocation(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    await _import(sessionmaker, [_line()])

    person = await _person(session)
    observations = (
        await session.execute(
            select(
                StatusObservation.recorded_on,
                StatusObservation.in_touch,
                StatusObservation.activity,
                StatusObservation.accommodation,
            ).where(StatusObservation.young_person_id == person.id)
        )
    ).all()
    assert [tuple(o) for o in observations] == [(date(2026, 3, 10), "YES", "F2", "U1")]
    contacts = (
        await session.execute(
            select(Contact.contact_on, Contact.kind).where(Contact.young_person_id == person.id)
        )
    ).all()
    assert [(on, kind.value) for on, kind in contacts] == [(date(2026, 10, 1), "visit")]
    allocations = (
        await session.execute(
            select(Allocation.adviser_id, Allocation.started_on, Allocation.ended_on).where(
                Allocation.young_person_id == person.id
            )
        )
    ).all()
    assert [tuple(a) for a in allocations] == [(await _user_id(session, PA1), today(), None)]


async def test_import_reports_teams_it_created(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation
) -> None:
    result = await _import(
        sessionmaker, [_line(), _second(team="South", personal_adviser_email=None)]
    )

    assert result.teams_created == ["South"]


async def test_import_refuses_an_adviser_who_is_not_in_the_young_persons_team(
    importing: AsyncSession, org: Organisation
) -> None:
    """Their PA must be able to read the messages they are told about."""
    records = parse_lines([_line(), _second(team="South")])

    with pytest.raises(ImportFailed) as failed:
        await import_records(importing, org, records)

    assert (failed.value.line, failed.value.field) == (2, "personal_adviser_email")
    assert "not in team 'South'" in str(failed.value)


async def test_import_lets_a_council_wide_manager_hold_a_case_in_any_team(
    importing: AsyncSession, org: Organisation
) -> None:
    await make_user(importing, org, Role.manager, email="lead@example.org", council_wide=True)
    records = parse_lines([_second(team="South", personal_adviser_email="lead@example.org")])

    result = await import_records(importing, org, records)

    assert result.created == 1


# --- bad lines -------------------------------------------------------------------------------


def test_plan_received_before_it_was_agreed_fails_naming_plans_and_the_line() -> None:
    plans = [{"agreed_on": "2026-05-01", "copy_received_on": "2026-04-01"}]

    failed = _failure([_line(), _second(plans=plans)])

    assert (failed.line, failed.field) == (2, "plans.0.copy_received_on")


async def test_imported_plans_become_agreed_versions_with_their_receipts_once(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    plans = [
        {"agreed_on": "2025-11-01", "copy_received_on": "2025-11-03"},
        {"agreed_on": "2026-05-01"},
    ]
    lines = [_line(plans=plans)]

    await _import(sessionmaker, lines)
    again = await _import(sessionmaker, lines)

    versions = (
        (await session.execute(select(PlanVersion).order_by(PlanVersion.agreed_on))).scalars().all()
    )
    assert [(v.number, v.state, v.source, v.agreed_on) for v in versions] == [
        (1, PlanState.agreed, PlanSource.imported, date(2025, 11, 1)),
        (2, PlanState.agreed, PlanSource.imported, date(2026, 5, 1)),
    ]
    receipts = (await session.execute(select(PlanReceipt))).scalars().all()
    assert [(r.version_id, r.how, r.received_on) for r in receipts] == [
        (versions[0].id, ReceiptHow.imported, date(2025, 11, 3))
    ]
    assert again.unchanged == 1


def test_document_step_without_a_date_fails_naming_the_field() -> None:
    documents = [{"type": "national_insurance_number", "status": "with_young_person"}]

    failed = _failure([_line(documents=documents)])

    assert (failed.line, failed.field) == (1, "documents.0.status_on")


def test_unknown_document_state_fails_naming_the_field() -> None:
    documents = [{"type": "photo_id", "status": "lost", "status_on": "2025-01-01"}]

    failed = _failure([_line(), _second(documents=documents)])

    assert (failed.line, failed.field) == (2, "documents.0.status")


async def test_unknown_document_type_fails_with_line_and_writes_nothing(
    importing: AsyncSession, org: Organisation
) -> None:
    documents = [{"type": "passport_photo", "status": "requested", "status_on": "2025-01-01"}]
    records = parse_lines([_line(), _second(documents=documents)])

    with pytest.raises(ImportFailed) as failed:
        await import_records(importing, org, records)

    assert (failed.value.line, failed.value.field) == (2, "documents.0.type")
    assert "passport_photo" in failed.value.message


async def test_imported_document_history_is_kept_in_date_order_once(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    documents = [
        {
            "type": "national_insurance_number",
            "status": "with_young_person",
            "status_on": "2024-11-02",
        },
        {"type": "national_insurance_number", "status": "requested", "status_on": "2024-09-01"},
    ]
    lines = [_line(documents=documents)]

    await _import(sessionmaker, lines)
    again = await _import(sessionmaker, lines)

    events = (
        (await session.execute(select(DocumentEvent).order_by(DocumentEvent.event_on)))
        .scalars()
        .all()
    )
    assert [(e.state, e.event_on, e.source) for e in events] == [
        (DocumentState.requested, date(2024, 9, 1), "import"),
        (DocumentState.with_young_person, date(2024, 11, 2), "import"),
    ]
    item = (await session.execute(select(DocumentItem))).scalar_one()
    assert (item.state, item.state_on) == (DocumentState.with_young_person, date(2024, 11, 2))
    assert again.unchanged == 1


def test_bad_json_fails_with_its_line_number() -> None:
    failed = _failure([_line(), _second(), '{"external_id": "CL1003", "given_name": '])

    assert failed.line == 3
    assert "JSON" in failed.message


def test_unknown_activity_code_fails_naming_observations() -> None:
    observation = {
        "recorded_on": "2026-03-10",
        "in_touch": "YES",
        "activity": "Q9",
        "accommodation": "U1",
    }

    failed = _failure([_line(observations=[observation])])

    assert (failed.line, failed.field) == (1, "observations")
    assert "activity" in failed.message
    assert "Q9" in failed.message


def test_duplicate_external_id_fails_naming_the_earlier_line() -> None:
    failed = _failure([_line(), _second(), _line(given_name="Amina")])

    assert (failed.line, failed.field) == (3, "external_id")
    assert "line 1" in failed.message


def test_status_override_without_reason_fails() -> None:
    failed = _failure([_line(status_override="relevant")])

    assert failed.line == 1
    assert failed.field.endswith("status_override_reason")


def test_unknown_gender_fails_naming_gender() -> None:
    failed = _failure([_line(), _second(gender="unknown")])

    assert (failed.line, failed.field) == (2, "gender")


def test_blank_lines_are_skipped_but_still_counted() -> None:
    failed = _failure([_line(), "", "   ", _second(gender="unknown")])

    assert failed.line == 4


async def test_unknown_adviser_email_fails_and_writes_nothing(
    importing: AsyncSession, org: Organisation
) -> None:
    records = parse_lines([_line(), _second(personal_adviser_email="nobody@example.org")])

    with pytest.raises(ImportFailed) as failed:
        await import_records(importing, org, records)

    assert (failed.value.line, failed.value.field) == (2, "personal_adviser_email")
    assert "nobody@example.org" in failed.value.message
    assert await _count(importing, YoungPerson) == 0
    assert await _count(importing, Team) == 1  # North, made with the council
    assert await _count(importing, Allocation) == 0


async def test_adviser_from_another_organisation_is_unknown(
    importing: AsyncSession, org: Organisation
) -> None:
    other = await make_org(importing, "westshire")
    await make_user(importing, other, Role.personal_adviser, email="west.pa@example.org")
    records = parse_lines([_line(personal_adviser_email="west.pa@example.org")])

    with pytest.raises(ImportFailed) as failed:
        await import_records(importing, org, records)

    assert (failed.value.line, failed.value.field) == (1, "personal_adviser_email")


async def test_import_refuses_a_disabled_adviser(
    importing: AsyncSession, org: Organisation
) -> None:
    leaver = await make_user(importing, org, Role.personal_adviser, email="left@example.org")
    leaver.is_active = False
    await importing.flush()
    records = parse_lines([_line(personal_adviser_email="left@example.org")])

    with pytest.raises(ImportFailed) as failed:
        await import_records(importing, org, records)

    assert (failed.value.line, failed.value.field) == (1, "personal_adviser_email")


# --- running it again ------------------------------------------------------------------------


async def test_same_file_twice_changes_nothing_the_second_time(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    lines = [_line(), _second()]
    first = await _import(sessionmaker, lines)

    second = await _import(sessionmaker, lines)

    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert await _count(session, YoungPerson) == 2
    assert await _count(session, StatusObservation) == 2
    assert await _count(session, Contact) == 2
    assert await _count(session, Allocation) == 2
    assert (await _person(session)).version == 1


async def test_changed_field_on_reimport_counts_as_updated(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    await _import(sessionmaker, [_line(), _second()])

    result = await _import(sessionmaker, [_line(mobile="07700900999"), _second()])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    person = await _person(session)
    assert (person.mobile, person.version) == ("+447700900999", 2)


async def test_changing_the_adviser_closes_the_allocation_and_opens_a_new_one(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    await _import(sessionmaker, [_line()])

    result = await _import(sessionmaker, [_line(personal_adviser_email=PA2)])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    person = await _person(session)
    pa1, pa2 = await _user_id(session, PA1), await _user_id(session, PA2)
    assert person.personal_adviser_id == pa2
    allocations = (
        await session.execute(
            select(Allocation.adviser_id, Allocation.started_on, Allocation.ended_on)
            .where(Allocation.young_person_id == person.id)
            .order_by(Allocation.ended_on.is_(None))
        )
    ).all()
    assert [tuple(a) for a in allocations] == [(pa1, today(), today()), (pa2, today(), None)]


async def test_new_observation_on_reimport_is_added_once(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    await _import(sessionmaker, [_line()])
    later = {
        "recorded_on": "2026-09-10",
        "in_touch": "YES",
        "activity": "F5",
        "accommodation": "U1",
    }
    lines = [_line(observations=[*SAMPLE["observations"], later])]

    first = await _import(sessionmaker, lines)
    again = await _import(sessionmaker, lines)

    assert (first.updated, again.unchanged) == (1, 1)
    assert await _count(session, StatusObservation) == 2


async def test_corrected_observation_on_reimport_replaces_the_old_codes(
    sessionmaker: async_sessionmaker[AsyncSession], org: Organisation, session: AsyncSession
) -> None:
    await _import(sessionmaker, [_line()])
    corrected = {**SAMPLE["observations"][0], "accommodation": "U2"}

    result = await _import(sessionmaker, [_line(observations=[corrected])])

    assert result.updated == 1
    codes = list((await session.execute(select(StatusObservation.accommodation))).scalars())
    assert codes == ["U2"]


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point `portal` at the test database (its settings come from the environment)."""
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_ENVIRONMENT", "test")
    # Wide enough that an error message is never wrapped across lines.
    monkeypatch.setattr(cli.console, "width", 1000)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _portal(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


def _cli_setup() -> None:
    assert _portal("create-org", ORG, "Eastmarsh Council").exit_code == 0
    created = _portal(
        "create-user",
        "--org",
        ORG,
        "--role",
        "personal_adviser",
        "--email",
        PA1,
        "--password",
        "correct horse battery staple",
        "--team",
        "North",
    )
    assert created.exit_code == 0, created.output


# Sync tests: the CLI runs its own event loop. Requesting `engine` empties the tables afterwards.
def test_cli_imports_a_file(cli_database: None, engine: object, tmp_path: Path) -> None:
    _cli_setup()
    file = tmp_path / "young-people.jsonl"
    file.write_text(f"{_line()}\n{_second()}\n", encoding="utf-8")

    result = _portal("import", str(file), "--org", ORG)

    assert result.exit_code == 0, result.output
    assert "created=2" in result.output


def test_cli_reports_the_file_line_of_an_unknown_adviser(
    cli_database: None, engine: object, tmp_path: Path
) -> None:
    _cli_setup()
    file = tmp_path / "young-people.jsonl"
    bad = _second(personal_adviser_email="nobody@example.org")
    file.write_text(f"{_line()}\n\n{bad}\n", encoding="utf-8")

    result = _portal("import", str(file), "--org", ORG)

    assert result.exit_code == 1
    assert f"{file.name}:3: personal_adviser_email" in result.output
    assert "nothing was imported" in result.output


def test_create_user_refuses_an_address_import_refuses(cli_database: None, engine: object) -> None:
    """One email rule everywhere: a reserved domain (.test) is refused by both ways in."""
    assert _portal("create-org", ORG, "Eastmarsh Council").exit_code == 0

    created = _portal(
        "create-user",
        "--org",
        ORG,
        "--role",
        "personal_adviser",
        "--email",
        "pa@council.test",
        "--password",
        "correct horse battery staple",
    )
    imported = _failure([_line(personal_adviser_email="pa@council.test")])

    assert created.exit_code == 1, created.output
    assert "email" in created.output
    assert imported.field == "personal_adviser_email"


def test_create_user_makes_a_mobile_only_young_persons_account(
    cli_database: None, engine: object, tmp_path: Path
) -> None:
    _cli_setup()
    file = tmp_path / "young-people.jsonl"
    file.write_text(f"{_line()}\n", encoding="utf-8")
    assert _portal("import", str(file), "--org", ORG).exit_code == 0

    created = _portal(
        "create-user",
        "--org",
        ORG,
        "--role",
        "young_person",
        "--young-person",
        SAMPLE["external_id"],
        "--mobile",
        "07700 900123",
        "--password",
        "correct horse battery staple",
    )

    assert created.exit_code == 0, created.output
    assert "+447700900123" in created.output
