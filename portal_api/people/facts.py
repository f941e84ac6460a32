"""One-query reads for the phone's hot paths: a young person's record, care history, latest
observation and whatever columns the caller adds, scope-checked in a single query
(eligibility_facts), and the care periods as SQL aggregates them."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, Uuid, bindparam, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.db.sql import joined_strings
from portal_api.errors import NotFound
from portal_api.models import CarePeriod, LegalStatus, Role, StatusObservation, YoungPerson
from portal_api.people import legal_status
from portal_api.people.scope import NOT_FOUND, audit_read, scoped_select
from portal_api.people.status import status_of

# --- one-query reads for the phone's hot paths ------------------------------------------------


@dataclass(frozen=True)
class EligibilityFacts:
    """What rules about a young person look at: their record, care history and latest observation."""

    young_person: YoungPerson
    periods: tuple[legal_status.CarePeriod, ...]
    in_touch: str | None
    activity: str | None
    accommodation: str | None

    def status_on(self, on: date) -> LegalStatus | None:
        return status_of(self.young_person, self.periods, on)

    def age_on(self, on: date) -> int:
        return legal_status.age_on(self.young_person.date_of_birth, on)

    def looked_after_on(self, on: date) -> bool:
        return legal_status.is_looked_after_on(self.periods, on)


def care_period_as_text() -> Any:
    """One care period as 'start:end' (end empty while looked after): aggregated with ';' so a
    young person's whole care history comes in the same row; read back by parse_care_periods."""
    return (
        cast(CarePeriod.start_on, String) + ":" + func.coalesce(cast(CarePeriod.end_on, String), "")
    )


def _periods_column() -> Any:
    """Every care period as 'start:end;start:end', so the record and its history are one query."""
    return (
        select(joined_strings(care_period_as_text(), ";"))
        .where(CarePeriod.young_person_id == YoungPerson.id)
        .scalar_subquery()
    )


