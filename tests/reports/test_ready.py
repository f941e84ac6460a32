"""The council-wide figures made ready in the background (reports/ready.py): a pass makes today's
and the trends' dates for every council, a later pass fetches only whom the writes since touched,
and a manager's overview and trends then fetch nothing, with the figures those computed afresh
and those of the independent computation (tests/reports/expected.py)."""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api import main
from portal_api.config import Settings
from portal_api.main import create_app
from portal_api.models import User
from portal_api.reports import measures, ready
from portal_api.reports.cache import KEPT_DATES, KEPT_SECONDS, FiguresCache
from portal_api.reports.measures import console_dates, month_ends, standing
from tests.reports.council import AS_OF, Council, build_council
from tests.reports.test_measures import mismatches
from tests.reports.test_standing import ORG, _a_pas_write, _out_of_touch

TRENDS = "/api/v1/reports/trends"
OVERVIEW = "/api/v1/reports/overview"
# "Today" for these tests: the council's own date (AS_OF, a month-end) is one of the trends'
# points, whatever the real date, so that point can be judged independently.
TODAY = date(2026, 11, 20)
DATES = len(console_dates(TODAY))

Loads = list[frozenset[uuid.UUID] | None]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measures, "today", lambda: TODAY)
    monkeypatch.setattr(measures.scope, "today", lambda: TODAY)


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    async with sessionmaker() as session, session.begin():
        return await build_council(session)


async def _ready(app: FastAPI, cache: FiguresCache | None = None, **kw: Any) -> ready.Ready:
    state = app.state
    return await ready.make_ready(
        state.sessionmaker,
        state.library,
        state.figures_cache if cache is None else cache,  # an empty cache is falsy
        state.figures_version,
        **kw,
    )


