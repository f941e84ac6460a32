"""Home's first answers are asked for by public/early-requests.js while the app downloads, and the
app takes them instead of asking again (issue 14's < 3 s on a slow phone; bench/README.md).

Counted on a phone with no service worker, so every request the page makes is one the server
answers: exactly one of each means the app used the early answer.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.browser.conftest import (
    AMIRA,
    DEMO_PASSWORD,
    JORDAN,
    PHONE,
    DemoPortal,
    Phone,
    _new_phone,
)

FIRST_ANSWERS = ("/api/v1/users/me", "/api/v1/young-people/me/summary", "/api/v1/branding")


@pytest.fixture
async def phone_without_worker(browser: Any, demo_portal: DemoPortal) -> AsyncIterator[Phone]:
    phone = await _new_phone(browser, demo_portal, PHONE, service_workers="block")
    yield phone
    await phone.context.close()


async def _first_answers_on_opening_home(
    phone: Phone, greeting: re.Pattern[str]
) -> dict[str, list[dict[str, str]]]:
    asked: dict[str, list[dict[str, str]]] = {path: [] for path in FIRST_ANSWERS}

    def on_request(request: Any) -> None:
        path = re.sub(r"^https?://[^/]+", "", request.url).split("?")[0]
        if path in asked:
            asked[path].append(request.headers)

    # A first load, as on a phone that never had the app: nothing from the browser's cache, and
    # the app's scripts held until the early script has arrived, which on a slow phone it always
    # does first (a 1 KB file against 40 KB of scripts). Without the hold this machine serves all
    # of them within a millisecond, in either order.
    cdp = await phone.context.new_cdp_session(phone.page)
    await cdp.send("Network.clearBrowserCache")
    early_script = asyncio.Event()

    def on_finished(request: Any) -> None:
        if request.url.endswith("/early-requests.js"):
            early_script.set()

    async def after_the_early_script(route: Any) -> None:
        await early_script.wait()
        await route.continue_()

    phone.page.on("requestfinished", on_finished)
    await phone.page.route("**/assets/**", after_the_early_script)
    phone.page.on("request", on_request)
    await phone.open("/")
    # Home greets them by name only once the summary is in; by then the app has asked for
    # everything it was going to ask for (a request it made itself goes out when home is drawn).
    await phone.page.get_by_role("heading", level=1, name=greeting).wait_for()
    phone.page.remove_listener("request", on_request)
    phone.page.remove_listener("requestfinished", on_finished)
    await phone.page.unroute("**/assets/**")
    return asked


def _script_errors(phone: Phone) -> list[str]:
    """Errors of the page's scripts and CSP refusals. A signed-out phone's 401s are logged by the
    browser as "Failed to load resource" whoever asked; they are not errors here."""
    return [e for e in phone.console_errors if not e.startswith("Failed to load resource")]


async def test_home_asks_for_its_first_answers_once_each(phone_without_worker: Phone) -> None:
    phone = phone_without_worker
    await phone.sign_in(AMIRA)
    asked = await _first_answers_on_opening_home(phone, re.compile("^Hello Amira"))
    assert {path: len(sent) for path, sent in asked.items()} == dict.fromkeys(FIRST_ANSWERS, 1)
    # Sent by the early script (it says which language it guessed; an app that started first
    # leaves an empty one), and the app took every answer it left.
    assert await phone.page.evaluate("window.portalEarly.lang") == "en"
    taken = await phone.page.evaluate(
        "['me', 'summary', 'branding'].every(name => window.portalEarly[name] === undefined)"
    )
    assert taken
    assert _script_errors(phone) == []


async def test_a_young_person_whose_language_is_arabic_gets_home_asked_in_arabic_once(
    phone_without_worker: Phone,
) -> None:
    phone = phone_without_worker
    await phone.open("/")
    await phone.page.get_by_label("Email address or mobile number").fill(JORDAN)
    await phone.page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await phone.page.get_by_role("button", name="Sign in").click()
    # The phone had no language chosen: the one recorded for Jordan takes over after sign-in,
    # and the phone keeps it for its next start (the early script reads it there).
    await phone.until("document.documentElement.lang === 'ar'")
    asked = await _first_answers_on_opening_home(phone, re.compile("Jordan"))
    summaries = asked["/api/v1/young-people/me/summary"]
    assert [sent.get("accept-language") for sent in summaries] == ["ar"]
    assert await phone.page.locator("html").get_attribute("dir") == "rtl"
    assert _script_errors(phone) == []
