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

from sqlalchemy import ColumnElement, Text, false, func, literal_column, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


def joined_strings(expression: Any, separator: str) -> Any:
    """``aggregate_strings(expression, separator)`` with the separator written into the SQL
    (``string_agg`` on PostgreSQL, ``group_concat`` on SQLite), not a post-compile parameter."""
    quoted: Any = literal_column("'" + separator.replace("'", "''") + "'")  # typed as a str
    return func.aggregate_strings(expression, quoted)


def one_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN (values)`` for a fixed set known when the statement is built, as
    ``column = :a OR column = :b``: ordinary bound parameters, unlike ``in_``'s expanding one."""
    return or_(false(), *(column == value for value in sorted(values, key=str)))


class json_rows(FunctionElement[str]):
    """The rows of a correlated subquery as one JSON text, each row an array of ``columns``:
    ``json_agg(json_build_array(…))`` on PostgreSQL, ``json_group_array(json_array(…))`` on SQLite.
    A few small rows (a plan's actions due soon) ride in the home screen's one query instead of
    a query and a round trip of their own; read back with ``json.loads``, in no particular order."""

    type = Text()
    inherit_cache = True
    name = "json_rows"


@compiles(json_rows, "postgresql")
def _json_rows_postgresql(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))::text"


@compiles(json_rows, "sqlite")
def _json_rows_sqlite(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"
