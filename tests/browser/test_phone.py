"""The young person's app on a 360 x 640 phone, against the real demo council (issue 14 "Tests").

Each test drives the app as Amira would and then asks the API (with a bearer token, as another
client would) whether what she did was recorded: the screen saying so is not enough.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path
from typing import Any

from tests.browser.conftest import AMIRA, PRIYA, Api, DemoPortal, Phone

ME = "/young-people/me"
# Words that are interface strings in the English catalogue, never in an Arabic screen's nav.
LATIN = re.compile(r"[A-Za-z]")


def summary(phone: Phone, title: str) -> Any:
    """A plan section's folded heading, by its whole title ("Work" is in "stops working")."""
    return phone.page.locator("details summary").get_by_text(title, exact=True)


async def test_sign_in_screen_shows_out_of_hours_number_then_home_greets_amira_with_pa_and_documents(
    phone: Phone, api: Api
) -> None:
    summary = await api.get(f"{ME}/summary", AMIRA)
    out_of_hours = summary["organisation"]["out_of_hours_phone"]
    await phone.open("/")
    await phone.heading("Sign in")
    # Before anyone signs in (UX.md §5 Emergency): from the public branding.
    await phone.page.get_by_text(f"Call {out_of_hours}").wait_for()

    await phone.sign_in(AMIRA)
    await phone.heading(f"Hello {summary['given_name']}")
    main = phone.page.locator("main")
    await main.get_by_text(f"Your PA is {summary['personal_adviser']['name']}").wait_for()
    documents = await api.get(f"{ME}/documents", AMIRA)
    await main.get_by_text(f"{documents['done']} of {documents['applicable']} done").wait_for()
    assert documents["done"] < documents["applicable"], "the demo has documents still to get"


async def test_comment_on_a_plan_section_is_recorded_on_the_version_awaiting_her_answer(
    phone: Phone, api: Api
) -> None:
    plan = await api.get(f"{ME}/plan", AMIRA)
    waiting = plan["in_progress"]
    assert waiting["state"] == "awaiting_response"
    section = next(s for s in waiting["sections"] if s["code"] == "finance")
    said = f"Can we look at the money part again? {uuid.uuid4().hex[:6]}"

    await phone.sign_in(AMIRA)
    await phone.open("/plan")
    await phone.page.get_by_text("A new version of your plan needs your answer.").first.wait_for()
    title = phone.page.locator("summary").get_by_text(section["title"], exact=True)
    details = phone.page.locator("details", has=title)
    await details.locator("summary").click()
    # Agreeing is to the whole version: a section offers only disagree and comment.
    assert await details.get_by_label("I agree", exact=True).count() == 0
    await details.get_by_label("I want to say something").check()
    await details.get_by_label("What you want to say").fill(said)
    await details.get_by_role("button", name="Send my answer").click()
    await details.get_by_text("Thank you. Your PA will see your answer.").wait_for()

    version = await api.get(f"{ME}/plan/versions/{waiting['number']}", AMIRA)
    mine = [r for r in version["responses"] if r["comment"] == said]
    assert [(r["section_code"], r["kind"]) for r in mine] == [("finance", "comment")]


async def test_plan_pdf_download_is_a_pdf_and_records_her_copy_received(
    phone: Phone, api: Api, tmp_path: Path
) -> None:
    plan = await api.get(f"{ME}/plan", AMIRA)
    agreed = plan["current"]
    assert agreed["state"] == "agreed"
    before = await api.get(f"{ME}/plan/versions/{agreed['number']}", AMIRA)
    assert "downloaded" not in {r["how"] for r in before["receipts"]}

    await phone.sign_in(AMIRA)
    await phone.open("/plan")
    async with phone.page.expect_download() as waiting:
        await phone.page.get_by_role("link", name="Download your plan (PDF)").click()
    download = await waiting.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    assert saved.read_bytes()[:4] == b"%PDF"
    assert download.suggested_filename == f"pathway-plan-{agreed['number']}.pdf"

    after = await api.get(f"{ME}/plan/versions/{agreed['number']}", AMIRA)
    assert "downloaded" in {r["how"] for r in after["receipts"]}


