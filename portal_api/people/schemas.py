"""What the API takes and gives for young people, staff, teams and the organisation."""

from __future__ import annotations

import re
import uuid
from datetime import date
from itertools import pairwise
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator

from portal_api.auth.schemas import InviteRead
from portal_api.common.addresses import Email, UkMobile
from portal_api.common.schemas import SHOWN_TO_YOUNG_PERSON, InputSchema, ReadSchema
from portal_api.common.time import today
from portal_api.models import ContactKind, Gender, LegalStatus, Role
from portal_api.people.codes import observation_problems

Name = Annotated[str, Field(min_length=1, max_length=100)]
Phone = Annotated[str, Field(min_length=5, max_length=40, pattern=r"^\+?[0-9 ()-]+$")]
# BCP 47-ish: "en", "ar", "ps", "fa-AF". Content falls back to English for what it lacks.
Language = Annotated[
    str, Field(min_length=2, max_length=12, pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
]
ExternalId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_./-]+$")]
EARLIEST_BIRTH = date(1990, 1, 1)


def _not_future(value: date | None, what: str) -> date | None:
    if value is not None and value > today():
        raise ValueError(f"{what} cannot be in the future")
    return value


class CarePeriodIn(InputSchema):
    """A period looked after: ``end`` is the day they left (not looked after that day), or null."""

    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end is not None and self.end <= self.start:
            raise ValueError("end must be after start (a care period cannot end before it starts)")
        return self


def care_periods_problem(periods: list[CarePeriodIn]) -> str | None:
    ordered = sorted(periods, key=lambda p: p.start)
    for earlier, later in pairwise(ordered):
        if earlier.end is None or earlier.end > later.start:
            return f"care periods overlap: the one starting {earlier.start} and {later.start}"
    return None


class YoungPersonFields(InputSchema):
    """Checks shared by every input that carries a young person's details: the API's create and
    update, and each line of an import."""

    @field_validator("date_of_birth", check_fields=False)
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        if value is None:
            return value
        _not_future(value, "date of birth")
        if value < EARLIEST_BIRTH:
            raise ValueError(f"date of birth before {EARLIEST_BIRTH} is not a care leaver's")
        return value

    @field_validator("closed_on", check_fields=False)
    @classmethod
    def _closed_not_future(cls, value: date | None) -> date | None:
        return _not_future(value, "closed date")

    @field_validator("care_periods", check_fields=False)
    @classmethod
    def _no_overlap(cls, value: list[CarePeriodIn] | None) -> list[CarePeriodIn] | None:
        problem = care_periods_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value


class YoungPersonDetails(YoungPersonFields):
    """Who a new young person is, the same whether they are added in the API or by an import."""

    external_id: ExternalId
    given_name: Name
    family_name: Name
    preferred_name: Name | None = None
    date_of_birth: date
    gender: Gender = Gender.not_stated
    ethnicity: Annotated[str, Field(max_length=10)] | None = None
    uasc: bool = False
    disabled: bool | None = False
    is_parent: bool = False


class YoungPersonCreate(YoungPersonDetails):
    team_id: uuid.UUID
    personal_adviser_id: uuid.UUID | None = None
    care_periods: list[CarePeriodIn] = Field(default_factory=list, max_length=100)
    status_override: LegalStatus | None = None
    status_override_reason: Annotated[str, Field(max_length=2000)] | None = Field(
        default=None, description=f"Why the computed status is overridden. {SHOWN_TO_YOUNG_PERSON}"
    )
    closed_on: date | None = None
    preferred_language: Language = "en"
    mobile: UkMobile | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _override_has_reason(self) -> Self:
        if self.status_override is not None and not self.status_override_reason:
            raise ValueError("status_override_reason: say why the computed status is overridden")
        return self


class YoungPersonUpdate(YoungPersonFields):
    """Only the fields sent change. ``team_id``/``personal_adviser_id`` reassign (managers only)."""

    given_name: Name | None = None
    family_name: Name | None = None
    preferred_name: Name | None = None
    date_of_birth: date | None = None
    gender: Gender | None = None
    ethnicity: Annotated[str, Field(max_length=10)] | None = None
    uasc: bool | None = None
    disabled: bool | None = None
    is_parent: bool | None = None
    team_id: uuid.UUID | None = None
    personal_adviser_id: uuid.UUID | None = None
    care_periods: list[CarePeriodIn] | None = Field(default=None, max_length=100)
    status_override: LegalStatus | None = None
    status_override_reason: Annotated[str, Field(max_length=2000)] | None = Field(
        default=None, description=f"Why the computed status is overridden. {SHOWN_TO_YOUNG_PERSON}"
    )
    closed_on: date | None = None
    preferred_language: Language | None = None
    mobile: UkMobile | None = None
    email: Email | None = None


class TeamRef(ReadSchema):
    id: uuid.UUID
    name: str


class StaffRef(ReadSchema):
    id: uuid.UUID
    name: str


class CarePeriodRead(ReadSchema):
    start: date
    end: date | None


class YoungPersonListItem(ReadSchema):
    id: uuid.UUID
    external_id: str
    full_name: str
    date_of_birth: date
    age: int
    status: LegalStatus | None
    team: TeamRef | None
    personal_adviser: StaffRef | None
    closed_on: date | None


class YoungPersonRead(YoungPersonListItem):
    given_name: str
    family_name: str
    preferred_name: str | None
    gender: Gender
    ethnicity: str | None
    uasc: bool
    disabled: bool | None
    is_parent: bool
    computed_status: LegalStatus | None
    status_override: LegalStatus | None
    status_override_reason: str | None
    preferred_language: str
    mobile: str | None
    email: str | None
    care_periods: list[CarePeriodRead]
    has_account: bool
    # Where their invite to the app stands (what POST …/invites set, read back).
    invite: InviteRead
    version: int


