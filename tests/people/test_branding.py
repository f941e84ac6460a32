"""Before sign-in: the council's branding and the web app manifest, public and cacheable; which
council is the deployment's; discreet by default; administrators change it through /organisation."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from py_vapid import Vapid
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.config import Settings
from portal_api.people.branding import DEFAULT_DISCREET_NAME
from tests.factories import World, make_org

BRANDING = "/api/v1/branding"
MANIFEST = "/manifest.webmanifest"
ORGANISATION = "/api/v1/organisation"


@pytest.fixture
def deployment(app: FastAPI, settings: Settings) -> Iterator[dict[str, object]]:
    """Change the app's settings for one test (the world has two councils, so most tests name
    the deployment's)."""
    changes: dict[str, object] = {"default_org": "eastmarsh"}
    original = app.state.settings

    def apply() -> None:
        app.state.settings = settings.model_copy(update=changes)

    apply()
    changes["apply"] = apply
    yield changes
    app.state.settings = original


def _reapply(deployment: dict[str, object], **changes: object) -> None:
    deployment.update(changes)
    apply = deployment["apply"]
    assert callable(apply)
    apply()


async def test_branding_needs_no_sign_in_and_names_the_deployments_council(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    response = await client.get(BRANDING)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "name": "Eastmarsh Council",
        "short_name": "Eastmarsh Council",
        "discreet_name": DEFAULT_DISCREET_NAME,
        "colour": "#1d70b8",
        "logo_url": None,
        "out_of_hours_phone": "01632 960 999",
        "vapid_public_key": None,
    }


async def test_branding_is_cacheable_and_revalidates_with_its_etag(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    first = await client.get(BRANDING)

    again = await client.get(BRANDING, headers={"If-None-Match": first.headers["etag"]})

    assert first.headers["cache-control"].startswith("public")
    assert again.status_code == 304
    assert again.content == b""


async def test_a_change_by_the_administrator_shows_in_branding_with_a_new_etag(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    before = await client.get(BRANDING)

    changed = await client.patch(
        ORGANISATION,
        headers=world.auth("admin"),
        json={
            "short_name": "Eastmarsh",
            "discreet_name": "Daybook",
            "logo_url": "/branding/eastmarsh.svg",
            "brand_colour": "#00703c",
        },
    )
    after = await client.get(BRANDING, headers={"If-None-Match": before.headers["etag"]})

    assert changed.status_code == 200, changed.text
    assert changed.json()["discreet_name"] == "Daybook"
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    body = after.json()
    assert (body["short_name"], body["discreet_name"], body["logo_url"], body["colour"]) == (
        "Eastmarsh",
        "Daybook",
        "/branding/eastmarsh.svg",
        "#00703c",
    )


async def test_the_administrator_reads_the_branding_fields_on_the_organisation(
    client: httpx.AsyncClient, world: World
) -> None:
    await client.patch(ORGANISATION, headers=world.auth("admin"), json={"short_name": "Eastmarsh"})

    response = await client.get(ORGANISATION, headers=world.auth("admin"))

    assert response.json()["short_name"] == "Eastmarsh"
    assert response.json()["discreet_name"] is None
    assert response.json()["logo_url"] is None


@pytest.mark.parametrize(
    "logo_url", ["https://cdn.example.org/logo.png", "//cdn.example.org/logo.png", "logo.png"]
)
async def test_a_logo_from_another_site_is_refused_because_the_csp_would_block_it(
    client: httpx.AsyncClient, world: World, logo_url: str
) -> None:
    response = await client.patch(
        ORGANISATION, headers=world.auth("admin"), json={"logo_url": logo_url}
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.logo_url"]


async def test_only_an_administrator_changes_the_branding(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.patch(
        ORGANISATION, headers=world.auth("org_manager"), json={"discreet_name": "Care app"}
    )

    assert response.status_code == 403


async def test_without_a_default_the_only_council_is_the_deployments(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    deployment: dict[str, object],
) -> None:
    _reapply(deployment, default_org=None)
    async with sessionmaker() as session, session.begin():
        await make_org(session, "solo")

    response = await client.get(BRANDING)

    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Solo Council"


async def test_without_a_default_several_councils_is_not_found_and_says_what_to_set(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    _reapply(deployment, default_org=None)

    response = await client.get(BRANDING)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "PORTAL_DEFAULT_ORG" in response.json()["detail"]


async def test_a_default_naming_no_council_is_not_found(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    _reapply(deployment, default_org="nowhere")

    response = await client.get(BRANDING)

    assert response.status_code == 404
    assert "nowhere" in response.json()["detail"]


async def test_branding_offers_the_push_key_that_matches_the_private_key(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    vapid = Vapid()
    vapid.generate_keys()
    _reapply(deployment, vapid_private_key=vapid.private_pem().decode())

    response = await client.get(BRANDING)

    key = response.json()["vapid_public_key"]
    # The key the app subscribes with must be the private key's own public half.
    assert Vapid.from_raw_public(key.encode()).public_key == vapid.public_key


# --- the web app manifest ------------------------------------------------------------------


async def test_the_manifest_installs_the_app_under_its_discreet_name(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    response = await client.get(MANIFEST)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/manifest+json"
    assert response.headers["cache-control"] == "no-cache"
    manifest = response.json()
    assert manifest["name"] == DEFAULT_DISCREET_NAME
    assert manifest["short_name"] == DEFAULT_DISCREET_NAME
    assert "care" not in response.text.lower()
    assert "council" not in response.text.lower()
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d70b8"
    sizes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


async def test_the_manifest_uses_the_councils_name_when_asked(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    response = await client.get(MANIFEST, params={"name": "council"})

    assert response.json()["name"] == "Eastmarsh Council"


async def test_the_manifest_follows_the_councils_chosen_discreet_name_and_colour(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    await client.patch(
        ORGANISATION,
        headers=world.auth("admin"),
        json={"discreet_name": "Daybook", "brand_colour": "#00703c"},
    )

    manifest = (await client.get(MANIFEST)).json()

    assert (manifest["name"], manifest["theme_color"]) == ("Daybook", "#00703c")


def _png_size_and_first_pixel(png: bytes) -> tuple[int, int, bytes]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    idat_length = struct.unpack(">I", png[33:37])[0]
    assert png[37:41] == b"IDAT"
    pixels = zlib.decompress(png[41 : 41 + idat_length])
    return width, height, pixels[1:4]


@pytest.mark.parametrize("size", [192, 512])
async def test_every_icon_in_the_manifest_is_a_png_of_its_size_in_the_councils_colour(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object], size: int
) -> None:
    manifest = (await client.get(MANIFEST)).json()
    src = next(i["src"] for i in manifest["icons"] if i["sizes"] == f"{size}x{size}")

    response = await client.get(src)

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    width, height, corner = _png_size_and_first_pixel(response.content)
    assert (width, height) == (size, size)
    assert corner == bytes.fromhex("1d70b8")


async def test_an_icon_of_another_size_is_refused(
    client: httpx.AsyncClient, world: World, deployment: dict[str, object]
) -> None:
    response = await client.get("/api/v1/branding/icons/64.png")

    assert response.status_code == 404
