"""A 201 means stored, once, even when the server is killed outright in the middle of sends.

The real server (``portal serve``) runs in a subprocess. Several phones send messages at once,
each with its own Idempotency-Key, retrying on connection errors as the app's outbox does. The
server gets SIGKILL (no shutdown, nothing flushed) while they are sending, and is started again.
Every send then gets an answer; the database must hold each acknowledged message exactly once,
under the id the 201 gave, with one notification for the PA per message.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from portal_api.db.session import make_engine
from portal_api.models import Message, NotificationOutbox
from tests.reliability.support import (
    PortalServer,
    Seeded,
    backends,
    scratch_database,
    seed,
    sign_in,
)

PHONES = 6
MESSAGES_EACH = 12
# Every send must be answered by then; a healthy run takes a few seconds after the restart.
DEADLINE_SECONDS = 90.0


@dataclass(frozen=True)
class Answer:
    key: str
    body: str
    status: int
    json: dict[str, Any]
    replayed: bool


@dataclass
class Traffic:
    answers: list[Answer]
    connection_errors: int = 0


async def _phone(
    url: str, headers: dict[str, str], seeded: Seeded, phone: int, traffic: Traffic
) -> None:
    """Sends its messages one after another; each is retried with the same key until answered."""
    path = f"/api/v1/young-people/{seeded.young_person_id}/messages"
    deadline = time.monotonic() + DEADLINE_SECONDS
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10.0) as client:
        for n in range(MESSAGES_EACH):
            key = str(uuid.uuid4())
            body = f"phone {phone} message {n} ({key[:8]})"
            pause = 0.05
            while True:
                assert time.monotonic() < deadline, f"no answer for {key} in {DEADLINE_SECONDS} s"
                try:
                    response = await client.post(
                        path, json={"body": body}, headers={"Idempotency-Key": key}
                    )
                except httpx.TransportError:  # refused, reset, cut off mid-answer, timed out
                    traffic.connection_errors += 1
                    await asyncio.sleep(pause)
                    pause = min(pause * 2, 0.5)
                    continue
                break
            traffic.answers.append(
                Answer(
                    key=key,
                    body=body,
                    status=response.status_code,
                    json=response.json()
                    if "json" in response.headers.get("content-type", "")
                    else {},
                    replayed=response.headers.get("idempotent-replayed") == "true",
                )
            )


async def _stored(url: str, seeded: Seeded) -> tuple[list[tuple[str | None, int, str]], int]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(Message.idempotency_key, Message.id, Message.body).where(
                    Message.sender_id == seeded.young_person_user_id
                )
            )
            notifications = await conn.scalar(
                select(func.count())
                .select_from(NotificationOutbox)
                .where(
                    NotificationOutbox.user_id == seeded.adviser_id,
                    NotificationOutbox.template == "new_message_for_staff",
                )
            )
            stored = [(key, message_id, body) for key, message_id, body in rows.all()]
            return stored, int(notifications or 0)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", backends())
async def test_every_acknowledged_message_is_stored_exactly_once_across_a_sigkill(
    backend: str, tmp_path: Path
) -> None:
    async with scratch_database(backend, tmp_path) as database_url:
        seeded = await seed(database_url)
        # Six phones of one account sending as fast as they can is a loop to the send limit
        # (auth/send_limit.py); durability is what is tested here, so it is lifted. A quiet
        # interval of 0 gives every message its own notice (notifications/coalesce.py), so the
        # count below still shows that a replay queued no second one.
        server = PortalServer(
            database_url,
            tmp_path / "server.log",
            PORTAL_DRAIN_SECONDS="0",
            PORTAL_SEND_LIMIT_PER_MINUTE="1000000",
            PORTAL_SEND_LIMIT_PER_HOUR="1000000",
            PORTAL_MESSAGE_NOTICE_QUIET_MINUTES="0",
        )
        try:
            server.start()
            await server.wait_ready()
            async with httpx.AsyncClient(base_url=server.url) as client:
                headers = await sign_in(client, seeded)

            traffic = Traffic(answers=[])
            phones = [
                asyncio.create_task(_phone(server.url, headers, seeded, p, traffic))
                for p in range(PHONES)
            ]
            total = PHONES * MESSAGES_EACH
            # Kill it a third of the way in, with phones still sending. One phone may have sent
            # all of its messages by then (on SQLite one writer can run ahead of the others);
            # a phone that failed fails the test.
            while len(traffic.answers) < total // 3 and not all(p.done() for p in phones):
                failed = [p.exception() for p in phones if p.done() and p.exception()]
                assert not failed, failed
                await asyncio.sleep(0.01)
            assert not all(p.done() for p in phones), "no phone was still sending at the kill"
            assert server.kill() == -signal.SIGKILL
            answered_before_kill = len(traffic.answers)

            server.start()
            await server.wait_ready()
            await asyncio.gather(*phones)

            # Answers lost on the way back look the same to a phone: it sends again. Sent again
            # now, every message acknowledged before the kill is the same message, not a copy.
            async with httpx.AsyncClient(base_url=server.url, headers=headers) as client:
                for answer in traffic.answers[:answered_before_kill]:
                    again = await client.post(
                        f"/api/v1/young-people/{seeded.young_person_id}/messages",
                        json={"body": answer.body},
                        headers={"Idempotency-Key": answer.key},
                    )
                    assert again.status_code == 201, again.text
                    assert again.headers.get("idempotent-replayed") == "true"
                    assert again.json()["message"]["id"] == answer.json["message"]["id"]
        finally:
            server.stop()

        answers = traffic.answers
        assert len(answers) == total
        assert [a for a in answers if a.status != 201] == [], server.log_tail()
        # The kill really landed mid-stream: sends were cut off and finished after the restart.
        assert traffic.connection_errors > 0
        assert answered_before_kill < total

        stored, notifications = await _stored(database_url, seeded)
        keys = Counter(key for key, _, _ in stored)
        assert [key for key, count in keys.items() if count > 1] == []
        by_key = {key: (message_id, body) for key, message_id, body in stored}
        for answer in answers:
            assert by_key.get(answer.key) == (answer.json["message"]["id"], answer.body), answer
        # Nothing stored that nobody was told about, and one notification per message: a replay
        # (the server committed, then died before answering) queued no second one.
        assert len(stored) == total
        assert notifications == total
