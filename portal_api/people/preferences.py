"""What a young person chooses for themselves: the name the app calls them, the language it
speaks, and how they are told of news. Only these: everything else on their record is the
staff's to change (people.service), and staff never set these choices for them."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.schemas import InputSchema, ReadSchema
from portal_api.db.base import utcnow
from portal_api.errors import InvalidInput, NotFound
from portal_api.models import PushSubscription, YoungPerson
from portal_api.notifications.outbox import Channel, chosen_channels

# The languages the app and the content library are written in (content/<owner>/<lang>/).
AppLanguage = Literal["en", "ar", "ps"]
MAX_PREFERRED_NAME = 60
# No control characters at all in a name (newlines and tabs included), nor the invisible and
# direction-changing marks that can make a name display as something else.
_NOT_IN_A_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class PreferencesUpdate(InputSchema):
    """Send only what changes. ``preferred_name`` null (or empty) goes back to the given name;
    ``notify_by`` in order of preference, empty for "don't tell me"."""

    preferred_name: Annotated[str, Field(max_length=MAX_PREFERRED_NAME)] | None = None
    preferred_language: AppLanguage | None = None
    notify_by: Annotated[list[Channel], Field(max_length=3)] | None = None

    @field_validator("preferred_name")
    @classmethod
    def _plain_name(cls, value: str | None) -> str | None:
        if value is not None and _NOT_IN_A_NAME.search(value):
            raise ValueError("contains control characters; type the name as plain letters")
        return value or None

    @field_validator("notify_by")
    @classmethod
    def _each_once(cls, value: list[Channel] | None) -> list[Channel] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("name each way once")
        return value


class PreferencesRead(ReadSchema):
    given_name: str
    preferred_name: str | None
    # What the app calls them: the preferred name if they gave one.
    shown_name: str
    preferred_language: str
    # In order of preference; empty: they asked not to be told.
    notify_by: list[Channel]
    # False until they choose (notify_by is then the default).
    notify_by_chosen: bool
    # Ways that can reach them now: push once a phone has subscribed, SMS with a mobile on
    # their record, email with an address.
    can_notify_by: list[Channel]


async def _person(session: AsyncSession, actor: Actor) -> YoungPerson:
    person = (
        await session.get(YoungPerson, actor.user.young_person_id)
        if actor.user.young_person_id
        else None
    )
    if person is None or person.org_id != actor.user.org_id:
        raise NotFound("No record for this account.")
    return person


async def _reachable(session: AsyncSession, actor: Actor, person: YoungPerson) -> list[Channel]:
    ways: list[Channel] = []
    if await session.scalar(
        select(PushSubscription.id).where(PushSubscription.user_id == actor.user.id).limit(1)
    ):
        ways.append("push")
    if person.mobile or actor.user.mobile:
        ways.append("sms")
    if actor.user.email or person.email:
        ways.append("email")
    return ways


async def _read(session: AsyncSession, actor: Actor, person: YoungPerson) -> PreferencesRead:
    return PreferencesRead(
        given_name=person.given_name,
        preferred_name=person.preferred_name,
        shown_name=person.preferred_name or person.given_name,
        preferred_language=person.preferred_language,
        notify_by=chosen_channels(person),
        notify_by_chosen=person.notify_by is not None,
        can_notify_by=await _reachable(session, actor, person),
    )


async def get_preferences(session: AsyncSession, actor: Actor) -> PreferencesRead:
    return await _read(session, actor, await _person(session, actor))


async def update_preferences(
    session: AsyncSession, actor: Actor, data: PreferencesUpdate
) -> PreferencesRead:
    """Change what they sent; a channel they choose must be one that can reach them (except
    push, which a phone can subscribe to afterwards)."""
    person = await _person(session, actor)
    sent = data.model_fields_set
    if "preferred_language" in sent and data.preferred_language is None:
        raise InvalidInput("preferred_language", "choose one of en, ar, ps")
    if data.notify_by:
        reachable = await _reachable(session, actor, person)
        for channel in data.notify_by:
            if channel != "push" and channel not in reachable:
                where = "mobile number" if channel == "sms" else "email address"
                raise InvalidInput(
                    "notify_by", f"there is no {where} on your record: ask your PA to add it"
                )
    changed = []
    if "preferred_name" in sent and data.preferred_name != person.preferred_name:
        person.preferred_name = data.preferred_name
        changed.append("preferred_name")
    if data.preferred_language is not None and data.preferred_language != person.preferred_language:
        person.preferred_language = data.preferred_language
        changed.append("preferred_language")
    if "notify_by" in sent:
        person.notify_by = list(data.notify_by) if data.notify_by is not None else None
        changed.append("notify_by")
    if changed:
        # Staff edit this record with If-Match: their copy is out of date now.
        person.version += 1
        person.updated_at = utcnow()
        audit.record(
            session, actor, "preferences.change", young_person_id=person.id, fields=changed
        )
        await session.flush()
    return await _read(session, actor, person)