class ContactCreate(InputSchema):
    contact_on: date
    kind: ContactKind
    note: Annotated[str, Field(max_length=10_000)] | None = None

    @field_validator("contact_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        _not_future(value, "a contact")
        return value


class ContactRead(ReadSchema):
    id: uuid.UUID
    contact_on: date
    kind: ContactKind
    note: str | None
    recorded_by: StaffRef | None


class ObservationCreate(InputSchema):
    """SSDA903 codes: in touch, main activity and accommodation (letter + 1 suitable / 2 not)."""

    recorded_on: date
    in_touch: str = Field(max_length=4)
    activity: str = Field(max_length=2)
    accommodation: str = Field(max_length=2)

    @field_validator("recorded_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        _not_future(value, "an observation")
        return value

    @model_validator(mode="after")
    def _codes(self) -> Self:
        for field, reason in observation_problems(self.in_touch, self.activity, self.accommodation):
            raise ValueError(f"{field}: {reason}")
        return self


class ObservationRead(ReadSchema):
    id: uuid.UUID
    recorded_on: date
    in_touch: str
    activity: str
    accommodation: str


class TeamCreate(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)]


class StaffCreate(InputSchema):
    email: Email
    display_name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Role
    password: Annotated[str, Field(min_length=8, max_length=1024)]
    team_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    phone: Phone | None = None
    council_wide: bool = Field(
        default=False,
        description="A manager who sees every young person in the organisation, whatever their "
        "teams. Only managers; a manager in no team who is not council-wide sees nobody.",
    )

    @field_validator("role")
    @classmethod
    def _staff_role(cls, value: Role) -> Role:
        if value is Role.young_person:
            raise ValueError("young people are invited from their record, not created as staff")
        return value


class StaffUpdate(InputSchema):
    display_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    role: Role | None = None
    is_active: bool | None = None
    team_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    phone: Phone | None = None
    council_wide: bool | None = Field(
        default=None,
        description="A manager who sees every young person in the organisation, whatever their "
        "teams. Only managers.",
    )

    @field_validator("role")
    @classmethod
    def _staff_role(cls, value: Role | None) -> Role | None:
        if value is Role.young_person:
            raise ValueError("a staff account cannot become a young person's account")
        return value


class StaffRead(ReadSchema):
    id: uuid.UUID
    email: str
    display_name: str
    role: Role
    is_active: bool
    team_ids: list[uuid.UUID]
    phone: str | None
    council_wide: bool
    # Whether they have set up a sign-in code (two-step sign-in), never the secret. Administrators
    # see it, to know whom to chase where the council requires codes; for anyone else it is null.
    has_sign_in_code: bool | None = None


class OrganisationRead(ReadSchema):
    id: uuid.UUID
    slug: str
    name: str
    office_phone: str | None
    out_of_hours_phone: str | None
    brand_colour: str
    plans_need_manager_approval: bool
    require_staff_mfa: bool
    # Branding (GET /branding shows these before sign-in; unset, they fall back).
    short_name: str | None
    discreet_name: str | None
    logo_url: str | None
    # Office hours (Monday to Friday except bank holidays, London time): messages outside them go
    # to the duty queue and "one working day" counts only these hours.
    office_opens: str
    office_closes: str
    # Quiet hours: a young person's phone is not notified between these (urgent notices aside).
    quiet_from: str
    quiet_until: str
    caseload_max: Annotated[
        int, Field(description="The most young people a personal adviser should hold")
    ]


# A time of day on the 24-hour clock, London time: "09:00", "21:30".
ClockTime = Annotated[
    str,
    Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM, 24-hour, London time"),
]
AppName = Annotated[str, Field(min_length=1, max_length=40)]
# A path on this server, not another site: the CSP lets the app load images from itself only.
LogoPath = Annotated[str, Field(max_length=500, pattern=r"^/([^/\s\\][^\s\\]*)?$")]


class OrganisationUpdate(InputSchema):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    office_phone: Phone | None = None
    out_of_hours_phone: Phone | None = None
    brand_colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    # Under the icon on a home screen: about 12 characters fit.
    short_name: AppName | None = None
    # What the installed app is called: nothing that says "care" on a shared phone.
    discreet_name: AppName | None = None
    logo_url: LogoPath | None = None
    plans_need_manager_approval: bool | None = None
    # Staff must sign in with a code from an authenticator app (young people never do).
    require_staff_mfa: bool | None = None
    office_opens: ClockTime | None = None
    office_closes: ClockTime | None = None
    quiet_from: ClockTime | None = None
    quiet_until: ClockTime | None = None
    # The manager's caseload figure marks PAs above it; PAs usually carry 20 to 40.
    caseload_max: Annotated[int, Field(ge=1, le=200)] | None = None


class BrandingRead(ReadSchema):
    """What the app shows before anyone signs in: no token, nothing about anyone."""

    name: str
    short_name: str
    # What the installed app is called and shows when discreet: nothing that says "care".
    discreet_name: str
    colour: Annotated[str, Field(description="the council's colour, #rrggbb")]
    # A path on this server, or none (the app shows the council's name instead).
    logo_url: str | None
    # Shown on the sign-in screen, so someone who cannot sign in can still get help.
    out_of_hours_phone: str | None
    # The Web Push applicationServerKey (base64url), or none when push is not set up.
    vapid_public_key: str | None


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
