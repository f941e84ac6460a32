"""The phone's own side (issue 14, UX.md §5): settings in the young person's language, the app
PIN over everything the app kept, a shared phone that keeps nothing, and notifications.

Jordan is the young person here (Amira's screens are other tests' fixtures). Each test checks
what the browser kept or what the API recorded, not only what the screen says.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from tests.browser.conftest import DEMO_PASSWORD, JORDAN, Api, Phone, describe, serious_violations

PIN = "2468"


@pytest.fixture(autouse=True)
async def jordan_reads_english(api: Api) -> AsyncIterator[None]:
    """The demo records Arabic for Jordan and the app follows a recorded language (the languages
    tests check that); these tests read the English screens, so English is recorded while they
    run, and Arabic again after."""
    await api.request("PATCH", "/users/me/preferences", JORDAN, json={"preferred_language": "en"})
    yield
    await api.request("PATCH", "/users/me/preferences", JORDAN, json={"preferred_language": "ar"})


async def _databases(phone: Phone) -> list[str]:
    """IndexedDB databases that hold anything. The service worker keeps workbox-expiration
    open, so it survives sign-out as an empty database; any entry in it would count."""
    names: list[str] = await phone.page.evaluate(
        """async () => {
            const names = [];
            for (const { name } of await indexedDB.databases()) {
                if (name !== 'workbox-expiration') { names.push(name); continue; }
                const count = await new Promise(done => {
                    const open = indexedDB.open(name);
                    open.onerror = open.onblocked = () => done(-1);
                    setTimeout(() => done(-1), 5000);  // a delete still pending: counts
                    open.onsuccess = () => {
                        const db = open.result;
                        if (!db.objectStoreNames.contains('cache-entries')) { db.close(); return done(0); }
                        const req = db.transaction('cache-entries').objectStore('cache-entries').count();
                        req.onsuccess = () => { db.close(); done(req.result); };
                    };
                });
                if (count !== 0) names.push(`${name} (${count} entries)`);
            }
            return names;
        }"""
    )
    return names


async def _answer_caches(phone: Phone) -> dict[str, int]:
    """Every Cache Storage cache but the precached shell, with how many answers it holds."""
    found: dict[str, int] = await phone.page.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                if (!name.startsWith('workbox-precache')) out[name] = (await (await caches.open(name)).keys()).length;
            }
            return out;
        }"""
    )
    return found


async def _cached_paths(phone: Phone) -> set[str]:
    paths: list[str] = await phone.page.evaluate(
        """async () => {
            if (!(await caches.has('portal-answers'))) return [];
            const cache = await caches.open('portal-answers');
            return (await cache.keys()).map(r => new URL(r.url).pathname);
        }"""
    )
    return set(paths)


async def _set_pin(phone: Phone, pin: str = PIN) -> None:
    await phone.open("/settings")
    await phone.heading("Settings")
    await phone.page.get_by_role("link", name="Set a PIN").click()
    await phone.heading("Choose a PIN")
    await phone.page.get_by_label("New PIN").fill(pin)
    await phone.page.get_by_label("Type the PIN again").fill(pin)
    await phone.page.get_by_role("button", name="Save PIN").click()
    await phone.page.get_by_text("Your PIN is set.").wait_for()


async def test_choosing_arabic_in_settings_turns_home_right_to_left_and_saves_it_on_the_account(
    phone: Phone, api: Api
) -> None:
    await phone.sign_in(JORDAN)
    await phone.open("/settings")
    await phone.heading("Settings")
    await phone.page.locator("label[for='lang-ar']").click()
    # The screen turns Arabic before the account is saved: wait for the save, not the screen.
    async with phone.page.expect_response(
        lambda r: r.request.method == "PATCH" and r.url.endswith("/users/me/preferences")
    ) as saved:
        await (
            phone.page.locator("form", has=phone.page.locator("#lang-ar"))
            .get_by_role("button", name="Save")
            .click()
        )
    assert (await saved.value).ok

    await phone.until("document.documentElement.dir === 'rtl'")
    await phone.heading("الإعدادات")
    assert (await api.get("/users/me/preferences", JORDAN))["preferred_language"] == "ar"
    # Home in Arabic too, and still so on a fresh start (the choice stays on the phone).
    await phone.open("/")
    await phone.page.get_by_role("heading", level=1, name=re.compile("Jordan")).wait_for()
    assert await phone.page.locator("html").get_attribute("dir") == "rtl"
    assert await phone.page.locator("html").get_attribute("lang") == "ar"