async def test_i_have_it_on_a_document_changes_what_the_screen_and_the_api_say(
    phone: Phone, api: Api
) -> None:
    checklist = await api.get(f"{ME}/documents", AMIRA)
    item = next(
        i
        for i in checklist["items"]
        if i["state"] == "not_started" and not i["says_has_it"] and not i["help_requested"]
    )
    await phone.sign_in(AMIRA)
    await phone.open("/documents")
    row = phone.page.locator(
        "li.app-document", has=phone.page.get_by_role("heading", name=item["name"])
    )
    await row.get_by_role("button", name="I have it").click()
    await row.get_by_text("You said you have it. Your PA will check.").wait_for()
    assert await row.get_by_role("button", name="I have it").count() == 0

    after = await api.get(f"{ME}/documents", AMIRA)
    assert next(i for i in after["items"] if i["key"] == item["key"])["says_has_it"] is True


async def test_rights_page_in_arabic_is_right_to_left_with_the_nav_translated(
    phone: Phone, api: Api
) -> None:
    pages = (await api.get("/local-offer", AMIRA, params={"lang": "ar"}))["items"]
    page = next(p for p in pages if p["lang"] == "ar" and p["slug"] == "your-rights")
    await phone.sign_in(AMIRA)
    await phone.page.get_by_role("link", name="العربية").click()
    await phone.until("document.documentElement.lang === 'ar'")
    # At 360 px the service navigation folds behind its menu button.
    await phone.page.get_by_role("button", name="القائمة").click()
    await phone.page.locator("#navigation").get_by_role("link", name="حقوقك").click()
    await phone.page.get_by_role("link", name=page["title"]).click()
    await phone.heading(page["title"])

    html = phone.page.locator("html")
    assert await html.get_attribute("dir") == "rtl"
    assert await html.get_attribute("lang") == "ar"
    assert await phone.page.locator("main h1").get_attribute("lang") in (None, "ar")
    nav = await phone.page.locator("#navigation a, .app-help-now a").all_text_contents()
    assert len(nav) >= 6
    assert [text for text in nav if LATIN.search(text)] == []


