"""The council's figures kept between writes (reports/measures/standing.py): after a write, only
the young people it touched are fetched again, and the figures are the same as computed afresh
and as the independent computation of tests/reports/expected.py. What a write touched comes from
the data version's log (db/changes.py), checked here for the writes a PA makes all day."""

from __future__ import annotations

import dataclasses
import gc
import uuid
import weakref
from datetime import date
from typing import Any

import httpx
import pytest
import redis.asyncio as redis
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.config import Settings
from portal_api.db.changes import (
    EVERYONE,
    LOG_LENGTH,
    MOST_IN_ONE_ENTRY,
    TOUCHES,
    MemoryFiguresVersion,
    RedisFiguresVersion,
    Touched,
    touched_in,
)
from portal_api.db.session import make_sessionmaker, session_scope
from portal_api.main import create_app
from portal_api.models import Contact
from portal_api.reports.measures import queries
from portal_api.reports.measures.facts import PER_PERSON, Facts
from tests.reports import expected
from tests.reports.council import AS_OF, Council, Record, build_council
from tests.reports.test_measures import mismatches
from tests.support import REDIS_URL, require_redis

OVERVIEW = "/api/v1/reports/overview"
ORG = ("org_manager", None, None, AS_OF)

A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    async with sessionmaker() as session, session.begin():
        return await build_council(session)


async def _overview(client: httpx.AsyncClient, council: Council, on: date = AS_OF) -> Any:
    response = await client.get(
        OVERVIEW, params={"as_of": on.isoformat()}, headers=council.auth("org_manager")
    )
    assert response.status_code == 200, response.text
    return response.json()["measures"]


async def _afresh(client: httpx.AsyncClient, app: FastAPI, council: Council) -> Any:
    """The same figures with nothing kept or cached: computed from everyone's facts."""
    app.state.figures_cache.clear()
    return await _overview(client, council)


async def _touched_since(app: FastAPI, token: str) -> Touched | None:
    version: MemoryFiguresVersion = app.state.figures_version
    return await version.touched_between(token, await _token(app))


# --- the log ----------------------------------------------------------------------------------


def test_the_log_says_who_was_touched_between_two_tokens() -> None:
    log: list[tuple[str, Touched]] = [
        ("t0", frozenset()),
        ("t1", frozenset({A})),
        ("t2", frozenset({B})),
        ("t3", EVERYONE),
    ]
    assert touched_in(log, "t0", "t2") == frozenset({A, B})
    assert touched_in(log, "t1", "t2") == frozenset({B})
    assert touched_in(log, "t2", "t2") == frozenset()
    assert touched_in(log, "t2", "t1") == frozenset()  # what was kept is the newer
    assert touched_in(log, "t1", "t3") is EVERYONE
    assert touched_in(log, "gone", "t2") is None  # a token the log no longer holds
    assert touched_in(log, "t0", "unknown") is None


async def test_the_log_in_process_forgets_the_oldest_and_then_cannot_say() -> None:
    version = MemoryFiguresVersion()
    first = await version.current()
    assert first is not None
    version.committed(frozenset({A}))
    now = await version.current()
    assert now is not None
    assert await version.touched_between(first, now) == frozenset({A})
    for _ in range(LOG_LENGTH):
        version.committed(frozenset({B}))
    assert await version.touched_between(first, await version.current() or "") is None


async def test_a_transaction_that_touched_very_many_counts_as_everyone() -> None:
    version = MemoryFiguresVersion()
    first = await version.current()
    assert first is not None
    version.committed(frozenset(uuid.uuid4() for _ in range(MOST_IN_ONE_ENTRY + 1)))
    assert await version.touched_between(first, await version.current() or "") is EVERYONE


async def test_through_redis_one_worker_reads_whom_another_workers_writes_touched() -> None:
    await require_redis()
    one, other = RedisFiguresVersion(REDIS_URL), RedisFiguresVersion(REDIS_URL)
    try:
        await one.bump(frozenset({A}))
        since = await other.current()
        assert since is not None
        await one.bump(frozenset({B, C}))
        await one.bump(frozenset())
        now = await other.current()
        assert now is not None
        assert await other.touched_between(since, now) == frozenset({B, C})
        await one.bump(EVERYONE)
        assert await other.touched_between(since, await other.current() or "") is EVERYONE
        assert await other.touched_between("not-a-token", now) is None
    finally:
        await one.close()
        await other.close()


def test_every_per_person_part_of_the_facts_is_replaced_for_a_touched_young_person() -> None:
    """A new dict of young people's rows in Facts, not named in PER_PERSON, would keep a touched
    young person's old rows in the kept figures. (The council's own parts, such as team and staff
    names, are given when Facts is made; what is filled per young person starts empty.)"""
    keyed = {
        f.name for f in dataclasses.fields(Facts) if f.default_factory is dict and f.name != "memo"
    }
    assert keyed == set(PER_PERSON)


