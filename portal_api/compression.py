"""Answers compressed for phones on little data: the built app's files and the API's GET answers.

A young person's home summary is 3.5 KB of JSON and 1.2 KB gzipped; at Slow 4G's 50 KB a second
that is 45 ms of the first screen's time, and a plan or a message page saves more. Only reads
are compressed, and nothing under ``/api/v1/auth``: a compressed answer that holds a secret
beside text an attacker chose can leak the secret through its length (BREACH), and the auth
routes are where a token could appear; a GET answer holds the reader's own data, which they may
read anyway. Event streams, PDFs and ZIP files are left alone (already compressed, or streamed
event by event).

Plain ASGI, like security.py, and the same `GZipMiddleware` the built app's files went through
before: an answer under ``minimum_size`` bytes is sent as it is.
"""

from __future__ import annotations

from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# Smaller answers gain nothing from compression (a gzip header and a round of CPU).
MINIMUM_BYTES = 500
# Never compressed: the sign-in, session and password routes (see the docstring).
NOT_UNDER = "/api/v1/auth"
ALREADY_COMPRESSED = ("application/pdf", "application/zip")


def _accepts_gzip(scope: Scope) -> bool:
    return any(
        name == b"accept-encoding" and b"gzip" in value.lower() for name, value in scope["headers"]
    )


class CompressedReads:
    def __init__(self, app: ASGIApp, minimum_size: int = MINIMUM_BYTES) -> None:
        self.app = app
        self.gzip = GZipMiddleware(
            app,
            minimum_size=minimum_size,
            exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *ALREADY_COMPRESSED),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A client that cannot take gzip (a load generator, curl) goes straight through, without
        # the responder GZipMiddleware would wrap it in all the same.
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope["path"].startswith(NOT_UNDER)
            and _accepts_gzip(scope)
        ):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
