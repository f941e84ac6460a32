"""Messaging routes: the conversation, read receipts, check-ins, availability, live events."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from portal_api.audit import service as audit
from portal_api.auth.dependencies import (
    Actor,
    CaseworkStaff,
    CurrentActor,
    CurrentManager,
    CurrentUserAndToken,
    CurrentYoungPerson,
)
from portal_api.auth.users import session_is_live
from portal_api.common.schemas import MAX_ID
from portal_api.config import SettingsDep
from portal_api.db.base import utcnow
from portal_api.db.session import SessionDep
from portal_api.errors import Forbidden, InvalidInput, NotFound, problem_responses
from portal_api.messaging import service
from portal_api.messaging.schemas import (
    AvailabilitySet,
    CheckInCreate,
    CheckInRhythmSet,
    FailedNotification,
    FlagMessage,
    FlagRead,
    HideMessage,
    MessageCreate,
    MessagePage,
    PushSubscriptionIn,
    ReadUpTo,
    SendResult,
)
from portal_api.models import (
    Availability,
    Message,
    NotificationOutbox,
    OutboxStatus,
    PushSubscription,
    Role,
    SafeguardingFlag,
    User,
    YoungPerson,
)
from portal_api.people.scope import (
    Access,
    YoungPersonId,
    audit_reads,
    get_young_person,
    visible,
)

router = APIRouter(tags=["messages"])
IdempotencyKey = Annotated[
    str,
    Header(
        min_length=8,
        max_length=100,
        description="A UUID the app makes for each new message and reuses on every retry of it.",
    ),
]
MESSAGES = "/young-people/{yp}/messages"
MessageId = Annotated[int, Path(ge=1, le=MAX_ID, description="a message's id")]
# Refresh which conversations a member of staff may see while their event stream is open.
SCOPE_REFRESH_SECONDS = 60
HEARTBEAT_SECONDS = 15


def live(request: Request) -> service.Live:
    state = request.app.state
    return service.Live(broker=state.broker, wake=state.outbox_wake)


async def _conversation(session: SessionDep, actor: Actor, yp: str) -> YoungPerson:
    # Duty cover: any member of staff who can read the record can take part in the conversation.
    return await get_young_person(session, actor, yp, audit_action="messages.read")


@router.get(MESSAGES, response_model=MessagePage, responses=problem_responses(401, 403, 404, 422))
async def list_messages(
    session: SessionDep,
    actor: CurrentActor,
    yp: YoungPersonId,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="oldest first, after this id")
    ] = None,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="newest first, before this id")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MessagePage:
    """The conversation, newest first (or oldest first after a cursor), with the unread count."""
    if after is not None and before is not None:
        raise InvalidInput("query.before", "use after or before, not both")
    person = await _conversation(session, actor, yp)
    return await service.list_messages(
        session, actor, person, after=after, before=before, limit=limit
    )


@router.post(
    MESSAGES,
    response_model=SendResult,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def send_message(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    yp: YoungPersonId,
    body: MessageCreate,
    idempotency_key: IdempotencyKey,
    response: Response,
) -> SendResult:
    """Send a message. A retry with the same Idempotency-Key returns the first one, never a copy;
    201 is returned only once it is stored."""
    person = await _conversation(session, actor, yp)
    result, replay = await service.send(
        session, actor, person, idempotency_key, body, live=live(request)
    )
    if replay:
        response.headers["Idempotent-Replayed"] = "true"
    return result


@router.post(
    f"{MESSAGES}/read",
    response_model=MessagePage,
    responses=problem_responses(401, 403, 404, 422),
)
async def mark_messages_read(
    request: Request, session: SessionDep, actor: CurrentActor, yp: YoungPersonId, body: ReadUpTo
) -> MessagePage:
    """I have read up to this message (the other side sees it live)."""
    person = await _conversation(session, actor, yp)
    await service.mark_read(session, actor, person, body.up_to, live=live(request))
    return await service.list_messages(session, actor, person, after=None, before=None, limit=1)


@router.post(
    f"{MESSAGES}/{{message_id}}/hide",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def hide_message(
    session: SessionDep,
    actor: CaseworkStaff,
    yp: YoungPersonId,
    message_id: MessageId,
    body: HideMessage,
) -> None:
    """Hide a message from the young person's view (kept in the record, with the reason)."""
    person = await get_young_person(session, actor, yp, Access.write, audit_action=None)
    await service.hide(session, actor, person, message_id, body.reason)


