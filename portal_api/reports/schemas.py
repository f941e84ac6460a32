"""What the oversight figures look like on the wire."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from portal_api.models import LegalStatus
from portal_api.people.schemas import StaffRef, TeamRef


class MeasureName(StrEnum):
    """The measures of DOMAIN.md §8."""

    pa_allocated = "pa_allocated"
    plan_current = "plan_current"
    first_plan_on_time = "first_plan_on_time"
    plan_copy_received = "plan_copy_received"
    documents_by_18 = "documents_by_18"
    rights_informed = "rights_informed"
    in_touch = "in_touch"
    caseload = "caseload"
    entitlements_received = "entitlements_received"
    pa_changes = "pa_changes"
    messages_unanswered = "messages_unanswered"
    accommodation_concerns = "accommodation_concerns"


class Ratio(BaseModel):
    numerator: int
    denominator: int
    percentage: float | None = Field(
        description="numerator / denominator x 100, to one decimal place; null when nobody is "
        "in the denominator"
    )


class PartRatio(Ratio):
    name: str


class DocumentsRatio(Ratio):
    by_type: dict[str, PartRatio] = Field(
        description="Per document type key: the young people it applies to, and who had it by 18"
    )


class EntitlementsRatio(Ratio):
    by_entitlement: dict[str, PartRatio] = Field(
        description="Per claimable local-offer page slug: who it applies to, and who received it"
    )


class MessagesRatio(Ratio):
    """Counts messages, not young people: the drill-down lists the young people who sent them."""

    young_people: int = Field(
        description="Young people with at least one message not answered within a working day"
    )
    median_first_reply_hours: float | None = Field(
        description="Median office hours from a young person's message to the first staff "
        "reply, over the messages in the denominator that had one by as_of; null when none did"
    )


class ProviderConcernsRow(BaseModel):
    provider_id: uuid.UUID | None = Field(
        description="null: concerns about a home with no provider recorded"
    )
    provider_name: str
    open: int = Field(description="Concerns open on as_of")
    total: int = Field(description="Concerns in the denominator")
    oldest_open_on: date | None = Field(description="When the oldest open concern was raised")
    oldest_open_days: int | None = Field(description="Its age in days on as_of")


class ConcernsRatio(Ratio):
    """Counts concerns, not young people: the drill-down lists the young people who raised them."""

    young_people: int = Field(description="Young people with a concern open on as_of")
    oldest_open_days: int | None = Field(
        description="Age in days of the oldest concern open on as_of"
    )
    by_provider: list[ProviderConcernsRow] = Field(
        description="Per provider, most open first; concerns with no provider recorded last"
    )


class CaseloadRow(BaseModel):
    adviser_id: uuid.UUID | None = Field(description="null: in scope with no personal adviser")
    adviser_name: str
    count: int


class NotRecorded(BaseModel):
    """A measure read from what only the portal records, asked for a date before that began:
    the app shows "not recorded before <available_from>" in the reader's language."""

    measure: MeasureName
    code: Literal["not_recorded_before"] = "not_recorded_before"
    available_from: date = Field(
        description="The first date this measure has data for: the day the organisation "
        "started using the portal"
    )


PORTAL_ONLY = "null before the organisation started using the portal (see not_recorded)"


class Measures(BaseModel):
    pa_allocated: Ratio
    plan_current: Ratio
    first_plan_on_time: Ratio
    plan_copy_received: Ratio
    documents_by_18: DocumentsRatio
    rights_informed: Ratio | None = Field(description=f"Local-offer responses: {PORTAL_ONLY}")
    in_touch: Ratio
    caseload: list[CaseloadRow]
    entitlements_received: EntitlementsRatio | None = Field(
        description=f"Entitlement records: {PORTAL_ONLY}"
    )
    pa_changes: Ratio = Field(
        description="Counts a problem: the numerator is young people whose personal adviser "
        "changed more than once in the 12 months up to as_of"
    )
    messages_unanswered: MessagesRatio | None = Field(
        description="Counts a problem: the numerator is young people's messages (in the 28 days "
        "up to as_of, whose working day had ended) with no staff reply within one working day; "
        + PORTAL_ONLY
    )
    accommodation_concerns: ConcernsRatio | None = Field(
        description="Counts a problem: the numerator is concerns about where young people live "
        "still open on as_of; the denominator adds those raised in the 12 months up to it; "
        + PORTAL_ONLY
    )
    not_recorded: list[NotRecorded] = Field(
        description="The measures that are null for this date, each with the date its data starts"
    )


class Scope(BaseModel):
    level: Literal["organisation", "team", "adviser"] = Field(
        description="organisation: everyone the caller may see; team and adviser: those the team "
        "or personal adviser held on as_of"
    )
    team: TeamRef | None
    adviser: StaffRef | None


class Overview(BaseModel):
    as_of: date
    scope: Scope
    measures: Measures


class TrendPoint(BaseModel):
    as_of: date
    measures: Measures


class Trends(BaseModel):
    scope: Scope
    points: list[TrendPoint] = Field(
        description="The overview at each of the last 12 month-ends, oldest first, including "
        "month-ends before the organisation started using the portal (imported history)"
    )


class MeasureRow(BaseModel):
    """One young person behind a figure: in its denominator, whether they meet it, and why."""

    young_person_id: uuid.UUID
    external_id: str
    full_name: str
    date_of_birth: date
    age: int
    status: LegalStatus | None
    team: TeamRef | None = Field(description="Team holding the case on as_of")
    personal_adviser: StaffRef | None = Field(description="Personal adviser on as_of")
    met: bool = Field(
        description="In the numerator. For pa_changes that is a problem (more than one change)"
    )
    reason: str = Field(description="What the record shows, in plain words")
    days_overdue: int | None = Field(
        description="How late, where lateness applies (review, first plan, contact, documents)"
    )


class Sort(StrEnum):
    urgency = "urgency"
    name = "name"
    date_of_birth = "date_of_birth"
    adviser = "adviser"
    team = "team"