async def test_pa_reply_sent_through_the_api_arrives_on_the_phone_without_reload(
    phone: Phone, api: Api
) -> None:
    summary = await api.get(f"{ME}/summary", AMIRA)
    yp = summary["young_person_id"]
    await phone.sign_in(AMIRA)
    await phone.open("/messages")
    await phone.heading("Messages")
    asked = f"Are you free on Friday? {uuid.uuid4().hex[:6]}"
    await phone.page.get_by_label("Your message").fill(asked)
    await phone.page.get_by_role("button", name="Send").click()
    mine = phone.page.locator("li.app-message--mine", has_text=asked)
    await mine.get_by_text("Sent").wait_for()
    # Marks the page: a reload would lose it, so its presence later proves there was none.
    await phone.page.evaluate("window.__noReload = true")

    reply = f"Yes, 2pm at the office. {uuid.uuid4().hex[:6]}"
    await api.request(
        "POST",
        f"/young-people/{yp}/messages",
        PRIYA,
        json={"body": reply},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    theirs = phone.page.locator("li.app-message--theirs", has_text=reply)
    await theirs.wait_for(timeout=15_000)
    assert await theirs.get_by_text(summary["personal_adviser"]["name"]).count() == 1
    assert await phone.page.evaluate("window.__noReload === true")


async def test_offline_reload_still_shows_the_plan_with_the_offline_banner(
    phone: Phone, api: Api
) -> None:
    plan = await api.get(f"{ME}/plan", AMIRA)
    shown = plan["in_progress"] or plan["current"]
    await phone.sign_in(AMIRA)
    await phone.controlled_by_service_worker()
    await phone.open("/plan")
    await summary(phone, shown["sections"][0]["title"]).wait_for()

    await phone.context.set_offline(True)
    await phone.page.reload()
    await phone.heading("Your plan")
    await phone.page.get_by_role("heading", name="You're offline").wait_for()
    await phone.page.get_by_text(re.compile(r"This is what you saw (at|on)")).wait_for()
    for section in shown["sections"]:
        await summary(phone, section["title"]).wait_for()


async def test_two_messages_written_offline_are_each_delivered_once_after_reconnecting(
    phone: Phone, api: Api
) -> None:
    await phone.sign_in(AMIRA)
    await phone.controlled_by_service_worker()
    await phone.open("/messages")
    await phone.heading("Messages")
    # The conversation has arrived (and is cached) before the signal goes: going offline while
    # it is still loading leaves a screen with nothing to answer, which is another test.
    await phone.page.locator("li.app-message--mine").first.wait_for()
    await phone.page.get_by_label("Your message").wait_for()
    await phone.context.set_offline(True)
    bodies = [f"Written on the bus {n} {uuid.uuid4().hex[:6]}" for n in (1, 2)]
    for body in bodies:
        await phone.page.get_by_label("Your message").fill(body)
        await phone.page.get_by_role("button", name="Send").click()
        await phone.page.locator("li", has_text=body).get_by_text("Waiting to send").wait_for()

    await phone.context.set_offline(False)
    for body in bodies:
        await (
            phone.page.locator("li.app-message--mine", has_text=body)
            .get_by_text("Sent")
            .wait_for(timeout=20_000)
        )
    await phone.page.get_by_text("Waiting to send").wait_for(state="detached")
    # A second nudge to the outbox (coming back into view) must not send them again.
    await phone.page.reload()
    await phone.heading("Messages")

    conversation = await api.get(f"{ME}/messages", AMIRA, params={"limit": 200})
    sent = [m["body"] for m in conversation["items"]]
    assert [sent.count(body) for body in bodies] == [1, 1]


# Keeps the outbox's store busy for ``ms`` (a read-write transaction that goes on asking it for
# its count), so the app's own save waits behind it, as on a phone slow to write. The store must
# exist already: opening the database here first would make it without one.
HOLD_THE_OUTBOX = """(ms) => new Promise((resolve, reject) => {
  const open = indexedDB.open("portal-outbox");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("outbox")) return reject(new Error("no outbox store yet"));
    const store = db.transaction("outbox", "readwrite").objectStore("outbox");
    const until = Date.now() + ms;
    const ask = () => { if (Date.now() < until) store.count().onsuccess = ask; };
    ask();
    store.transaction.oncomplete = () => db.close();
    resolve(null);
  };
})"""


async def test_a_second_tap_on_send_while_saving_sends_once_and_what_she_types_next_is_kept(
    phone: Phone, api: Api
) -> None:
    """A second tap on Send while the first message is still being saved to the outbox queued
    it again under a new key (two messages), and emptying the box once saved wiped what she had
    started typing meanwhile."""
    await phone.sign_in(AMIRA)
    await phone.open("/messages")
    await phone.heading("Messages")
    await phone.page.locator("li.app-message--mine").first.wait_for()
    first, second = (f"{which} {uuid.uuid4().hex[:6]}" for which in ("Tap tap", "And then"))
    box = phone.page.get_by_label("Your message")
    send = phone.page.get_by_role("button", name="Send")
    await box.fill(first)
    await phone.page.evaluate(HOLD_THE_OUTBOX, 1500)
    await send.click()
    await send.click()
    await box.fill(second)
    await (
        phone.page.locator("li.app-message--mine", has_text=first)
        .get_by_text("Sent")
        .first.wait_for(timeout=20_000)
    )
    await phone.page.get_by_text("Waiting to send").wait_for(state="detached")
    assert await box.input_value() == second
    assert await phone.page.locator("#body-error").count() == 0
    conversation = await api.get(f"{ME}/messages", AMIRA, params={"limit": 200})
    assert [m["body"] for m in conversation["items"]].count(first) == 1


async def test_a_second_tap_on_send_while_a_check_in_is_saving_checks_in_once(
    phone: Phone, api: Api
) -> None:
    await phone.sign_in(AMIRA)
    await phone.open("/check-in")
    await phone.heading("How are you?")
    note = f"Rent is late {uuid.uuid4().hex[:6]}"
    await phone.page.get_by_label("I could do with some help").check()
    await phone.page.get_by_label("Anything you want to add (optional)").fill(note)
    await phone.page.evaluate(HOLD_THE_OUTBOX, 1500)
    send = phone.page.get_by_role("button", name="Send")
    await send.click()
    await send.click()
    await phone.heading("Thank you")

    async def sent() -> list[Any]:
        conversation = await api.get(f"{ME}/messages", AMIRA, params={"limit": 200})
        return [m for m in conversation["items"] if m["kind"] == "check_in" and note in m["body"]]

    for _ in range(100):  # the outbox sends it once the hold has ended
        if await sent():
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)  # and a second copy right after, had one been queued
    check_ins = await sent()
    assert len(check_ins) == 1


async def test_the_conversation_opens_with_its_newest_message_whole_above_the_composer(
    phone: Phone,
) -> None:
    """At phone size the composer stays at the bottom of the screen, over the conversation: the
    newest message and whether it was sent must show above it, not under it."""
    await phone.sign_in(AMIRA)
    await phone.open("/messages")
    await phone.heading("Messages")
    newest = phone.page.locator(".app-conversation > li").last
    await newest.wait_for()
    await phone.page.wait_for_timeout(300)  # the scroll to the newest runs once it has arrived
    box = await newest.bounding_box()
    composer = await phone.page.locator(".app-composer").bounding_box()
    assert box is not None
    assert composer is not None
    assert box["y"] + box["height"] <= composer["y"], (box, composer)
    assert box["y"] >= 0, box