@router.post(
    f"{MESSAGES}/{{message_id}}/flags",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def flag_message(
    session: SessionDep,
    actor: CaseworkStaff,
    yp: YoungPersonId,
    message_id: MessageId,
    body: FlagMessage,
) -> None:
    """Flag a message for safeguarding (staff only; managers see every flag)."""
    person = await get_young_person(session, actor, yp, audit_action=None)
    await service.flag(session, actor, person, message_id, body.reason)


@router.get(
    "/messages/flagged", response_model=list[FlagRead], responses=problem_responses(401, 403)
)
async def list_flagged_messages(session: SessionDep, actor: CurrentManager) -> list[FlagRead]:
    """Safeguarding flags on messages of young people I manage, newest first."""
    rows = await session.execute(
        select(SafeguardingFlag, Message.body, YoungPerson, User.display_name)
        .join(Message, Message.id == SafeguardingFlag.message_id)
        .join(YoungPerson, YoungPerson.id == SafeguardingFlag.young_person_id)
        .join(User, User.id == SafeguardingFlag.flagged_by_id)
        .where(visible(actor, Access.read))
        .order_by(SafeguardingFlag.created_at.desc())
        .limit(500)
    )
    flags = [
        FlagRead(
            id=f.id,
            message_id=f.message_id,
            young_person_id=person.id,
            young_person_name=person.full_name,
            flagged_by=name,
            reason=f.reason,
            created_at=f.created_at,
            message_body=body,
        )
        for f, body, person, name in rows.all()
    ]
    audit.record(session, actor, "messages.flagged.read", count=len(flags))
    # Each young person's log says their messages were read, never that one was flagged.
    await audit_reads(session, actor, (f.young_person_id for f in flags), "messages.read")
    return flags


@router.get(
    "/messages/duty-queue",
    response_model=list[uuid.UUID],
    responses=problem_responses(401, 403),
)
async def list_duty_queue(session: SessionDep, actor: CaseworkStaff) -> list[uuid.UUID]:
    """Young people whose latest message went to the duty queue and has no staff reply yet."""
    latest = (
        select(Message.young_person_id, Message.id, Message.to_duty_queue, Message.sender_role)
        .join(YoungPerson, YoungPerson.id == Message.young_person_id)
        .where(visible(actor, Access.read), Message.kind != "system")
        .order_by(Message.young_person_id, Message.id.desc())
    )
    waiting: dict[uuid.UUID, bool] = {}
    for yp_id, _id, duty, role in (await session.execute(latest)).all():
        if yp_id not in waiting:
            waiting[yp_id] = bool(duty) and role == Role.young_person.value
    return [yp_id for yp_id, is_waiting in waiting.items() if is_waiting]


@router.post(
    "/young-people/{yp}/check-ins",
    response_model=SendResult,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422),
)
async def check_in(
    request: Request,
    session: SessionDep,
    actor: CurrentYoungPerson,
    yp: YoungPersonId,
    body: CheckInCreate,
    idempotency_key: IdempotencyKey,
    response: Response,
) -> SendResult:
    """One tap: how I'm doing. "Need help now" alerts the PA at once and shows the emergency number."""
    person = await get_young_person(session, actor, yp, audit_action=None)
    result, replay = await service.check_in(
        session, actor, person, body, idempotency_key, live=live(request)
    )
    if replay:
        response.headers["Idempotent-Replayed"] = "true"
    return result


@router.put(
    "/young-people/{yp}/check-in-rhythm",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def set_check_in_rhythm(
    session: SessionDep, actor: CaseworkStaff, yp: YoungPersonId, body: CheckInRhythmSet
) -> None:
    """Ask for a check-in every N days (the app prompts the young person when one is due)."""
    person = await get_young_person(session, actor, yp, Access.write, audit_action=None)
    await service.set_rhythm(session, actor, person, body.every_days)


@router.put(
    "/users/me/availability",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 422),
)
async def set_my_availability(
    session: SessionDep, actor: CaseworkStaff, body: AvailabilitySet
) -> None:
    """Away until a time, with a colleague covering (their young people see who to contact)."""
    if body.away_until is not None and body.away_until.tzinfo is None:
        raise InvalidInput("away_until", "give a time zone, e.g. 2026-12-01T09:00:00Z")
    if body.cover_id is not None:
        await service.check_cover(session, actor, body.cover_id)
    availability = await session.get(Availability, actor.user.id)
    if availability is None:
        availability = Availability(user_id=actor.user.id)
        session.add(availability)
    availability.away_until, availability.cover_id = body.away_until, body.cover_id
    availability.note, availability.updated_at = body.note, utcnow()


