"""Fixtures shared by the figures' tests."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from portal_api.reports.measures import queries
from portal_api.reports.measures.facts import Facts


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[uuid.UUID] | None]:
    """Each fetch of the figures' facts: None for everyone in scope, or the ids asked for."""
    seen: list[frozenset[uuid.UUID] | None] = []
    real = queries.load

    async def load(*args: Any, only: frozenset[uuid.UUID] | None = None, **kw: Any) -> Facts:
        seen.append(only)
        return await real(*args, only=only, **kw)

    monkeypatch.setattr(queries, "load", load)
    return seen