async def test_a_pin_hides_everything_until_it_is_typed_and_the_right_one_shows_home(
    phone: Phone,
) -> None:
    await phone.sign_in(JORDAN)
    await _set_pin(phone)

    await phone.open("/")
    await phone.heading("Enter your PIN")
    # Nothing the app kept is on screen behind it: no greeting, no menu, no name.
    assert await phone.page.locator("main").get_by_text("Jordan").count() == 0
    assert await phone.page.get_by_role("link", name="Messages").count() == 0
    # Only a hash is kept, never the digits.
    kept = await phone.page.evaluate(
        """() => new Promise(done => {
            const open = indexedDB.open('portal-lock');
            open.onsuccess = () => {
                const get = open.result.transaction('pin').objectStore('pin').get('pin');
                get.onsuccess = () => { const v = get.result; open.result.close();
                    done({hash: v.hash.length, salt: v.salt.length, text: JSON.stringify(v)}); };
            };
        })"""
    )
    assert kept["hash"] == 32
    assert kept["salt"] == 16
    assert PIN not in kept["text"]

    await phone.page.get_by_label("PIN", exact=True).fill("1357")
    await phone.page.get_by_role("button", name="Unlock").click()
    await phone.page.locator(".govuk-error-summary").get_by_text("That PIN is not right").wait_for()
    await phone.page.get_by_label("PIN", exact=True).fill(PIN)
    await phone.page.get_by_role("button", name="Unlock").click()
    await phone.page.get_by_role("heading", level=1, name=re.compile("^Hello ")).wait_for()


async def test_five_wrong_pins_sign_out_and_forget_everything_on_the_phone(
    phone: Phone, api: Api
) -> None:
    await phone.sign_in(JORDAN)
    await _set_pin(phone)
    await phone.open("/")
    await phone.heading("Enter your PIN")

    for tried in range(1, 6):
        await phone.page.get_by_label("PIN", exact=True).fill("0000")
        await phone.page.get_by_role("button", name="Unlock").click()
        if tried < 5:
            summary = phone.page.locator(".govuk-error-summary")
            await summary.get_by_text(f"{5 - tried} tries left").wait_for()

    await phone.heading("Sign in")
    await phone.page.get_by_text("The PIN was wrong 5 times").wait_for()
    assert await _databases(phone) == []
    assert await _answer_caches(phone) == {}
    # The session itself ended on the server, not only on this phone.
    me = await phone.context.request.get(f"{phone.base}/api/v1/users/me")
    assert me.status == 401
    # Signing in again with the password is how a forgotten PIN is got past: no PIN after.
    await phone.sign_in(JORDAN)
    await phone.open("/")
    await phone.page.get_by_role("heading", level=1, name=re.compile("^Hello ")).wait_for()


async def test_a_shared_phone_sign_in_keeps_no_answers_and_no_lasting_cookie(
    phone: Phone,
) -> None:
    await phone.open("/")
    await phone.heading("Sign in")
    await phone.controlled_by_service_worker()
    await phone.page.get_by_label("Email address or mobile number").fill(JORDAN)
    await phone.page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await phone.page.get_by_label("This is a shared phone").check()
    await phone.page.get_by_role("button", name="Sign in").click()
    await phone.page.get_by_role("heading", level=1, name=re.compile("^Hello ")).wait_for()

    cookie = next(c for c in await phone.context.cookies() if c["name"] == "portal_session")
    assert cookie["expires"] == -1, "a session cookie: it ends when the browser closes"
    for path in ("/plan", "/documents", "/rights", "/messages", "/"):
        await phone.open(path)
        await phone.page.locator("main h1").wait_for()
        await phone.page.wait_for_load_state("networkidle")
    # The council's public branding may be kept (it is the same for everyone); nothing of his.
    assert await _cached_paths(phone) <= {"/api/v1/branding"}

    await phone.open("/settings")
    await phone.page.get_by_text("You signed in on a shared phone.").wait_for()
    await phone.page.get_by_role("button", name="Sign out").click()
    await phone.heading("Sign in")
    assert await _databases(phone) == []
    assert await _answer_caches(phone) == {}
    cookies = await phone.context.cookies()
    assert not [c for c in cookies if c["name"] == "portal_session" and c["value"]]


