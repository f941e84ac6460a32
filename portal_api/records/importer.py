"""``portal import``: young people from a case-management system, as JSON Lines (DESIGN.md).

Whole file or nothing. Every line is checked first (JSON, fields, codes, dates, known advisers);
the first bad line stops the import with its line number and field, and nothing is written. Then
records are upserted by ``external_id`` in one transaction, so running the same file twice changes
nothing the second time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.audit import service as audit
from portal_api.common.time import today
from portal_api.db.changes import raise_generation
from portal_api.documents.catalogue import catalogue
from portal_api.documents.service import import_document_history
from portal_api.errors import InvalidInput
from portal_api.models import (
    Contact,
    ContactKind,
    DocumentType,
    Organisation,
    Role,
    StatusObservation,
    Team,
    TeamMembership,
    User,
    YoungPerson,
)
from portal_api.people.service import care_period_rows, reallocate
from portal_api.people.staff import find_or_create_team
from portal_api.plans.drafting import add_imported_version
from portal_api.records.import_allocations import replay_allocations
from portal_api.records.import_bulk import NewRows, check_documents
from portal_api.records.import_lines import ImportFailed, ImportRecord, Progress
from portal_api.records.statistics import refresh_statistics, tables_written

__all__ = ["ImportResult", "import_records", "refresh_statistics"]

CHUNK = 500
# New young people per COPY (or executemany) of each table: large enough that round trips do not
# count, small enough that the progress bar moves and the rows of one batch stay a few MB.
BULK = 2000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: list[str] = field(default_factory=list)
    # What the import wrote, for refresh_statistics once it has committed.
    tables: set[str] = field(default_factory=set, repr=False)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _chunks(items: list[ImportRecord], size: int) -> Iterator[list[ImportRecord]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _advisers(
    session: AsyncSession, org: Organisation, records: list[ImportRecord], lines: dict[str, int]
) -> dict[str, uuid.UUID]:
    emails = {r.personal_adviser_email.lower() for r in records if r.personal_adviser_email}
    found: dict[str, uuid.UUID] = (
        dict(
            (
                await session.execute(
                    select(func.lower(User.email), User.id).where(
                        User.org_id == org.id,
                        func.lower(User.email).in_(emails),
                        User.role.in_([Role.personal_adviser.value, Role.manager.value]),
                        User.is_active.is_(True),
                    )
                )
            ).all()
        )
        if emails
        else {}
    )
    for r in records:
        if r.personal_adviser_email and r.personal_adviser_email.lower() not in found:
            raise ImportFailed(
                lines[r.external_id],
                "personal_adviser_email",
                f"no active personal adviser {r.personal_adviser_email} in {org.slug}; "
                "create or re-enable the account first",
            )
    return found


async def _former_advisers(
    session: AsyncSession, org: Organisation, records: list[ImportRecord], lines: dict[str, int]
) -> dict[str, uuid.UUID]:
    """The PAs named in allocation history: an account in the organisation, active or not (a PA
    who has left still held the case then)."""
    emails = {
        a.personal_adviser_email.lower()
        for r in records
        for a in r.allocations
        if a.personal_adviser_email
    }
    if not emails:
        return {}
    found: dict[str, uuid.UUID] = dict(
        (
            await session.execute(
                select(func.lower(User.email), User.id).where(
                    User.org_id == org.id,
                    func.lower(User.email).in_(emails),
                    User.role.in_([Role.personal_adviser.value, Role.manager.value]),
                )
            )
        ).all()
    )
    for r in records:
        for i, a in enumerate(r.allocations):
            if a.personal_adviser_email and a.personal_adviser_email.lower() not in found:
                raise ImportFailed(
                    lines[r.external_id],
                    f"allocations.{i}.personal_adviser_email",
                    f"no personal adviser {a.personal_adviser_email} in {org.slug}; "
                    "create the account first (it may be disabled if they have left)",
                )
    return found


async def _check_advisers_in_teams(
    session: AsyncSession,
    records: list[ImportRecord],
    advisers: dict[str, uuid.UUID],
    teams: dict[str, uuid.UUID],
    lines: dict[str, int],
) -> None:
    """A PA must be able to read the young people they hold: in the record's team, or a
    council-wide manager. Otherwise the young person's messages would reach someone who cannot
    open them."""
    ids = set(advisers.values())
    if not ids:
        return
    memberships = {
        (user_id, team_id)
        for user_id, team_id in await session.execute(
            select(TeamMembership.user_id, TeamMembership.team_id).where(
                TeamMembership.user_id.in_(ids)
            )
        )
    }
    council_wide = set(
        (
            await session.execute(
                select(User.id).where(
                    User.id.in_(ids), User.role == Role.manager, User.council_wide.is_(True)
                )
            )
        ).scalars()
    )
    for r in records:
        if not r.personal_adviser_email:
            continue
        adviser_id = advisers[r.personal_adviser_email.lower()]
        if adviser_id not in council_wide and (adviser_id, teams[r.team]) not in memberships:
            raise ImportFailed(
                lines[r.external_id],
                "personal_adviser_email",
                f"{r.personal_adviser_email} is not in team {r.team!r}; "
                "add them to the team first, or name an adviser in it",
            )


async def import_records(
    session: AsyncSession,
    org: Organisation,
    records: list[ImportRecord],
    *,
    line_of: dict[str, int] | None = None,
    progress: Progress | None = None,
    source: str = "import",
) -> ImportResult:
    line_of = line_of or {r.external_id: r._line or i for i, r in enumerate(records, start=1)}
    advisers = await _advisers(session, org, records, line_of)
    result = ImportResult()
    with tables_written(session, result.tables):
        await _write(session, org, records, line_of, advisers, result, progress, source)
    return result


async def _write(
    session: AsyncSession,
    org: Organisation,
    records: list[ImportRecord],
    line_of: dict[str, int],
    advisers: dict[str, uuid.UUID],
    result: ImportResult,
    progress: Progress | None,
    source: str,
) -> None:
    teams: dict[str, uuid.UUID] = {}
    existing_teams = set(
        (await session.execute(select(Team.name).where(Team.org_id == org.id))).scalars()
    )
    former = await _former_advisers(session, org, records, line_of)
    named_teams = {r.team for r in records} | {a.team for r in records for a in r.allocations}
    for name in sorted(named_teams):
        team = await find_or_create_team(session, org.id, name)
        teams[name] = team.id
        if name not in existing_teams:
            result.teams_created.append(name)
    await _check_advisers_in_teams(session, records, advisers, teams, line_of)
    types: dict[str, DocumentType] = {}
    if any(r.documents for r in records):
        types = {t.key: t for t in await catalogue(session, org.id, include_retired=True)}
        check_documents(records, types, line_of)
    on = today()
    known = set(
        (
            await session.execute(
                select(YoungPerson.external_id).where(YoungPerson.org_id == org.id)
            )
        ).scalars()
    )
    await session.flush()
    for chunk in _chunks([r for r in records if r.external_id not in known], BULK):
        rows = NewRows(org.id, teams, {**former, **advisers}, types, on)
        for record in chunk:
            rows.add(record, _SIMPLE_FIELDS)
        await rows.write(session, result.tables)
        result.created += len(chunk)
        if progress:
            progress(len(chunk))
    for chunk in _chunks([r for r in records if r.external_id in known], CHUNK):
        ids = [r.external_id for r in chunk]
        existing = {
            p.external_id: p
            for p in (
                await session.execute(
                    select(YoungPerson)
                    .options(selectinload(YoungPerson.care_periods))
                    .where(YoungPerson.org_id == org.id, YoungPerson.external_id.in_(ids))
                )
            ).scalars()
        }
        known_ids = [p.id for p in existing.values()]
        # The case-management system is the statutory record: a re-import corrects the codes
        # of an observation on the same date rather than keeping both.
        observations: dict[tuple[uuid.UUID, date], StatusObservation] = (
            {
                (o.young_person_id, o.recorded_on): o
                for o in (
                    await session.execute(
                        select(StatusObservation).where(
                            StatusObservation.young_person_id.in_(known_ids)
                        )
                    )
                ).scalars()
            }
            if known_ids
            else {}
        )
        seen_contacts: set[tuple[uuid.UUID, date, ContactKind]] = (
            set(
                await session.execute(
                    select(Contact.young_person_id, Contact.contact_on, Contact.kind).where(
                        Contact.young_person_id.in_(known_ids)
                    )
                )
            )
            if known_ids
            else set()
        )
        # Young people already in the portal: compared with what is stored, row by row.
        for record in chunk:
            person = existing[record.external_id]
            changed = _apply(person, record)
            adviser_id = (
                advisers[record.personal_adviser_email.lower()]
                if record.personal_adviser_email
                else None
            )
            moved = await replay_allocations(
                session, person, record, teams, {**former, **advisers}, new=False, on=on
            )
            moved = (
                await reallocate(
                    session,
                    person,
                    team_id=teams[record.team],
                    adviser_id=adviser_id,
                    on=on,
                    recorded_by_id=None,
                )
                or moved
            )
            for o in record.observations:
                found = observations.get((person.id, o.recorded_on))
                if found is None:
                    found = StatusObservation(young_person_id=person.id, **o.model_dump())
                    session.add(found)
                    observations[(person.id, o.recorded_on)] = found
                    changed = True
                elif (found.in_touch, found.activity, found.accommodation) != (
                    o.in_touch,
                    o.activity,
                    o.accommodation,
                ):
                    found.in_touch, found.activity = o.in_touch, o.activity
                    found.accommodation = o.accommodation
                    changed = True
            if record.documents:
                try:
                    if await import_document_history(session, person, record.documents):
                        changed = True
                except InvalidInput as exc:
                    raise ImportFailed(
                        line_of[record.external_id],
                        f"documents.{exc.errors[0]['field']}",
                        exc.errors[0]["message"],
                    ) from None
            for plan in record.plans:
                if await add_imported_version(
                    session, person, plan.agreed_on, plan.copy_received_on
                ):
                    changed = True
            for c in record.contacts:
                if (person.id, c.on, c.kind) not in seen_contacts:
                    session.add(Contact(young_person_id=person.id, contact_on=c.on, kind=c.kind))
                    seen_contacts.add((person.id, c.on, c.kind))
                    changed = True
            if changed or moved:
                person.version += 1
                result.updated += 1
            else:
                result.unchanged += 1
        await session.flush()
        if progress:
            progress(len(chunk))
    # Last, so the organisation's row is locked only for the commit: a server that did not make
    # this write (the CLI's is another process) must still not show figures from before it.
    await raise_generation(session, org.id)
    audit.record(
        session,
        None,
        "young_people.import",
        org_id=org.id,
        source=source,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )


_SIMPLE_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "uasc",
    "disabled",
    "is_parent",
    "status_override",
    "status_override_reason",
    "closed_on",
    "preferred_language",
    "mobile",
    "email",
)


def _apply(person: YoungPerson, record: ImportRecord) -> bool:
    """Copy the record's fields; True if anything changed."""
    changed = False
    for name in _SIMPLE_FIELDS:
        value = getattr(record, name)
        if getattr(person, name, None) != value:
            setattr(person, name, value)
            changed = True
    if person.id is not None and person.care_periods is not None:
        wanted = [(p.start, p.end) for p in sorted(record.care_periods, key=lambda p: p.start)]
        have = [(p.start_on, p.end_on) for p in person.care_periods]
        if wanted != have:
            person.care_periods = care_period_rows(record.care_periods)
            changed = True
    return changed
