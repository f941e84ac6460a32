"""Each measure of DOMAIN.md §8 as a rule over one young person on one date: in the denominator
or not, met or not, and why, in the words a manager would use (personal advisers, plans and
contact here; documents in checklist.py, the local offer in offer.py), and the registry of them
all. docs/measures.md explains each reading; the tests check every rule against a separate
computation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from portal_api.people import legal_status
from portal_api.reports.measures.checklist import documents_by_18
from portal_api.reports.measures.concerns import accommodation_concerns
from portal_api.reports.measures.facts import Facts, Need
from portal_api.reports.measures.offer import entitlements_received, rights_informed
from portal_api.reports.measures.outcome import (
    Outcome,
    Rule,
    YoungPersonOnDate,
    because,
    day,
    days,
    staff_name,
)
from portal_api.reports.measures.replies import messages_unanswered
from portal_api.reports.measures.status import PLAN_DUTY
from portal_api.reports.schemas import MeasureName

IN_TOUCH_DAYS = 56
PLAN_REVIEW_MONTHS = 6


# --- personal advisers ------------------------------------------------------------------------


def pa_allocated(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    if not seen.in_scope or seen.status not in PLAN_DUTY:
        return None
    person = seen.person
    if person.adviser_id is None:
        return Outcome(False, lambda: f"no personal adviser allocated on {day(facts.as_of)}")

    def why() -> str:
        since = f" since {day(person.allocated_on)}" if person.allocated_on else ""
        return f"{staff_name(facts, person.adviser_id)}{since}"

    return Outcome(True, why)


def caseload(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    if not seen.in_scope:
        return None
    if seen.person.adviser_id is None:
        return Outcome(False, lambda: f"no personal adviser allocated on {day(facts.as_of)}")
    return Outcome(True, lambda: staff_name(facts, seen.person.adviser_id))


def adviser_changes(
    history: list[tuple[date, uuid.UUID | None]], after: date, on: date
) -> list[tuple[date, uuid.UUID]]:
    """Each time the young person got a different PA in ``(after, on]``: a new allocation whose
    PA differs from the last PA they had. A first PA is not a change; neither is a team move with
    the same PA, nor a gap without a PA followed by the same PA again."""
    changes: list[tuple[date, uuid.UUID]] = []
    previous: uuid.UUID | None = None
    for started_on, adviser in history:
        if started_on > on or adviser is None:
            continue
        if previous is not None and adviser != previous and started_on > after:
            changes.append((started_on, adviser))
        previous = adviser
    return changes


def pa_changes(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Counts a problem: "met" means the young person's PA changed more than once."""
    if not seen.in_scope:
        return None
    after = facts.year_before
    history = facts.adviser_history.get(seen.person.id, [])
    changes = adviser_changes(history, after, facts.as_of)
    if not changes:
        return Outcome(False, because("no change of personal adviser in the last 12 months"))

    def why() -> str:
        steps = ", ".join(f"{staff_name(facts, a)} from {day(d)}" for d, a in changes)
        times = "once" if len(changes) == 1 else f"{len(changes)} times"
        return f"personal adviser changed {times} in 12 months: {steps}"

    return Outcome(len(changes) > 1, why)


# --- pathway plans ----------------------------------------------------------------------------


def _plan_duty(seen: YoungPersonOnDate) -> bool:
    return seen.in_scope and seen.status in PLAN_DUTY


