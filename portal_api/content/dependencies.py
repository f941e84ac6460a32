"""What local offer routes, and the routes above content that read the local offer, take from the
running app."""

from __future__ import annotations

from fastapi import Request

from portal_api.content.library import Library


def library_of(request: Request) -> Library:
    """The local offer loaded and checked at start-up (see main.create_app)."""
    library: Library = request.app.state.library
    return library
