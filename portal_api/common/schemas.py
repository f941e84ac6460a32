"""Schema bases: input schemas forbid unknown fields, so nobody sets ``role`` or ``org_id`` by
adding a key; read schemas are built from ORM rows."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

NUL = "\x00"
# Validation context: the caller has already looked for NUL in the whole input (`portal import`
# checks each line's text once, rather than each of its ~60 fields one by one).
NUL_CHECKED = "nul_checked"
# Every integer the API takes is bounded, so a number too big for the database's column is invalid
# input (422), never a 500 from the driver. Ids, cursors and offsets stop at the largest integer
# JavaScript (the phone app, the console) holds exactly, well inside a signed 64-bit column;
# counters such as a plan's version number fit a 32-bit one.
MAX_BIGINT = 2**63 - 1
MAX_ID = 2**53 - 1
MAX_INT = 2**31 - 1
# The description of every field of staff free text that the young person reads (in the app, or
# in their copy of their record), so staff and the app's developers know who will read it.
SHOWN_TO_YOUNG_PERSON = "Shown to the young person."
T = TypeVar("T")


def has_nul(value: object) -> bool:
    """True if a NUL character is anywhere in a string, or in the strings of a list or dict."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    return False


def refuse_nul(value: T) -> T:
    """Nobody types U+0000, and PostgreSQL cannot store it in text (nor compare with it): it is
    refused as invalid input rather than failing in the database (SQLite would quietly keep it).
    Every input schema does this; use it as ``AfterValidator`` on query parameters that reach
    the database."""
    if has_nul(value):
        raise ValueError("must not contain a NUL character")
    return value


class InputSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_nul_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if info.context and info.context.get(NUL_CHECKED):
            return value
        return refuse_nul(value)


class ReadSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
