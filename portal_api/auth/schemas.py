from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AliasChoices, Field

from portal_api.common.addresses import Email
from portal_api.common.schemas import InputSchema, ReadSchema
from portal_api.models import Role


class TokenRead(ReadSchema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme name, not a secret
    # True: the organisation requires two-step sign-in and this account has not set it up. The
    # token works only to set it up (POST /users/me/mfa, then /users/me/mfa/confirm) or sign out.
    mfa_enrolment_required: bool = False


class MeRead(ReadSchema):
    id: uuid.UUID
    email: str | None
    # E.164; a young person may sign in with this alone.
    mobile: str | None = None
    display_name: str
    role: Role
    org_id: uuid.UUID
    organisation_name: str
    organisation_slug: str
    young_person_id: uuid.UUID | None
    team_ids: list[uuid.UUID]
    mfa_enabled: bool
    mfa_required: bool


class InviteAccept(InputSchema):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    password: Annotated[str, Field(min_length=8, max_length=1024)]


class PasswordChange(InputSchema):
    current_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: Annotated[str, Field(min_length=8, max_length=1024)]


class MfaEnrolment(ReadSchema):
    """Shown once, while setting up: put it into an authenticator app (the URI as a QR code)."""

    secret: str
    otpauth_uri: str


class MfaConfirm(InputSchema):
    code: Annotated[str, Field(min_length=6, max_length=16)]


class MfaStatus(ReadSchema):
    enabled: bool
    required: bool


class ForgotPassword(InputSchema):
    # Not Email: a malformed address gets the same answer as any other (nothing to learn).
    username: Annotated[
        str,
        Field(
            min_length=1,
            max_length=320,
            # "email" is what this field was called before mobiles could sign in.
            validation_alias=AliasChoices("username", "email"),
            description="The email or UK mobile number the account signs in with; a mobile "
            "gets its link by SMS.",
        ),
    ]
    org: Annotated[
        str | None,
        Field(
            max_length=100,
            description="The council's slug, as at sign-in (needed only where an address "
            "has accounts in more than one council).",
        ),
    ] = None


class ForgotPasswordAccepted(ReadSchema):
    detail: str


class ResetPassword(InputSchema):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    new_password: Annotated[str, Field(min_length=8, max_length=1024)]


Channel = Literal["sms", "email"]


class InviteCreate(InputSchema):
    """Send (or send again) an invite. By default it goes by SMS to the mobile on the young
    person's record, or by email if there is no mobile. A new invite stops the last one working."""

    channel: Annotated[
        Channel | None,
        Field(description="How to send it; by default SMS if the record has a mobile."),
    ] = None
    email: Annotated[
        Email | None,
        Field(description="Send by email to this address instead of the record's."),
    ] = None


class InviteRead(ReadSchema):
    """Where a young person's invite stands. Staff never see the link: it goes to the young
    person only. ``none``: never invited; ``sent``: waiting for them to set a password;
    ``expired``: not used in time (send another); ``accepted``: they have an account."""

    state: Literal["none", "sent", "expired", "accepted"]
    channel: Channel | None = None
    # Masked, enough to recognise: "07••• ••• 123", "a•••@example.org".
    sent_to: str | None = None
    sent_at: datetime | None = None
    expires_at: datetime | None = None
    accepted_at: datetime | None = None
    # The notification carrying it: queued, sent (handed to GOV.UK Notify), failed (every try).
    delivery: Literal["queued", "sent", "failed"] | None = None


class InviteWelcome(ReadSchema):
    """What the set-up screen may know before a password is chosen: whose app this is."""

    organisation_name: str


class PasswordResetStart(InputSchema):
    channel: Annotated[
        Channel | None,
        Field(description="How to send the link; by default SMS if there is a mobile."),
    ] = None


class PasswordResetSent(ReadSchema):
    """A reset link has gone to the young person. Staff never see it."""

    channel: Channel
    sent_to: str
    sent_at: datetime
    expires_at: datetime
