"""Schema bases: input schemas forbid unknown fields, so nobody sets ``role`` or ``org_id`` by
adding a key; read schemas are built from ORM rows."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class InputSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ReadSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
