"""The administrator's screens in the staff console at a laptop's size (UX.md §3 Admin, Sign in,
Away and cover): what an administrator changes reaches young people (a document type on the
checklist, the out-of-hours number on the phone's sign-in screen); a member of staff sets up a
sign-in code in the browser and signs in with it; no serious or critical axe violation on any
admin screen. With PORTAL_SCREENSHOTS=bench/screens each admin screen is saved there (1280x800)."""

from __future__ import annotations

import os
import re
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyotp
import pytest

from tests.browser.conftest import (
    AMIRA,
    DEMO_PASSWORD,
    PRIYA,
    Api,
    Phone,
    _new_phone,
    describe,
    serious_violations,
)

ADMIN = "sam.admin@eastmarsh.example"
ME = "/young-people/me"
LONDON = ZoneInfo("Europe/London")


async def sign_in_to_console(laptop: Phone, username: str, otp: str | None = None) -> None:
    await laptop.open("/staff/")
    page = laptop.page
    await page.get_by_label("Email address or mobile number").fill(username)
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    if otp is not None:
        code = page.get_by_label("Code from your authenticator app")
        await code.wait_for()
        assert await code.get_attribute("autocomplete") == "one-time-code"
        await code.fill(otp)
        await page.get_by_role("button", name="Sign in").click()
    await page.get_by_text(re.compile("^Signed in as ")).wait_for()


async def go(laptop: Phone, link: str, heading: str | re.Pattern[str]) -> None:
    """Follow a link by keyboard (focus, Enter), then wait for the screen's heading."""
    target = laptop.page.get_by_role("link", name=link, exact=True).first
    await target.focus()
    await laptop.page.keyboard.press("Enter")
    await laptop.heading(heading)


async def check_screen(laptop: Phone, name: str) -> None:
    """Settled (nothing still loading), no serious axe violation, and a screenshot if asked."""
    await laptop.page.wait_for_load_state("networkidle")
    # A locator, not wait_for_function: polling a string would need eval, which the CSP refuses.
    await laptop.page.locator("main [role=status]", has_text="Loading").first.wait_for(
        state="hidden"
    )
    violations = await serious_violations(laptop.page)
    assert violations == [], f"{name}: {describe(violations)}"
    if folder := os.environ.get("PORTAL_SCREENSHOTS"):
        await laptop.page.screenshot(path=str(Path(folder) / f"staff-{name}.png"))


async def test_an_admin_adds_a_document_type_and_it_is_on_a_young_persons_checklist(
    laptop: Phone, api: Api
) -> None:
    key = f"tenancy_pack_{uuid.uuid4().hex[:6]}"
    before = await api.get(f"{ME}/documents", AMIRA)
    assert key not in {item["key"] for item in before["items"]}

    await sign_in_to_console(laptop, ADMIN)
    await go(laptop, "Admin", "Organisation settings")
    await go(laptop, "Document catalogue", "Document catalogue")
    await check_screen(laptop, "admin-documents")
    await go(laptop, "Add a document type", "Add a document type")
    page = laptop.page
    # Saved with nothing filled in: each missing field is named in the summary and on the field.
    await page.get_by_role("button", name="Add document type").click()
    await (
        page.locator(".govuk-error-summary")
        .get_by_role("link", name="Enter the document's name")
        .wait_for()
    )
    await page.locator("#doc-name-error").wait_for()
    await check_screen(laptop, "admin-document-add")

    await page.get_by_label("Short code").fill(key)
    await page.get_by_label("Name", exact=True).fill("Tenancy starter pack")
    await page.get_by_label("Why it matters").fill("So you know your rights as a tenant.")
    await page.get_by_label("How to get it").fill("Your PA gives it to you before you move.")
    await page.get_by_role("button", name="Add document type").click()
    await laptop.heading("Document catalogue")
    await page.get_by_text("Tenancy starter pack added.").wait_for()
    await page.get_by_role("link", name="Tenancy starter pack").first.wait_for()
    try:
        after = await api.get(f"{ME}/documents", AMIRA)
        added = [item for item in after["items"] if item["key"] == key]
        assert [item["name"] for item in added] == ["Tenancy starter pack"]
        assert after["applicable"] == before["applicable"] + 1
    finally:
        # Retired, the demo's checklists are as the other browser tests expect them.
        await api.request("PATCH", f"/document-types/{key}", ADMIN, json={"retired": True})