# --- whom a day's writes touch ----------------------------------------------------------------


async def _token(app: FastAPI) -> str:
    token = await app.state.figures_version.current()
    assert token is not None
    return str(token)


def _out_of_touch(council: Council) -> Record:
    """Someone in the council's figures on AS_OF with no contact in the last 8 weeks."""
    people = expected.people_in_view(council, "org_manager", AS_OF)
    out_of_touch = expected.in_touch(people, AS_OF)
    return next(r for r in people if r.key in out_of_touch.denominator - out_of_touch.met)


WRITES = ["contact", "observation", "message", "document", "adviser"]


async def _a_pas_write(client: httpx.AsyncClient, council: Council, r: Record, write: str) -> None:
    """One of the writes a PA makes all day, about ``r``, through the API."""
    url = f"/api/v1/young-people/{r.id}"
    auth = council.auth("org_manager")
    if write == "contact":
        done = await client.post(
            f"{url}/contacts", json={"contact_on": AS_OF.isoformat(), "kind": "visit"}, headers=auth
        )
        r.contacts.append(AS_OF)
    elif write == "observation":
        done = await client.post(
            f"{url}/observations",
            json={
                "recorded_on": AS_OF.isoformat(),
                "in_touch": "YES",
                "activity": "F2",
                "accommodation": "B1",
            },
            headers=auth,
        )
    elif write == "message":
        done = await client.post(
            f"{url}/messages",
            json={"body": "Are you free on Tuesday?"},
            headers={**auth, "Idempotency-Key": str(uuid.uuid4())},
        )
    elif write == "document":
        key = "national_insurance_number"
        current = await client.get(f"{url}/documents", headers=auth)
        assert current.status_code == 200, current.text
        done = await client.patch(
            f"{url}/documents/{key}",
            json={"state": "requested"},
            headers={**auth, "If-Match": _etag_of(current.json(), key)},
        )
    else:
        assert write == "adviser"
        other = "pa_n2" if r.current_adviser == "pa_n1" else "pa_n1"
        done = await client.patch(
            url, json={"personal_adviser_id": str(council.staff[other])}, headers=auth
        )
    assert done.status_code in (200, 201), done.text


@pytest.mark.parametrize("write", WRITES)
async def test_a_pas_write_touches_only_the_young_person_it_is_about(
    client: httpx.AsyncClient, app: FastAPI, council: Council, write: str
) -> None:
    r = next(r for r in council.records if r.current_team == "north" and r.current_adviser)
    before = await _token(app)
    await _a_pas_write(client, council, r, write)
    assert await _touched_since(app, before) == frozenset({r.id})


def _etag_of(checklist: Any, key: str) -> str:
    return str(next(i["etag"] for i in checklist["items"] if i["key"] == key))


async def test_renaming_a_member_of_staff_touches_everyone(
    client: httpx.AsyncClient, app: FastAPI, council: Council
) -> None:
    before = await _token(app)
    renamed = await client.patch(
        f"/api/v1/staff/{council.staff['pa_n1']}",
        json={"display_name": "Priya Raman-Shah"},
        headers=council.auth("admin"),
    )
    assert renamed.status_code == 200, renamed.text
    assert await _touched_since(app, before) is EVERYONE


# --- the kept figures -------------------------------------------------------------------------


async def test_after_a_contact_only_that_young_person_is_fetched_and_the_figures_are_right(
    client: httpx.AsyncClient,
    app: FastAPI,
    council: Council,
    loads: list[frozenset[uuid.UUID] | None],
) -> None:
    r = _out_of_touch(council)
    before = await _overview(client, council)
    assert loads == [None]
    await _a_pas_write(client, council, r, "contact")
    after = await _overview(client, council)
    assert loads == [None, frozenset({r.id})]
    assert after["in_touch"]["numerator"] == before["in_touch"]["numerator"] + 1
    assert not mismatches(app, council, ORG, after)
    assert after == await _afresh(client, app, council)


