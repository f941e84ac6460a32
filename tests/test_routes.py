"""The API's routers are included with the phone's first (portal_api/api.py says why): a route is
chosen by the first that matches, so no route may be shadowed by one included before it."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import APIRoute

from portal_api.api import PREFIX, ROUTERS

_PARAMETER = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def _ordered() -> list[APIRoute]:
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


def _methods(route: APIRoute) -> set[str]:
    return set(route.methods or ())


def _example(route: APIRoute) -> str:
    """A path only this route's template makes: each parameter filled with a value no static
    segment has."""
    return _PARAMETER.sub("a-value-0", route.path)


def test_no_route_is_shadowed_by_one_included_before_it() -> None:
    ordered = _ordered()
    shadowed = [
        f"{sorted(_methods(route))} {route.path} is answered by {earlier.path} (before it)"
        for i, route in enumerate(ordered)
        for earlier in ordered[:i]
        if _methods(earlier) & _methods(route) and earlier.path_regex.match(_example(route))
    ]
    assert not shadowed


def test_the_check_above_finds_a_shadowed_route() -> None:
    """A parameter route included before a static one of the same shape hides it."""
    by_key = APIRoute("/documents/{key}", lambda key: None, methods=["GET"])
    static = APIRoute("/documents/catalogue", lambda: None, methods=["GET"])
    assert by_key.path_regex.match(_example(static))
    assert not static.path_regex.match(_example(by_key))


def test_every_api_route_is_served_under_the_prefix(app: FastAPI) -> None:
    served = {
        (path, method.upper())
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for route in _ordered():
        if route.include_in_schema:
            for method in _methods(route):
                assert (PREFIX + route.path, method) in served, (method, route.path)