async def test_an_admin_changes_the_out_of_hours_number_and_the_phone_sign_in_shows_it(
    laptop: Phone, phone: Phone, api: Api
) -> None:
    was = (await api.get("/organisation", ADMIN))["out_of_hours_phone"]
    number = f"0800 {int(time.time()) % 1000:03d} 4567"

    await sign_in_to_console(laptop, ADMIN)
    await go(laptop, "Admin", "Organisation settings")
    page = laptop.page
    field = page.get_by_label("Out-of-hours number")
    await field.fill("call us")
    await page.get_by_role("button", name="Save settings").click()
    # The API's 422 names the field: the summary links to it and the field shows the error.
    summary = page.locator(".govuk-error-summary a[href='#org-out_of_hours_phone']")
    await summary.get_by_text("Enter a phone number using numbers, spaces and brackets").wait_for()
    await page.locator("#org-out_of_hours_phone-error").wait_for()
    await check_screen(laptop, "admin-organisation-error")

    await field.fill(number)
    await page.get_by_role("button", name="Save settings").click()
    await page.get_by_text("Settings saved.").wait_for()
    try:
        await check_screen(laptop, "admin-organisation")
        await phone.open("/")
        await phone.heading("Sign in")
        await phone.page.get_by_text(f"Call {number}").wait_for()
    finally:
        await api.request("PATCH", "/organisation", ADMIN, json={"out_of_hours_phone": was})


async def test_a_member_of_staff_sets_up_a_sign_in_code_in_the_browser_and_signs_in_with_it(
    laptop: Phone, api: Api
) -> None:
    # A new account, so the demo's own staff sign in without a code in the other tests.
    email = f"tess.{uuid.uuid4().hex[:6]}@eastmarsh.example"
    await api.request(
        "POST",
        "/staff",
        ADMIN,
        json={
            "email": email,
            "display_name": "Tess Okafor",
            "role": "personal_adviser",
            "password": DEMO_PASSWORD,
        },
    )

    await sign_in_to_console(laptop, email)
    await go(laptop, "Your account", "Your account")
    page = laptop.page
    start = page.get_by_role("button", name="Set up a sign-in code")
    await start.focus()
    await page.keyboard.press("Enter")
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    await qr.wait_for()
    assert await qr.locator("path").get_attribute("d")
    secret = (await page.locator("#mfa-secret").inner_text()).replace(" ", "")
    await check_screen(laptop, "account-set-up-code")
    totp = pyotp.TOTP(secret)
    # The previous step's code confirms, so the current one is still unused for signing in.
    await page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() - 30))
    await page.get_by_role("button", name="Turn on the sign-in code").click()
    await page.get_by_text("Your sign-in code is on.").wait_for()

    await page.get_by_role("button", name="Sign out").click()
    await page.get_by_label("Email address or mobile number").wait_for()
    # Signing in: password, then the code, typed the way people read it ("123 456").
    code = totp.now()
    await sign_in_to_console(laptop, email, otp=f"{code[:3]} {code[3:]}")
    me = await laptop.page.evaluate("fetch('/api/v1/users/me').then(r => r.json())")
    assert me["email"] == email
    assert me["mfa_enabled"] is True

    # The administrator's staff list says who has a code (and who has not), never the secret.
    await page.get_by_role("button", name="Sign out").click()
    await page.get_by_label("Email address or mobile number").wait_for()
    await sign_in_to_console(laptop, ADMIN)
    await go(laptop, "Admin", "Organisation settings")
    await go(laptop, "Staff and roles", "Staff and roles")
    await page.get_by_role("columnheader", name="Sign-in code").wait_for()
    tess = page.get_by_role("row").filter(has_text=email)
    await tess.get_by_text("Code set up", exact=True).wait_for()
    assert await tess.get_by_text("No code").count() == 0
    await page.get_by_role("row").filter(has_text=PRIYA).get_by_text("No code").wait_for()
    assert secret not in await page.content()


