"""Clauses over young people's records that more than one list uses: the search a PA types into
the list of young people and into the console's caseload."""

from __future__ import annotations

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
