"""A young person's record with something in every part of it, made over HTTP as staff and the
young person would, plus sentinel strings planted where only staff (or nobody) may look.

``fill_record`` gives ``own`` (Amira, pa's caseload, with an account) a row in every table the
subject access export covers; ``plant_sentinels`` then writes distinctive strings into the
fields the young person must never be shown, and returns them by name.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.auth.users import hash_token
from portal_api.db.base import utcnow
from portal_api.models import (
    ActionOwner,
    AuditEvent,
    Invite,
    Message,
    MessageKind,
    NotificationOutbox,
    OutboxStatus,
    PlanAction,
    PlanResponse,
    PlanResponseKind,
    PlanSection,
    PlanVersion,
    User,
    YoungPerson,
)
from portal_api.plans.schemas import SECTIONS
from tests.factories import World

API = "/api/v1"
PREFIX = "ZZSENTINEL"
# Field -> a string nobody would type; each must stay out of everything the young person sees.
STAFF_ONLY = {
    "hide_reason": f"{PREFIX}-hide-reason",
    "hidden_body": f"{PREFIX}-hidden-message-words",
    "flag_reason": f"{PREFIX}-safeguarding-flag-reason",
    "draft_needs": f"{PREFIX}-unshared-draft-needs",
    "contact_note": f"{PREFIX}-pa-contact-note",
    "audit_detail": f"{PREFIX}-audit-detail",
    "audit_ip": f"{PREFIX}-ip",
    "notify_error": f"{PREFIX}-notify-delivery-error",
    "other_young_person": f"{PREFIX}-another-young-persons-name",
}
# Never exported or shown to anyone: credentials.
SECRETS = {
    "invite_token_hash": hash_token(f"{PREFIX}-invite-token"),
    "payload_token": f"{PREFIX}-payload-token",
}


async def _ok(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json() if response.content else None


async def fill_record(client: httpx.AsyncClient, world: World) -> None:
    """Something in every part of ``own``'s record, made through the API."""
    yp = f"{API}/young-people/{world.young_people['own']}"
    me = f"{API}/young-people/me"
    pa, young = world.auth("pa"), world.auth("young_person")

    def key() -> dict[str, str]:
        return {"Idempotency-Key": str(uuid.uuid4())}

    await _ok(
        await client.post(
            f"{yp}/contacts",
            json={"contact_on": "2026-01-05", "kind": "visit", "note": STAFF_ONLY["contact_note"]},
            headers=pa,
        ),
        201,
    )
    observation = {"recorded_on": "2026-01-05", "in_touch": "YES", "activity": "F2"}
    await _ok(
        await client.post(
            f"{yp}/observations", json={**observation, "accommodation": "U1"}, headers=pa
        ),
        201,
    )
    await _ok(
        await client.post(
            f"{me}/plan/review-requests", json={"reason": "College has changed"}, headers=young
        ),
        201,
    )
    await _ok(
        await client.post(
            f"{yp}/plan/versions/1/receipts",
            json={"how": "posted", "received_on": "2026-06-10"},
            headers=pa,
        ),
        201,
    )
    await _ok(
        await client.patch(
            f"{yp}/documents/photo_id", json={"state": "requested", "note": "Asked"}, headers=pa
        ),
        200,
    )
    await _ok(
        await client.patch(
            f"{me}/documents/national_insurance_number",
            json={"young_person_says": "need_help"},
            headers=young,
        ),
        200,
    )
    await _ok(await client.get(f"{API}/local-offer/your-rights", headers=young), 200)
    await _ok(await client.post(f"{API}/local-offer/your-rights/views", headers=young), 204)
    await _ok(
        await client.post(
            f"{API}/local-offer/your-rights/responses",
            json={"response": "want_to_talk"},
            headers=young,
        ),
        201,
    )
    await _ok(
        await client.post(
            f"{yp}/entitlements/setting-up-home-allowance",
            json={"status": "received", "status_on": "2026-01-05", "amount_gbp": "250.50"},
            headers=pa,
        ),
        201,
    )
    sent = await _ok(
        await client.post(
            f"{me}/messages", json={"body": "Can we meet?"}, headers={**young, **key()}
        ),
        201,
    )
    await _ok(
        await client.post(f"{yp}/messages/read", json={"up_to": sent["message"]["id"]}, headers=pa),
        200,
    )
    # A colleague covering on duty takes part too: their id and email are not the young person's.
    await _ok(
        await client.post(
            f"{yp}/messages",
            json={"body": "Covering for Priya today."},
            headers={**world.auth("colleague_pa"), **key()},
        ),
        201,
    )
    hidden = await _ok(
        await client.post(
            f"{yp}/messages", json={"body": STAFF_ONLY["hidden_body"]}, headers={**pa, **key()}
        ),
        201,
    )
    await _ok(
        await client.post(
            f"{yp}/messages/{hidden['message']['id']}/hide",
            json={"reason": STAFF_ONLY["hide_reason"]},
            headers=pa,
        ),
        204,
    )
    await _ok(
        await client.post(
            f"{yp}/messages/{world.messages['own']}/flags",
            json={"reason": STAFF_ONLY["flag_reason"]},
            headers=pa,
        ),
        204,
    )
    await _ok(await client.put(f"{yp}/check-in-rhythm", json={"every_days": 28}, headers=pa), 204)
    await _ok(
        await client.put(
            f"{yp}/accommodation",
            json={"code": "U1", "since": "2026-01-05", "address": "Flat 2, 10 High Street"},
            headers=pa,
        ),
        200,
    )
    await _ok(
        await client.post(f"{me}/accommodation/satisfaction", json={"rating": 4}, headers=young),
        201,
    )
    concern = await _ok(
        await client.post(
            f"{me}/accommodation-concerns",
            json={"category": "repairs", "text": "The heating is off."},
            headers=young,
        ),
        201,
    )
    concerns = f"{yp}/accommodation-concerns/{concern['id']}"
    await _ok(await client.post(f"{concerns}/acknowledge", headers=pa), 200)
    await _ok(
        await client.post(f"{concerns}/actions", json={"note": "Rang the provider."}, headers=pa),
        201,
    )