def plan_current(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    if not _plan_duty(seen):
        return None
    on = facts.as_of
    first_due = seen.person.timeline.first_plan_due_on
    if first_due > on:
        return None
    plan = facts.plans.get(seen.person.id)
    if plan is None:
        late = (on - first_due).days
        return Outcome(
            False,
            lambda: f"no plan agreed; the first plan was due on {day(first_due)}, {days(late)} ago",
            days_overdue=late,
        )
    agreed = plan.latest_agreed_on
    if agreed >= facts.six_months_before:
        return Outcome(
            True,
            lambda: (
                f"plan agreed on {day(agreed)}; review due by "
                f"{day(legal_status.add_months(agreed, PLAN_REVIEW_MONTHS))}"
            ),
        )
    review_due = legal_status.add_months(agreed, PLAN_REVIEW_MONTHS)
    # Month ends can make "6 months before the date" and "6 months after agreement" differ by a
    # day (31 March - 6 months is 30 September); the plan is then overdue by at least a day.
    late = max((on - review_due).days, 1)
    return Outcome(
        False,
        lambda: f"plan review overdue by {days(late)} (last agreed on {day(agreed)})",
        days_overdue=late,
    )


def first_plan_on_time(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    if not _plan_duty(seen):
        return None
    on = facts.as_of
    due = seen.person.timeline.first_plan_due_on
    if not facts.year_before < due <= on:
        return None
    plan = facts.plans.get(seen.person.id)
    if plan is None:
        overdue = (on - due).days

        def why() -> str:
            if not overdue:
                return f"first plan is due today ({day(due)}) and is not agreed yet"
            return (
                f"first plan was due on {day(due)} and is not agreed yet ({days(overdue)} overdue)"
            )

        return Outcome(False, why, days_overdue=overdue)
    agreed = plan.first_agreed_on
    if agreed <= due:
        return Outcome(True, lambda: f"first plan agreed on {day(agreed)}, due {day(due)}")
    late = (agreed - due).days
    return Outcome(
        False,
        lambda: f"first plan agreed on {day(agreed)}, {days(late)} after it was due ({day(due)})",
        days_overdue=late,
    )


def plan_copy_received(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Among those with a current plan (whether or not the first plan was due yet)."""
    if not _plan_duty(seen):
        return None
    on = facts.as_of
    plan = facts.plans.get(seen.person.id)
    if plan is None or plan.latest_agreed_on < facts.six_months_before:
        return None
    agreed, copy = plan.latest_agreed_on, plan.latest_copy_on
    if copy is not None:
        return Outcome(True, lambda: f"has the plan agreed on {day(agreed)} (since {day(copy)})")
    waited = (on - agreed).days
    return Outcome(
        False,
        lambda: (
            f"no copy of the plan agreed on {day(agreed)} recorded as received "
            f"({days(waited)} since it was agreed)"
        ),
        days_overdue=waited,
    )


# --- contact ----------------------------------------------------------------------------------


def in_touch(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    if not seen.in_scope:
        return None
    on = facts.as_of
    last = facts.last_contact.get(seen.person.id)
    if last is None:
        return Outcome(False, because("no contact recorded"))
    since = (on - last).days
    if since < IN_TOUCH_DAYS:
        return Outcome(True, lambda: f"last contact {day(last)}, {days(since)} ago")
    return Outcome(
        False,
        lambda: (
            f"no contact in the last {IN_TOUCH_DAYS} days; last contact {day(last)}, "
            f"{days(since)} ago"
        ),
        days_overdue=since - IN_TOUCH_DAYS + 1,
    )


# --- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    name: MeasureName
    rule: Rule
    needs: frozenset[Need]
    # documents_by_18 and entitlements_received are also given per part (type, entitlement).
    parts: str | None = None
    # Read from what only the portal records (no import brings it): not known before the
    # organisation started using the portal, so null then rather than a misleading 0 %.
    portal_only: bool = False


MEASURES: dict[MeasureName, Measure] = {
    m.name: m
    for m in (
        Measure(MeasureName.pa_allocated, pa_allocated, frozenset()),
        Measure(MeasureName.plan_current, plan_current, frozenset({Need.plans})),
        Measure(MeasureName.first_plan_on_time, first_plan_on_time, frozenset({Need.plans})),
        Measure(MeasureName.plan_copy_received, plan_copy_received, frozenset({Need.plans})),
        Measure(
            MeasureName.documents_by_18,
            documents_by_18,
            frozenset({Need.documents}),
            parts="document_type",
        ),
        Measure(
            MeasureName.rights_informed,
            rights_informed,
            frozenset({Need.responses, Need.observations}),
            portal_only=True,
        ),
        Measure(MeasureName.in_touch, in_touch, frozenset({Need.contacts})),
        Measure(MeasureName.caseload, caseload, frozenset()),
        Measure(
            MeasureName.entitlements_received,
            entitlements_received,
            frozenset({Need.entitlements, Need.observations}),
            parts="entitlement",
            portal_only=True,
        ),
        Measure(MeasureName.pa_changes, pa_changes, frozenset({Need.allocation_history})),
        Measure(
            MeasureName.messages_unanswered,
            messages_unanswered,
            frozenset({Need.messages}),
            portal_only=True,
        ),
        Measure(
            MeasureName.accommodation_concerns,
            accommodation_concerns,
            frozenset({Need.concerns}),
            portal_only=True,
        ),
    )
}

# What a date before the portal can still be asked for: the measures read from imported history.
PORTAL_ONLY_NEEDS = frozenset({Need.responses, Need.entitlements, Need.messages, Need.concerns})
