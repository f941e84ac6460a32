from __future__ import annotations

import uuid

from portal_api.common.schemas import ReadSchema
from portal_api.people.legal_status import LegalStatus


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


class Summary(ReadSchema):
    """The phone's home screen in one call."""

    young_person_id: uuid.UUID
    given_name: str
    full_name: str
    age: int
    status: LegalStatus | None
    personal_adviser: PersonalAdviserContact | None
    team_name: str | None
    organisation: OrganisationContact
    # Core rights pages that apply to them and that they have not responded to at this revision.
    rights_to_read: list[RightsPageRef]
