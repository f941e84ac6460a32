"""SQL pieces that SQLAlchemy's compiled cache can serve as they are.

A statement with "post-compile" parameters (an ``IN`` list of values, the separator of
``aggregate_strings``) has its SQL re-rendered with a regular expression on every execution, even
when the compiled form comes from the cache; for the phone's home screen (a 6,000-character
statement run on every open) that was a visible share of the server's CPU (bench/README.md,
issue 16). These write the same SQL with plain bound parameters or constant text instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal_column, or_


def joined_strings(expression: Any, separator: str) -> Any:
    """``aggregate_strings(expression, separator)`` with the separator written into the SQL
    (``string_agg`` on PostgreSQL, ``group_concat`` on SQLite), not a post-compile parameter."""
    quoted = "'" + separator.replace("'", "''") + "'"
    return func.aggregate_strings(expression, literal_column(quoted))


def one_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN (values)`` for a fixed set known when the statement is built, as
    ``column = :a OR column = :b``: ordinary bound parameters, unlike ``in_``'s expanding one."""
    return or_(false(), *(column == value for value in sorted(values, key=str)))