async def test_a_young_person_who_leaves_the_figures_leaves_the_kept_ones(
    client: httpx.AsyncClient,
    app: FastAPI,
    council: Council,
    loads: list[frozenset[uuid.UUID] | None],
) -> None:
    """Closed today: not in today's figures, fetched alone, and gone from every count."""
    on = today()
    r = next(
        r
        for r in expected.people_in_view(council, "org_manager", on)
        if expected.in_scope(r, on) and r.current_adviser and r.closed_on is None
    )
    before = await _overview(client, council, on)
    closed = await client.patch(
        f"/api/v1/young-people/{r.id}",
        json={"closed_on": on.isoformat()},
        headers=council.auth("org_manager"),
    )
    assert closed.status_code == 200, closed.text
    after = await _overview(client, council, on)
    assert loads == [None, frozenset({r.id})]
    caseload = sum(row["count"] for row in after["caseload"])
    assert caseload == sum(row["count"] for row in before["caseload"]) - 1
    app.state.figures_cache.clear()
    assert after == await _overview(client, council, on)


async def test_a_write_that_touches_everyone_computes_everyone_again(
    client: httpx.AsyncClient,
    app: FastAPI,
    council: Council,
    loads: list[frozenset[uuid.UUID] | None],
) -> None:
    await _overview(client, council)
    renamed = await client.patch(
        f"/api/v1/staff/{council.staff['pa_n1']}",
        json={"display_name": "Priya Raman-Shah"},
        headers=council.auth("admin"),
    )
    assert renamed.status_code == 200, renamed.text
    after = await _overview(client, council)
    assert loads == [None, None]
    names = {row["adviser_name"] for row in after["caseload"]}
    assert "Priya Raman-Shah" in names


async def test_the_kept_figures_follow_several_writes_in_a_row(
    client: httpx.AsyncClient,
    app: FastAPI,
    council: Council,
    loads: list[frozenset[uuid.UUID] | None],
) -> None:
    """Every kind of a PA's write, for several young people, some between two overviews and some
    not: only those touched are fetched, and the figures then equal those computed afresh."""
    people = [
        r
        for r in expected.people_in_view(council, "org_manager", AS_OF)
        if r.current_team == "north" and r.current_adviser
    ][: 2 * len(WRITES)]
    await _overview(client, council)
    for i, r in enumerate(people):
        await _a_pas_write(client, council, r, WRITES[i % len(WRITES)])
        if i % 3 == 2:
            await _overview(client, council)
    kept = await _overview(client, council)
    assert loads[0] is None
    assert None not in loads[1:]
    assert set().union(*[ids for ids in loads[1:] if ids]) == {r.id for r in people}
    assert kept == await _afresh(client, app, council)


async def test_the_names_behind_a_figure_come_from_the_kept_outcomes_after_a_write(
    client: httpx.AsyncClient,
    app: FastAPI,
    council: Council,
    loads: list[frozenset[uuid.UUID] | None],
) -> None:
    """The overview keeps the council's outcomes; the names behind in_touch after a contact are
    read from them (only the touched young person fetched), and equal the names afresh, in
    every sort order."""
    r = _out_of_touch(council)
    await _overview(client, council)
    await _a_pas_write(client, council, r, "contact")

    async def names(sort: str) -> Any:
        page = await client.get(
            "/api/v1/reports/in_touch/young-people",
            params={"as_of": AS_OF.isoformat(), "sort": sort, "limit": 200},
            headers=council.auth("org_manager"),
        )
        assert page.status_code == 200, page.text
        return page.json()

    kept = {sort: await names(sort) for sort in ("urgency", "-name", "adviser", "team")}
    assert loads == [None, frozenset({r.id})]
    row = next(i for i in kept["urgency"]["items"] if i["young_person_id"] == str(r.id))
    assert row["met"] is True
    app.state.figures_cache.clear()
    for sort, got in kept.items():
        fresh = await names(sort)
        for a, b in zip(got["items"], fresh["items"], strict=True):
            assert a == b, (sort, a, b)
        assert got == fresh


async def test_after_a_bump_redis_could_not_take_the_next_one_touches_everyone() -> None:
    """Whom the lost bump touched is unknown to the other workers: they must start afresh."""
    await require_redis()
    one, other = RedisFiguresVersion(REDIS_URL), RedisFiguresVersion(REDIS_URL)
    try:
        since = await other.current()
        assert since is not None
        working = one._redis
        one._redis = redis.from_url("redis://127.0.0.1:1", socket_connect_timeout=0.2)
        await one.bump(frozenset({A}))  # lost, and logged as such
        await one._redis.aclose()
        one._redis = working
        await one.bump(frozenset({B}))
        assert await other.touched_between(since, await other.current() or "") is EVERYONE
        again = await other.current()
        await one.bump(frozenset({C}))  # and after that, whom it touched again
        assert await other.touched_between(again or "", await other.current() or "") == frozenset(
            {C}
        )
    finally:
        await one.close()
        await other.close()


