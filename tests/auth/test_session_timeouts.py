"""Sessions end when left idle and after an absolute lifetime, by role (staff: 30 minutes idle,
8 hours in all; young people: 30 days idle, 90 days in all); and "sign out everywhere"."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.auth.users import hash_token
from portal_api.db.base import utcnow
from portal_api.models import AccessToken, AuditEvent
from tests.auth.support import API, ME, bearer, login
from tests.factories import World


async def _age(
    session: AsyncSession,
    token: str,
    *,
    created: timedelta,
    last_used: timedelta | None = None,
) -> None:
    """Move a session back in time: signed in ``created`` ago, last used ``last_used`` ago."""
    now = utcnow()
    await session.execute(
        update(AccessToken)
        .where(AccessToken.token_hash == hash_token(token))
        .values(
            created_at=now - created,
            last_used_at=None if last_used is None else now - last_used,
        )
    )
    await session.commit()


async def _last_used(session: AsyncSession, token: str) -> datetime | None:
    session.expire_all()
    return await session.scalar(
        select(AccessToken.last_used_at).where(AccessToken.token_hash == hash_token(token))
    )


async def _status(client: httpx.AsyncClient, world: World, who: str) -> int:
    return (await client.get(ME, headers=world.auth(who))).status_code


# --- staff ----------------------------------------------------------------------------------


async def test_staff_session_used_29_minutes_ago_still_works(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session, world.tokens["pa"], created=timedelta(hours=2), last_used=timedelta(minutes=29)
    )

    assert await _status(client, world, "pa") == 200


async def test_staff_session_idle_for_31_minutes_has_ended(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session, world.tokens["pa"], created=timedelta(hours=2), last_used=timedelta(minutes=31)
    )

    response = await client.get(ME, headers=world.auth("pa"))

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_staff_session_never_used_since_sign_in_is_idle_from_sign_in(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(session, world.tokens["pa"], created=timedelta(minutes=31))

    assert await _status(client, world, "pa") == 401


async def test_staff_session_ends_after_eight_hours_however_busy(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session, world.tokens["pa"], created=timedelta(hours=8, minutes=1), last_used=timedelta(0)
    )

    assert await _status(client, world, "pa") == 401


# --- young people ---------------------------------------------------------------------------


async def test_young_persons_session_survives_a_month_of_light_use(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session,
        world.tokens["young_person"],
        created=timedelta(days=60),
        last_used=timedelta(days=29),
    )

    assert await _status(client, world, "young_person") == 200


async def test_young_persons_session_untouched_for_31_days_has_ended(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session,
        world.tokens["young_person"],
        created=timedelta(days=60),
        last_used=timedelta(days=31),
    )

    assert await _status(client, world, "young_person") == 401


async def test_young_persons_session_ends_after_90_days_however_busy(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session, world.tokens["young_person"], created=timedelta(days=91), last_used=timedelta(0)
    )

    assert await _status(client, world, "young_person") == 401


async def test_what_ends_a_staff_session_leaves_a_young_persons_alone(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    for who in ("pa", "young_person"):
        await _age(
            session, world.tokens[who], created=timedelta(hours=9), last_used=timedelta(hours=2)
        )

    assert await _status(client, world, "pa") == 401
    assert await _status(client, world, "young_person") == 200


# --- recording use --------------------------------------------------------------------------


async def test_use_is_recorded_when_the_last_record_is_over_a_minute_old(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session, world.tokens["pa"], created=timedelta(minutes=20), last_used=timedelta(minutes=5)
    )
    before = utcnow()

    assert await _status(client, world, "pa") == 200

    recorded = await _last_used(session, world.tokens["pa"])
    assert recorded is not None
    assert recorded >= before - timedelta(seconds=1)


async def test_use_is_recorded_at_most_once_a_minute(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(
        session, world.tokens["pa"], created=timedelta(minutes=20), last_used=timedelta(seconds=20)
    )
    recorded = await _last_used(session, world.tokens["pa"])

    for _ in range(3):
        assert await _status(client, world, "pa") == 200

    assert await _last_used(session, world.tokens["pa"]) == recorded


async def test_a_busy_staff_session_is_kept_alive_by_its_use(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    """Used 29 minutes after sign-in, then 29 minutes after that: still signed in."""
    await _age(session, world.tokens["pa"], created=timedelta(minutes=29))
    assert await _status(client, world, "pa") == 200
    used = await _last_used(session, world.tokens["pa"])
    assert used is not None
    # Twenty-nine minutes pass.
    await _age(
        session,
        world.tokens["pa"],
        created=timedelta(minutes=58),
        last_used=utcnow() - used + timedelta(minutes=29),
    )

    assert await _status(client, world, "pa") == 200


async def test_signing_in_clears_away_the_accounts_timed_out_sessions(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _age(session, world.tokens["pa"], created=timedelta(hours=9))

    assert (await login(client, world.emails["pa"])).status_code == 200

    stored = list(
        (
            await session.execute(
                select(AccessToken.token_hash).where(AccessToken.user_id == world.users["pa"])
            )
        ).scalars()
    )
    assert len(stored) == 1
    assert hash_token(world.tokens["pa"]) not in stored


# --- signing out everywhere -----------------------------------------------------------------


async def _count(session: AsyncSession, user_id: uuid.UUID) -> int:
    found = await session.scalar(
        select(func.count()).select_from(AccessToken).where(AccessToken.user_id == user_id)
    )
    return int(found or 0)


async def test_sign_out_everywhere_ends_every_session_of_mine_and_no_one_elses(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    second = (await login(client, world.emails["pa"])).json()["access_token"]

    out = await client.post(f"{API}/auth/logout-everywhere", headers=world.auth("pa"))

    assert out.status_code == 204, out.text
    assert await _status(client, world, "pa") == 401
    assert (await client.get(ME, headers=bearer(second))).status_code == 401
    assert await _count(session, world.users["pa"]) == 0
    assert await _status(client, world, "colleague_pa") == 200


async def test_sign_out_everywhere_is_audited(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await client.post(f"{API}/auth/logout-everywhere", headers=world.auth("young_person"))

    events = (
        await session.execute(
            select(AuditEvent.action, AuditEvent.actor_id).where(
                AuditEvent.action == "auth.logout_everywhere"
            )
        )
    ).all()
    assert [(a, actor) for a, actor in events] == [
        ("auth.logout_everywhere", world.users["young_person"])
    ]


async def test_sign_out_everywhere_needs_a_session(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(f"{API}/auth/logout-everywhere")

    assert response.status_code == 401
    assert await _status(client, world, "pa") == 200
