from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from portal_api.common.schemas import InputSchema, ReadSchema
from portal_api.messaging.schemas import ReachNow
from portal_api.models import LegalStatus
from portal_api.plans.schemas import ActionRead


class PersonalAdviserContact(ReadSchema):
    name: str
    email: str
    phone: str | None


class OrganisationContact(ReadSchema):
    name: str
    office_phone: str | None
    out_of_hours_phone: str | None


class RightsPageRef(ReadSchema):
    slug: str
    title: str
    # The language the title is in: the one asked for where the page is translated, else "en".
    lang: str


class DocumentDue(ReadSchema):
    key: str
    name: str
    # The default type's key while the council keeps its name, for the app to word; else null.
    wording_code: str | None
    due_on: date


class PlanAwaitingAnswer(ReadSchema):
    """A new version of their plan, shared and waiting for them to agree, disagree or comment."""

    number: int
    shared_at: datetime | None


class Summary(ReadSchema):
    """The phone's home screen in one call."""

    young_person_id: uuid.UUID
    given_name: str
    full_name: str
    # The language recorded for them (en, ar, ps...): the app starts in it on a phone that has
    # no language chosen yet.
    preferred_language: str
    age: int
    status: LegalStatus | None
    personal_adviser: PersonalAdviserContact | None
    team_name: str | None
    organisation: OrganisationContact
    # Core rights pages that apply to them and that they have not responded to at this revision.
    rights_to_read: list[RightsPageRef]
    # The next plan review (or the first plan, if none is agreed yet) and how late it is.
    next_plan_review_on: date | None
    plan_review_overdue_days: int
    # "Your plan is waiting for you": a newer version to answer (POST …/versions/{n}/response).
    plan_awaiting_answer: PlanAwaitingAnswer | None
    # Open actions of the current plan that are overdue or due in the next 14 days.
    actions_due_soon: list[ActionRead]
    # The documents-by-18 checklist: how many of those that apply they have, and the next one due.
    documents_done: int
    documents_applicable: int
    next_document_due: DocumentDue | None
    # Messages from staff they have not read; who to contact right now; a check-in is due.
    unread_messages: int
    reach_now: ReachNow
    check_in_due: bool


# SSDA903 activity codes (people/codes.py ACTIVITY), the ones local-offer pages can ask about.
Activity = Literal["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6"]


class PreviewProfile(InputSchema):
    """Whose app to preview: the circumstances local-offer pages and documents depend on."""

    status: LegalStatus | None = None
    age: Annotated[int, Field(ge=14, le=25)] = 18
    activity: Activity | None = None
    uasc: bool = False
    disabled: bool = False
    is_parent: bool = False
    looked_after: bool = False


class HomePreview(ReadSchema):
    """The home screen as a young person with this profile would see it today, before they have
    read anything: nobody's record is read, so nothing is audited or counted."""

    organisation: OrganisationContact
    # Core rights pages that apply: the "things to read" on their home screen.
    rights_to_read: list[RightsPageRef]
    # Every local-offer page that applies to them now, core or not.
    local_offer: list[RightsPageRef]
    # The documents-by-18 checklist they would be asked for.
    documents: list[str]
