"""Where I live: payloads for the register, a young person's accommodation, concerns,
satisfaction checks and the managers' overview."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator
from typing_extensions import TypedDict

from portal_api.common.schemas import SHOWN_TO_YOUNG_PERSON, InputSchema, ReadSchema
from portal_api.common.time import today
from portal_api.messaging.schemas import ReachNow
from portal_api.models import ConcernCategory, ConcernStatus, ConcernUrgency, Consideration
from portal_api.people.codes import ACCOMMODATION, ACCOMMODATION_TYPE, NEVER_SUITABLE

Name = Annotated[str, Field(min_length=1, max_length=200)]
Address = Annotated[str, Field(min_length=1, max_length=1000)]
Note = Annotated[str, Field(min_length=1, max_length=2000)]
# A scheme is somewhere a provider runs: not a parent's home, abroad, custody, homelessness or
# "not known" (DOMAIN.md §5 letters B, G, H, R, S, X).
SchemeType = Literal["C", "D", "E", "K", "T", "U", "V", "W", "Y", "Z"]


def _not_in_future(value: date) -> date:
    if value > today():
        raise ValueError("cannot be in the future")
    return value


# --- the register ------------------------------------------------------------------------------


class ProviderCreate(InputSchema):
    name: Name
    commissioned: bool = True


class ProviderUpdate(InputSchema):
    name: Name | None = None
    commissioned: bool | None = None


class SchemeCreate(InputSchema):
    name: Name
    address: Address
    accommodation_type: SchemeType = Field(description="SSDA903 accommodation type letter")
    commissioned: bool = True


class SchemeUpdate(InputSchema):
    name: Name | None = None
    address: Address | None = None
    accommodation_type: SchemeType | None = None
    commissioned: bool | None = None


class QualityVisitCreate(InputSchema):
    visited_on: date
    visitor_name: Name
    visitor_role: Name
    is_senior: bool = Field(
        default=False, description="A senior leader made the visit (director, head of service)"
    )
    findings: Note
    actions: Note | None = None

    @field_validator("visited_on")
    @classmethod
    def _visited_on(cls, value: date) -> date:
        return _not_in_future(value)


class QualityVisitRead(ReadSchema):
    id: uuid.UUID
    scheme_id: uuid.UUID
    visited_on: date
    visitor_name: str
    visitor_role: str
    is_senior: bool
    findings: str
    actions: str | None
    recorded_by: str | None


class SchemeRead(ReadSchema):
    id: uuid.UUID
    provider_id: uuid.UUID
    name: str
    address: str
    accommodation_type: str
    accommodation_type_name: str
    commissioned: bool
    # Counts of young people the reader may see; null for administrators (no case records).
    living_here_now: int | None
    open_concerns: int | None
    last_senior_visit_on: date | None
    visits: list[QualityVisitRead] = Field(description="The five latest visits, newest first")


class ProviderRead(ReadSchema):
    id: uuid.UUID
    name: str
    commissioned: bool
    open_concerns: int | None
    schemes: list[SchemeRead]


# --- a young person's accommodation ------------------------------------------------------------


class ResidenceSet(InputSchema):
    """Where the young person lives from ``since``: a scheme in the register or an address."""

    code: Annotated[str, Field(min_length=2, max_length=2)] = Field(
        description="SSDA903 ACCOM: type letter and 1 (suitable) or 2 (unsuitable), e.g. D1"
    )
    since: date
    scheme_id: uuid.UUID | None = None
    address: Address | None = None
    reasons: dict[Consideration, Note] = Field(
        default_factory=dict,
        description="Why it is or is not suitable, per consideration (DOMAIN.md §2). "
        + SHOWN_TO_YOUNG_PERSON,
    )

    @field_validator("since")
    @classmethod
    def _since(cls, value: date) -> date:
        return _not_in_future(value)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.upper()
        if value in NEVER_SUITABLE:
            raise ValueError(f"{value} is invalid: homeless and custody are never suitable")
        if value not in ACCOMMODATION or value == "0":
            raise ValueError(
                f"unknown code {value!r}; a letter ({''.join(ACCOMMODATION_TYPE)}) "
                "and 1 (suitable) or 2 (unsuitable)"
            )
        return value

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.scheme_id is not None and self.address is not None:
            raise ValueError("address: a scheme has its own address; give one or the other")
        if self.code.endswith("2") and not self.reasons:
            raise ValueError("reasons: say why this accommodation is unsuitable")
        return self


class ResidenceRead(ReadSchema):
    id: uuid.UUID
    code: str
    accommodation_type_name: str
    suitable: bool
    since: date
    until: date | None
    scheme_id: uuid.UUID | None
    scheme_name: str | None
    provider_name: str | None
    address: str | None
    reasons: dict[Consideration, str]
    recorded_by: str | None


class SatisfactionCreate(InputSchema):
    rating: int = Field(ge=1, le=5, description="1 (very unhappy) to 5 (very happy)")
    comment: Note | None = None


class SatisfactionRead(ReadSchema):
    id: uuid.UUID
    rating: int
    comment: str | None
    scheme_id: uuid.UUID | None
    scheme_name: str | None
    created_at: datetime


class AccommodationRead(ReadSchema):
    young_person_id: uuid.UUID
    current: ResidenceRead | None
    history: list[ResidenceRead] = Field(description="Earlier places, latest first")
    satisfaction_due: bool = Field(description="No satisfaction answer in the last 3 months")
    last_satisfaction: SatisfactionRead | None


# --- concerns ----------------------------------------------------------------------------------


class ConcernCreate(InputSchema):
    category: ConcernCategory
    urgency: ConcernUrgency = ConcernUrgency.routine
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    anonymous_to_provider: bool = Field(
        default=True,
        description="Leave your name out of what the provider sees (your PA always sees it)",
    )


class ConcernActionCreate(InputSchema):
    note: Note = Field(description=f"What was done about the concern. {SHOWN_TO_YOUNG_PERSON}")


class ConcernClose(InputSchema):
    outcome: Note = Field(
        description=f"What happened, in words the young person will read. {SHOWN_TO_YOUNG_PERSON}"
    )


class ConcernActionRead(ReadSchema):
    note: str
    by: str | None
    at: datetime


class ConcernRead(ReadSchema):
    id: uuid.UUID
    young_person_id: uuid.UUID
    young_person_name: str
    scheme_id: uuid.UUID | None
    scheme_name: str | None
    provider_name: str | None
    category: ConcernCategory
    urgency: ConcernUrgency
    text: str
    anonymous_to_provider: bool
    status: ConcernStatus
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    actions: list[ConcernActionRead]
    outcome: str | None
    closed_at: datetime | None
    closed_by: str | None


class ConcernRaised(ConcernRead):
    what_happens_next: str
    # An urgent safety concern: who to call now, and the out-of-hours number.
    emergency_phone: str | None
    reach_now: ReachNow | None


class ProviderConcernRead(ReadSchema):
    """What is shared with the provider: no name when the young person asked for that."""

    id: uuid.UUID
    scheme_id: uuid.UUID | None
    scheme_name: str | None
    category: ConcernCategory
    urgency: ConcernUrgency
    text: str
    status: ConcernStatus
    raised_on: date
    outcome: str | None
    closed_on: date | None
    young_person_name: str | None


# --- the managers' overview --------------------------------------------------------------------


class PersonRef(ReadSchema):
    young_person_id: uuid.UUID
    full_name: str


# The names behind a figure, thousands in one overview: typed dicts, not models, so building
# and serialising them stays cheap.
class YoungPersonName(TypedDict):
    young_person_id: uuid.UUID
    full_name: str


class ConcernPerson(YoungPersonName):
    open: int
    total: int


class ConcernOutcome(PersonRef):
    concern_id: uuid.UUID
    category: ConcernCategory
    closed_on: date
    outcome: str


class ConcernFigures(ReadSchema):
    open: int
    oldest_open_days: int | None = Field(description="Days since the oldest open one was raised")
    total: int = Field(description="Open, or raised in the 12 months up to today")
    categories: dict[ConcernCategory, int]
    young_people: list[ConcernPerson]


class SchemeConcerns(ConcernFigures):
    scheme_id: uuid.UUID | None  # none: raised while not living in a scheme
    scheme_name: str | None
    outcomes: list[ConcernOutcome] = Field(
        description="The five latest closed in the 12 months up to today"
    )


class ProviderConcerns(ConcernFigures):
    provider_id: uuid.UUID | None
    provider_name: str | None
    schemes: list[SchemeConcerns]


class SchemeSatisfaction(ReadSchema):
    scheme_id: uuid.UUID
    scheme_name: str
    provider_id: uuid.UUID
    provider_name: str
    average: float = Field(description="Mean rating (1 to 5), to one decimal place")
    count: int
    young_people: list[YoungPersonName]


class SchemeWithoutSeniorVisit(ReadSchema):
    scheme_id: uuid.UUID
    scheme_name: str
    provider_id: uuid.UUID
    provider_name: str
    last_senior_visit_on: date | None
    living_here_now: int
    young_people: list[YoungPersonName]


class UnsuitableAccommodation(PersonRef):
    code: str
    accommodation_type_name: str
    since: date
    days: int
    scheme_name: str | None
    provider_name: str | None


class ProvidersOverview(ReadSchema):
    as_of: date
    concerns: list[ProviderConcerns]
    satisfaction: list[SchemeSatisfaction] = Field(
        description="Answers in the 12 months up to today, by scheme"
    )
    schemes_without_senior_visit: list[SchemeWithoutSeniorVisit] = Field(
        description="Schemes where young people live now with no senior visit in the last 12 "
        "months (a visit exactly 12 calendar months ago still counts)"
    )
    unsuitable_accommodation: list[UnsuitableAccommodation]
