"""An Arabic or Pashto screen has no English in it (issue 14, UX.md §4 item 7).

The only Latin letters allowed are names people typed (the young person's, their PA's, the
council's, their place's), text people typed (marked `dir="auto"`: a plan's words, a message) and
content the council has not translated yet, shown marked `lang="en"` with a note (UX.md §2 "Your
rights": "untranslated: English, with a note"). Everything the app or the API words itself must be
in the screen's language: the test reads every visible text node and fails on any other run of
Latin letters, naming the screen and the words.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AMIRA, DEMO_PASSWORD, JORDAN, Api, Phone

LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z]*")
# A download's file type, as the phone's own file list shows it.
FILE_TYPES = {"PDF"}
PATHS = (
    "/",
    "/plan",
    "/documents",
    "/rights",
    "/money",
    "/messages",
    "/where-i-live",
    "/settings",
    "/help",
    "/records",
    "/check-in",
)

# Visible text outside what the module docstring allows, in the page's own reading order.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || !el.checkVisibility({ visibilityProperty: true })) continue;
    if (el.closest('[lang="en"], [dir="auto"], script, style, noscript')) continue;
    out.push(text);
  }
  return out;
}"""


async def _names(api: Api, user: str) -> set[str]:
    """Every word of a name the screens may show for this young person: theirs, their PA's and
    other staff's, the council's, and their place's (typed by people, never translated)."""
    me = "/young-people/me"
    summary = await api.get(f"{me}/summary", user)
    names = [
        summary["given_name"],
        summary["full_name"],
        summary["organisation"]["name"],
        summary["team_name"] or "",
        (summary["personal_adviser"] or {}).get("name", ""),
        summary["reach_now"].get("name") or "",
    ]
    place = await api.get(f"{me}/accommodation", user)
    for residence in [place["current"], *place["history"]]:
        if residence:
            names += [residence.get(k) or "" for k in ("scheme_name", "provider_name", "address")]
    messages = await api.get(f"{me}/messages", user, params={"limit": 200})
    names += [m["sender_name"] or "" for m in messages["items"]]
    plan = await api.get(f"{me}/plan", user)
    for version in (plan.get("current"), plan.get("in_progress")):
        names += [a["owner_name"] or "" for a in (version or {}).get("actions", [])]
    log = await api.get(f"{me}/access-log", user)
    names += [entry["staff_name"] for entry in log["items"]]
    branding = (await api.client.get("/branding")).json()
    names += [branding.get(k) or "" for k in ("name", "short_name", "discreet_name")]
    return {word for name in names for word in LATIN_RUN.findall(name)} | FILE_TYPES


def _signed_in(phone: Phone) -> Any:
    """The main menu's Messages link: only there once signed in (the sign-in screen has no menu)."""
    return phone.page.locator('#navigation a[href="/messages"]')


async def _until(phone: Phone, expression: str, seconds: float = 20) -> None:
    """Poll from here: the page's CSP refuses the string evaluation wait_for_function polls with."""
    for _ in range(int(seconds * 10)):
        if await phone.page.evaluate(expression):
            return
        await phone.page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


async def _english_on(phone: Phone, path: str, lang: str, allowed: set[str]) -> list[str]:
    await phone.open(path)
    await _until(phone, f"document.documentElement.lang === '{lang}'")
    await phone.page.locator("main h1").first.wait_for()
    # The screen has its data: no "Loading…" or "Updating…" left in its status line.
    await _until(
        phone,
        "[...document.querySelectorAll('.app-status')].every(e => e.textContent.trim() === '')",
    )
    # A signed-out phone shows the sign-in screen at every path: that would test nothing.
    assert await _signed_in(phone).count() == 1, f"{path}: not signed in"
    texts: list[str] = await phone.page.evaluate(VISIBLE_TEXT)
    return [
        f"{path}: {word!r} in {text!r}"
        for text in texts
        for word in LATIN_RUN.findall(text)
        if word not in allowed
    ]


async def _sign_in(phone: Phone, username: str) -> None:
    await phone.open("/")  # English from the browser's locale: a default, not a choice
    await phone.page.get_by_label("Email address or mobile number").fill(username)
    await phone.page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await phone.page.get_by_role("button", name="Sign in").click()
    await _signed_in(phone).wait_for(state="attached")


async def _shoot(phone: Phone, name: str, top: bool = True) -> None:
    """Saved only when asked (PORTAL_SCREENSHOTS=bench/screens), as the admin screens are: a test
    run must not rewrite the screenshots kept in bench/screens."""
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if not folder:
        return
    if top:
        await phone.page.evaluate("window.scrollTo(0, 0)")
    await phone.page.screenshot(path=str(Path(folder) / name))


async def test_jordan_whose_language_is_arabic_gets_every_screen_in_arabic_with_no_english(
    phone: Phone, api: Api
) -> None:
    assert (await api.get("/young-people/me/summary", JORDAN))["preferred_language"] == "ar"
    await _sign_in(phone, JORDAN)
    # The phone had no language chosen: the one recorded for Jordan takes over after sign-in.
    await _until(phone, "document.documentElement.lang === 'ar'")
    assert await phone.page.locator("html").get_attribute("dir") == "rtl"
    allowed = await _names(api, JORDAN)
    english = [line for path in PATHS for line in await _english_on(phone, path, "ar", allowed)]
    assert english == [], "\n".join(english)


@pytest.mark.parametrize("lang", ["ar", "ps"])
async def test_amira_with_her_phone_in_arabic_or_pashto_sees_no_english_on_any_screen(
    phone: Phone, api: Api, lang: str
) -> None:
    await _sign_in(phone, AMIRA)
    await phone.open(f"/?lang={lang}")  # the language links are ?lang= links: a choice
    allowed = await _names(api, AMIRA)
    english = []
    for path in PATHS:
        english += await _english_on(phone, path, lang, allowed)
        if path in ("/", "/plan"):
            await _shoot(phone, f"{'home' if path == '/' else 'plan'}-{lang}-words.png")
        if path == "/plan":
            # The section titles, worded by the app from their codes, below the first screenful.
            await phone.page.locator("details.app-plan-section").first.scroll_into_view_if_needed()
            await _shoot(phone, f"plan-{lang}-sections-words.png", top=False)
    assert english == [], "\n".join(english)
    # The machine-assisted catalogue says so under every screen, as the content pages do.
    assert await phone.page.locator(".app-translation-note").is_visible()


async def test_english_screens_show_no_translation_note(phone: Phone) -> None:
    await _sign_in(phone, AMIRA)
    await phone.open("/?lang=en")
    await phone.page.locator("main h1").first.wait_for()
    assert await phone.page.locator(".app-translation-note").count() == 0
