"""Every integer the API takes is bounded in the schema, so a number too big for a database
column is invalid input (422), never a 500 from the driver (SQLite's integers stop at 64 bits,
PostgreSQL's INTEGER at 32)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from portal_api.cli import render_openapi
from portal_api.common.schemas import MAX_BIGINT
from tests.factories import World

API = "/api/v1"


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _integers(
    spec: dict[str, Any], schema: dict[str, Any], where: str, seen: frozenset[str] = frozenset()
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every integer schema reachable from ``schema``, with where it was found."""
    ref = schema.get("$ref")
    if ref in seen:
        return
    seen = seen | {ref} if ref else seen
    schema = _resolve(spec, schema)
    if schema.get("type") == "integer":
        yield where, schema
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _integers(spec, option, where, seen)
    if "items" in schema:
        yield from _integers(spec, schema["items"], f"{where}[]", seen)
    for name, prop in schema.get("properties", {}).items():
        yield from _integers(spec, prop, f"{where}.{name}", seen)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from _integers(spec, extra, f"{where}.*", seen)


def _inputs(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Integers in every operation's parameters and request bodies: what a caller sends."""
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            name = f"{method.upper()} {path}"
            for parameter in op.get("parameters", []):
                where = f"{name} {parameter['in']}.{parameter['name']}"
                yield from _integers(spec, parameter["schema"], where)
            for media in op.get("requestBody", {}).get("content", {}).values():
                yield from _integers(spec, media["schema"], f"{name} body")


def test_every_integer_a_caller_sends_has_a_minimum_and_a_maximum_within_64_bits(
    app: FastAPI,
) -> None:
    spec = json.loads(render_openapi(app))
    found = list(_inputs(spec))

    unbounded = [
        where
        for where, schema in found
        if "maximum" not in schema
        or "minimum" not in schema
        or not -MAX_BIGINT - 1 <= schema["minimum"] <= schema["maximum"] <= MAX_BIGINT
    ]

    assert len(found) > 10  # the walk finds the pages, cursors, ids and numbers it should
    assert unbounded == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        pytest.param("/young-people/me/messages", {"after": "1e20"}, "query.after", id="after"),
        pytest.param(
            "/young-people/me/messages", {"before": str(2**64)}, "query.before", id="before"
        ),
        pytest.param(
            "/young-people/me/access-log",
            {"offset": "9223372036854775808"},
            "query.offset",
            id="offset",
        ),
        pytest.param(
            "/young-people/me/plan/versions/100000000000000000000", {}, "path.n", id="version"
        ),
    ],
)
async def test_a_number_too_big_for_the_database_is_invalid_input(
    client: httpx.AsyncClient, world: World, path: str, params: dict[str, str], field: str
) -> None:
    response = await client.get(f"{API}{path}", params=params, headers=world.auth("young_person"))

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("action", ["hide", "flags"])
async def test_a_message_id_too_big_for_the_database_is_invalid_input(
    client: httpx.AsyncClient, world: World, action: str
) -> None:
    response = await client.post(
        f"{API}/young-people/{world.young_people['own']}/messages/{2**64}/{action}",
        json={"reason": "checking"},
        headers=world.auth("pa"),
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["path.message_id"]


async def test_reading_up_to_a_message_id_too_big_for_the_database_is_invalid_input(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{API}/young-people/me/messages/read",
        json={"up_to": 2**64},
        headers=world.auth("young_person"),
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.up_to"]
