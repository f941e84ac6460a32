from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field

from portal_api.common.schemas import InputSchema, ReadSchema
from portal_api.models import Role


class TokenRead(ReadSchema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme name, not a secret


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


class InviteAccept(InputSchema):
    token: Annotated[str, Field(min_length=10, max_length=200)]
    password: Annotated[str, Field(min_length=8, max_length=1024)]


class PasswordChange(InputSchema):
    current_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: Annotated[str, Field(min_length=8, max_length=1024)]
