"""What the figures are computed from: each young person as they stood on the date, and the
dated records each measure reads, already reduced by SQL to a row or two per young person
(queries.py fetches them).

The per-person records are plain slotted dataclasses, not frozen ones: a frozen dataclass sets
each field through ``object.__setattr__``, several times slower, and there are 50,000 of each.
Nothing changes them after they are made.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from portal_api.common.actor import Actor
from portal_api.content.eligibility import Eligibility
from portal_api.content.library import Page
from portal_api.models import (
    DocumentState,
    EntitlementStatus,
)
from portal_api.people import legal_status
from portal_api.reports.measures.status import StatusTimeline

_pauses = 0
_paused_by_us = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the figures are fetched and computed.

    Fetching and building 50,000 young people's records allocates enough objects to run the
    collector hundreds of times, and each full pass walks every object in the process: measured
    at 50,000, it tripled the time of the queries' row handling and of the rules. These records
    hold no reference cycles (reference counting frees them as usual). The pause spans awaits, so
    other requests on this worker run with it too, for the second or two it lasts; cyclic garbage
    they make is collected when it ends. Overlapping report requests share one pause (a count),
    and the collector comes back when the last one ends, however they interleave.
    """
    global _pauses, _paused_by_us
    if _pauses == 0 and gc.isenabled():
        gc.disable()
        _paused_by_us = True
    _pauses += 1
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0 and _paused_by_us:
            _paused_by_us = False
            gc.enable()


class Need(StrEnum):
    """What a measure reads beyond the young people themselves."""

    observations = "observations"
    plans = "plans"
    contacts = "contacts"
    documents = "documents"
    responses = "responses"
    entitlements = "entitlements"
    allocation_history = "allocation_history"
    messages = "messages"
    concerns = "concerns"


@dataclass(frozen=True, slots=True)
class ScopeFilter:
    """Whose figures: what the actor may see, narrowed to a team's or a PA's allocations."""

    actor: Actor
    team_id: uuid.UUID | None = None
    adviser_id: uuid.UUID | None = None


@dataclass(slots=True)
class YoungPersonRecord:
    id: uuid.UUID
    external_id: str
    given_name: str
    preferred_name: str | None
    family_name: str
    date_of_birth: date
    uasc: bool
    disabled: bool
    is_parent: bool
    closed_on: date | None
    # The allocation that covered the date: who held the case then, and since when.
    team_id: uuid.UUID | None
    adviser_id: uuid.UUID | None
    allocated_on: date | None
    timeline: StatusTimeline
    # Worked out when first sorted by and remembered: kept figures sort the same records often.
    _sort_name: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def sort_name(self) -> str:
        if self._sort_name is None:
            self._sort_name = (
                f"{self.family_name}\x00{self.preferred_name or self.given_name}".casefold()
            )
        return self._sort_name


@dataclass(slots=True)
class Observation:
    in_touch: str
    activity: str
    accommodation: str


@dataclass(slots=True)
class PlanFacts:
    first_agreed_on: date
    latest_agreed_on: date
    # When the young person first had the latest version (on or before the date), if they have.
    latest_copy_on: date | None


@dataclass(slots=True)
class DocumentFacts:
    reached_on: date | None  # first with_young_person, on or before the date
    state: DocumentState  # the latest state on or before the date


@dataclass(slots=True)
class EntitlementFacts:
    status: EntitlementStatus  # the latest on or before the date
    status_on: date
    received_on: date | None  # the first `received` on or before the date


@dataclass(slots=True)
class MessageFacts:
    """A young person's message that needed an answer, and its first staff reply by the date."""

    id: int
    sent_at: datetime
    answer_due: datetime  # one working day after it was sent
    replied_at: datetime | None
    reply_hours: float | None  # office hours from sending to the first reply


@dataclass(slots=True)
class ConcernFacts:
    """A concern about where they live, as it stood on the date."""

    id: uuid.UUID
    raised_on: date
    open: bool
    category: str
    urgency: str
    scheme_name: str | None
    provider_id: uuid.UUID | None
    provider_name: str | None


@dataclass(slots=True)
class DocumentKind:
    id: uuid.UUID
    key: str
    name: str
    label: str  # the name as a manager's sentence uses it: "health history", "photo ID"
    eligibility: Eligibility
    retired_on: date | None


@dataclass
class Facts:
    as_of: date
    people: list[YoungPersonRecord]
    teams: dict[uuid.UUID, str]
    staff: dict[uuid.UUID, str]
    core_pages: list[Page]
    claimable_pages: list[Page]
    document_types: list[DocumentKind]
    observations: dict[uuid.UUID, Observation] = field(default_factory=dict)
    plans: dict[uuid.UUID, PlanFacts] = field(default_factory=dict)
    last_contact: dict[uuid.UUID, date] = field(default_factory=dict)
    documents: dict[uuid.UUID, dict[uuid.UUID, DocumentFacts]] = field(default_factory=dict)
    # Bit i set: responded to core_pages[i] at its current revision by the date.
    responded: dict[uuid.UUID, int] = field(default_factory=dict)
    entitlements: dict[uuid.UUID, dict[str, EntitlementFacts]] = field(default_factory=dict)
    # (started_on, adviser) of every allocation that started on or before the date, in order.
    adviser_history: dict[uuid.UUID, list[tuple[date, uuid.UUID | None]]] = field(
        default_factory=dict
    )
    # Young people's messages that needed an answer in the 28 days up to the date (replies.py).
    messages: dict[uuid.UUID, list[MessageFacts]] = field(default_factory=dict)
    # Concerns raised in the 12 months up to the date or still open on it (concerns.py).
    concerns: dict[uuid.UUID, list[ConcernFacts]] = field(default_factory=dict)
    # What the rules work out once per date and reuse (pages that apply to a profile).
    memo: dict[Any, Any] = field(default_factory=dict)
    # "No more than 6 months before" and "in the 12 months up to" the date (DOMAIN.md §8).
    six_months_before: date = field(init=False)
    year_before: date = field(init=False)

    def __post_init__(self) -> None:
        self.six_months_before = legal_status.add_months(self.as_of, -6)
        self.year_before = legal_status.add_months(self.as_of, -12)

    def per_person(self) -> list[dict[uuid.UUID, Any]]:
        """Each part of the facts kept per young person (keyed by their id)."""
        return [getattr(self, name) for name in PER_PERSON]

    def organisation_part(self) -> tuple[object, ...]:
        """What every young person's outcome may read beyond their own rows: equal for two loads
        of the same organisation on the same date unless the council's names, pages or document
        types changed in between. Pages by identity: the library makes new ones on reload."""
        return (
            self.teams,
            self.staff,
            tuple(map(id, self.core_pages)),
            tuple(map(id, self.claimable_pages)),
            self.document_types,
        )


# Facts' fields held per young person (tests/reports/test_standing.py checks none is missed).
PER_PERSON = (
    "observations",
    "plans",
    "last_contact",
    "documents",
    "responded",
    "entitlements",
    "adviser_history",
    "messages",
    "concerns",
)
