"""Issue 16's cuts to the phone's reads keep every answer as it was: the token lookup built once
still refuses a revoked session or a disabled account on the very next request; the home screen's
core pages to read, now picked without listing the whole library, are exactly the listing's; the
plan version awaiting an answer, now a column of the home screen's one query, shows and goes at
once; the answer serialised by pydantic is the model's JSON."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.auth import users
from portal_api.common.actor import Actor
from portal_api.content import service as content
from portal_api.content.library import Library
from portal_api.content.schemas import Applies
from portal_api.models import User
from portal_api.summary.schemas import Summary
from tests.factories import World

API = "/api/v1"
SUMMARY = f"{API}/young-people/me/summary"


async def test_the_once_built_token_lookup_answers_each_token_for_its_own_user(
    client: httpx.AsyncClient, world: World
) -> None:
    users._session_select.cache_clear()
    for who in ("young_person", "pa", "young_person", "other_org_manager", "young_person"):
        me = await client.get(f"{API}/users/me", headers=world.auth(who))
        assert me.status_code == 200, me.text
        assert me.json()["id"] == str(world.users[who])


async def test_a_disabled_account_fails_on_the_very_next_request(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = world.auth("young_person")
    assert (await client.get(SUMMARY, headers=headers)).status_code == 200
    async with sessionmaker() as session:
        await session.execute(
            update(User).where(User.id == world.users["young_person"]).values(is_active=False)
        )
        await session.commit()
    assert (await client.get(SUMMARY, headers=headers)).status_code == 401


async def test_signing_out_everywhere_fails_every_session_on_the_next_request(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = world.auth("young_person")
    assert (await client.get(SUMMARY, headers=headers)).status_code == 200
    async with sessionmaker() as session:
        await users.revoke_all_sessions(session, world.users["young_person"])
        await session.commit()
    assert (await client.get(SUMMARY, headers=headers)).status_code == 401


def _listed(library: Library, who: content.Reader, lang: str) -> list[Any]:
    """The definition core_pages_to_read had: the listing, filtered."""
    return [
        p
        for p in content.list_pages(library, who, lang).items
        if p.core and p.applies is Applies.now and not p.responded
    ]


@pytest.mark.parametrize("lang", ["en", "ar", "ps"])
async def test_core_pages_to_read_are_the_listings_core_pages_that_apply_and_are_unanswered(
    app: Any, session: AsyncSession, world: World, lang: str
) -> None:
    library: Library = app.state.library
    readers = []
    for who in ("young_person", "pa"):
        user = await session.get(User, world.users[who])
        assert user is not None
        readers.append(await content.reader(session, Actor(user=user, ip=None)))
    amira = readers[0]
    core = [p for p in content.list_pages(library, amira, lang).items if p.core]
    assert core, "the demo content has core pages"
    # Answered at the current revision, at an old one, and half of them.
    readers += [
        dataclasses.replace(amira, responded=frozenset({(p.slug, p.revision) for p in core})),
        dataclasses.replace(amira, responded=frozenset({(p.slug, p.revision - 1) for p in core})),
        dataclasses.replace(amira, responded=frozenset({(p.slug, p.revision) for p in core[::2]})),
        dataclasses.replace(amira, org_slug="westshire"),
    ]
    for reader in readers:
        assert content.core_pages_to_read(library, reader, lang) == _listed(library, reader, lang)
    assert content.core_pages_to_read(library, readers[0], lang)
    assert content.core_pages_to_read(library, readers[2], lang) == []


def test_a_councils_english_pages_are_merged_once_and_cannot_be_changed(app: Any) -> None:
    library: Library = app.state.library
    merged = library.english("eastmarsh")
    assert merged is library.english("eastmarsh")
    with pytest.raises(TypeError):
        merged["x"] = merged[next(iter(merged))]  # type: ignore[index]


async def test_the_home_screen_is_the_summary_models_json(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(SUMMARY, headers=world.auth("young_person"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert Summary.model_validate(body).model_dump(mode="json") == body
    assert body["young_person_id"] == str(world.young_people["own"])
