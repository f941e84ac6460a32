"""The staff console at 1280 x 800 against the demo council (issue 15 "Tests"): what a PA does
on screen, checked afterwards through the API as another client would see it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.conftest import AMIRA, PRIYA, Api, Phone, describe, serious_violations

SECTIONS = ("Messages", "Plan", "Documents", "Contacts")


async def _sign_in_to_the_console(laptop: Phone) -> None:
    await laptop.open("/staff/")
    await laptop.page.get_by_label("Email address or mobile number").fill(PRIYA)
    await laptop.page.get_by_label("Password", exact=True).fill("eastmarsh-demo-2026")
    await laptop.page.get_by_role("button", name="Sign in").click()
    await laptop.heading("My day")


async def _priyas_lines_today(api: Api) -> list[dict[str, Any]]:
    log = await api.get("/young-people/me/access-log", AMIRA, params={"limit": 100})
    # The log's days are London's (as the young person counts them), not UTC's.
    today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    return [e for e in log["items"] if e["staff_name"] == "Priya Shah" and e["on"] == today]


async def test_a_pa_opening_every_tab_of_a_case_adds_one_line_to_the_access_log(
    laptop: Phone, api: Api
) -> None:
    before = await _priyas_lines_today(api)
    amira = (await api.get("/young-people/me", AMIRA))["full_name"]
    await _sign_in_to_the_console(laptop)
    await laptop.page.get_by_role("link", name="Caseload").first.click()
    await laptop.heading("Caseload")
    await laptop.page.get_by_role("link", name=amira).wait_for()
    assert not (found := await serious_violations(laptop.page)), describe(found)
    await laptop.page.get_by_role("link", name=amira).click()
    await laptop.heading(amira)
    assert not (found := await serious_violations(laptop.page)), describe(found)
    for tab in SECTIONS:
        await laptop.page.get_by_role("tab", name=tab).click()
        await laptop.page.get_by_role("tabpanel").wait_for()
    # The last tab's list has loaded (the contact form and its list): every GET was made.
    await laptop.page.wait_for_load_state("networkidle")

    lines = await _priyas_lines_today(api)

    assert len(lines) == 1, lines
    [line] = lines
    assert {"overview.read", "caseload.read", "plan.read", "documents.read"} <= set(line["actions"])
    assert line["duty_cover"] is False
    if before:
        assert line["count"] > before[0]["count"]


async def test_my_day_shows_the_oldest_waiting_message_first(laptop: Phone, api: Api) -> None:
    # Amira writes, so at least one young person is waiting whatever the demo's history.
    await api.request(
        "POST",
        "/young-people/me/messages",
        AMIRA,
        json={"body": "Are you around this week?"},
        headers={"Idempotency-Key": f"staff-browser-{datetime.now(UTC).timestamp()}"},
    )
    inbox = await api.get("/conversations", PRIYA, params={"scope": "team", "limit": 200})
    waiting = [c for c in inbox["items"] if c["waiting_since"] is not None]
    assert waiting
    assert [c["waiting_since"] for c in waiting] == sorted(c["waiting_since"] for c in waiting)

    await _sign_in_to_the_console(laptop)
    group = laptop.page.locator("section", has=laptop.page.locator("#group-messages"))
    first = group.locator(".staff-item").first
    await first.wait_for()

    assert await first.get_by_role("link").inner_text() == waiting[0]["young_person_name"]
    assert re.search(r"Waiting for a reply", await first.inner_text())
    assert not (found := await serious_violations(laptop.page)), describe(found)
