"""The app's styles in two parts (pwa/src/ui/styles): what the first load draws (app.scss), and
what only later screens use (screens.scss), loaded with the first of them. Each part must be
there when a screen is drawn, and no screen may use an override class that no stylesheet has."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    AMIRA,
    PHONE,
    ROOT,
    WEB_DIR,
    DemoPortal,
    Phone,
    _new_phone,
    _unavailable,
)

OVERRIDE = re.compile(r"govuk-!-[a-z0-9-]+")


def test_every_override_class_a_screen_uses_is_in_the_built_styles() -> None:
    """The app keeps only the override classes it uses (styles/_overrides.scss): one added to a
    screen and not there would silently do nothing."""
    sheets = list(WEB_DIR.glob("assets/**/*.css"))
    if not sheets:
        _unavailable("the app is not built: cd pwa && npm ci && npm run build")
    built = "".join(path.read_text() for path in sheets).replace("\\!", "!")
    used = {
        name
        for path in (ROOT / "pwa" / "src").rglob("*.ts*")
        for name in OVERRIDE.findall(path.read_text())
    }
    assert used, "no override class found in pwa/src: the pattern is wrong"
    assert sorted(name for name in used if f".{name}" not in built) == []


@pytest.fixture
async def fresh_phone(browser: Any, demo_portal: DemoPortal) -> AsyncIterator[Phone]:
    # No service worker: every stylesheet the page uses is one it asked the server for.
    phone = await _new_phone(browser, demo_portal, PHONE, service_workers="block")
    yield phone
    await phone.context.close()


def _sheet(url: str) -> str:
    return Path(url.split("?")[0]).name


async def test_home_loads_only_the_first_stylesheet_and_the_plan_brings_the_rest(
    fresh_phone: Phone,
) -> None:
    phone = fresh_phone
    await phone.sign_in(AMIRA)
    sheets: list[str] = []

    def on_request(request: Any) -> None:
        if request.resource_type == "stylesheet":
            sheets.append(_sheet(request.url))

    phone.page.on("request", on_request)
    await phone.open("/")
    await phone.heading(re.compile("^Hello Amira"))
    assert sheets
    assert not any(name.startswith("screens-") for name in sheets)

    await phone.page.get_by_role("link", name="Your plan").first.click()
    section = phone.page.locator(".govuk-details__summary").first
    await section.wait_for()
    assert any(name.startswith("screens-") for name in sheets)
    # Drawn with its styles: govuk-frontend's toggle (a block with its own arrow), not the
    # browser's own disclosure triangle (a list item).
    display = await section.evaluate("el => getComputedStyle(el).display")
    assert display == "block"
