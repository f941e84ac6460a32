"""Every figure of the overview, for every scope and several dates, equals what
tests/reports/expected.py computes from the synthetic council's plain records; the names behind
each figure are the same young people; the boundaries of DOMAIN.md §8 fall where it says."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.content.library import Library, Page
from tests.reports import expected
from tests.reports.council import AS_OF, Council, build_council

pytestmark = pytest.mark.usefixtures("council")

# Read from what only the portal records: null before the council started using it.
PORTAL_ONLY = (
    "rights_informed",
    "entitlements_received",
    "messages_unanswered",
    "accommodation_concerns",
)

# (who asks, team, adviser, as_of)
VIEWS: list[tuple[str, str | None, str | None, date]] = [
    ("org_manager", None, None, AS_OF),
    ("org_manager", "north", None, AS_OF),
    ("org_manager", "south", "pa_s1", AS_OF),
    ("org_manager", None, "pa_n2", AS_OF),
    ("team_manager", None, None, AS_OF),
    ("team_manager", "north", "pa_n1", AS_OF),
    ("pa_n1", None, None, AS_OF),
    ("pa_s2", None, "pa_s2", AS_OF),
    ("org_manager", None, None, date(2026, 3, 31)),
    ("org_manager", None, None, date(2026, 8, 31)),
    ("org_manager", "south", None, date(2025, 2, 28)),
    ("org_manager", None, None, date(2024, 2, 29)),
]


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    async with sessionmaker() as session, session.begin():
        return await build_council(session)


def _pages(app: FastAPI) -> tuple[list[Page], list[Page]]:
    library: Library = app.state.library
    english = library.english("eastmarsh")
    ordered = [english[s] for s in sorted(english)]
    return [p for p in ordered if p.meta.core], [p for p in ordered if p.meta.claimable]


def _query(council: Council, team: str | None, adviser: str | None, on: date) -> dict[str, str]:
    params = {"as_of": on.isoformat()}
    if team:
        params["team"] = str(council.teams[team])
    if adviser:
        params["adviser"] = str(council.staff[adviser])
    return params


def _pair(measure: dict[str, Any]) -> tuple[int, int]:
    return measure["numerator"], measure["denominator"]


async def test_overview_matches_an_independent_computation(
    client: httpx.AsyncClient, council: Council, app: FastAPI
) -> None:
    failures: list[str] = []
    for view in VIEWS:
        response = await client.get(
            "/api/v1/reports/overview",
            params=_query(council, *view[1:]),
            headers=council.auth(view[0]),
        )
        assert response.status_code == 200, response.text
        failures += mismatches(app, council, view, response.json()["measures"])
    assert not failures, "\n".join(failures)


def mismatches(
    app: FastAPI,
    council: Council,
    view: tuple[str, str | None, str | None, date],
    got: dict[str, Any],
    portal_from: date | None = None,
) -> list[str]:
    """What the overview ``got`` for ``view`` gets wrong, figure by figure, against expected.py.
    Before ``portal_from`` the measures only the portal records must be null, with that date."""
    core, claimable = _pages(app)
    who, team, adviser, on = view
    failures = []
    people = expected.people_in_view(council, who, on, team, adviser)
    documents, by_type = expected.documents_by_18(council, people, on)
    want = {
        "pa_allocated": expected.pa_allocated(people, on).pair,
        "plan_current": expected.plan_current(people, on).pair,
        "first_plan_on_time": expected.first_plan_on_time(people, on).pair,
        "plan_copy_received": expected.plan_copy_received(people, on).pair,
        "documents_by_18": documents.pair,
        "in_touch": expected.in_touch(people, on).pair,
        "pa_changes": expected.pa_changes(people, on).pair,
    }
    for name, pair in want.items():
        if _pair(got[name]) != pair:
            failures.append(f"{who} {team} {adviser} {on} {name}: {_pair(got[name])} != {pair}")
    got_types = {
        k: _pair(v) for k, v in got["documents_by_18"]["by_type"].items() if v["denominator"]
    }
    if got_types != by_type:
        failures.append(f"{who} {on} documents by type: {got_types} != {by_type}")
    counts = expected.caseload(people, on)
    want_caseload = {(str(council.staff[k]) if k else None): n for k, n in counts.items()}
    got_caseload = {row["adviser_id"]: row["count"] for row in got["caseload"]}
    if got_caseload != want_caseload:
        failures.append(f"{who} {on} caseload: {got_caseload} != {want_caseload}")
    if portal_from is not None and on < portal_from:
        for name in PORTAL_ONLY:
            if got[name] is not None:
                failures.append(f"{who} {on} {name}: {got[name]} before {portal_from}")
        not_recorded = {
            (n["measure"], n["code"], date.fromisoformat(n["available_from"]))
            for n in got["not_recorded"]
        }
        if not_recorded != {(n, "not_recorded_before", portal_from) for n in PORTAL_ONLY}:
            failures.append(f"{who} {on} not_recorded: {got['not_recorded']}")
        return failures
    if got["not_recorded"]:
        failures.append(f"{who} {on} not_recorded: {got['not_recorded']}")
    rights = expected.rights_informed(people, on, core).pair
    if got["rights_informed"] is None or _pair(got["rights_informed"]) != rights:
        failures.append(f"{who} {on} rights_informed: {got['rights_informed']} != {rights}")
    entitlements, by_page = expected.entitlements_received(people, on, claimable)
    if _pair(got["entitlements_received"]) != entitlements.pair:
        failures.append(f"{who} {on} entitlements: {got['entitlements_received']}")
    got_pages = {
        k: _pair(v)
        for k, v in got["entitlements_received"]["by_entitlement"].items()
        if v["denominator"]
    }
    if got_pages != by_page:
        failures.append(f"{who} {on} entitlements by page: {got_pages} != {by_page}")
    messages, (late, sent), median = expected.messages_unanswered(people, on)
    got_messages = got["messages_unanswered"]
    if _pair(got_messages) != (late, sent) or got_messages["young_people"] != len(messages.met):
        failures.append(f"{who} {on} messages: {got_messages} != {late}/{sent}, {messages}")
    got_median = got_messages["median_first_reply_hours"]
    if (got_median is None) != (median is None) or (
        median is not None and abs(got_median - median) > 0.051
    ):
        failures.append(f"{who} {on} median first reply: {got_median} != {median}")
    concerns, (still_open, counted), providers = expected.accommodation_concerns(people, on)
    got_concerns = got["accommodation_concerns"]
    if _pair(got_concerns) != (still_open, counted) or got_concerns["young_people"] != len(
        concerns.met
    ):
        failures.append(f"{who} {on} concerns: {got_concerns} != {still_open}/{counted}")
    got_providers = {
        (None if row["provider_id"] is None else row["provider_name"]): (
            row["open"],
            row["total"],
            None if row["oldest_open_on"] is None else date.fromisoformat(row["oldest_open_on"]),
        )
        for row in got_concerns["by_provider"]
    }
    if got_providers != providers:
        failures.append(f"{who} {on} concerns by provider: {got_providers} != {providers}")
    return failures


async def test_the_synthetic_council_exercises_every_measure(
    client: httpx.AsyncClient, council: Council
) -> None:
    """A figure of 0 of 0, or all met, proves little: the seed gives each measure both kinds."""
    response = await client.get(
        "/api/v1/reports/overview",
        params={"as_of": AS_OF.isoformat()},
        headers=council.auth("org_manager"),
    )
    measures = response.json()["measures"]
    for name, figure in measures.items():
        if name == "not_recorded":
            assert figure == []
            continue
        if name == "caseload":
            assert len(figure) >= 4
            continue
        assert 0 < figure["numerator"] < figure["denominator"], (name, figure)


async def _all_rows(
    client: httpx.AsyncClient, council: Council, measure: str, **params: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while True:
        response = await client.get(
            f"/api/v1/reports/{measure}/young-people",
            params={"as_of": AS_OF.isoformat(), "limit": "37", "offset": str(len(rows)), **params},
            headers=council.auth("org_manager"),
        )
        assert response.status_code == 200, response.text
        page = response.json()
        rows += page["items"]
        if len(rows) >= page["total"]:
            assert len(rows) == page["total"]
            return rows


async def test_the_names_behind_each_figure_are_the_same_young_people(
    client: httpx.AsyncClient, council: Council, app: FastAPI
) -> None:
    core, claimable = _pages(app)
    people = expected.people_in_view(council, "org_manager", AS_OF)
    key_of = {r.external_id: r.key for r in council.records}
    want = {
        "pa_allocated": expected.pa_allocated(people, AS_OF),
        "plan_current": expected.plan_current(people, AS_OF),
        "first_plan_on_time": expected.first_plan_on_time(people, AS_OF),
        "plan_copy_received": expected.plan_copy_received(people, AS_OF),
        "documents_by_18": expected.documents_by_18(council, people, AS_OF)[0],
        "rights_informed": expected.rights_informed(people, AS_OF, core),
        "in_touch": expected.in_touch(people, AS_OF),
        "entitlements_received": expected.entitlements_received(people, AS_OF, claimable)[0],
        "pa_changes": expected.pa_changes(people, AS_OF),
        "messages_unanswered": expected.messages_unanswered(people, AS_OF)[0],
        "accommodation_concerns": expected.accommodation_concerns(people, AS_OF)[0],
    }
    for measure, wanted in want.items():
        rows = await _all_rows(client, council, measure)
        assert {key_of[r["external_id"]] for r in rows} == wanted.denominator, measure
        assert {key_of[r["external_id"]] for r in rows if r["met"]} == wanted.met, measure
        assert all(r["reason"] for r in rows)
        unmet = await _all_rows(client, council, measure, met="false")
        assert {key_of[r["external_id"]] for r in unmet} == wanted.denominator - wanted.met


async def test_one_document_type_lists_who_it_applies_to(
    client: httpx.AsyncClient, council: Council
) -> None:
    people = expected.people_in_view(council, "org_manager", AS_OF)
    parts = {r.key: expected.document_parts(council, r, AS_OF) for r in people}
    want = {k for k, p in parts.items() if p is not None and "immigration_documents" in p}
    rows = await _all_rows(
        client, council, "documents_by_18", document_type="immigration_documents"
    )
    key_of = {r.external_id: r.key for r in council.records}
    assert {key_of[r["external_id"]] for r in rows} == want
    assert all(council.by_key(key_of[r["external_id"]]).uasc for r in rows)


async def test_boundaries_fall_where_domain_md_says(
    client: httpx.AsyncClient, council: Council
) -> None:
    async def row(measure: str, key: str) -> dict[str, Any] | None:
        rows = await _all_rows(client, council, measure)
        return next((r for r in rows if r["external_id"] == key.upper()), None)

    exactly = await row("plan_current", "plan_exactly_6_months")
    assert exactly is not None
    assert exactly["met"]
    late = await row("plan_current", "plan_6_months_and_a_day")
    assert late is not None
    assert not late["met"]
    assert late["reason"] == "plan review overdue by 2 days (last agreed on 29 Apr 2026)"
    assert late["days_overdue"] == 2

    outside = await row("in_touch", "contact_56_days")
    assert outside is not None
    assert not outside["met"]
    assert outside["reason"].startswith("no contact in the last 56 days; last contact 5 Sep 2026")
    inside = await row("in_touch", "contact_55_days")
    assert inside is not None
    assert inside["met"]

    assert await row("first_plan_on_time", "first_due_12_months") is None
    on_time = await row("first_plan_on_time", "first_due_inside")
    assert on_time is not None
    assert on_time["met"]

    assert await row("documents_by_18", "eighteen_12_months") is None
    eighteen = await row("documents_by_18", "eighteen_inside")
    assert eighteen is not None
    assert not eighteen["met"]
    assert eighteen["reason"].startswith("health history 1 day after 18th birthday, no ")
    assert "bank account" not in eighteen["reason"]  # recorded as not applying
    assert eighteen["reason"].endswith("; 18 on 1 Nov 2025, 364 days ago")
    today = await row("documents_by_18", "eighteen_today")
    assert today is not None
    assert today["reason"].endswith("; 18 today")

    assert await row("in_touch", "aged_25_today") is None
    assert await row("in_touch", "aged_24") is not None
    assert await row("in_touch", "closed_today") is None
    assert await row("in_touch", "closed_tomorrow") is not None
    sixteen = await row("in_touch", "sixteen_today")
    assert sixteen is not None
    assert sixteen["status"] == "eligible"

    numerous = await row("pa_changes", "three_advisers")
    assert numerous is not None
    assert numerous["met"]
    assert numerous["reason"] == (
        "personal adviser changed 3 times in 12 months: Neil Nash from 10 Jan 2026, "
        "Sam Shah from 1 May 2026, Nadia Noor from 1 Sep 2026"
    )
    once = await row("pa_changes", "one_change")
    assert once is not None
    assert not once["met"]

    in_time = await row("messages_unanswered", "reply_just_in_time")
    assert in_time is not None
    assert not in_time["met"]
    late_reply = await row("messages_unanswered", "reply_a_minute_late")
    assert late_reply is not None
    assert late_reply["met"]
    assert late_reply["reason"] == (
        "1 of 1 message not answered within a working day; the oldest, sent 29 Oct 2026, "
        "was answered after 8.0 office hours"
    )
    assert await row("messages_unanswered", "message_not_due_yet") is None
    hidden = await row("messages_unanswered", "reply_hidden")
    assert hidden is not None
    assert hidden["met"]
    # Sent on Monday 26 October at 09:00, due by 17:00 that day: 5 days late on the 31st.
    assert hidden["reason"].endswith("is still waiting (5 days past its day)")
    assert hidden["days_overdue"] == 5

    closed = await row("accommodation_concerns", "concern_closed_on_the_date")
    assert closed is not None
    assert not closed["met"]
    still_open = await row("accommodation_concerns", "concern_closed_after")
    assert still_open is not None
    assert still_open["met"]
    assert still_open["reason"] == (
        "soon concern about repairs at Marsh Training Flats (Marsh Homes), open since "
        "1 Sep 2026, 60 days"
    )
    old = await row("accommodation_concerns", "concern_old_and_open")
    assert old is not None
    assert old["met"]
    assert old["days_overdue"] == (AS_OF - date(2024, 6, 3)).days

    later = await row("pa_allocated", "allocated_later")
    assert later is not None
    assert not later["met"]
    assert later["reason"] == "no personal adviser allocated on 31 Oct 2026"
    assert later["personal_adviser"] is None


async def test_drill_down_is_sorted_most_urgent_first_and_by_name(
    client: httpx.AsyncClient, council: Council
) -> None:
    rows = await _all_rows(client, council, "plan_current")
    flags = [r["met"] for r in rows]
    assert flags == sorted(flags)  # not met first
    overdue = [r["days_overdue"] or 0 for r in rows if not r["met"]]
    assert overdue == sorted(overdue, reverse=True)
    by_name = await _all_rows(client, council, "plan_current", sort="name")
    record_of = {r.external_id: r for r in council.records}
    names = [
        (record_of[r["external_id"]].family_name, record_of[r["external_id"]].given_name)
        for r in by_name
    ]
    assert [n for n, _ in names] == sorted((n for n, _ in names), key=str.casefold)
    reverse = await _all_rows(client, council, "plan_current", sort="-date_of_birth")
    births = [r["date_of_birth"] for r in reverse]
    assert births == sorted(births, reverse=True)


async def test_rights_informed_counts_responses_by_the_london_date(
    client: httpx.AsyncClient, council: Council
) -> None:
    response = await client.get(
        "/api/v1/reports/rights_informed/young-people",
        params={"as_of": "2026-08-31", "limit": "200"},
        headers=council.auth("org_manager"),
    )
    rows = {r["external_id"]: r for r in response.json()["items"]}
    assert rows["RIGHTS_BEFORE_MIDNIGHT"]["met"]
    after = rows["RIGHTS_AFTER_MIDNIGHT"]
    assert not after["met"]
    assert (
        after["reason"] == "not yet responded to: Your rights as a care leaver (8 of 9 core pages)"
    )


async def test_trends_are_the_overview_at_each_of_the_last_12_month_ends(
    client: httpx.AsyncClient, council: Council
) -> None:
    response = await client.get("/api/v1/reports/trends", headers=council.auth("org_manager"))
    assert response.status_code == 200, response.text
    points = response.json()["points"]
    assert len(points) == 12
    dates = [date.fromisoformat(p["as_of"]) for p in points]
    assert dates == sorted(dates)
    for on in dates:
        assert (on + timedelta(days=1)).day == 1  # a month-end
    october = next(p for p in points if p["as_of"] == AS_OF.isoformat())
    overview = await client.get(
        "/api/v1/reports/overview",
        params={"as_of": AS_OF.isoformat()},
        headers=council.auth("org_manager"),
    )
    assert october["measures"] == overview.json()["measures"]
