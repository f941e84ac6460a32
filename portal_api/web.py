"""Serve the built app (``pwa/dist``) at ``/``: the young person's app, and the staff console at
``/staff/``.

It answers only what no route took (the router's default), so every API route, and the API's own
404 and 405, stay as they were. Caching follows the build: files under ``/assets/`` have a hash
in their name and never change, so a phone keeps them for a year; everything else (the two
``index.html``, the service worker, the manifest) is checked each time, so a new release reaches
phones on their next visit. The security headers (strict CSP) come from security.py, as for the
API.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from portal_api.errors import problem

# Paths that belong to the API: never the app, so an unknown one stays a problem+json 404.
NOT_THE_APP = ("/api", "/docs", "/openapi.json", "/healthz", "/readyz")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
BUILD_HINT = (
    "The app has not been built. Install Node.js 20 or later with npm, then run "
    "`npm ci && npm run build` in pwa/ (or `uv run portal demo`, which builds it), or set "
    "PORTAL_WEB_DIR to a built copy."
)


def _is_api(path: str) -> bool:
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in NOT_THE_APP)


def _entry_for(path: str) -> str:
    """Which app's page answers a route of the app (the app routes in the browser)."""
    return "staff/index.html" if path == "/staff" or path.startswith("/staff/") else "index.html"


def _accepts_brotli(scope: Scope) -> bool:
    """``br`` among the Accept-Encoding codings, and not refused with ``q=0``."""
    for coding in Headers(scope=scope).get("accept-encoding", "").lower().split(","):
        name, *params = (piece.strip() for piece in coding.split(";"))
        if name != "br":
            continue
        weights = [p.removeprefix("q=") for p in params if p.startswith("q=")]
        try:
            return not weights or float(weights[0]) > 0
        except ValueError:
            return False
    return False


def _looks_like_a_file(path: str) -> bool:
    # A missing script or image (an old hashed name after a release) must be a 404: answering
    # it with a page would hand the browser HTML where it expects JavaScript.
    return path.startswith("/assets/") or "." in path.rsplit("/", 1)[-1]


class WebApp:
    """An ASGI app for the router's default: GET and HEAD outside the API get the built app;
    anything else goes to ``fallback`` (the router's own "not found")."""

    def __init__(self, web_dir: Path, fallback: ASGIApp) -> None:
        self.web_dir = web_dir
        self.fallback = fallback
        # check_dir=False: the server may start before the app is built, and serve it once it is.
        self.files = StaticFiles(directory=web_dir, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "/")
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or _is_api(path):
            await self.fallback(scope, receive, send)
            return
        response = await self._response(path, scope)
        await response(scope, receive, send)

    async def _response(self, path: str, scope: Scope) -> Response:
        if not (self.web_dir / "index.html").is_file():
            return problem(503, "App not built", BUILD_HINT, instance=path)
        try:
            response = await self._file(self.files.get_path(scope), scope)
        except HTTPException as missing:
            if missing.status_code != 404:
                raise
            if _looks_like_a_file(path):
                return problem(404, "Not found", f"There is no file {path}.", instance=path)
            entry = _entry_for(path)
            if not (self.web_dir / entry).is_file():
                entry = "index.html"
            response = await self._file(str(Path(entry)), scope)
        immutable = path.startswith("/assets/") and response.status_code in (200, 304)
        response.headers["Cache-Control"] = IMMUTABLE if immutable else REVALIDATE
        return response

    async def _file(self, relative: str, scope: Scope) -> Response:
        """The file, or its Brotli copy for a browser that takes it (same type, marked as such)."""
        plain = await self.files.get_response(relative, scope)
        if plain.status_code != 200 or not _accepts_brotli(scope):
            self._varies(plain, relative)
            return plain
        try:
            brotli = await self.files.get_response(f"{relative}.br", scope)
        except HTTPException:
            brotli = None  # a small file, or a build before Brotli copies: gzip takes it
        if brotli is None or brotli.status_code not in (200, 304):
            self._varies(plain, relative)
            return plain
        brotli.headers["Content-Type"] = plain.headers["Content-Type"]
        brotli.headers["Content-Encoding"] = "br"
        brotli.headers["Vary"] = "Accept-Encoding"
        return brotli

    def _varies(self, response: Response, relative: str) -> None:
        # A cache in between must not hand a browser without Brotli the copy another one got.
        if (self.web_dir / f"{relative}.br").is_file():
            response.headers["Vary"] = "Accept-Encoding"
