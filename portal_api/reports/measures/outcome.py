"""What a rule says about one young person on one date: in the denominator or not (None), met or
not, and why, written only when someone reads it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from portal_api.models import LegalStatus
from portal_api.people import legal_status
from portal_api.reports.measures.facts import Facts, YoungPersonRecord

Reason = Callable[[], str]


@dataclass(slots=True)
class Outcome:
    met: bool
    # Written only when someone reads it: the overview counts 50,000 outcomes and reads none.
    why: Reason
    # How late, in days, where lateness means something (a review, a contact, a document).
    days_overdue: int | None = None
    # documents_by_18 per document type, entitlements_received per entitlement.
    parts: dict[str, Outcome] | None = None

    @property
    def reason(self) -> str:
        return self.why()


def because(text: str) -> Reason:
    return lambda: text


@dataclass(slots=True)
class YoungPersonOnDate:
    """A young person as they stood on the date."""

    person: YoungPersonRecord
    status: LegalStatus | None
    age: int | None  # None before birth (a date far in the past)
    in_scope: bool
    # What the local offer's page rules look at (offer.offer_key), worked out when a local-offer
    # rule first asks.
    offer_key: tuple[object, ...] | None = None


def young_person_on(person: YoungPersonRecord, on: date) -> YoungPersonOnDate:
    timeline = person.timeline
    age = legal_status.age_on(person.date_of_birth, on) if on >= person.date_of_birth else None
    status = timeline.status_on(on)
    open_on = person.closed_on is None or person.closed_on > on
    in_scope = open_on and timeline.sixteenth <= on < timeline.twenty_fifth and status is not None
    return YoungPersonOnDate(person, status, age, in_scope)


def day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def staff_name(facts: Facts, adviser_id: uuid.UUID | None) -> str:
    if adviser_id is None:
        return "no personal adviser"
    return facts.staff.get(adviser_id, "a former member of staff")


Rule = Callable[[Facts, YoungPersonOnDate], Outcome | None]