SCREENS = [
    ("/", re.compile("^Hello ")),
    ("/help", "Get help now"),
    ("/messages", "Messages"),
    ("/check-in", "How are you?"),
    ("/plan", "Your plan"),
    ("/documents", "Documents by 18"),
    ("/rights", "Your rights"),
    ("/rights/your-rights", re.compile(".")),
    ("/money", "Money you get"),
    ("/settings", "Settings"),
]


async def test_no_screen_logs_a_content_security_policy_violation(phone: Phone) -> None:
    await phone.open("/?lang=en")
    await phone.heading("Sign in")
    await phone.sign_in(AMIRA)
    for lang in ("en", "ar"):
        for path, _ in SCREENS:
            await phone.open(f"{path}?lang={lang}")
            await phone.until(f"document.documentElement.lang === '{lang}'")
            await phone.page.locator("main h1").wait_for()
            await phone.page.wait_for_load_state("networkidle")
    assert phone.csp_violations() == []
    assert [e for e in phone.console_errors if e.startswith("uncaught")] == []


async def test_agreeing_answers_the_whole_version_awaiting_her_answer(
    phone: Phone, api: Api
) -> None:
    # Last of the module's tests on the plan: agreeing ends the waiting version's questions.
    plan = await api.get(f"{ME}/plan", AMIRA)
    waiting = plan["in_progress"]
    assert waiting["state"] == "awaiting_response"
    await phone.sign_in(AMIRA)
    await phone.open("/plan")
    whole = phone.page.locator(
        "form",
        has=phone.page.get_by_role("group", name="A new version of your plan needs your answer."),
    )
    await whole.get_by_label("I agree", exact=True).check()
    await whole.get_by_role("button", name="Send my answer").click()
    await (
        whole.get_by_text("Thank you. Your PA will see your answer.")
        .or_(phone.page.get_by_text(re.compile("^Version \\d+, agreed on")))
        .first.wait_for()
    )

    version: dict[str, Any] = await api.get(f"{ME}/plan/versions/{waiting['number']}", AMIRA)
    assert [
        (r["section_code"], r["kind"]) for r in version["responses"] if r["kind"] == "agree"
    ] == [(None, "agree")]
    assert version["state"] in {"agreed", "awaiting_approval"}


async def test_a_young_person_sets_up_from_the_invite_link_their_pa_sent_and_lands_signed_in(
    phone: Phone, api: Api, demo_portal: DemoPortal
) -> None:
    """The link reaches the young person only (here: the demo's log, standing in for their
    phone); the PA's answer holds no token; opening it and choosing a password signs them in."""
    priya = await api.get("/users/me", PRIYA)
    caseload = await api.get("/young-people", PRIYA, params={"adviser": priya["id"], "limit": 100})
    invited: dict[str, Any] | None = None
    for row in caseload["items"]:
        record = await api.get(f"/young-people/{row['id']}", PRIYA)
        if not record["has_account"] and record["mobile"]:
            invited = record
            break
    assert invited is not None, "the demo has young people with a mobile and no account yet"
    sent = await api.request("POST", f"/young-people/{invited['id']}/invites", PRIYA, json={})
    assert "token" not in str(sent).lower(), sent
    link = await _link_in_log(demo_portal, "/invite#token=")

    await phone.page.goto(link)
    await phone.heading("Set up your account")
    await phone.page.get_by_text(
        "Eastmarsh Borough Council has made an account for you."
    ).wait_for()
    await phone.page.get_by_label("New password", exact=True).fill("a long new password 2026")
    await phone.page.get_by_role("button", name="Set up my account").click()

    await phone.heading(f"Hello {invited['given_name']}")
    status = await api.get(f"/young-people/{invited['id']}/invites/latest", PRIYA)
    assert status["state"] == "accepted"


async def _link_in_log(portal: DemoPortal, marker: str, seconds: float = 20) -> str:
    """The newest link the demo's recording notifier wrote to its log (the in-process worker
    delivers within a second or two)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        links = re.findall(r"(https?://\S+" + re.escape(marker) + r"[\w-]+)", portal.log_text())
        if links:
            return str(links[-1])
        await asyncio.sleep(0.5)
    raise AssertionError(f"no {marker} link in the demo's log:\n{portal.log_text()[-2000:]}")