async def test_without_the_shared_box_the_same_screens_are_kept_for_offline(
    phone: Phone,
) -> None:
    """The other half of the test above: the cache check can fail."""
    await phone.open("/")
    await phone.controlled_by_service_worker()
    await phone.sign_in(JORDAN)
    cookie = next(c for c in await phone.context.cookies() if c["name"] == "portal_session")
    assert cookie["expires"] > 0
    await phone.open("/plan")
    await phone.page.locator("main h1").wait_for()
    await phone.page.wait_for_load_state("networkidle")
    assert "/api/v1/young-people/me/plan" in await _cached_paths(phone)


async def test_notifications_on_this_phone_say_plainly_why_they_cannot_be_turned_on(
    phone: Phone, api: Api
) -> None:
    """Headless Chromium with a closed network has no push service, and the demo council has no
    VAPID key: the app must say so in a sentence and save the rest. The API's subscribe and
    unsubscribe routes are tested in tests/messaging/test_push_subscriptions.py."""
    await phone.context.grant_permissions(["notifications"], origin=phone.base)
    await phone.sign_in(JORDAN)
    await phone.open("/settings")
    await phone.heading("Settings")
    box = phone.page.get_by_label("A notification on this phone")
    await box.check()
    # The rest is saved: wait for that answer, not only for the request to leave (reading the
    # preferences before it is stored failed CI once).
    async with phone.page.expect_response(
        lambda r: r.request.method == "PATCH" and r.url.endswith("/users/me/preferences")
    ) as saving:
        await phone.page.locator("form", has=box).get_by_role("button", name="Save").click()

    summary = phone.page.locator(".govuk-error-summary")
    await summary.get_by_text(re.compile("not set up yet|could not turn on")).wait_for()
    assert not await box.is_checked()
    assert (await saving.value).status == 200
    prefs = await api.get("/users/me/preferences", JORDAN)
    assert "push" not in prefs["notify_by"]


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_settings_pin_setting_and_pin_screens_have_no_serious_accessibility_violation(
    phone: Phone, lang: str
) -> None:
    await phone.sign_in(JORDAN)
    for path in ("/settings", "/settings/pin"):
        await phone.open(f"{path}?lang={lang}")
        await phone.until(f"document.documentElement.lang === '{lang}'")
        await phone.page.locator("main h1").wait_for()
        await phone.page.wait_for_load_state("networkidle")
        violations = await serious_violations(phone.page)
        assert violations == [], f"{path}: {describe(violations)}"
    await _set_pin_in(phone, lang)
    await phone.open(f"/?lang={lang}")
    await phone.page.locator("main h1").wait_for()
    await phone.page.locator("#pin").wait_for()
    # With an error showing too: the summary and the field's message.
    await phone.page.locator("button[type=submit]").click()
    await phone.page.locator(".govuk-error-summary").wait_for()
    violations = await serious_violations(phone.page)
    assert violations == [], f"PIN screen: {describe(violations)}"


async def _set_pin_in(phone: Phone, lang: str) -> None:
    await phone.open(f"/settings/pin?lang={lang}")
    await phone.page.locator("#new-pin").fill(PIN)
    await phone.page.locator("#confirm-pin").fill(PIN)
    await phone.page.locator("main button[type=submit]").click()
    await phone.page.wait_for_url(re.compile(r"/settings(\?|$)"))