async def plant_sentinels(
    sessionmaker: async_sessionmaker[AsyncSession], world: World
) -> dict[str, str]:
    """Rows with no route to make them, and the staff-only strings. Returns every sentinel."""
    own = world.young_people["own"]
    async with sessionmaker() as session, session.begin():
        account = await session.scalar(select(User).where(User.young_person_id == own))
        assert account is not None
        draft = await session.scalar(
            select(PlanVersion.id).where(
                PlanVersion.young_person_id == own, PlanVersion.number == 2
            )
        )
        agreed = await session.scalar(
            select(PlanVersion.id).where(
                PlanVersion.young_person_id == own, PlanVersion.number == 1
            )
        )
        assert draft is not None
        assert agreed is not None
        await session.execute(
            update(PlanSection)
            .where(PlanSection.version_id == draft)
            .values(needs=STAFF_ONLY["draft_needs"])
        )
        await session.execute(
            update(YoungPerson)
            .where(YoungPerson.id == world.young_people["colleague"])
            .values(family_name=STAFF_ONLY["other_young_person"])
        )
        session.add_all(
            [
                PlanAction(
                    version_id=agreed,
                    position=0,
                    section_code=next(iter(SECTIONS)),
                    description="Book a college open day",
                    owner=ActionOwner.young_person,
                    due_on=date(2026, 7, 1),
                ),
                PlanResponse(
                    version_id=agreed,
                    kind=PlanResponseKind.comment,
                    comment="I want more help with college",
                    user_id=account.id,
                ),
                Invite(
                    org_id=world.org_id,
                    young_person_id=own,
                    token_hash=SECRETS["invite_token_hash"],
                    email="amira@example.org",
                    created_by_id=world.users["pa"],
                    expires_at=utcnow() + timedelta(hours=72),
                    accepted_at=utcnow(),
                ),
                NotificationOutbox(
                    org_id=world.org_id,
                    user_id=account.id,
                    young_person_id=own,
                    channel="sms",
                    template="new_message",
                    payload={"invite_token": SECRETS["payload_token"], "count": 1},
                    status=OutboxStatus.failed,
                    attempts=5,
                    last_error=STAFF_ONLY["notify_error"],
                ),
                AuditEvent(
                    org_id=world.org_id,
                    actor_id=world.users["colleague_pa"],
                    actor_role="personal_adviser",
                    action="young_person.read",
                    young_person_id=own,
                    detail={"note": STAFF_ONLY["audit_detail"]},
                    ip=STAFF_ONLY["audit_ip"],
                ),
                # A message from another young person's conversation, never in this one.
                Message(
                    org_id=world.org_id,
                    young_person_id=world.young_people["colleague"],
                    sender_id=world.users["colleague_pa"],
                    sender_role="personal_adviser",
                    kind=MessageKind.text,
                    body=STAFF_ONLY["other_young_person"],
                ),
            ]
        )
    return {**STAFF_ONLY, **SECRETS}


def other_staff(world: World) -> dict[str, str]:
    """Ids and email addresses of staff who are not the young person's own PA."""
    names = ("colleague_pa", "team_manager", "org_manager", "south_pa")
    return {
        **{f"{n}_id": str(world.users[n]) for n in names},
        **{f"{n}_email": world.emails[n] for n in names},
    }
