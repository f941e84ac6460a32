"""The rows the figures are computed from, fetched as of one date in a few set-shaped queries.

Every query is limited to the same young people: those the actor may see (``people.scope``),
whose age could put them in a figure on the date, and, for a team or PA, whose allocation on the
date was that team's or PA's. The young people come back one row each, with their allocation on
the date, care periods, latest observation, plans, last contact and core-page responses joined
on as aggregated subqueries (history.py); only checklists, entitlements and allocation histories
come as several rows. Nothing reads "current state" where history exists.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from portal_api.content.eligibility import Eligibility, parse_condition
from portal_api.content.library import Page
from portal_api.models import STAFF_ROLE_NAMES, Allocation, DocumentType, Team, User, YoungPerson
from portal_api.people import legal_status
from portal_api.people.scope import Access, visible
from portal_api.reports.measures import concerns, history, replies
from portal_api.reports.measures.checklist import document_label
from portal_api.reports.measures.facts import (
    DocumentKind,
    Facts,
    Need,
    Observation,
    PlanFacts,
    ScopeFilter,
    YoungPersonRecord,
)
from portal_api.reports.measures.status import timeline_of

_DAY = timedelta(days=1)
OBSERVATION_FIELDS = frozenset({"activity", "accommodation_letter", "in_touch"})
WORK_MEM = "32MB"


def covering(on: date) -> ColumnElement[bool]:
    """The allocation in force on ``on``: started on or before it, not ended by it (an allocation
    runs from ``started_on`` up to, not including, ``ended_on``, the day the next one starts)."""
    return and_(
        Allocation.started_on <= on, or_(Allocation.ended_on.is_(None), Allocation.ended_on > on)
    )


def scope_conditions(
    scope: ScopeFilter, on: date, only: frozenset[uuid.UUID] | None = None
) -> list[ColumnElement[bool]]:
    """Young people in scope of the figures on ``on``, with a margin of a day on the ages (the
    exact ages, with 29 February birthdays, are decided in Python); ``only``: of these ids."""
    conditions: list[ColumnElement[bool]] = [
        visible(scope.actor, Access.read),
        # 16 to 24 on the date; the documents cohort (18th birthday in the last 12 months) is inside.
        YoungPerson.date_of_birth <= legal_status.add_years(on, -16) + _DAY,
        YoungPerson.date_of_birth > legal_status.add_years(on, -25) - _DAY,
        # Open on the date, or closed after an 18th birthday in the last 12 months.
        or_(
            YoungPerson.closed_on.is_(None),
            YoungPerson.closed_on >= legal_status.add_months(on, -12),
        ),
    ]
    if scope.team_id is not None or scope.adviser_id is not None:
        # An alias, so the EXISTS stays its own query where Allocation is also joined outside.
        held_by = aliased(Allocation)
        held = [
            held_by.young_person_id == YoungPerson.id,
            held_by.started_on <= on,
            or_(held_by.ended_on.is_(None), held_by.ended_on > on),
        ]
        if scope.team_id is not None:
            held.append(held_by.team_id == scope.team_id)
        if scope.adviser_id is not None:
            held.append(held_by.adviser_id == scope.adviser_id)
        conditions.append(exists().where(*held))
    if only is not None:
        conditions.append(YoungPerson.id.in_(sorted(only)))
    return conditions


async def connection(session: AsyncSession, *, few: bool = False) -> AsyncConnection:
    """The request's connection, for Core queries (no ORM identity map for 50,000 rows).

    On PostgreSQL, plans are made for the actual dates: asyncpg prepares statements, and after
    five runs PostgreSQL may switch to a generic plan that cannot see which dates are asked for,
    which made one of these queries thirty times slower. SET LOCAL ends with the request's
    transaction (a read replica allows it, which a temporary table would not). ``few``: the
    facts of a few named young people (``load(only=...)``), see ``settings_for_reports``."""
    conn = await session.connection()
    await settings_for_reports(conn, few=few)
    return conn


async def settings_for_reports(conn: AsyncConnection, *, few: bool = False) -> None:
    """``connection``'s settings, for every connection a figure reads on."""
    if conn.dialect.name == "postgresql":
        await conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        # The window functions sort a row per plan version and observation: at 50,000 young
        # people the default 4 MB spilled those sorts to disk.
        await conn.exec_driver_sql(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # Never join by nested loop. With stale statistics (rows written since the last ANALYZE,
        # a restore) the planner believes a table nearly empty, joins each aggregated history
        # subquery in a nested loop and re-runs it once per young person: the overview of 5,000
        # went from seconds to over 200 s. Hash and merge joins read each history row once
        # whatever the estimates; with fresh statistics the change was within the noise
        # (bench/README.md, "Stale statistics"). Indexed lookups stay: the correlated subqueries
        # (a message's first reply) are subplans, not joins.
        # Not for a few named young people: there a loop over a handful of ids, each looked up
        # by index, is the right plan, and a hash join would read every history row to use a
        # few (measured: 1.7 s instead of milliseconds at 50,000).
        setting = "on" if few else "off"
        await conn.exec_driver_sql(f"SET LOCAL enable_nestloop = {setting}")


def _people_query(
    conditions: list[ColumnElement[bool]],
    on: date,
    needs: frozenset[Need],
    core_pages: list[Page],
    dialect: str,
) -> tuple[Select[*tuple[Any, ...]], dict[str, Any]]:
    ids = select(YoungPerson.id).where(*conditions)
    periods = history.care_periods(ids)
    joined: dict[str, Any] = {}
    query: Select[*tuple[Any, ...]] = (
        select(
            YoungPerson.id,
            YoungPerson.external_id,
            YoungPerson.given_name,
            YoungPerson.preferred_name,
            YoungPerson.family_name,
            YoungPerson.date_of_birth,
            YoungPerson.uasc,
            YoungPerson.disabled,
            YoungPerson.is_parent,
            YoungPerson.status_override,
            YoungPerson.closed_on,
            Allocation.team_id,
            Allocation.adviser_id,
            Allocation.started_on,
            periods.c.periods,
        )
        .select_from(YoungPerson)
        .outerjoin(Allocation, and_(Allocation.young_person_id == YoungPerson.id, covering(on)))
        .outerjoin(periods, periods.c.yp == YoungPerson.id)
        .where(*conditions)
    )
    if Need.observations in needs:
        joined["observation"] = history.latest_observation(ids, on)
    if Need.plans in needs:
        joined["plan"] = history.plans(ids, on)
    if Need.contacts in needs:
        joined["contact"] = history.last_contact(ids, on)
    if Need.responses in needs and core_pages:
        joined["responded"] = history.responded(ids, on, core_pages, dialect)
    for subquery in joined.values():
        query = query.outerjoin(subquery, subquery.c.yp == YoungPerson.id).add_columns(
            *[c for c in subquery.c if c.name != "yp"]
        )
    return query, joined


async def _people(
    conn: AsyncConnection,
    facts: Facts,
    conditions: list[ColumnElement[bool]],
    needs: frozenset[Need],
) -> None:
    on = facts.as_of
    query, joined = _people_query(conditions, on, needs, facts.core_pages, conn.dialect.name)
    rows = (await conn.execute(query)).all()
    facts.people = _people_from(rows, facts, joined)


def _people_from(
    rows: Sequence[Any], facts: Facts, joined: dict[str, Any]
) -> list[YoungPersonRecord]:
    people: dict[uuid.UUID, YoungPersonRecord] = {}
    for row in rows:
        (yp_id, external_id, given, preferred, family, dob, uasc, disabled, is_parent) = row[:9]
        override, closed_on, team_id, adviser_id, started_on, periods = row[9:15]
        joined_values = iter(row[15:])
        seen = people.get(yp_id)
        # Overlapping allocations should not exist; if they do, the latest to start wins.
        if seen is not None and (seen.allocated_on or date.min) >= (started_on or date.min):
            continue
        people[yp_id] = YoungPersonRecord(
            id=yp_id,
            external_id=external_id,
            given_name=given,
            preferred_name=preferred,
            family_name=family,
            date_of_birth=dob,
            uasc=uasc,
            disabled=bool(disabled),
            is_parent=is_parent,
            closed_on=closed_on,
            team_id=team_id,
            adviser_id=adviser_id,
            allocated_on=started_on,
            timeline=timeline_of(dob, periods, override),
        )
        if "observation" in joined:
            in_touch, activity, accommodation = (
                next(joined_values),
                next(joined_values),
                next(joined_values),
            )
            if in_touch is not None:
                facts.observations[yp_id] = Observation(in_touch, activity, accommodation)
        if "plan" in joined:
            first, latest, copy = next(joined_values), next(joined_values), next(joined_values)
            if latest is not None:
                facts.plans[yp_id] = PlanFacts(first, latest, copy)
        if "contact" in joined:
            last = next(joined_values)
            if last is not None:
                facts.last_contact[yp_id] = last
        if "responded" in joined:
            mask = next(joined_values)
            if mask:
                facts.responded[yp_id] = int(mask)
    return list(people.values())


async def names(
    conn: AsyncConnection, org_id: uuid.UUID
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """Team names and staff names in the organisation (a few hundred rows at most)."""
    teams = await conn.execute(select(Team.id, Team.name).where(Team.org_id == org_id))
    staff = await conn.execute(
        select(User.id, User.display_name).where(
            User.org_id == org_id, User.role.in_(STAFF_ROLE_NAMES)
        )
    )
    return {t: name for t, name in teams.all()}, {u: name for u, name in staff.all()}  # noqa: C416


def uses_observations(pages: list[Page]) -> bool:
    return any(c.field in OBSERVATION_FIELDS for p in pages for c in p.eligibility.conditions)


def document_kinds(types: list[DocumentType]) -> list[DocumentKind]:
    return [
        DocumentKind(
            t.id,
            t.key,
            t.name,
            document_label(t.name),
            Eligibility(conditions=tuple(parse_condition(c) for c in t.conditions)),
            t.retired_on,
        )
        for t in types
    ]


async def load(
    session: AsyncSession,
    scope: ScopeFilter,
    on: date,
    needs: frozenset[Need],
    *,
    core_pages: list[Page],
    claimable_pages: list[Page],
    document_types: list[DocumentType],
    side_connection: bool | None = None,
    only: frozenset[uuid.UUID] | None = None,
) -> Facts:
    """``only``: these young people (those a write touched, ``standing.py``), if in scope.
    ``side_connection``: fetch the several-rows histories on a second connection while the
    young people's query runs on the request's; None for PostgreSQL's default (yes; SQLite, one
    writer and one file, no)."""
    conn = await connection(session, few=only is not None)
    conditions = scope_conditions(scope, on, only)
    teams, staff = await names(conn, scope.actor.user.org_id)
    facts = Facts(
        as_of=on,
        people=[],
        teams=teams,
        staff=staff,
        core_pages=core_pages,
        claimable_pages=claimable_pages,
        document_types=document_kinds(document_types),
    )
    if side_connection is None:
        # A few young people: one connection is quicker than taking a second from the pool.
        side_connection = conn.dialect.name == "postgresql" and only is None
    if not side_connection:
        await _people(conn, facts, conditions, needs)
        if facts.people:
            await _histories(conn, facts, scope, conditions, needs)
        return facts
    # PostgreSQL works on the histories while this process turns the young people's rows into
    # records, and the other way round (bench/README.md, "A miss made cheaper"). Each query sees
    # the commits made before it started, as on one connection at READ COMMITTED; the figures'
    # data version was read before either began (reports/cache.py).
    async with conn.engine.connect() as side, side.begin():
        await settings_for_reports(side)
        # Both run to their end (each fills its own part of ``facts``) before the side
        # connection goes back to the pool; the first error is raised as itself.
        done = await asyncio.gather(
            _people(conn, facts, conditions, needs),
            _histories(side, facts, scope, conditions, needs),
            return_exceptions=True,
        )
    for result in done:
        if isinstance(result, BaseException):
            raise result
    return facts


async def _histories(
    conn: AsyncConnection,
    facts: Facts,
    scope: ScopeFilter,
    conditions: list[ColumnElement[bool]],
    needs: frozenset[Need],
) -> None:
    """What comes as several rows per young person, each kind into its own part of ``facts``."""
    on = facts.as_of
    ids = select(YoungPerson.id).where(*conditions)
    if Need.documents in needs:
        facts.documents = await history.documents(conn, conditions, on)
    if Need.entitlements in needs:
        facts.entitlements = await history.entitlements(conn, ids, on, facts.claimable_pages)
    if Need.allocation_history in needs:
        facts.adviser_history = await history.adviser_history(conn, ids, on)
    if Need.messages in needs:
        office = await replies.office_day(conn, scope.actor.user.org_id)
        facts.messages = await replies.messages(conn, ids, on, office)
    if Need.concerns in needs:
        facts.concerns = await concerns.concerns(conn, ids, on, facts.year_before)
