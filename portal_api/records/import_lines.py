"""The import file's lines: the JSON Lines record format (ImportRecord and its parts), checked line
by line before anything is written (parse_lines); the first bad line raises ImportFailed with its
line number and field."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from itertools import pairwise
from typing import Annotated, Self

from pydantic import ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic_core import ErrorDetails

from portal_api.common.addresses import Email, UkMobile
from portal_api.common.schemas import NUL_CHECKED, InputSchema
from portal_api.common.time import today
from portal_api.models import ContactKind, DocumentState, LegalStatus
from portal_api.people import legal_status
from portal_api.people.codes import observation_problems
from portal_api.people.schemas import CarePeriodIn, Language, YoungPersonDetails

# Keys that belong to later parts of the portal; a file using them fails until they land.
NOT_YET_IMPORTED: dict[str, str] = {}


class ImportFailed(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"line {line}: {field}: {message}")
        self.line = line
        self.field = field
        self.message = message


class ImportObservation(InputSchema):
    recorded_on: date
    in_touch: str
    activity: str
    accommodation: str


class ImportContact(InputSchema):
    on: date
    kind: ContactKind


class ImportPlan(InputSchema):
    """A plan agreed in the case-management system: its date and when they got a copy."""

    agreed_on: date
    copy_received_on: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.agreed_on > today():
            raise ValueError("agreed_on: cannot be in the future")
        if self.copy_received_on is not None:
            if self.copy_received_on < self.agreed_on:
                raise ValueError("copy_received_on: is before the plan was agreed")
            if self.copy_received_on > today():
                raise ValueError("copy_received_on: cannot be in the future")
        return self


class ImportDocument(InputSchema):
    """One dated step in a checklist item's history, from the case-management system."""

    type: Annotated[str, Field(min_length=1, max_length=60)]
    status: DocumentState
    status_on: date
    note: Annotated[str, Field(max_length=2000)] | None = None
    not_applicable_reason: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.status_on > today():
            raise ValueError("status_on: cannot be in the future")
        if self.status is DocumentState.not_applicable and not (
            self.not_applicable_reason or self.note
        ):
            raise ValueError("not_applicable_reason: say why this document does not apply")
        return self


class ImportAllocation(InputSchema):
    """Who held the case in the case-management system, from ``from`` up to, not including,
    ``to`` (the day the next one starts, as the portal's own allocations run); ``to`` null: still
    held. Figures before the import replay these (DOMAIN.md §8)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    team: Annotated[str, Field(min_length=1, max_length=100)]
    personal_adviser_email: Email | None = None
    started_on: date = Field(alias="from")
    ended_on: date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.started_on > today():
            raise ValueError("from: cannot be in the future")
        if self.ended_on is not None:
            if self.ended_on <= self.started_on:
                raise ValueError("to: must be after from")
            if self.ended_on > today():
                raise ValueError("to: cannot be in the future (leave it null while still held)")
        return self


def allocation_problem(record: ImportRecord) -> str | None:
    """Allocations follow one another without overlapping; only the last may be open, and it
    names the record's own team and personal adviser (today's allocation)."""
    ordered = sorted(record.allocations, key=lambda a: a.started_on)
    for earlier, later in pairwise(ordered):
        if earlier.ended_on is None:
            return (
                f"allocations: the one from {earlier.started_on} is still open, "
                f"but another starts {later.started_on}"
            )
        if later.started_on < earlier.ended_on:
            return (
                f"allocations: the one from {later.started_on} overlaps the one to "
                f"{earlier.ended_on}"
            )
    last = ordered[-1] if ordered else None
    if last is not None and last.ended_on is None:
        email = (record.personal_adviser_email or "").lower()
        if last.team != record.team or (last.personal_adviser_email or "").lower() != email:
            return (
                "allocations: the open one must name the same team and personal_adviser_email "
                "as the record"
            )
    return None


class ImportRecord(YoungPersonDetails):
    team: Annotated[str, Field(min_length=1, max_length=100)]
    personal_adviser_email: Email | None = None
    preferred_language: Language = "en"
    care_periods: list[CarePeriodIn] = Field(default_factory=list, max_length=100)
    status_override: LegalStatus | None = None
    status_override_reason: Annotated[str, Field(max_length=2000)] | None = None
    closed_on: date | None = None
    mobile: UkMobile | None = None
    email: Email | None = None
    observations: list[ImportObservation] = Field(default_factory=list, max_length=1000)
    contacts: list[ImportContact] = Field(default_factory=list, max_length=5000)
    plans: list[ImportPlan] = Field(default_factory=list, max_length=200)
    documents: list[ImportDocument] = Field(default_factory=list, max_length=500)
    allocations: list[ImportAllocation] = Field(default_factory=list, max_length=200)
    # The line of the file this record came from, so later errors name the right line.
    _line: int = PrivateAttr(default=0)

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if self.status_override is not None and not self.status_override_reason:
            raise ValueError("status_override_reason: say why the computed status is overridden")
        for i, o in enumerate(self.observations):
            if o.recorded_on > today():
                raise ValueError(f"observations: entry {i} is dated in the future")
            age = legal_status.age_on(self.date_of_birth, max(o.recorded_on, self.date_of_birth))
            for field_name, reason in observation_problems(
                o.in_touch, o.activity, o.accommodation, age=age
            ):
                raise ValueError(f"observations: entry {i} {field_name}: {reason}")
        for i, c in enumerate(self.contacts):
            if c.on > today():
                raise ValueError(f"contacts: entry {i} is dated in the future")
        problem = allocation_problem(self)
        if problem:
            raise ValueError(problem)
        return self


Progress = Callable[[int], None]


def _field(error: ErrorDetails) -> tuple[str, str]:
    loc = ".".join(str(p) for p in error["loc"]) or "record"
    message = str(error["msg"]).removeprefix("Value error, ")
    head, sep, rest = message.partition(": ")
    if sep and head.replace("_", "").isalpha() and " " not in head:
        return (f"{loc}.{head}" if loc != "record" else head), rest
    return loc, message


def parse_lines(lines: Iterable[str], progress: Progress | None = None) -> list[ImportRecord]:
    """Check every line; raise ImportFailed at the first bad one."""
    records: list[ImportRecord] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if progress:
            progress(1)
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ImportFailed(
                number, "line", f"not valid JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(data, dict):
            raise ImportFailed(number, "line", "each line must be one JSON object")
        for key, why in NOT_YET_IMPORTED.items():
            if data.get(key):
                raise ImportFailed(number, key, why)
        # JSON can only spell NUL as an escape (a raw control character is not valid JSON), so a
        # line without one has none anywhere: its fields need not each be searched.
        context = None if "\\u0000" in raw else {NUL_CHECKED: True}
        try:
            record = ImportRecord.model_validate(data, context=context)
        except ValidationError as exc:
            field_name, message = _field(exc.errors()[0])
            raise ImportFailed(number, field_name, message) from None
        if record.external_id in seen:
            raise ImportFailed(
                number,
                "external_id",
                f"{record.external_id!r} is already on line {seen[record.external_id]}",
            )
        seen[record.external_id] = number
        record._line = number
        records.append(record)
    return records
