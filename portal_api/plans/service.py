"""Reading pathway plans: the overview, versions as each reader may see them, receipts of a copy,
and the home screen's piece. Drafting and everything that changes a plan is in ``drafting``.

A young person sees only versions shared with them (never a draft).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.errors import NotFound
from portal_api.models import (
    PLAN_STATES_YOUNG_PERSON_SEES,
    ActionOwner,
    ActionStatus,
    PlanAction,
    PlanReceipt,
    PlanResponse,
    PlanReviewRequest,
    PlanState,
    PlanVersion,
    ReceiptHow,
    Role,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.status import care_periods
from portal_api.plans.dates import next_review_on, overdue_days, review_due_on
from portal_api.plans.schemas import (
    SECTIONS,
    ActionIn,
    ActionRead,
    MissingPart,
    PlanOverview,
    PlanResponseRead,
    ReceiptRead,
    ReviewRequestRead,
    SectionRead,
    SuitabilityRead,
    VersionListItem,
    VersionRead,
)

OPEN = (ActionStatus.not_started, ActionStatus.in_progress)


def etag_of(version: PlanVersion) -> str:
    return f'"{version.number}-{version.edit_count}"'


def _owner_label(action: PlanAction) -> str | None:
    match action.owner:
        case ActionOwner.young_person:
            return "You"
        case ActionOwner.personal_adviser:
            return "Your personal adviser"
        case ActionOwner.other:
            return action.owner_name
        case _:
            return None


def missing_parts(action: PlanAction | ActionIn) -> list[str]:
    """What an open action lacks to be a real action: an owner and a date (DOMAIN.md §2)."""
    if action.status not in OPEN:
        return []
    missing = []
    if action.owner is None or (action.owner is ActionOwner.other and not action.owner_name):
        missing.append("owner")
    if action.due_on is None:
        missing.append("due date")
    return missing


MISSING_CODES: dict[str, MissingPart] = {"owner": "owner", "due date": "due_on"}


def missing_codes(action: PlanAction | ActionIn) -> list[MissingPart]:
    """``missing_parts`` as codes (the English words stay for API users)."""
    return [MISSING_CODES[part] for part in missing_parts(action)]


def action_read(action: PlanAction) -> ActionRead:
    on = today()
    return ActionRead(
        id=action.id,
        section_code=action.section_code,
        description=action.description,
        need=action.need,
        owner=action.owner,
        owner_name=action.owner_name,
        owner_label=_owner_label(action),
        due_on=action.due_on,
        status=action.status,
        dropped_reason=action.dropped_reason,
        completed_on=action.completed_on,
        overdue=action.status in OPEN and action.due_on is not None and action.due_on < on,
        missing=missing_parts(action),
        missing_codes=missing_codes(action),
    )


async def load_versions(
    session: AsyncSession, person: YoungPerson, number: int | None = None
) -> list[PlanVersion]:
    query = (
        select(PlanVersion)
        .options(selectinload(PlanVersion.sections), selectinload(PlanVersion.actions))
        .where(PlanVersion.young_person_id == person.id)
        .order_by(PlanVersion.number)
    )
    if number is not None:
        query = query.where(PlanVersion.number == number)
    return list((await session.execute(query)).scalars())


async def open_requests_of(session: AsyncSession, person: YoungPerson) -> list[PlanReviewRequest]:
    rows = await session.execute(
        select(PlanReviewRequest)
        .where(
            PlanReviewRequest.young_person_id == person.id,
            PlanReviewRequest.met_by_version_id.is_(None),
        )
        .order_by(PlanReviewRequest.requested_on)
    )
    return list(rows.scalars())


def request_read(r: PlanReviewRequest) -> ReviewRequestRead:
    return ReviewRequestRead(
        id=r.id,
        young_person_id=r.young_person_id,
        requested_by_role=r.requested_by_role,
        reason=r.reason,
        requested_on=r.requested_on,
        due_on=r.due_on,
        met=r.met_by_version_id is not None,
    )


async def version_read_of(
    session: AsyncSession, version: PlanVersion, requests: list[PlanReviewRequest] | None = None
) -> VersionRead:
    responses = (
        await session.execute(
            select(PlanResponse)
            .where(PlanResponse.version_id == version.id)
            .order_by(PlanResponse.created_at)
        )
    ).scalars()
    receipts = (
        await session.execute(
            select(PlanReceipt)
            .where(PlanReceipt.version_id == version.id)
            .order_by(PlanReceipt.received_on)
        )
    ).scalars()
    due = (
        review_due_on(version.agreed_on, version.review_by, [r.due_on for r in requests or []])
        if version.state is PlanState.agreed
        else None
    )
    return VersionRead(
        number=version.number,
        state=version.state,
        source=version.source,
        created_at=version.created_at,
        updated_at=version.updated_at,
        submitted_at=version.submitted_at,
        agreed_on=version.agreed_on,
        next_review_due_on=due,
        review_by=version.review_by,
        sections=[
            SectionRead(
                code=s.code,
                title=SECTIONS[s.code],
                needs=s.needs,
                young_person_views=s.young_person_views,
                goals=s.goals,
                suitability={k: SuitabilityRead(**v) for k, v in s.suitability.items()}
                if s.suitability
                else None,
            )
            for s in version.sections
        ],
        actions=[action_read(a) for a in version.actions],
        responses=[PlanResponseRead.model_validate(r) for r in responses],
        receipts=[ReceiptRead(how=r.how, received_on=r.received_on) for r in receipts],
        etag=etag_of(version),
    )


def _visible_to(actor: Actor, version: PlanVersion) -> bool:
    return _state_visible_to(actor, version.state)


def _state_visible_to(actor: Actor, state: PlanState) -> bool:
    return actor.role is not Role.young_person or state in PLAN_STATES_YOUNG_PERSON_SEES


async def record_receipt(
    session: AsyncSession,
    version: PlanVersion,
    how: ReceiptHow,
    *,
    by: Actor | None = None,
    on: date | None = None,
) -> None:
    """Once per version and way: opening it twice is still one copy received."""
    exists = await session.scalar(
        select(PlanReceipt.id).where(PlanReceipt.version_id == version.id, PlanReceipt.how == how)
    )
    if exists is None:
        session.add(
            PlanReceipt(
                version_id=version.id,
                young_person_id=version.young_person_id,
                how=how,
                received_on=on or today(),
                recorded_by_id=by.user.id if by and by.user.is_staff else None,
            )
        )


async def _current_and_in_progress(
    session: AsyncSession, actor: Actor, person: YoungPerson
) -> tuple[PlanVersion | None, PlanVersion | None]:
    """The two versions the overview shows, with their sections and actions; the others' are
    not loaded (a young person with years of reviews had every one loaded on every open)."""
    headers = (
        await session.execute(
            select(PlanVersion.id, PlanVersion.state, PlanVersion.agreed_on, PlanVersion.number)
            .where(PlanVersion.young_person_id == person.id)
            .order_by(PlanVersion.number)
        )
    ).all()
    agreed = [h for h in headers if h.state is PlanState.agreed]
    # Imported history can arrive after portal versions: the current plan is the latest agreed.
    current = max(agreed, key=lambda h: (h.agreed_on or date.min, h.number)) if agreed else None
    in_progress = next((h for h in reversed(headers) if h.state is not PlanState.agreed), None)
    if in_progress is not None and not _state_visible_to(actor, in_progress.state):
        in_progress = None
    wanted = [h.id for h in (current, in_progress) if h is not None]
    if not wanted:
        return None, None
    loaded = {
        v.id: v
        for v in (
            await session.execute(
                select(PlanVersion)
                .options(selectinload(PlanVersion.sections), selectinload(PlanVersion.actions))
                .where(PlanVersion.id.in_(wanted))
            )
        ).scalars()
    }
    return (
        loaded[current.id] if current else None,
        loaded[in_progress.id] if in_progress else None,
    )


async def overview(session: AsyncSession, actor: Actor, person: YoungPerson) -> PlanOverview:
    current, in_progress = await _current_and_in_progress(session, actor, person)
    requests = await open_requests_of(session, person)
    first_due = legal_status.first_plan_due_on(
        person.date_of_birth, await care_periods(session, person.id)
    )
    due = next_review_on(
        current.agreed_on if current else None,
        current.review_by if current else None,
        [r.due_on for r in requests],
        first_due,
    )
    return PlanOverview(
        young_person_id=person.id,
        first_plan_due_on=first_due,
        current=await version_read_of(session, current, requests) if current else None,
        in_progress=await version_read_of(session, in_progress) if in_progress else None,
        next_review_due_on=due,
        review_overdue_days=overdue_days(due, today()),
        open_review_requests=[request_read(r) for r in requests],
    )


async def list_versions(
    session: AsyncSession, actor: Actor, person: YoungPerson
) -> list[VersionListItem]:
    rows = await session.execute(
        select(PlanVersion, func.min(PlanReceipt.received_on))
        .outerjoin(PlanReceipt, PlanReceipt.version_id == PlanVersion.id)
        .where(PlanVersion.young_person_id == person.id)
        .group_by(PlanVersion.id)
        .order_by(PlanVersion.number.desc())
    )
    return [
        VersionListItem(
            number=v.number,
            state=v.state,
            source=v.source,
            created_at=v.created_at,
            agreed_on=v.agreed_on,
            first_received_on=received,
        )
        for v, received in rows.all()
        if _visible_to(actor, v)
    ]


async def get_version(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int
) -> PlanVersion:
    found = await load_versions(session, person, number)
    if not found or not _visible_to(actor, found[0]):
        raise NotFound(f"No plan version {number} that you can see.")
    return found[0]


async def version_read(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int
) -> VersionRead:
    # Reading records nothing: the app precaches and refreshes in the background, which must not
    # count as the young person receiving their plan (record_opened does, when they open it).
    version = await get_version(session, actor, person, number)
    requests = await open_requests_of(session, person) if version.state is PlanState.agreed else []
    return await version_read_of(session, version, requests)


async def record_opened(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int
) -> None:
    """The young person opened this version on their screen. An agreed version counts as a
    copy received, once; a version still waiting for their answer has no copy to count yet."""
    version = await get_version(session, actor, person, number)
    if version.state is PlanState.agreed:
        await record_receipt(session, version, ReceiptHow.opened_in_app)
        await session.flush()