@router.post(
    "/users/me/push-subscriptions",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422),
)
async def add_push_subscription(
    session: SessionDep, actor: CurrentActor, body: PushSubscriptionIn, settings: SettingsDep
) -> None:
    """Let this browser receive "you have a new message" notifications (no message text). The
    endpoint must be at a browser push service (the portal's allow-list)."""
    service.check_push_endpoint(body.endpoint, settings.push_service_hosts)
    existing = await session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == body.endpoint)
    )
    if existing is not None and existing.user_id != actor.user.id:
        raise Forbidden("That push subscription belongs to another account; subscribe again.")
    if existing is None:
        session.add(PushSubscription(user_id=actor.user.id, **body.model_dump()))


@router.get(
    "/notifications/failed",
    response_model=list[FailedNotification],
    responses=problem_responses(401, 403),
)
async def list_failed_notifications(
    session: SessionDep, actor: CaseworkStaff
) -> list[FailedNotification]:
    """Notifications that could not be delivered after every retry, for young people I may see."""
    rows = await session.execute(
        select(NotificationOutbox, User.display_name)
        .join(User, User.id == NotificationOutbox.user_id)
        .join(YoungPerson, YoungPerson.id == NotificationOutbox.young_person_id)
        .where(NotificationOutbox.status == OutboxStatus.failed, visible(actor, Access.read))
        .order_by(NotificationOutbox.created_at.desc())
        .limit(200)
    )
    return [
        FailedNotification(
            id=row.id,
            young_person_id=row.young_person_id,
            recipient=name,
            channel=row.channel,
            template=row.template,
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
        )
        for row, name in rows.all()
    ]


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"},
        **problem_responses(401, 404),
    },
)
async def stream_events(
    request: Request, actor: CurrentActor, signed_in: CurrentUserAndToken
) -> StreamingResponse:
    """Server-sent events: new messages and read receipts in conversations I may see. The stream
    ends soon after its session does (signed out, or the account disabled)."""
    if actor.role is Role.admin:
        raise NotFound("Administrators have no conversations.")
    _, token = signed_in
    return StreamingResponse(
        _events(request, actor, token),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _visible_ids(request: Request, actor: Actor) -> set[str]:
    async with request.app.state.sessionmaker() as session:
        rows = await session.execute(select(YoungPerson.id).where(visible(actor, Access.read)))
        return {str(i) for i in rows.scalars()}


async def _session_is_live(request: Request, token: str) -> bool:
    async with request.app.state.sessionmaker() as session:
        live: bool = await session_is_live(session, token)
        return live


async def _events(request: Request, actor: Actor, token: str) -> AsyncIterator[str]:
    broker = request.app.state.broker
    settings = request.app.state.settings
    loop = asyncio.get_running_loop()
    allowed = await _visible_ids(request, actor)
    refreshed = checked = beat = loop.time()
    ends = loop.time() + settings.events_stream_seconds
    check_every = settings.events_session_check_seconds
    yield ": connected\n\n"
    stream = broker.subscribe(actor.user.org_id)
    next_event: asyncio.Task[Any] | None = None
    # The server is stopping (main._drain_on_sigterm): end cleanly; the app reconnects elsewhere.
    stopping = asyncio.ensure_future(request.app.state.stopping.wait())
    try:
        while not await request.is_disconnected() and loop.time() < ends:
            if next_event is None:
                next_event = asyncio.ensure_future(anext(stream))
            wait = min(
                beat + HEARTBEAT_SECONDS - loop.time(), check_every, max(ends - loop.time(), 0)
            )
            done, _ = await asyncio.wait(
                {next_event, stopping}, timeout=wait, return_when=asyncio.FIRST_COMPLETED
            )
            if stopping in done:
                break
            # Signed out or disabled: nothing more goes to this stream, even an event in hand.
            if loop.time() - checked >= check_every:
                if not await _session_is_live(request, token):
                    break
                checked = loop.time()
            if not done:
                if loop.time() < ends and loop.time() - beat >= HEARTBEAT_SECONDS:
                    yield ": keep-alive\n\n"
                    beat = loop.time()
                continue
            event = next_event.result()
            next_event = None
            if loop.time() - refreshed > SCOPE_REFRESH_SECONDS and actor.user.is_staff:
                allowed, refreshed = await _visible_ids(request, actor), loop.time()
            if event.get("young_person_id") in allowed:
                yield f"event: {event['type']}\ndata: {json.dumps(event)}\n\n"
                beat = loop.time()
    finally:
        stopping.cancel()
        if next_event is not None:
            next_event.cancel()
            # Let the cancelled read finish before closing the subscription it is reading.
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await next_event
        await stream.aclose()