async def _trends(client: httpx.AsyncClient, council: Council, who: str = "org_manager") -> Any:
    response = await client.get(TRENDS, headers=council.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


async def _overview_today(client: httpx.AsyncClient, council: Council) -> Any:
    response = await client.get(OVERVIEW, headers=council.auth("org_manager"))
    assert response.status_code == 200, response.text
    return response.json()


def _point(trends: Any, on: date) -> Any:
    return next(p["measures"] for p in trends["points"] if p["as_of"] == on.isoformat())


async def test_a_pass_makes_every_councils_console_dates_and_then_the_console_fetches_nothing(
    client: httpx.AsyncClient, app: FastAPI, council: Council, loads: Loads
) -> None:
    done = await _ready(app)
    assert (done.councils, done.dates) == (2, 2 * DATES)  # the test council and the other one
    assert loads == [None] * (2 * DATES)
    # The other council's first figures stored its document catalogue (documents/catalogue.py):
    # a write that touches everyone, so the next pass makes both councils' dates afresh, and the
    # one after has nothing to do.
    await _ready(app)
    loads.clear()
    await _ready(app)
    assert loads == []
    trends = await _trends(client, council)
    overview = await _overview_today(client, council)
    assert loads == []
    assert [p["as_of"] for p in trends["points"]] == [d.isoformat() for d in month_ends(TODAY, 12)]
    # The council's month-end of October 2026 is one of the trends' points: judged independently.
    assert AS_OF in month_ends(TODAY, 12)
    assert not mismatches(app, council, ORG, _point(trends, AS_OF))
    app.state.figures_cache.clear()
    assert trends == await _trends(client, council)
    assert overview == await _overview_today(client, council)


async def test_a_pass_after_a_write_fetches_only_whom_it_touched_and_one_after_nothing(
    client: httpx.AsyncClient, app: FastAPI, council: Council, loads: Loads
) -> None:
    await _ready(app)
    await _ready(app)  # after the other council's catalogue (see the test above)
    r = _out_of_touch(council)
    before = _point(await _trends(client, council), AS_OF)
    await _a_pas_write(client, council, r, "contact")
    loads.clear()
    await _ready(app)
    # Every date, once each. The log does not say whose council a young person is in, so the
    # other council's dates fetch them too, and find no one in their scope.
    assert loads == [frozenset({r.id})] * (2 * DATES)
    loads.clear()
    await _ready(app)
    assert loads == []
    trends = await _trends(client, council)
    assert loads == []
    after = _point(trends, AS_OF)
    assert after["in_touch"]["numerator"] == before["in_touch"]["numerator"] + 1
    assert not mismatches(app, council, ORG, after)
    app.state.figures_cache.clear()
    assert trends == await _trends(client, council)


async def test_dates_about_to_expire_are_made_afresh_by_the_pass_not_by_a_manager(
    app: FastAPI, council: Council, loads: Loads
) -> None:
    now = [0.0]
    cache = FiguresCache(clock=lambda: now[0])
    await _ready(app, cache, renew_within=60)
    await _ready(app, cache, renew_within=60)  # after the other council's catalogue
    loads.clear()
    now[0] = KEPT_SECONDS - 120  # not yet within the minute
    await _ready(app, cache, renew_within=60)
    assert loads == []
    now[0] = KEPT_SECONDS - 30
    await _ready(app, cache, renew_within=60)
    assert loads == [None] * (2 * DATES)


async def test_a_council_with_no_council_wide_manager_is_left_alone(
    app: FastAPI, council: Council, sessionmaker: async_sessionmaker[AsyncSession], loads: Loads
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(User)
            .where(User.id == council.staff["other_org_manager"])
            .values(council_wide=False)
        )
    done = await _ready(app)
    assert (done.councils, done.dates) == (1, DATES)
    assert len(loads) == DATES


def test_each_council_keeps_its_own_dates() -> None:
    """One council's dates never push another's out: the bound is per organisation."""
    cache = FiguresCache()
    one, other = uuid.uuid4(), uuid.uuid4()
    for n in range(KEPT_DATES):
        cache.keep(other, ("standing", other, 0, n), n)
    for n in range(KEPT_DATES + 2):
        cache.keep(one, ("standing", one, 0, n), n)
    assert all(cache.kept(("standing", other, 0, n)) == n for n in range(KEPT_DATES))
    assert cache.kept(("standing", one, 0, 0)) is None  # the oldest used of its own went
    assert cache.kept(("standing", one, 0, 1)) is None
    assert cache.kept(("standing", one, 0, KEPT_DATES + 1)) == KEPT_DATES + 1


async def test_the_background_task_tries_again_after_a_failed_pass_and_stops_when_told(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    stopping = asyncio.Event()
    calls: list[float] = []

    async def make_ready(*args: Any, renew_within: float) -> ready.Ready:
        calls.append(renew_within)
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        stopping.set()
        return ready.Ready(1, DATES, 0.0)

    monkeypatch.setattr(ready, "make_ready", make_ready)
    with caplog.at_level(logging.ERROR, logger=ready.__name__):
        await asyncio.wait_for(
            ready.keep_ready(None, None, None, None, every=0.01, stopping=stopping),  # type: ignore[arg-type]
            timeout=5,
        )
    assert calls == [0.02, 0.02]
    assert "making the figures ready failed" in caplog.text


@pytest.mark.parametrize("every", [0.0, 30.0])
async def test_the_app_starts_the_background_task_only_when_asked(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, every: float
) -> None:
    """Outside tests the API starts it at start-up with its own state, and stops it on shutdown."""
    started: list[dict[str, Any]] = []
    ended = asyncio.Event()

    async def keep_ready(*args: Any, **kw: Any) -> None:
        started.append({"args": args, **kw})
        try:
            await asyncio.Event().wait()
        finally:
            ended.set()

    monkeypatch.setattr(main, "keep_ready", keep_ready)
    monkeypatch.setattr(gc, "freeze", lambda: None)  # not this test process's objects
    thresholds: list[tuple[int, ...]] = []  # nor this process's collector
    monkeypatch.setattr(gc, "set_threshold", lambda *given: thresholds.append(given))
    app = create_app(
        settings.model_copy(update={"environment": "dev", "figures_ready_seconds": every})
    )
    async with app.router.lifespan_context(app):
        await asyncio.sleep(0)
        # A worker looks for cycles among new objects less often than Python's default.
        assert thresholds == [(main.YOUNG_OBJECTS_BEFORE_COLLECTING, 10, 10)]
        if every:
            (call,) = started
            state = app.state
            assert call["args"] == (
                state.sessionmaker,
                state.library,
                state.figures_cache,
                state.figures_version,
            )
            assert (call["every"], call["stopping"]) == (every, state.stopping)
        else:
            assert started == []
    if every:
        await asyncio.wait_for(ended.wait(), timeout=5)


async def test_judging_everyone_afresh_lets_the_workers_other_requests_run(
    app: FastAPI, council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made afresh in the background every hour, a council of 50,000 takes a second to judge: the
    worker's other requests (phones') must get turns in between, not wait for all of it."""
    monkeypatch.setattr(standing, "JUDGED_AT_ONCE", 10)
    ticks = 0
    between: list[int] = []
    real = standing.Standing._judge

    def judge(self: standing.Standing, people: list[Any]) -> None:
        between.append(ticks)
        real(self, people)

    async def another_request() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    monkeypatch.setattr(standing.Standing, "_judge", judge)
    other = asyncio.create_task(another_request())
    try:
        await _ready(app)
    finally:
        other.cancel()
    chunks = [b - a for a, b in itertools.pairwise(between)]
    assert len(chunks) > 10
    assert min(chunks) > 0, chunks  # the other request ran between every two chunks
