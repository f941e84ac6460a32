"""What local offer routes, and the routes above content that read the local offer, take from the
running app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from portal_api.content.library import ENGLISH, Library


def library_of(request: Request) -> Library:
    """The local offer loaded and checked at start-up (see main.create_app)."""
    library: Library = request.app.state.library
    return library


def _spoken(library: Library) -> set[str]:
    return {lang for _, lang in library.pages}


def _from_accept_language(header: str, spoken: set[str]) -> str | None:
    """The first language the browser asks for (by weight) that the library has pages in."""
    weighted = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary and weight > 0:
            weighted.append((-weight, position, primary))
    for _, _, primary in sorted(weighted):
        if primary in spoken:
            return primary
    return None


def requested_language(
    request: Request,
    lang: Annotated[
        str | None,
        Query(
            max_length=12,
            description="Language code (en, ar, ps). Without it, the Accept-Language header "
            "chooses; unknown languages fall back to English; Content-Language says which was "
            "served.",
        ),
    ] = None,
    accept_language: Annotated[str | None, Header(max_length=500)] = None,
) -> str:
    """``?lang=`` if given, else the browser's Accept-Language where the library speaks it, else
    English."""
    if lang:
        return lang
    if accept_language:
        return _from_accept_language(accept_language, _spoken(library_of(request))) or ENGLISH
    return ENGLISH


RequestedLanguage = Annotated[str, Depends(requested_language)]