def _latest_observation(column: Any) -> Any:
    return (
        select(column)
        .where(StatusObservation.young_person_id == YoungPerson.id)
        .order_by(StatusObservation.recorded_on.desc(), StatusObservation.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def parse_care_periods(text: str | None) -> tuple[legal_status.CarePeriod, ...]:
    """Care periods aggregated by SQL (care_period_as_text, joined with ';'), earliest first."""
    periods = []
    for part in (text or "").split(";"):
        if part:
            start, _, end = part.partition(":")
            periods.append(
                legal_status.CarePeriod(
                    date.fromisoformat(start), date.fromisoformat(end) if end else None
                )
            )
    return tuple(sorted(periods, key=lambda p: p.start))


def _fact_columns() -> tuple[Any, ...]:
    return (
        _periods_column().label("facts_care_periods"),
        _latest_observation(StatusObservation.in_touch).label("facts_in_touch"),
        _latest_observation(StatusObservation.activity).label("facts_activity"),
        _latest_observation(StatusObservation.accommodation).label("facts_accommodation"),
    )


def _checked_labels(columns: Mapping[str, Any] | None) -> dict[str, Any]:
    wanted = dict(columns or {})
    if overlap := wanted.keys() & _FACT_LABELS:
        raise ValueError(f"labels {sorted(overlap)} are eligibility_facts' own")
    return wanted


async def eligibility_facts(
    session: AsyncSession,
    actor: Actor,
    young_person_id: uuid.UUID | str,
    columns: Mapping[str, Any] | None = None,
    *,
    audit_action: str | None = None,
    joins: Callable[[Select[Any]], Select[Any]] | None = None,
) -> tuple[EligibilityFacts, dict[str, Any]]:
    """Scope check, record, care history, latest observation and the caller's ``columns``
    (correlated to ``YoungPerson.id``, or from tables that ``joins`` adds) in a single query.
    The caller's values come back under the labels it gave them."""
    wanted = _checked_labels(columns)
    user = actor.user
    own = user.young_person_id is not None and (
        young_person_id == "me" or _as_uuid(young_person_id) == user.young_person_id
    )
    if not wanted and joins is None and user.role is Role.young_person and own:
        # A young person's own record and nothing more: the statement built once below.
        statement = _own_facts_select()
        return await own_eligibility_facts(session, actor, statement, (), audit_action=audit_action)
    query = scoped_select(
        actor,
        young_person_id,
        *_fact_columns(),
        *(column.label(label) for label, column in wanted.items()),
    )
    if joins is not None:
        query = joins(query)
    row = (await session.execute(query)).one_or_none()
    return _read_row(session, actor, row, wanted, audit_action)


# --- the same query built once, for a young person reading their own record --------------------
# Building the composed statement (dozens of correlated subqueries) cost about half the server's
# CPU per summary request (bench/README.md, the py-spy profile). For a young person's own record
# the only things that vary are who they are, so those are bound parameters and the statement is
# built once per process; SQLAlchemy's compiled cache then serves it too. Scope is the same WHERE
# clause ``scope.visible`` gives a young person: their own record in their own organisation.
OWN_YOUNG_PERSON_ID = bindparam("own_young_person_id", type_=Uuid())
OWN_ORG_ID = bindparam("own_org_id", type_=Uuid())
READER_ID = bindparam("reader_id", type_=Uuid())  # the signed-in user, for "unread" and the like


def own_record_select(
    columns: Mapping[str, Any],
    joins: Callable[[Select[Any]], Select[Any]] | None = None,
) -> Select[Any]:
    """eligibility_facts' query for a young person's own record, with their id, organisation and
    user id (``READER_ID``, for the caller's columns) as bound parameters: build it once."""
    wanted = _checked_labels(columns)
    query = select(
        YoungPerson,
        *_fact_columns(),
        *(column.label(label) for label, column in wanted.items()),
    ).where(YoungPerson.id == OWN_YOUNG_PERSON_ID, YoungPerson.org_id == OWN_ORG_ID)
    return joins(query) if joins is not None else query


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(value)
    except ValueError:
        return None


@functools.cache
def _own_facts_select() -> Select[Any]:
    return own_record_select({})


async def own_eligibility_facts(
    session: AsyncSession,
    actor: Actor,
    statement: Select[Any],
    labels: Iterable[str],
    *,
    audit_action: str | None = None,
    params: Mapping[str, Any] | None = None,
) -> tuple[EligibilityFacts, dict[str, Any]]:
    """Run a statement from own_record_select for the signed-in young person; ``params`` are
    the values of the caller's own bound parameters, if its columns have any."""
    user = actor.user
    if user.role is not Role.young_person or user.young_person_id is None:
        raise ValueError("own_eligibility_facts is for a young person's own account")
    values = {
        **(params or {}),
        "own_young_person_id": user.young_person_id,
        "own_org_id": user.org_id,
        "reader_id": user.id,
    }
    row = (await session.execute(statement, values)).one_or_none()
    return _read_row(session, actor, row, dict.fromkeys(labels), audit_action)


def _read_row(
    session: AsyncSession,
    actor: Actor,
    row: Any,
    wanted: Mapping[str, Any],
    audit_action: str | None,
) -> tuple[EligibilityFacts, dict[str, Any]]:
    if row is None:
        raise NotFound(NOT_FOUND)
    values = row._mapping
    person: YoungPerson = row.YoungPerson
    if audit_action:
        audit_read(session, actor, person, audit_action)
    facts = EligibilityFacts(
        person,
        parse_care_periods(values["facts_care_periods"]),
        values["facts_in_touch"],
        values["facts_activity"],
        values["facts_accommodation"],
    )
    return facts, {label: values[label] for label in wanted}


_FACT_LABELS = frozenset(
    {"facts_care_periods", "facts_in_touch", "facts_activity", "facts_accommodation"}
)
