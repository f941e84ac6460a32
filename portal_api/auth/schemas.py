from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field

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
    email: str
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
    # Not EmailStr: a malformed address gets the same answer as any other (nothing to learn).
    email: Annotated[str, Field(min_length=1, max_length=320)]


class ForgotPasswordAccepted(ReadSchema):
    detail: str


class ResetPassword(InputSchema):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    new_password: Annotated[str, Field(min_length=8, max_length=1024)]
