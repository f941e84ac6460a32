"""HTTP hardening around every response: security headers and a request body size limit.

Both are plain ASGI middleware (not ``BaseHTTPMiddleware``, which costs every request a task and
a stream copy). They sit outside the routers, so a problem+json error gets the same headers as
a success, and an oversized body is refused before the router or a parser reads it.
"""

from __future__ import annotations

import contextlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_api.auth.signed_in import NO_STORE_STATE
from portal_api.errors import internal_error, problem

# The PWA and the API share one origin; nothing is loaded from anywhere else, nothing inline.
# The app's service worker, its manifest and its EventSource are named too, though default-src
# covers them, so a later loosening of default-src cannot loosen them by accident.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
# The children's code says no location; the app has no use for the camera or microphone either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
# For origins on the CORS allow-list: what the PWA's requests send and what they must read back.
# Another origin signs in with a bearer token, never the session cookie (SameSite=Strict, and
# credentials are never allowed across origins).
CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "Accept-Language",
    "X-Requested-With",
]
CORS_RESPONSE_HEADERS = [
    "ETag",
    "Content-Language",
    "Content-Disposition",
    "Idempotent-Replayed",
    "Retry-After",
]


def _header_list(pairs: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in pairs.items()
    ]


class SecurityHeaders:
    """Adds the security headers to every HTTP response that does not set them itself.

    ``csp_exempt`` lists path prefixes served without the Content-Security-Policy: Swagger UI
    (``/docs``, only outside production) loads its script and styles from a CDN.

    An exception nothing else handled (a bug) is answered here with a 500 problem+json, so it
    carries the headers too; Starlette's own last resort sits outside every middleware and would
    send a bare text/plain 500 without them. The exception is then raised on, so the server
    still logs it (Starlette sees a response was sent and sends no second one).
    """

    def __init__(self, app: ASGIApp, *, hsts: bool, csp_exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.csp_exempt = csp_exempt
        common = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
            "Permissions-Policy": PERMISSIONS_POLICY,
        }
        if hsts:
            # Only behind real TLS: a browser that saw this on a plain-HTTP dev server would refuse
            # that host over HTTP for a year.
            common["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
        self._without_csp = _header_list(common)
        self._with_csp = _header_list(
            {**common, "Content-Security-Policy": CONTENT_SECURITY_POLICY}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        exempt = any(path == p or path.startswith(f"{p}/") for p in self.csp_exempt)
        added_headers = self._without_csp if exempt else self._with_csp

        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                if scope.get("state", {}).get(NO_STORE_STATE):
                    # A shared phone's session: whatever the route said, keep nothing.
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                headers.extend(
                    (name, value) for name, value in added_headers if name not in present
                )
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not response_started:
                await internal_error(path)(scope, receive, send_with_headers)
            raise


class _BodyTooLarge(Exception):
    """Raised from ``receive`` once a streamed body passes the limit."""


class BodySizeLimit:
    """Refuses a request body over ``max_body_bytes`` with 413 problem+json.

    A declared ``Content-Length`` over the limit is refused before any of the body is read. A
    body sent without one (chunked) is counted as it streams in; past the limit, ``receive``
    raises, and whatever the app would answer to a body it never fully got is replaced by the
    413, unless the app had already started its response.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        too_large = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if too_large and not response_started:
                return  # the app's answer to a body cut short (FastAPI makes it a 400): ours goes
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        with contextlib.suppress(_BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if too_large and not response_started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            "Content too large",
            f"The request body is larger than this service accepts ({self.max_body_bytes} bytes).",
            instance=scope["path"],
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server rejects a malformed length before we see it
    return None


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CORS_METHODS",
    "CORS_REQUEST_HEADERS",
    "CORS_RESPONSE_HEADERS",
    "PERMISSIONS_POLICY",
    "STRICT_TRANSPORT_SECURITY",
    "BodySizeLimit",
    "SecurityHeaders",
]
