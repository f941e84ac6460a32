from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from portal_api.common.schemas import SHOWN_TO_YOUNG_PERSON, InputSchema, ReadSchema


class FollowUpRead(ReadSchema):
    id: uuid.UUID
    young_person_id: uuid.UUID
    young_person_name: str
    kind: str
    subject: str
    detail: str | None
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None


class FollowUpResolve(InputSchema):
    resolution: Annotated[str, Field(min_length=1, max_length=2000)] = Field(
        description=f"What was done about what they asked for. {SHOWN_TO_YOUNG_PERSON}"
    )
