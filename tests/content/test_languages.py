"""The local offer's lists speak the language asked for: ``?lang=`` first, else the browser's
Accept-Language where the library has it, else English."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.content.dependencies import _from_accept_language
from portal_api.content.library import Library
from portal_api.models import YoungPerson
from tests.factories import World

API = "/api/v1"
SPOKEN = {"en", "ar", "ps"}


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("ar", "ar"),
        ("ps-AF,ps;q=0.9,en;q=0.5", "ps"),
        ("fr-FR,fr;q=0.9,ar;q=0.8,en;q=0.7", "ar"),
        ("en;q=0.5,ar;q=0.9", "ar"),
        ("fr", None),
        ("ar;q=0", None),
        ("ar;q=bad,ps", "ps"),
        ("", None),
    ],
)
def test_accept_language_picks_the_heaviest_language_the_library_has(
    header: str, chosen: str | None
) -> None:
    assert _from_accept_language(header, SPOKEN) == chosen


async def test_the_list_follows_accept_language_without_lang(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{API}/local-offer",
        headers=world.auth("young_person") | {"Accept-Language": "ar,en;q=0.5"},
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == "ar"
    assert any(item["lang"] == "ar" for item in response.json()["items"])


async def test_lang_wins_over_accept_language(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        f"{API}/local-offer",
        params={"lang": "en"},
        headers=world.auth("young_person") | {"Accept-Language": "ar"},
    )

    assert response.headers["Content-Language"] == "en"
    assert {item["lang"] for item in response.json()["items"]} == {"en"}


ARABIC_TITLE = "منحة تأسيس المنزل"


@pytest.fixture
def translated_allowance(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Arabic translation of the setting up home allowance page (the content has none yet)."""
    library: Library = app.state.library
    english = library.english("eastmarsh")["setting-up-home-allowance"]
    arabic = replace(
        english,
        lang="ar",
        meta=english.meta.model_copy(
            update={
                "title": ARABIC_TITLE,
                "translation_of": english.meta.slug,
                "translates_revision": english.meta.revision,
            }
        ),
    )
    pages = dict(library.pages.get((english.owner, "ar"), {}))
    pages["setting-up-home-allowance"] = arabic
    monkeypatch.setitem(library.pages, (english.owner, "ar"), pages)


@pytest.mark.usefixtures("translated_allowance")
async def test_entitlement_titles_follow_the_language_and_the_english_line_stays(
    client: httpx.AsyncClient, world: World
) -> None:
    english = await client.get(
        f"{API}/young-people/me/entitlements", headers=world.auth("young_person")
    )
    arabic = await client.get(
        f"{API}/young-people/me/entitlements",
        params={"lang": "ar"},
        headers=world.auth("young_person"),
    )

    assert arabic.status_code == 200, arabic.text
    by_slug = {e["slug"]: e for e in english.json()}
    allowance = {e["slug"]: e for e in arabic.json()}["setting-up-home-allowance"]
    assert allowance["title"] == allowance["message_params"]["title"] == ARABIC_TITLE
    # The English line is for API users; the app words message_code itself.
    assert allowance["message"] == by_slug["setting-up-home-allowance"]["message"]
    # Untranslated pages keep their English titles.
    assert [e["title"] for e in arabic.json() if e["slug"] != "setting-up-home-allowance"] == [
        e["title"] for e in english.json() if e["slug"] != "setting-up-home-allowance"
    ]


async def test_a_page_shown_in_english_instead_says_why_as_a_code(
    client: httpx.AsyncClient, world: World
) -> None:
    untranslated = await client.get(
        f"{API}/local-offer/setting-up-home-allowance",
        params={"lang": "ar"},
        headers=world.auth("young_person"),
    )
    translated = await client.get(
        f"{API}/local-offer/pathway-plan",
        params={"lang": "ar"},
        headers=world.auth("young_person"),
    )

    assert untranslated.status_code == 200, untranslated.text
    assert untranslated.json()["notice_code"] == "not_translated"
    assert untranslated.json()["notice"]
    assert (translated.json()["lang"], translated.json()["notice_code"]) == ("ar", None)


@pytest.mark.usefixtures("translated_allowance")
async def test_entitlements_say_which_language_each_title_is_in(
    client: httpx.AsyncClient, world: World
) -> None:
    arabic = await client.get(
        f"{API}/young-people/me/entitlements",
        headers=world.auth("young_person") | {"Accept-Language": "ar"},
    )

    assert arabic.status_code == 200, arabic.text
    langs = {e["slug"]: e["title_lang"] for e in arabic.json()}
    assert langs.pop("setting-up-home-allowance") == "ar"
    # Untranslated titles are English and say so, so the app marks them lang="en".
    assert set(langs.values()) <= {"en"}


async def test_home_rights_titles_follow_the_language_asked_for_and_say_theirs(
    client: httpx.AsyncClient, world: World
) -> None:
    english = await client.get(f"{API}/young-people/me/summary", headers=world.auth("young_person"))
    arabic = await client.get(
        f"{API}/young-people/me/summary",
        headers=world.auth("young_person") | {"Accept-Language": "ar"},
    )
    pages = await client.get(
        f"{API}/local-offer", params={"lang": "ar"}, headers=world.auth("young_person")
    )

    assert arabic.status_code == 200, arabic.text
    to_read = arabic.json()["rights_to_read"]
    assert to_read, "the young person has core pages to read"
    # The same pages in both languages, each title in the language the list gives it.
    assert sorted(r["slug"] for r in to_read) == sorted(
        r["slug"] for r in english.json()["rights_to_read"]
    )
    listed = {p["slug"]: (p["title"], p["lang"]) for p in pages.json()["items"]}
    assert {r["slug"]: (r["title"], r["lang"]) for r in to_read} == {
        r["slug"]: listed[r["slug"]] for r in to_read
    }
    assert any(r["lang"] == "ar" for r in to_read)
    assert {r["lang"] for r in english.json()["rights_to_read"]} == {"en"}


async def test_the_summary_says_the_language_recorded_for_the_young_person(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await session.execute(
        update(YoungPerson)
        .where(YoungPerson.id == world.young_people["own"])
        .values(preferred_language="ps")
    )
    await session.commit()

    response = await client.get(
        f"{API}/young-people/me/summary", headers=world.auth("young_person")
    )

    assert response.status_code == 200, response.text
    assert response.json()["preferred_language"] == "ps"