async def test_disabling_someone_who_holds_a_caseload_says_so_with_a_way_to_reassign(
    laptop: Phone, api: Api
) -> None:
    priya = next(s for s in await api.get("/staff", ADMIN) if s["email"] == PRIYA)

    await sign_in_to_console(laptop, ADMIN)
    await go(laptop, "Admin", "Organisation settings")
    await go(laptop, "Staff and roles", "Staff and roles")
    await check_screen(laptop, "admin-staff")
    await go(laptop, priya["display_name"], priya["display_name"])
    page = laptop.page
    await page.get_by_role("button", name="Disable account").click()
    held = page.locator(".govuk-error-summary", has_text="They still have young people")
    await held.get_by_text(re.compile("is the personal adviser of \\d+ young")).wait_for()
    await held.get_by_role("link", name=re.compile("^Reassign ")).wait_for()
    await check_screen(laptop, "admin-staff-change")
    assert next(s for s in await api.get("/staff", ADMIN) if s["email"] == PRIYA)["is_active"]


@pytest.mark.parametrize(
    ("link", "heading", "name"),
    [
        ("Teams", "Teams", "admin-teams"),
        ("Preview the app", "Preview the app", "admin-preview"),
    ],
)
async def test_admin_screen_has_no_serious_accessibility_violation(
    laptop: Phone, link: str, heading: str, name: str
) -> None:
    await sign_in_to_console(laptop, ADMIN)
    await go(laptop, "Admin", "Organisation settings")
    await go(laptop, link, heading)
    if name == "admin-preview":
        await laptop.page.get_by_text("Your pathway plan").first.wait_for()
    await check_screen(laptop, name)


async def test_add_staff_screen_at_tablet_width_has_no_serious_accessibility_violation(
    browser: Any, demo_portal: Any
) -> None:
    tablet = await _new_phone(browser, demo_portal, {"width": 768, "height": 1024})
    try:
        await sign_in_to_console(tablet, ADMIN)
        await tablet.open("/staff/admin/staff/new")
        await tablet.heading("Add a member of staff")
        await tablet.page.get_by_label("Role").wait_for()
        violations = await serious_violations(tablet.page)
        assert violations == [], describe(violations)
        assert await tablet.page.evaluate("document.documentElement.scrollWidth <= 768")
    finally:
        await tablet.context.close()


async def test_away_and_cover_shows_what_the_api_has_not_what_this_tab_last_sent(
    laptop: Phone, api: Api
) -> None:
    """Set elsewhere (another tab, through the API), read back on the account screen."""
    jess, ali = "jess.pa@eastmarsh.example", "Ali Hassan"
    cover = next(s for s in await api.get("/staff", ADMIN) if s["display_name"] == ali)
    back = datetime.now(LONDON).date() + timedelta(days=10)
    until = datetime.combine(back, datetime.min.time(), LONDON).replace(hour=12)
    path = "/users/me/availability"
    await api.request(
        "PUT", path, jess, json={"away_until": until.isoformat(), "cover_id": cover["id"]}
    )
    try:
        await sign_in_to_console(laptop, jess)
        await go(laptop, "Your account", "Your account")
        shown = laptop.page.locator(".govuk-inset-text", has_text="You are set as away")
        await shown.wait_for()
        text = await shown.inner_text()
        assert re.search(
            f"until {back.day} {back:%b}[a-z]? {back.year}, with {ali} covering", text
        ), text
    finally:
        await api.request("PUT", path, jess, json={"away_until": None})
    await laptop.page.reload()
    await laptop.page.locator(".govuk-inset-text", has_text="You are not set as away").wait_for()
