"""Pathway plan payloads. Section codes and suitability considerations are DOMAIN.md §2's."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from portal_api.common.schemas import InputSchema, ReadSchema
from portal_api.common.time import today
from portal_api.models import (
    ActionOwner,
    ActionStatus,
    LegalStatus,
    PlanResponseKind,
    PlanSource,
    PlanState,
    ReceiptHow,
)

# The ten matters of Care Leavers (England) Regulations 2010, Schedule 1, in the order a plan reads.
SECTIONS: dict[str, str] = {
    "contact_and_support": "Who supports you and how often",
    "education_and_training": "Education and training",
    "employment": "Work",
    "accommodation": "Where you live",
    "finance": "Money",
    "health": "Health and wellbeing",
    "relationships": "Family and friends",
    "practical_skills": "Skills for living on your own",
    "identity": "Who you are: culture, religion, language, immigration",
    "contingency": "If the plan stops working",
}
SectionCode = Literal[
    "contact_and_support",
    "education_and_training",
    "employment",
    "accommodation",
    "finance",
    "health",
    "relationships",
    "practical_skills",
    "identity",
    "contingency",
]
# Schedule 2: what makes accommodation suitable.
SUITABILITY: dict[str, str] = {
    "facilities": "Facilities",
    "state_of_repair": "State of repair",
    "safety": "Safety",
    "location": "Location",
    "support": "Support",
    "tenancy_status": "Tenancy status",
    "affordability": "Affordability",
    "young_person_views": "Your views",
}
Consideration = Literal[
    "facilities",
    "state_of_repair",
    "safety",
    "location",
    "support",
    "tenancy_status",
    "affordability",
    "young_person_views",
]
Text = Annotated[str, Field(max_length=20_000)]


class SuitabilityIn(InputSchema):
    suitable: bool | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class SectionIn(InputSchema):
    code: SectionCode
    needs: Text = ""
    young_person_views: Text = ""
    goals: Text = ""
    suitability: dict[Consideration, SuitabilityIn] | None = None

    @model_validator(mode="after")
    def _suitability_is_for_accommodation(self) -> Self:
        if self.suitability is not None and self.code != "accommodation":
            raise ValueError("suitability: only the accommodation section records suitability")
        return self


class ActionIn(InputSchema):
    section_code: SectionCode
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    need: Annotated[str, Field(max_length=2000)] | None = None
    owner: ActionOwner | None = None
    owner_name: Annotated[str, Field(max_length=200)] | None = None
    due_on: date | None = None
    status: ActionStatus = ActionStatus.not_started
    dropped_reason: Annotated[str, Field(max_length=2000)] | None = None
    completed_on: date | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.status is ActionStatus.dropped and not self.dropped_reason:
            raise ValueError("dropped_reason: say why the action was dropped")
        if self.completed_on is not None and self.completed_on > today():
            raise ValueError("completed_on: cannot be in the future")
        return self


class DraftCreate(InputSchema):
    # Copy the latest agreed version (its open actions and every section), or start blank.
    copy_latest: bool = True


class DraftUpdate(InputSchema):
    """Lists replace what the draft had: send every section and action you want to keep."""

    sections: list[SectionIn] | None = Field(default=None, max_length=10)
    actions: list[ActionIn] | None = Field(default=None, max_length=200)
    review_by: date | None = None

    @model_validator(mode="after")
    def _one_of_each_section(self) -> Self:
        codes = [s.code for s in self.sections or []]
        if len(codes) != len(set(codes)):
            raise ValueError("sections: each section code appears once")
        return self


class ResponseIn(InputSchema):
    kind: PlanResponseKind
    section_code: SectionCode | None = None  # None: the whole plan
    comment: Annotated[str, Field(max_length=4000)] | None = None

    @model_validator(mode="after")
    def _comment_when_needed(self) -> Self:
        if self.kind is not PlanResponseKind.agree and not (self.comment or "").strip():
            raise ValueError("comment: say what you disagree with or want to add")
        if self.kind is PlanResponseKind.agree and self.section_code is not None:
            raise ValueError("section_code: agreeing is to the whole plan; comment on a section")
        return self


STAFF_RECEIPTS = (
    ReceiptHow.given_in_person,
    ReceiptHow.posted,
    ReceiptHow.emailed,
    ReceiptHow.sent_to_prison,
)


class ReceiptIn(InputSchema):
    how: Literal["given_in_person", "posted", "emailed", "sent_to_prison"]
    received_on: date

    @model_validator(mode="after")
    def _not_future(self) -> Self:
        if self.received_on > today():
            raise ValueError("received_on: cannot be in the future")
        return self


class ReviewRequestIn(InputSchema):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class SuitabilityRead(ReadSchema):
    suitable: bool | None
    note: str | None


class SectionRead(ReadSchema):
    code: str
    title: str
    needs: str
    young_person_views: str
    goals: str
    suitability: dict[str, SuitabilityRead] | None


MissingPart = Literal["owner", "due_on"]


class ActionRead(ReadSchema):
    id: uuid.UUID
    section_code: str
    description: str
    need: str | None
    owner: ActionOwner | None
    owner_name: str | None
    owner_label: str | None  # "You", "Your PA", or the named person
    due_on: date | None
    status: ActionStatus
    dropped_reason: str | None
    completed_on: date | None
    overdue: bool
    missing: list[str]  # what makes it incomplete, in English: "owner", "due date"
    # The same as codes for the app to word in the reader's language.
    missing_codes: list[MissingPart]


class PlanResponseRead(ReadSchema):
    id: uuid.UUID
    section_code: str | None
    kind: PlanResponseKind
    comment: str | None
    created_at: datetime


class ReceiptRead(ReadSchema):
    how: ReceiptHow
    received_on: date


class VersionRead(ReadSchema):
    number: int
    state: PlanState
    source: PlanSource
    created_at: datetime
    updated_at: datetime | None
    submitted_at: datetime | None
    agreed_on: date | None
    next_review_due_on: date | None
    review_by: date | None
    sections: list[SectionRead]
    actions: list[ActionRead]
    responses: list[PlanResponseRead]
    receipts: list[ReceiptRead]
    etag: str


class VersionListItem(ReadSchema):
    number: int
    state: PlanState
    source: PlanSource
    created_at: datetime
    agreed_on: date | None
    first_received_on: date | None


class ReviewRequestRead(ReadSchema):
    id: uuid.UUID
    young_person_id: uuid.UUID
    requested_by_role: str
    reason: str
    requested_on: date
    due_on: date
    met: bool


class PlanOverview(ReadSchema):
    """The current agreed version plus any draft state, and the dates that matter."""

    young_person_id: uuid.UUID
    first_plan_due_on: date | None
    current: VersionRead | None
    in_progress: VersionRead | None  # a draft (staff) or a version shared for a response
    next_review_due_on: date | None
    review_overdue_days: int
    open_review_requests: list[ReviewRequestRead]


class CaseloadPlanRow(ReadSchema):
    young_person_id: uuid.UUID
    full_name: str
    status: LegalStatus | None
    first_plan_due_on: date | None
    latest_agreed_on: date | None
    next_review_due_on: date | None
    overdue_days: int  # 0 when not overdue
    in_progress_state: PlanState | None
    open_review_requests: int
