"""From rules to figures: numerators and denominators, caseloads, and the sorted list of names."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal_api.people.schemas import StaffRef, TeamRef
from portal_api.reports.measures import concerns, replies
from portal_api.reports.measures.checklist import documents_part
from portal_api.reports.measures.facts import Facts
from portal_api.reports.measures.outcome import Outcome, YoungPersonOnDate, young_person_on
from portal_api.reports.measures.rules import MEASURES, Measure
from portal_api.reports.schemas import (
    CaseloadRow,
    ConcernsRatio,
    DocumentsRatio,
    EntitlementsRatio,
    MeasureName,
    MeasureRow,
    Measures,
    MessagesRatio,
    NotRecorded,
    PartRatio,
    ProviderConcernsRow,
    Ratio,
)

NO_ADVISER = "No personal adviser"


def ratio(numerator: int, denominator: int) -> Ratio:
    return Ratio(
        numerator=numerator,
        denominator=denominator,
        percentage=round(100 * numerator / denominator, 1) if denominator else None,
    )


def everyone(facts: Facts) -> list[YoungPersonOnDate]:
    return [young_person_on(p, facts.as_of) for p in facts.people]


def outcomes(
    facts: Facts, measure: Measure, seen: list[YoungPersonOnDate]
) -> list[tuple[YoungPersonOnDate, Outcome]]:
    found = []
    for s in seen:
        outcome = measure.rule(facts, s)
        if outcome is not None:
            found.append((s, outcome))
    return found


def _count(found: list[tuple[YoungPersonOnDate, Outcome]]) -> Ratio:
    return ratio(sum(o.met for _, o in found), len(found))


def _parts(
    found: list[tuple[YoungPersonOnDate, Outcome]], names: dict[str, str]
) -> dict[str, PartRatio]:
    met: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for _, outcome in found:
        for key, part in (outcome.parts or {}).items():
            total[key] += 1
            met[key] += part.met
    keys = list(names) + sorted(k for k in total if k not in names)
    return {
        key: PartRatio(name=names.get(key, key), **ratio(met[key], total[key]).model_dump())
        for key in keys
    }


def _caseload(facts: Facts, found: list[tuple[YoungPersonOnDate, Outcome]]) -> list[CaseloadRow]:
    counts: Counter[uuid.UUID | None] = Counter(s.person.adviser_id for s, _ in found)
    rows = [
        CaseloadRow(
            adviser_id=adviser,
            adviser_name=facts.staff.get(adviser, "Former member of staff")
            if adviser
            else NO_ADVISER,
            count=count,
        )
        for adviser, count in counts.items()
    ]
    # Most young people first; "no personal adviser" last, so it is seen but not mistaken for a PA.
    rows.sort(key=lambda r: (r.adviser_id is None, -r.count, r.adviser_name.casefold()))
    return rows


def document_names(facts: Facts) -> dict[str, str]:
    return {k.key: k.name for k in facts.document_types if k.retired_on is None}


def entitlement_names(facts: Facts) -> dict[str, str]:
    return {p.slug: p.meta.title for p in facts.claimable_pages}


def _messages(facts: Facts, found: list[tuple[YoungPersonOnDate, Outcome]]) -> MessagesRatio:
    late, total, people, median = replies.figure(found, facts)
    return MessagesRatio(
        **ratio(late, total).model_dump(), young_people=people, median_first_reply_hours=median
    )


def _concerns(facts: Facts, found: list[tuple[YoungPersonOnDate, Outcome]]) -> ConcernsRatio:
    still_open, total, providers = concerns.figure(found, facts)
    on = facts.as_of
    rows = [
        ProviderConcernsRow(
            provider_id=t.provider_id,
            provider_name=t.provider_name,
            open=t.open,
            total=t.total,
            oldest_open_on=t.oldest_open_on,
            oldest_open_days=(on - t.oldest_open_on).days if t.oldest_open_on else None,
        )
        for t in providers
    ]
    oldest = min((t.oldest_open_on for t in providers if t.oldest_open_on), default=None)
    return ConcernsRatio(
        **ratio(still_open, total).model_dump(),
        young_people=sum(o.met for _, o in found),
        oldest_open_days=(on - oldest).days if oldest else None,
        by_provider=rows,
    )


Found = dict[MeasureName, list[tuple[YoungPersonOnDate, Outcome]]]


def measures_on(on: date, recorded_from: date) -> list[Measure]:
    """The measures a date has: before ``recorded_from`` (the day the portal started recording),
    not those read from what only the portal records."""
    before = on < recorded_from
    return [m for m in MEASURES.values() if not (before and m.portal_only)]


def measures(facts: Facts, recorded_from: date) -> Measures:
    """Every figure for ``facts.as_of``; before ``recorded_from`` the measures read from what only
    the portal records are null, with that date."""
    seen = everyone(facts)
    found = {m.name: outcomes(facts, m, seen) for m in measures_on(facts.as_of, recorded_from)}
    return summed(facts, found, recorded_from)


def summed(facts: Facts, found: Found, recorded_from: date) -> Measures:
    """The figures from each measure's outcomes (``measures``, or those kept in standing.py)."""
    before = facts.as_of < recorded_from
    documents = found[MeasureName.documents_by_18]
    if before:
        return Measures(
            **_history_measures(facts, found, documents),
            rights_informed=None,
            entitlements_received=None,
            messages_unanswered=None,
            accommodation_concerns=None,
            not_recorded=[
                NotRecorded(measure=name, available_from=recorded_from)
                for name, m in MEASURES.items()
                if m.portal_only
            ],
        )
    entitlements = found[MeasureName.entitlements_received]
    return Measures(
        **_history_measures(facts, found, documents),
        rights_informed=_count(found[MeasureName.rights_informed]),
        entitlements_received=EntitlementsRatio(
            **_count(entitlements).model_dump(),
            by_entitlement=_parts(entitlements, entitlement_names(facts)),
        ),
        messages_unanswered=_messages(facts, found[MeasureName.messages_unanswered]),
        accommodation_concerns=_concerns(facts, found[MeasureName.accommodation_concerns]),
        not_recorded=[],
    )


