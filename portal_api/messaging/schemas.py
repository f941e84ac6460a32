"""Message payloads. A young person's view never carries staff-only fields (flags, hide reasons)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator

from portal_api.common.schemas import MAX_ID, InputSchema, ReadSchema
from portal_api.models import MessageKind, Mood

MAX_MESSAGE = 4000
# Control characters other than newline and tab have no place in a message (and can hide text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class MessageCreate(InputSchema):
    body: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE)]

    @field_validator("body")
    @classmethod
    def _clean(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a message needs some words")
        if _CONTROL.search(value):
            raise ValueError("contains control characters; send plain text")
        return value


class MessageRead(ReadSchema):
    id: int
    young_person_id: uuid.UUID
    kind: MessageKind
    body: str
    mood: Mood | None
    sender_name: str | None  # None for a system message
    sender_role: str
    from_me: bool
    created_at: datetime
    to_duty_queue: bool


class StaffMessageRead(MessageRead):
    """What staff see in addition: whether it is hidden from the young person, and flags."""

    hidden: bool
    hidden_reason: str | None
    flagged: bool


class MessagePage(ReadSchema):
    items: list[StaffMessageRead] | list[MessageRead]
    # Pass as ?after= (oldest first) or ?before= (newest first) to continue.
    next_cursor: int | None
    unread: int
    # How far the other side has read, so "Seen" survives a phone that missed the live event.
    # A young person gets their newest message that staff have read; staff get how far the
    # young person has read. None: nothing read yet.
    read_up_to: int | None = None


class SendResult(ReadSchema):
    message: MessageRead
    # Who will see it and when: "Priya (your PA)" in office hours, the duty team otherwise.
    delivered_to: str
    out_of_hours: bool
    emergency_phone: str | None
    # For a young person: who will answer, as on the home screen (code and parameters beside
    # ``delivered_to``'s English). None for staff.
    reach_now: ReachNow | None = None


class ReadUpTo(InputSchema):
    up_to: Annotated[int, Field(ge=1, le=MAX_ID)]


class HideMessage(InputSchema):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class FlagMessage(InputSchema):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class FlagRead(ReadSchema):
    id: uuid.UUID
    message_id: int
    young_person_id: uuid.UUID
    young_person_name: str
    flagged_by: str
    reason: str
    created_at: datetime
    message_body: str


class CheckInCreate(InputSchema):
    mood: Mood
    note: Annotated[str, Field(max_length=500)] | None = None

    @field_validator("note")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        if value is not None and _CONTROL.search(value):
            raise ValueError("contains control characters; send plain text")
        return value


class CheckInRhythmSet(InputSchema):
    every_days: Annotated[int, Field(ge=7, le=90)] | None  # None: no regular check-in


class AvailabilitySet(InputSchema):
    away_until: datetime | None
    cover_id: uuid.UUID | None = None
    note: Annotated[str, Field(max_length=500)] | None = None


class ReachParams(ReadSchema):
    """What fills the app's own wording of a ``ReachNow.code`` (no English in here)."""

    name: str | None  # who answers: the PA, or the colleague covering; None for a team
    pa_name: str | None  # their PA (away, for cover_in_hours and duty_team)
    until: datetime | None  # the PA is away until then
    phone: str | None
    opens_at: datetime | None  # out of hours: when the office opens and the PA replies


class ReachNow(ReadSchema):
    """How to reach someone right now, for the home screen."""

    who: Literal["personal_adviser", "cover", "duty_team", "out_of_hours"]
    name: str | None
    phone: str | None
    message: str  # plain English: "Priya is away until Monday; Tom is covering."
    # The same as a code and its parameters, for the app to word in the young person's language.
    code: Literal["pa_in_hours", "cover_in_hours", "duty_team", "out_of_hours"]
    params: ReachParams
    in_office_hours: bool
    emergency_phone: str | None


class PushSubscriptionIn(InputSchema):
    endpoint: Annotated[str, Field(min_length=10, max_length=1000, pattern=r"^https://")]
    p256dh: Annotated[str, Field(min_length=10, max_length=200)]
    auth: Annotated[str, Field(min_length=4, max_length=100)]


class PushSubscriptionRemove(InputSchema):
    endpoint: Annotated[str, Field(min_length=1, max_length=1000)]


class FailedNotification(ReadSchema):
    id: uuid.UUID
    young_person_id: uuid.UUID | None
    recipient: str
    channel: str
    template: str
    attempts: int
    last_error: str | None
    created_at: datetime


# --- the staff console: conversations, availability, check-in rhythm ---------------------------


class ConversationScope(StrEnum):
    mine = "mine"  # my own caseload
    team = "team"  # everyone I may read: my teams (a council-wide manager: the council)
    duty = "duty"  # the duty queue: the young person wrote last, out of hours or while away


class LastMessage(ReadSchema):
    id: int
    kind: MessageKind
    mood: Mood | None
    sender: Literal["young_person", "staff", "system"]
    at: datetime
    hidden: bool


class Conversation(ReadSchema):
    """One young person's conversation as a line in a PA's inbox."""

    young_person_id: uuid.UUID
    young_person_name: str
    external_id: str
    personal_adviser_name: str | None
    # Read as duty cover: a PA reading someone else's caseload in their team.
    duty_cover: bool
    last_message: LastMessage
    unread: int
    # Their oldest message since staff last wrote: null when nobody is waiting for a reply.
    waiting_since: datetime | None
    in_duty_queue: bool


class StaffName(ReadSchema):
    id: uuid.UUID
    name: str


class AvailabilityRead(ReadSchema):
    """What ``PUT /users/me/availability`` set: away until when, and who covers."""

    away_until: datetime | None
    away_now: bool
    cover: StaffName | None
    note: str | None
    updated_at: datetime | None


class CheckInRhythmRead(ReadSchema):
    """How often the PA asked for a check-in, and whether one is due."""

    every_days: int | None
    set_at: datetime | None
    set_by: StaffName | None
    last_check_in_at: datetime | None
    due: bool
