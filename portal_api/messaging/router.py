"""Messaging routes: the conversation, read receipts, check-ins, availability, live events."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from portal_api.auth.dependencies import (
    CaseworkStaff,
    CurrentActor,
    CurrentManager,
    CurrentUserAndToken,
    CurrentYoungPerson,
)
from portal_api.auth.send_limit import SendLimitDep
from portal_api.auth.users import hash_token, session_is_live
from portal_api.common.actor import Actor
from portal_api.common.schemas import MAX_ID
from portal_api.config import SettingsDep
from portal_api.db.session import SessionDep
from portal_api.errors import InvalidInput, NotFound, problem_responses
from portal_api.messaging import (
    availability,
    check_ins,
    events,
    hide_and_flag,
    push,
    queries,
    reading,
    receipts,
    service,
)
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
    PushSubscriptionRemove,
    ReadUpTo,
    SendResult,
)
from portal_api.models import Mood, Role, YoungPerson
from portal_api.people.scope import (
    Access,
    YoungPersonForWrite,
    YoungPersonToActOn,
    young_person_for,
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


def live(request: Request) -> events.Live:
    state = request.app.state
    quiet = timedelta(minutes=state.settings.message_notice_quiet_minutes)
    return events.Live(broker=state.broker, wake=state.outbox_wake, notice_quiet=quiet)


# Duty cover: any member of staff who can read the record can take part in the conversation.
Conversation = Annotated[YoungPerson, young_person_for(Access.read, "messages.read")]


@router.get(MESSAGES, response_model=MessagePage, responses=problem_responses(401, 403, 404, 422))
async def list_messages(
    session: SessionDep,
    actor: CurrentActor,
    person: Conversation,
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
    return await reading.list_messages(
        session, actor, person, after=after, before=before, limit=limit
    )


@router.post(
    MESSAGES,
    response_model=SendResult,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def send_message(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    person: Conversation,
    body: MessageCreate,
    idempotency_key: IdempotencyKey,
    response: Response,
    send_limit: SendLimitDep,
) -> SendResult:
    """Send a message. A retry with the same Idempotency-Key returns the first one, never a copy;
    201 is returned only once it is stored. Too many sends in a short time are answered 429 with
    Retry-After (a retry of a message already stored never is)."""
    result, replay = await service.send(
        session,
        actor,
        person,
        idempotency_key,
        body,
        live=live(request),
        count=functools.partial(send_limit.spend, actor.user.id),
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
    request: Request, session: SessionDep, actor: CurrentActor, person: Conversation, body: ReadUpTo
) -> MessagePage:
    """I have read up to this message (the other side sees it live)."""
    await receipts.mark_read(session, actor, person, body.up_to, live=live(request))
    return await reading.list_messages(session, actor, person, after=None, before=None, limit=1)


@router.post(
    f"{MESSAGES}/{{message_id}}/hide",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def hide_message(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonForWrite,
    message_id: MessageId,
    body: HideMessage,
) -> None:
    """Hide a message from the young person's view (kept in the record, with the reason)."""
    await hide_and_flag.hide(session, actor, person, message_id, body.reason)


@router.post(
    f"{MESSAGES}/{{message_id}}/flags",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 422),
)
async def flag_message(
    session: SessionDep,
    actor: CaseworkStaff,
    person: YoungPersonToActOn,
    message_id: MessageId,
    body: FlagMessage,
) -> None:
    """Flag a message for safeguarding (staff only; managers see every flag)."""
    await hide_and_flag.flag(session, actor, person, message_id, body.reason)


@router.get(
    "/messages/flagged", response_model=list[FlagRead], responses=problem_responses(401, 403)
)
async def list_flagged_messages(session: SessionDep, actor: CurrentManager) -> list[FlagRead]:
    """Safeguarding flags on messages of young people I manage, newest first."""
    return await queries.flagged_messages(session, actor)


@router.get(
    "/messages/duty-queue",
    response_model=list[uuid.UUID],
    responses=problem_responses(401, 403),
)
async def list_duty_queue(session: SessionDep, actor: CaseworkStaff) -> list[uuid.UUID]:
    """Young people whose latest message went to the duty queue and has no staff reply yet."""
    return await queries.duty_queue(session, actor)


@router.post(
    "/young-people/{yp}/check-ins",
    response_model=SendResult,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 422, 429),
)
async def check_in(
    request: Request,
    session: SessionDep,
    actor: CurrentYoungPerson,
    person: YoungPersonToActOn,
    body: CheckInCreate,
    idempotency_key: IdempotencyKey,
    response: Response,
    send_limit: SendLimitDep,
) -> SendResult:
    """One tap: how I'm doing. "Need help now" alerts the PA at once and shows the emergency number."""
    # A call for help is counted but never refused: it is the one thing that must get through.
    count = functools.partial(
        send_limit.spend, actor.user.id, refuse=body.mood is not Mood.need_help_now
    )
    result, replay = await check_ins.check_in(
        session, actor, person, body, idempotency_key, live=live(request), count=count
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
    session: SessionDep, actor: CaseworkStaff, person: YoungPersonForWrite, body: CheckInRhythmSet
) -> None:
    """Ask for a check-in every N days (the app prompts the young person when one is due)."""
    await check_ins.set_rhythm(session, actor, person, body.every_days)


@router.put(
    "/users/me/availability",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 422),
)
async def set_my_availability(
    session: SessionDep, actor: CaseworkStaff, body: AvailabilitySet
) -> None:
    """Away until a time, with a colleague covering (their young people see who to contact)."""
    await availability.set_availability(session, actor, body)


@router.post(
    "/users/me/push-subscriptions",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422),
)
async def add_push_subscription(
    session: SessionDep,
    actor: CurrentActor,
    signed_in: CurrentUserAndToken,
    body: PushSubscriptionIn,
    settings: SettingsDep,
) -> None:
    """Let this browser receive "you have a new message" notifications (no message text) until
    this session signs out."""
    await push.add_push_subscription(
        session,
        actor,
        body,
        settings.push_service_hosts,
        session_token_hash=hash_token(signed_in[1]),
    )


@router.delete(
    "/users/me/push-subscriptions",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422),
)
async def remove_push_subscription(
    session: SessionDep, actor: CurrentActor, body: PushSubscriptionRemove
) -> None:
    """Stop notices to this browser (its endpoint in the body). 204 whether or not it was
    subscribed."""
    await push.remove_push_subscription(session, actor, body.endpoint)


@router.get(
    "/notifications/failed",
    response_model=list[FailedNotification],
    responses=problem_responses(401, 403),
)
async def list_failed_notifications(
    session: SessionDep, actor: CaseworkStaff
) -> list[FailedNotification]:
    """Notifications that could not be delivered after every retry, for young people I may see."""
    return await queries.failed_notifications(session, actor)


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
        return await queries.visible_young_person_ids(session, actor)


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
