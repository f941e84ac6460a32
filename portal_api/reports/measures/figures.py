"""From rules to figures: numerators and denominators, caseloads, and the sorted list of names."""

from __future__ import annotations

import statistics
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass(slots=True)
class Tally:
    """What one measure's figure sums from its outcomes, kept so that an outcome can be taken away
    as well as added: the council's figures kept between writes (standing.py) take away a touched
    young person's old outcome and add their new one instead of summing everyone again."""

    name: MeasureName
    met: int = 0
    total: int = 0
    # documents_by_18 per document type, entitlements_received per entitlement.
    part_met: Counter[str] = field(default_factory=Counter)
    part_total: Counter[str] = field(default_factory=Counter)
    # caseload: young people per adviser (None: no personal adviser).
    advisers: Counter[uuid.UUID | None] = field(default_factory=Counter)
    # messages_unanswered: messages, those answered late, office hours to each first reply.
    messages: int = 0
    late: int = 0
    waits: Counter[float] = field(default_factory=Counter)
    # accommodation_concerns: who is in it (their concerns are summed per provider when shown).
    people: dict[uuid.UUID, YoungPersonOnDate] = field(default_factory=dict)

    def add(self, facts: Facts, seen: YoungPersonOnDate, outcome: Outcome, sign: int = 1) -> None:
        """``sign`` -1 takes the outcome away again (with the facts it was judged from)."""
        self.total += sign
        if outcome.met:
            self.met += sign
        if outcome.parts:
            for key, part in outcome.parts.items():
                self.part_total[key] += sign
                if part.met:
                    self.part_met[key] += sign
        match self.name:
            case MeasureName.caseload:
                self.advisers[seen.person.adviser_id] += sign
            case MeasureName.messages_unanswered:
                for message in facts.messages[seen.person.id]:
                    self.messages += sign
                    if not replies.answered_in_time(message):
                        self.late += sign
                    if message.reply_hours is not None:
                        self.waits[message.reply_hours] += sign
            case MeasureName.accommodation_concerns:
                if sign > 0:
                    self.people[seen.person.id] = seen
                else:
                    self.people.pop(seen.person.id, None)

    def ratio(self) -> Ratio:
        return ratio(self.met, self.total)

    def parts(self, names: dict[str, str]) -> dict[str, PartRatio]:
        counted = {key for key, n in self.part_total.items() if n}
        keys = list(names) + sorted(k for k in counted if k not in names)
        return {
            key: PartRatio(
                name=names.get(key, key),
                **ratio(self.part_met[key], self.part_total[key]).model_dump(),
            )
            for key in keys
        }


def tallies(
    facts: Facts, found: dict[MeasureName, list[tuple[YoungPersonOnDate, Outcome]]]
) -> dict[MeasureName, Tally]:
    counted = {}
    for name, outcomes in found.items():
        tally = counted[name] = Tally(name)
        for seen, outcome in outcomes:
            tally.add(facts, seen, outcome)
    return counted


def _caseload(facts: Facts, tally: Tally) -> list[CaseloadRow]:
    rows = [
        CaseloadRow(
            adviser_id=adviser,
            adviser_name=facts.staff.get(adviser, "Former member of staff")
            if adviser
            else NO_ADVISER,
            count=count,
        )
        for adviser, count in tally.advisers.items()
        if count
    ]
    # Most young people first; "no personal adviser" last, so it is seen but not mistaken for a PA.
    rows.sort(key=lambda r: (r.adviser_id is None, -r.count, r.adviser_name.casefold()))
    return rows


def document_names(facts: Facts) -> dict[str, str]:
    return {k.key: k.name for k in facts.document_types if k.retired_on is None}


def entitlement_names(facts: Facts) -> dict[str, str]:
    return {p.slug: p.meta.title for p in facts.claimable_pages}


def _messages(tally: Tally) -> MessagesRatio:
    waits = sorted(tally.waits.elements())
    median = round(statistics.median(waits), 1) if waits else None
    return MessagesRatio(
        **ratio(tally.late, tally.messages).model_dump(),
        young_people=tally.met,
        median_first_reply_hours=median,
    )


def _concerns(facts: Facts, tally: Tally) -> ConcernsRatio:
    still_open, total, providers = concerns.figure(list(tally.people.values()), facts)
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
        young_people=tally.met,
        oldest_open_days=(on - oldest).days if oldest else None,
        by_provider=rows,
    )


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
    return summed(facts, tallies(facts, found), recorded_from)


def summed(facts: Facts, counted: dict[MeasureName, Tally], recorded_from: date) -> Measures:
    """The figures from each measure's tally (``measures``, or those kept in standing.py)."""
    if facts.as_of < recorded_from:
        return Measures(
            **_history_measures(facts, counted),
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
    entitlements = counted[MeasureName.entitlements_received]
    return Measures(
        **_history_measures(facts, counted),
        rights_informed=counted[MeasureName.rights_informed].ratio(),
        entitlements_received=EntitlementsRatio(
            **entitlements.ratio().model_dump(),
            by_entitlement=entitlements.parts(entitlement_names(facts)),
        ),
        messages_unanswered=_messages(counted[MeasureName.messages_unanswered]),
        accommodation_concerns=_concerns(facts, counted[MeasureName.accommodation_concerns]),
        not_recorded=[],
    )


def _history_measures(facts: Facts, counted: dict[MeasureName, Tally]) -> dict[str, Any]:
    """The figures imported history can give for any date."""
    documents = counted[MeasureName.documents_by_18]
    return {
        "pa_allocated": counted[MeasureName.pa_allocated].ratio(),
        "plan_current": counted[MeasureName.plan_current].ratio(),
        "first_plan_on_time": counted[MeasureName.first_plan_on_time].ratio(),
        "plan_copy_received": counted[MeasureName.plan_copy_received].ratio(),
        "documents_by_18": DocumentsRatio(
            **documents.ratio().model_dump(), by_type=documents.parts(document_names(facts))
        ),
        "in_touch": counted[MeasureName.in_touch].ratio(),
        "caseload": _caseload(facts, counted[MeasureName.caseload]),
        "pa_changes": counted[MeasureName.pa_changes].ratio(),
    }


# --- the names behind a figure ----------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    seen: YoungPersonOnDate
    outcome: Outcome


def listed(
    facts: Facts,
    measure: Measure,
    part: str | None,
    found: list[tuple[YoungPersonOnDate, Outcome]] | None = None,
) -> list[Listed]:
    """Everyone in the measure's denominator (or the part's); ``found``: the measure's outcomes
    where they are already judged (standing.py)."""
    rows = []
    if found is None:
        found = outcomes(facts, measure, everyone(facts))
    for s, outcome in found:
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