def _history_measures(
    facts: Facts,
    found: dict[MeasureName, list[tuple[YoungPersonOnDate, Outcome]]],
    documents: list[tuple[YoungPersonOnDate, Outcome]],
) -> dict[str, Any]:
    """The figures imported history can give for any date."""
    return {
        "pa_allocated": _count(found[MeasureName.pa_allocated]),
        "plan_current": _count(found[MeasureName.plan_current]),
        "first_plan_on_time": _count(found[MeasureName.first_plan_on_time]),
        "plan_copy_received": _count(found[MeasureName.plan_copy_received]),
        "documents_by_18": DocumentsRatio(
            **_count(documents).model_dump(), by_type=_parts(documents, document_names(facts))
        ),
        "in_touch": _count(found[MeasureName.in_touch]),
        "caseload": _caseload(facts, found[MeasureName.caseload]),
        "pa_changes": _count(found[MeasureName.pa_changes]),
    }


# --- the names behind a figure ----------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    seen: YoungPersonOnDate
    outcome: Outcome


def listed(facts: Facts, measure: Measure, part: str | None) -> list[Listed]:
    rows = []
    for s, outcome in outcomes(facts, measure, everyone(facts)):
        if part is not None:
            piece = (outcome.parts or {}).get(part)
            if piece is None:
                continue
            if measure.name is MeasureName.documents_by_18:
                piece = documents_part(piece, s.person.timeline.eighteenth, facts.as_of)
            outcome = piece
        rows.append(Listed(s, outcome))
    return rows


# These count a problem: "met" is the young person who needs attention.
PROBLEM_COUNTS = frozenset(
    {
        MeasureName.pa_changes,
        MeasureName.messages_unanswered,
        MeasureName.accommodation_concerns,
    }
)


def _needs_attention(measure: Measure, outcome: Outcome) -> bool:
    return outcome.met if measure.name in PROBLEM_COUNTS else not outcome.met


def sort_key(facts: Facts, measure: Measure, sort: str) -> Callable[[Listed], Any]:
    field = sort.removeprefix("-")
    last = "\U0010ffff"

    def urgency(row: Listed) -> Any:
        return (
            not _needs_attention(measure, row.outcome),
            -(row.outcome.days_overdue or 0),
            row.seen.person.sort_name,
        )

    def name(row: Listed) -> Any:
        return row.seen.person.sort_name

    def date_of_birth(row: Listed) -> Any:
        return (row.seen.person.date_of_birth, row.seen.person.sort_name)

    def adviser(row: Listed) -> Any:
        who = row.seen.person.adviser_id
        return (facts.staff.get(who, last).casefold() if who else last, row.seen.person.sort_name)

    def team(row: Listed) -> Any:
        which = row.seen.person.team_id
        return (facts.teams.get(which, last).casefold() if which else last, name(row))

    keys: dict[str, Callable[[Listed], Any]] = {
        "urgency": urgency,
        "name": name,
        "date_of_birth": date_of_birth,
        "adviser": adviser,
        "team": team,
    }
    return keys[field]


def row_of(facts: Facts, item: Listed, on: date) -> MeasureRow:
    person = item.seen.person
    team = person.team_id
    adviser = person.adviser_id
    return MeasureRow(
        young_person_id=person.id,
        external_id=person.external_id,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        age=item.seen.age or 0,
        status=item.seen.status,
        team=TeamRef(id=team, name=facts.teams.get(team, "")) if team else None,
        personal_adviser=StaffRef(
            id=adviser, name=facts.staff.get(adviser, "Former member of staff")
        )
        if adviser
        else None,
        met=item.outcome.met,
        reason=item.outcome.reason,
        days_overdue=item.outcome.days_overdue,
    )
