"""axe-core on every screen of the phone app, in English and in Arabic (right to left): no serious
or critical violation (UX.md §6). Amira signs in once; each screen is opened as a fresh page load
in the language under test."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Phone, describe, serious_violations
from tests.browser.test_phone import SCREENS

LANGS = ["en", "ar"]


async def _settled(phone: Phone, path: str, lang: str) -> None:
    await phone.open(f"{path}?lang={lang}")
    await phone.until(f"document.documentElement.lang === '{lang}'")
    await phone.page.locator("main h1").wait_for()
    await phone.page.wait_for_load_state("networkidle")
    # The screen's own data, not "Loading…": the status region is empty once it has arrived.
    await phone.until("!document.querySelector('main .app-status')?.textContent?.trim()")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", [path for path, _ in SCREENS])
async def test_screen_has_no_serious_accessibility_violation(
    amira_phone: Phone, path: str, lang: str
) -> None:
    await _settled(amira_phone, path, lang)
    assert await amira_phone.page.locator("html").get_attribute("dir") == (
        "rtl" if lang == "ar" else "ltr"
    )
    violations = await serious_violations(amira_phone.page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("lang", LANGS)
async def test_sign_in_screen_has_no_serious_accessibility_violation(
    phone: Phone, lang: str
) -> None:
    await phone.open(f"/?lang={lang}")
    await phone.until(f"document.documentElement.lang === '{lang}'")
    await phone.page.locator("form input#username").wait_for()
    # The out-of-hours number arrives with the branding: check the screen as it ends up.
    await phone.page.locator(".govuk-warning-text a").first.wait_for()
    violations = await serious_violations(phone.page)
    assert violations == [], describe(violations)
