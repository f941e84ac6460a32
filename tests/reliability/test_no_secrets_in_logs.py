"""Nothing secret reaches a log: passwords, bearer tokens, invite tokens, a message's words.

Every logger is captured at DEBUG (SQLAlchemy's too, which is what an operator gets by turning
on SQL logging), around a whole account's life told in canary strings: an invite accepted with a
canary password, sign-in, the bearer token used, a message sent with a canary body, the password
changed to another canary, a failed sign-in with a canary guess, sign-out. The app is built by
``create_app`` (its own engine, configured as in production), once with ``sql_echo`` off and once
on. None of the canaries may appear in any record's message, arguments, extra fields or
exception text.
"""

from __future__ import annotations

import logging
import secrets
import traceback
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from portal_api.config import Settings
from portal_api.main import create_app
from portal_api.notifications import outbox
from tests.factories import World

API = "/api/v1"


def _canary(name: str) -> str:
    return f"CANARY-{name}-{secrets.token_hex(8)}"


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """caplog at DEBUG on the root, on SQLAlchemy (WARNING unless told), and on any logger that
    does not pass its records up to the root."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    isolated = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in isolated:
        logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        for logger in isolated:
            logger.removeHandler(caplog.handler)


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        parts.append(repr(vars(record)))
        if record.exc_info and record.exc_info[1] is not None:
            parts.extend(traceback.format_exception(record.exc_info[1]))
    return "\n".join(parts)


@pytest.fixture(params=[False, True], ids=["sql-echo-off", "sql-echo-on"])
async def own_app(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings.model_copy(update={"sql_echo": request.param}))
    yield app
    await app.state.engine.dispose()


async def test_no_password_token_or_message_reaches_any_log(
    own_app: FastAPI, world: World, every_log: pytest.LogCaptureFixture
) -> None:
    first_password = _canary("first-password")
    new_password = _canary("new-password")
    wrong_password = _canary("wrong-password")
    body = _canary("message-body")
    email = f"canary-{secrets.token_hex(4)}@example.org"
    canaries = {"first_password": first_password, "new_password": new_password}
    canaries |= {"wrong_password": wrong_password, "message_body": body}

    transport = httpx.ASGITransport(app=own_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        invited = await client.post(
            f"{API}/young-people/{world.young_people['colleague']}/invites",
            headers={"Authorization": f"Bearer {world.tokens['colleague_pa']}"},
            json={"email": email},
        )
        assert invited.status_code == 201, invited.text
        # The young person's copy of the link, from the notifier (staff never get it).
        await outbox.deliver_due(own_app.state.sessionmaker, own_app.state.notifier)
        link = own_app.state.notifier.sent[-1].personalisation["link"]
        canaries["invite_token"] = link.partition("#token=")[2]

        accepted = await client.post(
            f"{API}/invites/accept",
            json={"token": canaries["invite_token"], "password": first_password},
        )
        assert accepted.status_code == 201, accepted.text
        canaries["invite_session"] = accepted.json()["access_token"]

        signed_in = await client.post(
            f"{API}/auth/login", data={"username": email, "password": first_password}
        )
        assert signed_in.status_code == 200, signed_in.text
        token = canaries["bearer_token"] = signed_in.json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}

        assert (await client.get(f"{API}/users/me", headers=bearer)).status_code == 200
        sent = await client.post(
            f"{API}/young-people/me/messages",
            headers={**bearer, "Idempotency-Key": str(uuid.uuid4())},
            json={"body": body},
        )
        assert sent.status_code == 201, sent.text
        listed = await client.get(f"{API}/young-people/me/messages", headers=bearer)
        assert body in listed.text

        changed = await client.post(
            f"{API}/users/me/password",
            headers=bearer,
            json={"current_password": first_password, "new_password": new_password},
        )
        assert changed.status_code == 204, changed.text
        refused = await client.post(
            f"{API}/auth/login", data={"username": email, "password": wrong_password}
        )
        assert refused.status_code == 401
        again = await client.post(
            f"{API}/auth/login", data={"username": email, "password": new_password}
        )
        assert again.status_code == 200, again.text
        canaries["second_bearer_token"] = again.json()["access_token"]
        out = await client.post(
            f"{API}/auth/logout",
            headers={"Authorization": f"Bearer {canaries['second_bearer_token']}"},
        )
        assert out.status_code == 204

    logged = _everything_logged(every_log)
    # The capture is real: SQL was logged at DEBUG (with its values hidden).
    assert "INSERT INTO message" in logged
    leaked = sorted(name for name, value in canaries.items() if value in logged)
    assert leaked == []


async def test_a_database_error_does_not_carry_the_values_into_its_message(
    own_app: FastAPI, every_log: pytest.LogCaptureFixture
) -> None:
    """A failed statement is logged with its traceback when it escapes a request; the values it
    was given (a message, a token hash) stay out of the exception text."""
    canary = _canary("bound-value")
    with pytest.raises(DBAPIError) as raised:
        async with own_app.state.engine.connect() as conn:
            await conn.execute(text("INSERT INTO no_such_table VALUES (:body)"), {"body": canary})
    trace = "".join(traceback.format_exception(raised.value))
    assert "no_such_table" in trace
    assert canary not in trace
    assert canary not in _everything_logged(every_log)
