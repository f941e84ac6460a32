"""What the local-offer API takes and gives."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from portal_api.common.schemas import SHOWN_TO_YOUNG_PERSON, InputSchema, ReadSchema
from portal_api.common.time import today
from portal_api.content.library import NoticeCode
from portal_api.models import EntitlementStatus, PageResponse


class Applies(StrEnum):
    now = "now"  # applies to them today
    soon = "soon"  # will apply within 6 months (e.g. turning 18)
    not_now = "not_now"


class PageSummary(ReadSchema):
    slug: str
    title: str
    summary: str
    category: str
    core: bool
    revision: int
    claimable: bool
    amount_gbp: Decimal | None
    lang: str
    applies: Applies | None  # None for staff: nobody's circumstances to apply it to
    responded: bool | None  # to the current revision; None for staff


class LocalOfferList(ReadSchema):
    lang: str
    items: list[PageSummary]


class PageRead(PageSummary):
    html: str
    how_to_get_it: str | None
    effective_from: date
    reviewed_on: date
    source: str
    related: list[str]
    notice: str | None  # e.g. "not translated yet, shown in English"
    notice_code: NoticeCode | None = None  # the same, for the app to word
    translation_status: str | None


class ResponseCreate(InputSchema):
    response: PageResponse
    comment: Annotated[str, Field(max_length=2000)] | None = None


class ResponseRead(ReadSchema):
    id: uuid.UUID
    slug: str
    revision: int
    response: PageResponse
    applied_to_them: bool
    comment: str | None
    created_at: datetime


class PageActivity(ReadSchema):
    """What a young person did with one page: staff see this to know who was told what."""

    slug: str
    title: str
    core: bool
    current_revision: int
    seen_revisions: list[int]
    first_seen_at: datetime | None
    latest_response: PageResponse | None
    latest_response_revision: int | None
    latest_response_at: datetime | None
    up_to_date: bool  # responded to the current revision


class EntitlementUpdate(InputSchema):
    status: EntitlementStatus
    status_on: date
    amount_gbp: Annotated[Decimal, Field(gt=0, max_digits=9, decimal_places=2)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = Field(
        default=None, description=SHOWN_TO_YOUNG_PERSON
    )

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.status_on > today():
            raise ValueError("status_on: cannot be in the future")
        if self.amount_gbp is not None and self.status is not EntitlementStatus.received:
            raise ValueError("amount_gbp: an amount goes with status received (what was paid)")
        return self


class EntitlementStep(ReadSchema):
    status: EntitlementStatus
    status_on: date
    amount_gbp: Decimal | None
    note: str | None
    recorded_by: str | None
    recorded_at: datetime


EntitlementMessageCode = Literal[
    "entitlement_may_get",
    "entitlement_applied",
    "entitlement_received",
    "entitlement_part_paid",
    "entitlement_declined",
    "entitlement_not_eligible",
]


class EntitlementMessageParams(ReadSchema):
    """What fills the app's own wording of ``message_code``: the page's title in the language
    asked for where it is translated (English otherwise), and the figures."""

    slug: str
    title: str
    paid_gbp: Decimal
    amount_gbp: Decimal | None


class EntitlementRead(ReadSchema):
    slug: str
    title: str
    # The language ``title`` is in: the one asked for where the page is translated, else "en".
    title_lang: str
    amount_gbp: Decimal | None
    status: EntitlementStatus
    status_on: date | None
    paid_gbp: Decimal
    remaining_gbp: Decimal | None
    message: str  # in plain English, for the young person (and API users)
    # The same line as a code the app words in the young person's language.
    message_code: EntitlementMessageCode
    message_params: EntitlementMessageParams
    applies_now: bool
    history: list[EntitlementStep]
