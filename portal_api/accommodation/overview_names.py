"""The names behind each figure of the providers overview: the young people of a scheme aggregated
by SQL into one string (one entry per young person, the name last) and read back as plain dicts, so
a big council sends a few hundred rows to Python, not one per young person per figure; and the
window the figures look back over."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, cast, func

from portal_api.models import YoungPerson

OVERVIEW_MONTHS = 12

# Inside an aggregated list of young people: between one person's fields, and between people.
FIELD, RECORD = "\x1f", "\x1e"
PERSON_GROUP = (
    YoungPerson.id,
    YoungPerson.given_name,
    YoungPerson.preferred_name,
    YoungPerson.family_name,
)


def name_column() -> ColumnElement[str]:
    name = func.coalesce(YoungPerson.preferred_name, YoungPerson.given_name)
    return name + " " + YoungPerson.family_name


def person_entry(*numbers: ColumnElement[Any]) -> ColumnElement[str]:
    """``id␟n␟…␟name`` for one young person; the name goes last, so only the record separator
    needs taking out of it."""
    entry: ColumnElement[str] = cast(YoungPerson.id, String)
    for number in numbers:
        entry = entry + FIELD + cast(number, String)
    return entry + FIELD + func.replace(name_column(), RECORD, " ")


def people_in(aggregated: str | None, *numbers: str) -> list[dict[str, Any]]:
    """The young people in an aggregated list, by name, as plain dicts: the row's schema then
    validates them all in one call instead of one model per name."""
    people = []
    for entry in (aggregated or "").split(RECORD):
        if entry:
            person_id, *values, name = entry.split(FIELD, len(numbers) + 1)
            person: dict[str, Any] = {"young_person_id": person_id, "full_name": name}
            person.update(zip(numbers, map(int, values), strict=True))
            people.append(person)
    return sorted(people, key=lambda p: (p["full_name"], p["young_person_id"]))


def most_open_first(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(people, key=lambda p: (-p["open"], p["full_name"], p["young_person_id"]))
