"""What every figure should be, computed from the council's plain records with plain Python:
DOMAIN.md §8 read straight, using people.legal_status (the statute's reading) and the content
library's eligibility rules, and nothing from portal_api.reports."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays

from portal_api.common.time import LONDON, london_date
from portal_api.content.eligibility import Profile
from portal_api.content.library import Page
from portal_api.models import DocumentState, EntitlementStatus, LegalStatus, MessageKind, Mood
from portal_api.people import legal_status
from portal_api.people.legal_status import add_months, add_years, age_on
from tests.reports.council import SCHEMES, Council, Record, Said

DUTY = {LegalStatus.eligible, LegalStatus.relevant, LegalStatus.former_relevant}


def periods(r: Record) -> list[legal_status.CarePeriod]:
    return [legal_status.CarePeriod(s, e) for s, e in r.periods]


def status(r: Record, on: date) -> LegalStatus | None:
    if r.override is not None:
        return r.override
    return legal_status.computed_status(r.date_of_birth, periods(r), on)


def in_scope(r: Record, on: date) -> bool:
    if r.closed_on is not None and r.closed_on <= on:
        return False
    if on < r.date_of_birth or not 16 <= age_on(r.date_of_birth, on) <= 24:
        return False
    return status(r, on) is not None


def allocation_on(r: Record, on: date) -> tuple[str, str | None] | None:
    for i, (team, adviser, started) in enumerate(r.allocations):
        ends = r.allocations[i + 1][2] if i + 1 < len(r.allocations) else None
        if started <= on and (ends is None or on < ends):
            return team, adviser
    return None


def people_in_view(
    council: Council, who: str, on: date, team: str | None = None, adviser: str | None = None
) -> list[Record]:
    """Whom ``who`` sees now (DESIGN.md roles), narrowed to a team's or PA's cases on ``on``."""
    found = []
    for r in council.records:
        if who == "team_manager" and r.current_team != "north":
            continue
        if who.startswith("pa_"):
            mine = r.current_adviser == who or r.current_team == council.team_of_staff[who]
            if not mine:
                continue
            adviser = who
        held = allocation_on(r, on)
        if team is not None and (held is None or held[0] != team):
            continue
        if adviser is not None and (held is None or held[1] != adviser):
            continue
        found.append(r)
    return found


@dataclass(frozen=True)
class Expected:
    denominator: set[str]  # record keys
    met: set[str]

    @property
    def pair(self) -> tuple[int, int]:
        return len(self.met), len(self.denominator)


def _collect(people: list[Record], decide: dict[str, bool | None]) -> Expected:
    counted = {k for k, v in decide.items() if v is not None}
    return Expected(counted, {k for k, v in decide.items() if v})


def pa_allocated(people: list[Record], on: date) -> Expected:
    decide: dict[str, bool | None] = {}
    for r in people:
        if in_scope(r, on) and status(r, on) in DUTY:
            held = allocation_on(r, on)
            decide[r.key] = held is not None and held[1] is not None
    return _collect(people, decide)


def first_due(r: Record) -> date:
    due = legal_status.first_plan_due_on(r.date_of_birth, periods(r))
    return due or add_months(add_years(r.date_of_birth, 16), 3)


def latest_plan(r: Record, on: date) -> tuple[date, date | None] | None:
    agreed = [p for p in r.plans if p[0] <= on]
    return max(agreed, key=lambda p: p[0]) if agreed else None


def plan_current(people: list[Record], on: date) -> Expected:
    decide: dict[str, bool | None] = {}
    for r in people:
        if in_scope(r, on) and status(r, on) in DUTY and first_due(r) <= on:
            plan = latest_plan(r, on)
            decide[r.key] = plan is not None and plan[0] >= add_months(on, -6)
    return _collect(people, decide)


def first_plan_on_time(people: list[Record], on: date) -> Expected:
    decide: dict[str, bool | None] = {}
    for r in people:
        due = first_due(r)
        if in_scope(r, on) and status(r, on) in DUTY and add_months(on, -12) < due <= on:
            decide[r.key] = any(p[0] <= due for p in r.plans)
    return _collect(people, decide)


def plan_copy_received(people: list[Record], on: date) -> Expected:
    decide: dict[str, bool | None] = {}
    for r in people:
        plan = latest_plan(r, on)
        if in_scope(r, on) and status(r, on) in DUTY and plan and plan[0] >= add_months(on, -6):
            decide[r.key] = plan[1] is not None and plan[1] <= on
    return _collect(people, decide)


def document_parts(council: Council, r: Record, on: date) -> dict[str, bool] | None:
    eighteenth = add_years(r.date_of_birth, 18)
    if not add_months(on, -12) < eighteenth <= on:
        return None
    if r.closed_on is not None and r.closed_on < eighteenth:
        return None
    parts: dict[str, bool] = {}
    for key, (_, conditions) in council.document_types.items():
        if "uasc" in conditions and not r.uasc:
            continue
        steps = [s for s in r.documents.get(key, []) if s[0] <= on]
        if steps and steps[-1][1] is DocumentState.not_applicable:
            continue
        parts[key] = any(
            state is DocumentState.with_young_person and when <= eighteenth for when, state in steps
        )
    return parts


def documents_by_18(
    council: Council, people: list[Record], on: date
) -> tuple[Expected, dict[str, tuple[int, int]]]:
    decide: dict[str, bool | None] = {}
    per_type: Counter[str] = Counter()
    per_type_met: Counter[str] = Counter()
    for r in people:
        parts = document_parts(council, r, on)
        if parts is None:
            continue
        decide[r.key] = all(parts.values())
        for key, met in parts.items():
            per_type[key] += 1
            per_type_met[key] += met
    return _collect(people, decide), {k: (per_type_met[k], per_type[k]) for k in per_type}


def profile(r: Record, on: date) -> Profile:
    seen = sorted((o for o in r.observations if o[0] <= on), key=lambda o: (o[0], o[1]))
    latest = seen[-1] if seen else None
    return Profile(
        status=status(r, on),
        age=age_on(r.date_of_birth, on),
        activity=latest[3] if latest else None,
        accommodation_letter=latest[4][0] if latest and latest[4] != "0" else None,
        in_touch=latest[2] if latest else None,
        uasc=r.uasc,
        disabled=bool(r.disabled),
        is_parent=r.is_parent,
        looked_after=legal_status.is_looked_after_on(periods(r), on),
    )


def rights_informed(people: list[Record], on: date, core: list[Page]) -> Expected:
    decide: dict[str, bool | None] = {}
    for r in people:
        if not in_scope(r, on):
            continue
        who = profile(r, on)
        answered = {(slug, revision) for slug, revision, at in r.responses if london_date(at) <= on}
        decide[r.key] = all(
            (page.slug, page.meta.revision) in answered
            for page in core
            if page.eligibility.applies(who)
        )
    return _collect(people, decide)


def in_touch(people: list[Record], on: date) -> Expected:
    decide: dict[str, bool | None] = {}
    for r in people:
        if in_scope(r, on):
            decide[r.key] = any(on - timedelta(days=56) < c <= on for c in r.contacts)
    return _collect(people, decide)


def caseload(people: list[Record], on: date) -> Counter[str | None]:
    counts: Counter[str | None] = Counter()
    for r in people:
        if in_scope(r, on):
            held = allocation_on(r, on)
            counts[held[1] if held else None] += 1
    return counts


def entitlement_parts(r: Record, on: date, claimable: list[Page]) -> dict[str, bool]:
    who = profile(r, on)
    parts: dict[str, bool] = {}
    for page in claimable:
        if not page.eligibility.applies(who):
            continue
        steps = sorted(
            (e for e in r.entitlements if e[0] == page.slug and e[2] <= on),
            key=lambda e: (e[2], e[3]),
        )
        if steps and steps[-1][1] is EntitlementStatus.not_eligible:
            continue
        parts[page.slug] = any(e[1] is EntitlementStatus.received for e in steps) or bool(
            steps and steps[-1][1] is EntitlementStatus.declined
        )
    return parts


def entitlements_received(
    people: list[Record], on: date, claimable: list[Page]
) -> tuple[Expected, dict[str, tuple[int, int]]]:
    decide: dict[str, bool | None] = {}
    per: Counter[str] = Counter()
    per_met: Counter[str] = Counter()
    for r in people:
        if not in_scope(r, on):
            continue
        parts = entitlement_parts(r, on, claimable)
        if not parts:
            continue
        decide[r.key] = all(parts.values())
        for slug, met in parts.items():
            per[slug] += 1
            per_met[slug] += met
    return _collect(people, decide), {k: (per_met[k], per[k]) for k in per}


def pa_change_count(r: Record, on: date) -> int:
    window_start = add_months(on, -12)
    last: str | None = None
    changes = 0
    for _, adviser, started in r.allocations:
        if started > on or adviser is None:
            continue
        if last is not None and adviser != last and started > window_start:
            changes += 1
        last = adviser
    return changes


def pa_changes(people: list[Record], on: date) -> Expected:
    decide: dict[str, bool | None] = {}
    for r in people:
        if in_scope(r, on):
            decide[r.key] = pa_change_count(r, on) > 1
    return _collect(people, decide)


# --- messages and concerns: counted per message and per concern ------------------------------

OFFICE_OPENS, OFFICE_CLOSES = time(9), time(17)


def _office_minutes_on(day: date) -> tuple[datetime, datetime] | None:
    """The office day in London, or None at weekends and on England and Wales bank holidays."""
    if day.weekday() >= 5 or day in holidays.country_holidays("GB", subdiv="ENG", years=day.year):
        return None
    return (
        datetime.combine(day, OFFICE_OPENS, tzinfo=LONDON),
        datetime.combine(day, OFFICE_CLOSES, tzinfo=LONDON),
    )


def office_hours(start: datetime, end: datetime) -> float:
    seconds = 0.0
    day = start.astimezone(LONDON).date()
    while day <= end.astimezone(LONDON).date():
        office = _office_minutes_on(day)
        if office is not None:
            seconds += max(0.0, (min(end, office[1]) - max(start, office[0])).total_seconds())
        day += timedelta(days=1)
    return seconds / 3600


def working_day_after(sent: datetime) -> datetime:
    """Eight office hours after ``sent``, found day by day."""
    left = timedelta(hours=8)
    day = sent.astimezone(LONDON).date()
    while True:
        office = _office_minutes_on(day)
        if office is not None:
            begin = max(sent, office[0])
            if begin < office[1]:
                if begin + left <= office[1]:
                    return begin + left
                left -= office[1] - begin
        day += timedelta(days=1)


def _needs_answer(said: Said) -> bool:
    return said.sender == "young_person" and (
        said.kind is MessageKind.text
        or (said.kind is MessageKind.check_in and said.mood in (Mood.some_help, Mood.need_help_now))
    )


@dataclass(frozen=True)
class Waiting:
    late: bool
    reply_hours: float | None


def messages_of(r: Record, on: date) -> list[Waiting]:
    """The young person's messages that count on ``on``: sent in the 28 days up to it, their
    working day over by midnight at its end; late unless a visible staff answer came in time."""
    day_ends = datetime.combine(on + timedelta(days=1), time(0), tzinfo=LONDON)
    counted = []
    for i, said in enumerate(r.messages):
        sent_on = said.at.astimezone(LONDON).date()
        if not _needs_answer(said) or not on - timedelta(days=28) < sent_on <= on:
            continue
        due = working_day_after(said.at)
        if due > day_ends:
            continue
        answers = [
            m.at
            for m in r.messages[i + 1 :]
            if m.sender == "staff"
            and m.at < day_ends
            and (m.hidden_at is None or m.hidden_at >= day_ends)
        ]
        first = min(answers, default=None)
        counted.append(
            Waiting(
                late=first is None or first > due,
                reply_hours=office_hours(said.at, first) if first else None,
            )
        )
    return counted


def messages_unanswered(
    people: list[Record], on: date
) -> tuple[Expected, tuple[int, int], float | None]:
    """(young people: denominator and those with a late message; messages: late and all; median)."""
    decide: dict[str, bool | None] = {}
    late = total = 0
    waits: list[float] = []
    for r in people:
        if not in_scope(r, on):
            continue
        counted = messages_of(r, on)
        if not counted:
            continue
        decide[r.key] = any(w.late for w in counted)
        late += sum(w.late for w in counted)
        total += len(counted)
        waits += [w.reply_hours for w in counted if w.reply_hours is not None]
    median = statistics.median(waits) if waits else None
    return _collect(people, decide), (late, total), median


def accommodation_concerns(
    people: list[Record], on: date
) -> tuple[Expected, tuple[int, int], dict[str | None, tuple[int, int, date | None]]]:
    """(young people with a concern counted and those with one open; concerns open and counted;
    per provider name: open, counted, oldest open raised on)."""
    day_ends = datetime.combine(on + timedelta(days=1), time(0), tzinfo=LONDON)
    window_starts = datetime.combine(
        add_months(on, -12) + timedelta(days=1), time(0), tzinfo=LONDON
    )
    decide: dict[str, bool | None] = {}
    per: dict[str | None, list[Any]] = {}
    for r in people:
        if not in_scope(r, on):
            continue
        counted = []
        for raised, closed, scheme in r.concerns:
            still_open = raised < day_ends and (closed is None or closed >= day_ends)
            if raised < day_ends and (raised >= window_starts or still_open):
                counted.append((raised, still_open, scheme))
        if not counted:
            continue
        decide[r.key] = any(o for _, o, _ in counted)
        for raised, still_open, scheme in counted:
            provider = SCHEMES[scheme][0] if scheme else None
            entry = per.setdefault(provider, [0, 0, None])
            entry[1] += 1
            if still_open:
                entry[0] += 1
                raised_on = raised.astimezone(LONDON).date()
                entry[2] = raised_on if entry[2] is None else min(entry[2], raised_on)
    totals = (sum(e[0] for e in per.values()), sum(e[1] for e in per.values()))
    return _collect(people, decide), totals, {k: (e[0], e[1], e[2]) for k, e in per.items()}
