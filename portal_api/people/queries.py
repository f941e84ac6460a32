"""Clauses over young people's records that more than one list uses: the search a PA types into
the list of young people and into the console's caseload, and whose case is open on a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, or_

from portal_api.models import YoungPerson


def named_or_numbered(search: str) -> ColumnElement[bool]:
    """Young people whose full name, preferred name or external id contains ``search``, in any
    case (what a PA types: "amira", "Amira Hassan", "col1")."""
    term = f"%{search.strip().lower()}%"
    return or_(
        func.lower(YoungPerson.given_name + " " + YoungPerson.family_name).like(term),
        func.lower(YoungPerson.preferred_name).like(term),
        func.lower(YoungPerson.external_id).like(term),
    )


def open_on(on: date) -> ColumnElement[bool]:
    """Young people whose case is open on ``on``: never closed, or closed on a later day (a case
    closed today is no longer open today)."""
    return or_(YoungPerson.closed_on.is_(None), YoungPerson.closed_on > on)
