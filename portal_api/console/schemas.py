"""What the staff console reads in one request: a case's first screen, and a caseload line."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from portal_api.common.schemas import ReadSchema
from portal_api.messaging.schemas import CheckInRhythmRead
from portal_api.models import (
    ConcernCategory,
    ConcernStatus,
    ConcernUrgency,
    LegalStatus,
    MessageKind,
    Mood,
    PlanState,
)
from portal_api.people.schemas import YoungPersonRead

InviteState = Literal["none", "sent", "expired", "accepted"]


class PlanDates(ReadSchema):
    latest_agreed_on: date | None
    first_plan_due_on: date | None
    next_review_due_on: date | None
    overdue_days: int
    in_progress_state: PlanState | None
    open_review_requests: int


class DocumentsProgress(ReadSchema):
    done: int
    applicable: int


class MessagePreview(ReadSchema):
    id: int
    kind: MessageKind
    mood: Mood | None
    body: str
    sender: Literal["young_person", "staff", "system"]
    sender_name: str | None
    at: datetime
    hidden: bool


class ConcernLine(ReadSchema):
    id: uuid.UUID
    category: ConcernCategory
    urgency: ConcernUrgency
    status: ConcernStatus
    raised_at: datetime


class FollowUpLine(ReadSchema):
    id: uuid.UUID
    subject: str
    created_at: datetime


class CaseOverview(ReadSchema):
    """What a case page shows first, in one read (one line in their access log); each section's
    fuller list is its own GET, made only when that section is opened."""

    record: YoungPersonRead
    duty_cover: bool = Field(description="I am reading this as duty cover, not as their PA")
    plan: PlanDates
    documents: DocumentsProgress
    unread: int
    latest_messages: list[MessagePreview] = Field(description="the last five, newest first")
    open_concerns: list[ConcernLine]
    follow_ups: list[FollowUpLine] = Field(description="unresolved, oldest first")
    check_in_rhythm: CheckInRhythmRead


class CaseloadLine(ReadSchema):
    """One young person as a line of a caseload: what a PA scans for, in one request."""

    young_person_id: uuid.UUID
    full_name: str
    external_id: str
    date_of_birth: date
    age: int
    status: LegalStatus | None
    team_name: str | None
    personal_adviser_name: str | None
    duty_cover: bool = Field(description="in my team's caseload, not mine: I read it as cover")
    unread: int
    last_contact_on: date | None
    last_mood: Mood | None
    last_mood_at: datetime | None
    has_account: bool
    invite_state: InviteState
    open_concerns: int
    documents_done: int
    documents_applicable: int
    next_review_due_on: date | None
    plan_overdue_days: int
