"""The phone's outbox and the send limit: answered 429 with Retry-After, a message stays
"Waiting to send", nothing behind it overtakes it or knocks before the wait is over, and after
the wait each is sent exactly once, in order. The 429 is the browser's own answer (Playwright
fulfils the first send): the demo's real limit is minutes away for a person. And the signal
coming back while a send is still failing is not missed."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from tests.browser.conftest import AMIRA, Api, Phone

ME = "/young-people/me"
RETRY_AFTER = 3


async def test_a_send_answered_429_waits_for_retry_after_and_is_sent_once(
    phone: Phone, api: Api
) -> None:
    posts: list[tuple[float, str, str]] = []  # (when, Idempotency-Key, what happened)

    async def sends(route: Any, request: Any) -> None:
        if request.method != "POST":
            await route.continue_()
            return
        key = request.headers.get("idempotency-key", "")
        if not posts:
            posts.append((time.monotonic(), key, "refused"))
            await route.fulfill(
                status=429,
                headers={
                    "Retry-After": str(RETRY_AFTER),
                    "Content-Type": "application/problem+json",
                },
                body=json.dumps(
                    {
                        "type": "https://portal.example/problems/too-many-requests",
                        "title": "Too many requests",
                        "status": 429,
                        "detail": "Too many sent in a short time.",
                        "code": "rate_limited",
                    }
                ),
            )
            return
        posts.append((time.monotonic(), key, "passed"))
        await route.continue_()

    await phone.sign_in(AMIRA)
    # The context, not the page: it also sees what a service worker sends.
    await phone.context.route("**/api/v1/young-people/me/messages", sends)
    await phone.open("/messages")
    await phone.heading("Messages")

    bodies = [f"Written in a hurry {n} {uuid.uuid4().hex[:6]}" for n in (1, 2)]
    await phone.page.get_by_label("Your message").fill(bodies[0])
    await phone.page.get_by_role("button", name="Send").click()
    first = phone.page.locator("li", has_text=bodies[0])
    await first.get_by_text("Waiting to send").wait_for()
    # Written during the wait: it waits behind the first rather than knocking again.
    await phone.page.get_by_label("Your message").fill(bodies[1])
    await phone.page.get_by_role("button", name="Send").click()
    await phone.page.locator("li", has_text=bodies[1]).get_by_text("Waiting to send").wait_for()
    await phone.page.wait_for_timeout(1_000)
    assert [what for _, _, what in posts] == ["refused"]
    assert await first.get_by_text("Waiting to send").count() == 1

    for body in bodies:
        await (
            phone.page.locator("li.app-message--mine", has_text=body)
            .get_by_text("Sent", exact=True)
            .wait_for(timeout=20_000)
        )
    await phone.page.get_by_text("Waiting to send").first.wait_for(state="detached")

    (refused_at, refused_key, _), (retried_at, retried_key, _), *rest = posts
    assert retried_key == refused_key  # the same message, under its own key
    assert retried_at - refused_at >= RETRY_AFTER - 0.1
    assert [what for _, _, what in posts] == ["refused", "passed", "passed"]
    assert rest[0][1] != refused_key

    conversation = await api.get(f"{ME}/messages", AMIRA, params={"limit": 200})
    sent = [m["body"] for m in reversed(conversation["items"])]  # oldest first
    assert [sent.count(body) for body in bodies] == [1, 1]
    assert sent.index(bodies[0]) < sent.index(bodies[1])
    assert phone.csp_violations() == []


async def test_the_signal_coming_back_while_a_send_is_still_failing_sends_it_once(
    phone: Phone, api: Api
) -> None:
    # The outbox used to drop a nudge that came during a pass: the `online` that came while a
    # send begun without signal was still failing was lost, and the message sat "Waiting to
    # send" with signal (browser test of two messages written offline, under load in CI). Here
    # that send is held until the signal has come back, so the order is certain.
    keys: list[str] = []
    reached = asyncio.Event()
    let_it_fail = asyncio.Event()

    async def sends(route: Any, request: Any) -> None:
        if request.method != "POST":
            await route.continue_()
            return
        keys.append(request.headers.get("idempotency-key", ""))
        if len(keys) == 1:
            reached.set()
            await let_it_fail.wait()
            await route.abort("internetdisconnected")
            return
        await route.continue_()

    await phone.sign_in(AMIRA)
    await phone.context.route("**/api/v1/young-people/me/messages", sends)
    await phone.open("/messages")
    await phone.heading("Messages")

    body = f"Sent as the bus left the tunnel {uuid.uuid4().hex[:6]}"
    await phone.page.get_by_label("Your message").fill(body)
    await phone.page.get_by_role("button", name="Send").click()
    await asyncio.wait_for(reached.wait(), timeout=30)
    await phone.page.evaluate("addEventListener('online', () => { window.signalBack = true })")
    await phone.context.set_offline(True)
    await phone.context.set_offline(False)
    await phone.until("window.signalBack === true")  # the app has had its `online` too
    let_it_fail.set()

    await (
        phone.page.locator("li.app-message--mine", has_text=body)
        .get_by_text("Sent", exact=True)
        .wait_for(timeout=20_000)
    )
    await phone.page.get_by_text("Waiting to send").wait_for(state="detached")
    assert len(keys) == 2  # failed once, then sent once
    assert keys[0] == keys[1]  # the same message under its own key
    conversation = await api.get(f"{ME}/messages", AMIRA, params={"limit": 200})
    assert [m["body"] for m in conversation["items"]].count(body) == 1
    assert phone.csp_violations() == []
