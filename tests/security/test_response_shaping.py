"""Nothing staff-only reaches a young person: with sentinel strings planted in every staff-only
field of their record (hide reasons, the words of hidden messages, safeguarding flags, unshared
drafts, contact notes, audit detail and IPs, delivery errors), in credentials, and in another
young person's record, every GET route a young person may call about themselves is called as
them, and no sentinel, no other member of staff's id or email, appears in any response.

The routes are read from the OpenAPI document, so a new route under /young-people/{yp} is
checked the day it is added. Zips are opened and PDFs read as text, not searched as bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import World
from tests.security.support import fill_record, other_staff, plant_sentinels

API = "/api/v1"
OWN_RECORD = f"{API}/young-people/{{yp}}"
ALSO = (f"{API}/users/me", f"{API}/organisation", f"{API}/local-offer")
# What each path parameter is when a young person asks about themselves.
PATH_VALUES = {"yp": "me", "n": "1", "slug": "your-rights"}
# Staff-only fields by name: present even when empty, they say a flag or a hide exists.
STAFF_ONLY_FIELDS = frozenset({"hidden_reason", "hidden_by", "flagged", "flagged_by", "flags"})
# Asked as well: the unshared draft, which must not be there for them.
EXTRA = (f"{API}/young-people/me/plan/versions/2", f"{API}/young-people/me/plan/versions/2/pdf")


def young_person_get_paths(app: FastAPI) -> list[str]:
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return sorted(
        path
        for path, operations in paths.items()
        if "get" in operations
        and (path.startswith(OWN_RECORD) or path in ALSO or path.startswith(f"{API}/local-offer/"))
    )


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _field_names(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {name for item in value.values() for name in _field_names(item)}
    if isinstance(value, list):
        return {name for item in value for name in _field_names(item)}
    return set()


def readable(content: bytes, content_type: str) -> str:
    """What the young person's device would show or store, as text."""
    if content_type.startswith("application/pdf"):
        return _pdf_text(content)
    if content_type.startswith("application/zip"):
        parts = []
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                data = archive.read(name)
                parts.append(_pdf_text(data) if name.endswith(".pdf") else data.decode())
        return "\n".join(parts)
    return content.decode()


def _json_parts(content: bytes, content_type: str) -> list[Any]:
    if content_type.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [json.loads(archive.read("record.json"))]
    return [json.loads(content)]


@pytest.fixture
async def planted(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> dict[str, str]:
    await fill_record(client, world)
    return {**await plant_sentinels(sessionmaker, world), **other_staff(world)}


async def test_no_staff_only_field_reaches_the_young_person(
    app: FastAPI, client: httpx.AsyncClient, world: World, planted: dict[str, str]
) -> None:
    paths = young_person_get_paths(app)
    unfilled = {p for p in paths if "{" in p.replace("{yp}", "").format_map(_Unfilled())}
    assert not unfilled, f"add a value to PATH_VALUES for: {sorted(unfilled)}"
    urls = [p.format(**PATH_VALUES) for p in paths] + list(EXTRA)
    leaks: list[str] = []
    answered: dict[str, int] = {}
    for url in urls:
        response = await client.get(url, headers=world.auth("young_person"))
        answered[url] = response.status_code
        content_type = response.headers.get("content-type", "")
        text = readable(response.content, content_type)
        leaks += [f"{url}: {name}" for name, value in planted.items() if value in text]
        if "json" in content_type or url.endswith("/export"):
            names = _field_names(_json_parts(response.content, content_type))
            leaks += [f"{url}: field {name}" for name in sorted(names & STAFF_ONLY_FIELDS)]
    assert not leaks, "staff-only data shown to a young person:\n" + "\n".join(leaks)
    # The walk is not vacuous: the young person's own screens answered, the draft did not.
    assert answered[f"{API}/young-people/me/summary"] == 200
    assert answered[f"{API}/young-people/me/messages"] == 200
    assert answered[f"{API}/young-people/me/export"] == 200
    assert answered[f"{API}/young-people/me/plan/versions/2"] == 404
    assert sum(status == 200 for status in answered.values()) >= 15, answered


class _Unfilled(dict[str, str]):
    """``str.format_map`` helper: known parameters filled, unknown ones left as ``{name}``."""

    def __missing__(self, key: str) -> str:
        return PATH_VALUES.get(key, f"{{{key}}}")


async def test_access_log_does_not_reveal_a_safeguarding_flag(
    client: httpx.AsyncClient, world: World, planted: dict[str, str]
) -> None:
    response = await client.get(
        f"{API}/young-people/me/access-log", headers=world.auth("young_person")
    )
    assert response.status_code == 200
    assert "message.flag" not in response.text