async def test_kept_figures_are_freed_without_the_collector(
    client: httpx.AsyncClient, app: FastAPI, council: Council
) -> None:
    """Large kept figures are frozen out of the collector's sight (standing.py), so they must go
    by reference counting alone when dropped: a cycle in them would never be freed."""
    await _overview(client, council)
    cache = app.state.figures_cache
    (entry,) = cache._kept.values()
    gone = weakref.ref(entry.value.facts)  # held by the kept figures and their outcomes
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del entry
        cache.clear()
        assert gone() is None, "something in the kept figures holds them in a cycle"
    finally:
        if was_enabled:
            gc.enable()


async def test_through_redis_a_write_on_one_worker_is_fetched_alone_by_anothers_kept_figures(
    settings: Settings,
    engine: AsyncEngine,
    loads: list[frozenset[uuid.UUID] | None],
) -> None:
    """Two workers sharing the data version and its log through Redis: the one that keeps the
    figures learns from the log whom the other's write touched."""
    await require_redis()
    workers = []
    for _ in range(2):
        worker = create_app(settings.model_copy(update={"redis_url": REDIS_URL}))
        worker.state.engine = engine
        worker.state.sessionmaker = make_sessionmaker(engine, worker.state.figures_version)
        workers.append(worker)
    writer, reader = workers
    try:
        async with writer.state.sessionmaker() as session, session.begin():
            council = await build_council(session)
        r = _out_of_touch(council)
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=writer), base_url="http://w") as w,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=reader), base_url="http://r") as rd,
        ):
            before = await _overview(rd, council)
            await _a_pas_write(w, council, r, "contact")
            after = await _overview(rd, council)
            assert loads == [None, frozenset({r.id})]
            assert after["in_touch"]["numerator"] == before["in_touch"]["numerator"] + 1
            assert not mismatches(reader, council, ORG, after)
    finally:
        for worker in workers:
            await worker.state.figures_version.close()
            await worker.state.broker.close()
            await worker.state.throttles.close()


async def test_kept_figures_that_fail_part_way_through_an_update_are_not_kept(
    client: httpx.AsyncClient,
    app: FastAPI,
    council: Council,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fetch of the touched young people that fails leaves nothing half brought up to date:
    the next figures are computed afresh, and right."""
    await _overview(client, council)
    r = next(r for r in council.records if r.current_team == "north" and r.current_adviser)
    await _a_pas_write(client, council, r, "contact")
    real = queries.load

    async def failing(*args: Any, only: frozenset[uuid.UUID] | None = None, **kw: Any) -> Facts:
        if only is not None:
            raise ConnectionError("the database went away")
        return await real(*args, only=only, **kw)

    monkeypatch.setattr(queries, "load", failing)
    with pytest.raises(ConnectionError):
        await _overview(client, council)
    assert not app.state.figures_cache._kept
    monkeypatch.setattr(queries, "load", real)
    kept = await _overview(client, council)
    assert kept == await _afresh(client, app, council)


async def test_a_bulk_update_touches_whom_it_names_or_else_everyone(
    app: FastAPI, council: Council, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    r = next(r for r in council.records if r.contacts)
    for named, want in (({r.id}, frozenset({r.id})), (None, EVERYONE)):
        before = await _token(app)
        async with sessionmaker() as session, session.begin():
            statement = (
                update(Contact).where(Contact.young_person_id == r.id).values(note="checked")
            )
            options = {TOUCHES: named} if named else {}
            await session.execute(statement, execution_options=options)
        assert await _touched_since(app, before) == want


async def test_through_redis_a_session_that_commits_twice_is_bumped_for_both(
    engine: AsyncEngine,
) -> None:
    """session_scope bumps Redis once, after the session's last commit (a request that keeps its
    audit row and then fails commits twice): the first commit's young people are not forgotten,
    and "everyone" in either makes it everyone."""
    await require_redis()
    writer, reader = RedisFiguresVersion(REDIS_URL), RedisFiguresVersion(REDIS_URL)
    maker = make_sessionmaker(engine, writer)

    async def commit_twice(first: set[uuid.UUID] | None, then: set[uuid.UUID] | None) -> Touched:
        since = await reader.current()
        async with session_scope(maker) as session:
            for named in (first, then):
                # Changes no row (none has this young person); says whom it touches, or no one
                # does, so it counts as everyone.
                statement = update(Contact).where(Contact.young_person_id == A).values(note="x")
                options = {TOUCHES: named} if named else {}
                await session.execute(statement, execution_options=options)
                await session.commit()
        touched = await reader.touched_between(since or "", await reader.current() or "")
        assert touched is not None
        return touched

    try:
        assert await commit_twice({A}, {B}) == frozenset({A, B})
        assert await commit_twice({A}, None) is EVERYONE
        assert await commit_twice(None, {B}) is EVERYONE
    finally:
        await writer.close()
        await reader.close()
