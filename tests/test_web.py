"""The built app served at /: hashed assets kept for a year, pages and the service worker checked
each time, app routes answered with the app's page, the API's own paths untouched, the same strict
CSP, and a plain answer saying how to build the app when it is not built."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from portal_api.security import CONTENT_SECURITY_POLICY
from tests.factories import World

YOUNG_PERSONS_PAGE = '<!doctype html><html lang="en"><title>app</title><script type="module" src="/assets/app-3f9a1c.js"></script></html>'
STAFF_PAGE = "<!doctype html><html><title>staff console</title></html>"
SCRIPT = "console.log('the app')"
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built app as `npm run build` leaves it, in miniature; and a file beside it that must
    never be served."""
    tmp_path = tmp_path_factory.mktemp("web")
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "staff").mkdir()
    (built / "index.html").write_text(YOUNG_PERSONS_PAGE)
    (built / "staff" / "index.html").write_text(STAFF_PAGE)
    (built / "assets" / "app-3f9a1c.js").write_text(SCRIPT)
    (built / "assets" / "app-77b0de.css").write_text("body{margin:0}")
    (built / "sw.js").write_text("self.addEventListener('install', () => {})")
    (built / "registerSW.js").write_text("navigator.serviceWorker.register('/sw.js')")
    (built / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("not for anyone")
    return built


@asynccontextmanager
async def _app_client(
    settings: Settings, engine: AsyncEngine, web_dir: Path
) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(settings.model_copy(update={"web_dir": web_dir}))
    await app.state.engine.dispose()
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        yield client


@pytest.fixture(scope="module")
async def web(
    settings: Settings, engine: AsyncEngine, dist: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async with _app_client(settings, engine, dist) as client:
        yield client


async def test_the_young_persons_app_is_served_at_the_root_and_checked_each_time(
    web: httpx.AsyncClient,
) -> None:
    response = await web.get("/")

    assert response.status_code == 200
    assert response.text == YOUNG_PERSONS_PAGE
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"


async def test_the_app_gets_the_same_strict_csp_as_the_api(web: httpx.AsyncClient) -> None:
    page = await web.get("/")
    script = await web.get("/assets/app-3f9a1c.js")

    for response in (page, script):
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
    policy = page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    for directive in ("worker-src 'self'", "manifest-src 'self'", "connect-src 'self'"):
        assert directive in policy


@pytest.mark.parametrize("path", ["/assets/app-3f9a1c.js", "/assets/app-77b0de.css"])
async def test_hashed_assets_are_kept_for_a_year(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)

    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE


async def test_a_script_is_served_as_javascript(web: httpx.AsyncClient) -> None:
    response = await web.get("/assets/app-3f9a1c.js")

    assert response.text == SCRIPT
    assert "javascript" in response.headers["content-type"]


@pytest.mark.parametrize("path", ["/sw.js", "/registerSW.js", "/staff/index.html", "/favicon.svg"])
async def test_the_service_worker_and_pages_are_checked_each_time(
    web: httpx.AsyncClient, path: str
) -> None:
    response = await web.get(path)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/plan", "/plan/versions/2", "/local-offer/your-rights", "/invite"]
)
async def test_a_route_of_the_app_gets_the_young_persons_page(
    web: httpx.AsyncClient, path: str
) -> None:
    response = await web.get(path)

    assert response.status_code == 200
    assert response.text == YOUNG_PERSONS_PAGE
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/staff", "/staff/", "/staff/caseload", "/staff/young-people/x"])
async def test_a_route_of_the_staff_console_gets_the_staff_page(
    web: httpx.AsyncClient, path: str
) -> None:
    response = await web.get(path)

    assert response.status_code == 200
    assert response.text == STAFF_PAGE
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/assets/app-old000.js", "/missing.png"])
async def test_a_missing_file_is_not_found_rather_than_a_page(
    web: httpx.AsyncClient, path: str
) -> None:
    response = await web.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "immutable" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api", "/openapi.json/x", "/healthz/x"])
async def test_an_unknown_api_path_stays_a_problem_not_the_app(
    web: httpx.AsyncClient, path: str
) -> None:
    response = await web.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_api_itself_is_untouched(web: httpx.AsyncClient, world: World) -> None:
    me = await web.get("/api/v1/users/me", headers=world.auth("pa"))
    health = await web.get("/healthz")
    spec = await web.get("/openapi.json")

    assert me.status_code == 200
    assert health.status_code == 200
    assert spec.json()["openapi"].startswith("3.")


async def test_a_write_outside_the_api_is_not_found_not_the_app(web: httpx.AsyncClient) -> None:
    response = await web.post("/plan", json={})

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_nothing_outside_the_built_app_is_served(web: httpx.AsyncClient) -> None:
    response = await web.get("/..%2Fsecret.txt")
    dotted = await web.get("/assets/..%2F..%2Fsecret.txt")

    for answer in (response, dotted):
        assert "not for anyone" not in answer.text
        assert answer.status_code == 404


async def test_a_page_the_phone_has_is_not_sent_again(web: httpx.AsyncClient) -> None:
    first = await web.get("/")

    again = await web.get("/", headers={"If-None-Match": first.headers["etag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == "no-cache"


async def test_head_answers_without_a_body(web: httpx.AsyncClient) -> None:
    response = await web.head("/assets/app-3f9a1c.js")

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["cache-control"] == IMMUTABLE


async def test_without_a_built_app_the_root_says_how_to_build_it_and_the_api_still_works(
    settings: Settings, engine: AsyncEngine, tmp_path: Path, world: World
) -> None:
    async with _app_client(settings, engine, tmp_path / "not-built") as client:
        root = await client.get("/")
        route = await client.get("/plan")
        me = await client.get("/api/v1/users/me", headers=world.auth("pa"))

    assert root.status_code == 503
    assert root.headers["content-type"] == "application/problem+json"
    assert "npm ci && npm run build" in root.json()["detail"]
    assert route.status_code == 503
    assert me.status_code == 200


async def test_the_app_is_sent_compressed_to_a_browser_that_accepts_gzip(
    settings: Settings, engine: AsyncEngine, tmp_path: Path
) -> None:
    """A phone on little data gets the app gzipped; a client that does not ask gets it plain."""
    script = "const greeting = 'Hello';\n" * 400
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(YOUNG_PERSONS_PAGE)
    (tmp_path / "assets" / "app-9e1f00.js").write_text(script)
    async with _app_client(settings, engine, tmp_path) as client:
        zipped = await client.get("/assets/app-9e1f00.js", headers={"Accept-Encoding": "gzip"})
        plain = await client.get("/assets/app-9e1f00.js", headers={"Accept-Encoding": "identity"})

    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(script) / 10
    assert zipped.text == script  # httpx undoes the gzip
    assert zipped.headers["cache-control"] == IMMUTABLE
    assert "content-encoding" not in plain.headers
    assert plain.text == script


@pytest.fixture
def with_brotli_copies(tmp_path: Path) -> Path:
    """A build with Brotli copies beside its larger files, as pwa/vite.config.ts leaves them. The
    copies' bytes are a marker, not real Brotli: the server must send them as they are."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(YOUNG_PERSONS_PAGE)
    (tmp_path / "index.html.br").write_bytes(b"brotli page")
    (tmp_path / "assets" / "app-9e1f00.js").write_text("const greeting = 'Hello';\n" * 400)
    (tmp_path / "assets" / "app-9e1f00.js.br").write_bytes(b"brotli script")
    (tmp_path / "assets" / "small-1a2b3c.js").write_text("go()")
    return tmp_path


async def _raw(
    client: httpx.AsyncClient, path: str, **headers: str
) -> tuple[httpx.Response, bytes]:
    """The answer's bytes as sent, before httpx undoes any Content-Encoding."""
    async with client.stream("GET", path, headers=headers) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, body


async def test_a_browser_that_accepts_brotli_gets_the_brotli_copy(
    settings: Settings, engine: AsyncEngine, with_brotli_copies: Path
) -> None:
    async with _app_client(settings, engine, with_brotli_copies) as client:
        script, script_bytes = await _raw(
            client, "/assets/app-9e1f00.js", **{"Accept-Encoding": "gzip, deflate, br, zstd"}
        )
        page, page_bytes = await _raw(client, "/plan", **{"Accept-Encoding": "br"})

    assert script_bytes == b"brotli script"
    assert script.headers["content-encoding"] == "br"
    assert "javascript" in script.headers["content-type"]
    assert script.headers["cache-control"] == IMMUTABLE
    assert script.headers["vary"] == "Accept-Encoding"
    assert script.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    # An app route gets the page's copy too, still checked each time.
    assert page_bytes == b"brotli page"
    assert page.headers["content-encoding"] == "br"
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("accepts", ["gzip", "br;q=0, gzip", "gzip, deflate"])
async def test_a_browser_that_does_not_take_brotli_gets_gzip(
    settings: Settings, engine: AsyncEngine, with_brotli_copies: Path, accepts: str
) -> None:
    async with _app_client(settings, engine, with_brotli_copies) as client:
        response, _ = await _raw(client, "/assets/app-9e1f00.js", **{"Accept-Encoding": accepts})

    assert response.headers["content-encoding"] == "gzip"
    # A cache in between keeps the two apart (named once by each layer: allowed, and harmless).
    assert {v.strip() for v in response.headers["vary"].split(",")} == {"Accept-Encoding"}


async def test_a_file_without_a_brotli_copy_is_sent_as_it_is(
    settings: Settings, engine: AsyncEngine, with_brotli_copies: Path
) -> None:
    async with _app_client(settings, engine, with_brotli_copies) as client:
        response, body = await _raw(client, "/assets/small-1a2b3c.js", **{"Accept-Encoding": "br"})

    assert body == b"go()"
    assert "content-encoding" not in response.headers


async def test_a_brotli_copy_the_phone_has_is_not_sent_again(
    settings: Settings, engine: AsyncEngine, with_brotli_copies: Path
) -> None:
    async with _app_client(settings, engine, with_brotli_copies) as client:
        first, _ = await _raw(client, "/", **{"Accept-Encoding": "br"})
        again, body = await _raw(
            client, "/", **{"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]}
        )

    assert again.status_code == 304
    assert body == b""
