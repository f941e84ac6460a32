"""Checklist payloads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from portal_api.common.schemas import SHOWN_TO_YOUNG_PERSON, InputSchema, ReadSchema
from portal_api.common.time import today
from portal_api.models import DocumentEventKind, DocumentState, OriginalLocation

Note = Annotated[str, Field(max_length=2000)]
Key = Annotated[str, Field(min_length=2, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")]


class YoungPersonSays(StrEnum):
    have_it = "have_it"
    need_help = "need_help"


class DocumentUpdate(InputSchema):
    """Staff change the state; a young person only says "I have it" or "I need help"."""

    state: DocumentState | None = None
    on: date | None = None  # when it happened; today if not given
    note: Note | None = Field(default=None, description=SHOWN_TO_YOUNG_PERSON)
    not_applicable_reason: Note | None = Field(
        default=None, description=f"Why this document does not apply. {SHOWN_TO_YOUNG_PERSON}"
    )
    original_location: OriginalLocation | None = None
    young_person_says: YoungPersonSays | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.on is not None and self.on > today():
            raise ValueError("on: a change cannot be dated in the future")
        if self.state is DocumentState.not_applicable and not self.not_applicable_reason:
            raise ValueError("not_applicable_reason: say why this document does not apply")
        if self.young_person_says is not None and self.state is not None:
            raise ValueError("state: say what you have or need, or change the state, not both")
        if self.young_person_says is None and self.state is None and self.original_location is None:
            raise ValueError("state: nothing to change")
        return self


class DocumentEventRead(ReadSchema):
    kind: DocumentEventKind
    state: DocumentState | None
    on: date
    note: str | None
    by: str | None  # from the reader's side: "you", the young person's or staff's name, "imported"
    at: datetime


NextStepCode = Literal[
    "done", "not_needed", "requested", "in_progress", "starts_on", "how_to_get_it"
]


class NextStepParams(ReadSchema):
    start_on: date | None  # starts_on: the PA starts this from then
    key: str  # the document, to name it from the app's catalogue or the checklist's ``name``


class ChecklistItem(ReadSchema):
    key: str
    name: str
    why_it_matters: str
    how_to_get_it: str
    # The default type (its key) whose name, why and how these still are, for the app to word in
    # the young person's language; null when the council wrote its own words (shown in English).
    wording_code: str | None
    local_offer_slug: str | None
    state: DocumentState
    state_on: date | None
    not_applicable_reason: str | None
    original_location: OriginalLocation | None
    start_on: date | None
    due_on: date
    overdue: bool
    due_soon: bool  # in the next 90 days
    next_step: str  # what happens next, in plain English
    # The same as a code the app words in the young person's language: done, not_needed,
    # requested, in_progress, starts_on (with ``start_on``), how_to_get_it (the council's own
    # words in ``how_to_get_it``).
    next_step_code: NextStepCode
    next_step_params: NextStepParams
    help_requested: bool  # the young person asked for help since the last staff change
    says_has_it: bool  # the young person says they have it; waiting for the PA to confirm
    retired: bool
    history: list[DocumentEventRead]
    etag: str


class Checklist(ReadSchema):
    young_person_id: uuid.UUID
    done: int
    applicable: int
    next_due: ChecklistItem | None
    items: list[ChecklistItem]


class DocumentTypeRead(ReadSchema):
    key: str
    name: str
    why_it_matters: str
    how_to_get_it: str
    local_offer_slug: str | None
    start_at_months: int | None
    due_at_months: int
    conditions: list[str]
    retired_on: date | None


class DocumentTypeCreate(InputSchema):
    key: Key
    name: Annotated[str, Field(min_length=1, max_length=120)]
    why_it_matters: Annotated[str, Field(min_length=1, max_length=2000)]
    how_to_get_it: Annotated[str, Field(min_length=1, max_length=2000)]
    local_offer_slug: Annotated[str, Field(max_length=100)] | None = None
    start_at_months: Annotated[int, Field(ge=0, le=300)] | None = None
    due_at_months: Annotated[int, Field(ge=0, le=300)] = 216
    conditions: list[str] = Field(default_factory=list, max_length=10)


class DocumentTypeUpdate(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    why_it_matters: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    how_to_get_it: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    local_offer_slug: Annotated[str, Field(max_length=100)] | None = None
    start_at_months: Annotated[int, Field(ge=0, le=300)] | None = None
    due_at_months: Annotated[int, Field(ge=0, le=300)] | None = None
    conditions: list[str] | None = Field(default=None, max_length=10)
    retired: bool | None = None


class OutstandingRow(ReadSchema):
    young_person_id: uuid.UUID
    full_name: str
    date_of_birth: date
    eighteenth_birthday: date
    days_to_18: int
    outstanding: list[str]  # document names
    overdue: list[str]
