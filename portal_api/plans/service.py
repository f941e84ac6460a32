"""Pathway plan rules: drafting, submitting, responding, approving, receipts, review requests.

A young person sees only versions shared with them (never a draft). An agreed version is never
changed; the next review is a new version copied from it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import london_date, today
from portal_api.db.base import utcnow
from portal_api.errors import FieldError, InvalidInput, InvalidState, NotFound, PreconditionFailed
from portal_api.models import (
    PLAN_STATES_YOUNG_PERSON_SEES,
    ActionOwner,
    ActionStatus,
    Organisation,
    PlanAction,
    PlanReceipt,
    PlanResponse,
    PlanResponseKind,
    PlanReviewRequest,
    PlanSection,
    PlanSource,
    PlanState,
    PlanVersion,
    ReceiptHow,
    Role,
    YoungPerson,
)
from portal_api.people import legal_status
from portal_api.people.service import care_periods
from portal_api.plans.dates import REVIEW_REQUEST_DAYS, next_review_on, overdue_days, review_due_on
from portal_api.plans.schemas import (
    SECTIONS,
    ActionIn,
    ActionRead,
    DraftUpdate,
    MissingPart,
    PlanOverview,
    PlanResponseRead,
    ReceiptIn,
    ReceiptRead,
    ResponseIn,
    ReviewRequestIn,
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


def _action_read(action: PlanAction) -> ActionRead:
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


async def _load(
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


async def _open_requests(session: AsyncSession, person: YoungPerson) -> list[PlanReviewRequest]:
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


async def _version_read(
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
        actions=[_action_read(a) for a in version.actions],
        responses=[PlanResponseRead.model_validate(r) for r in responses],
        receipts=[ReceiptRead(how=r.how, received_on=r.received_on) for r in receipts],
        etag=etag_of(version),
    )


def _visible_to(actor: Actor, version: PlanVersion) -> bool:
    return actor.role is not Role.young_person or version.state in PLAN_STATES_YOUNG_PERSON_SEES


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


async def overview(session: AsyncSession, actor: Actor, person: YoungPerson) -> PlanOverview:
    versions = await _load(session, person)
    agreed = [v for v in versions if v.state is PlanState.agreed]
    # Imported history can arrive after portal versions: the current plan is the latest agreed.
    current = max(agreed, key=lambda v: (v.agreed_on or date.min, v.number)) if agreed else None
    in_progress = next((v for v in reversed(versions) if v.state is not PlanState.agreed), None)
    if in_progress is not None and not _visible_to(actor, in_progress):
        in_progress = None
    requests = await _open_requests(session, person)
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
        current=await _version_read(session, current, requests) if current else None,
        in_progress=await _version_read(session, in_progress) if in_progress else None,
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
    found = await _load(session, person, number)
    if not found or not _visible_to(actor, found[0]):
        raise NotFound(f"No plan version {number} that you can see.")
    return found[0]


async def version_read(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int
) -> VersionRead:
    # Reading records nothing: the app precaches and refreshes in the background, which must not
    # count as the young person receiving their plan (record_opened does, when they open it).
    version = await get_version(session, actor, person, number)
    requests = await _open_requests(session, person) if version.state is PlanState.agreed else []
    return await _version_read(session, version, requests)


async def record_opened(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int
) -> None:
    """The young person opened this version on their screen. An agreed version counts as a
    copy received, once; a version still waiting for their answer has no copy to count yet."""
    version = await get_version(session, actor, person, number)
    if version.state is PlanState.agreed:
        await record_receipt(session, version, ReceiptHow.opened_in_app)
        await session.flush()


# --- drafting -----------------------------------------------------------------------------------


async def _in_progress(session: AsyncSession, person: YoungPerson) -> PlanVersion | None:
    versions = await _load(session, person)
    return next((v for v in reversed(versions) if v.state is not PlanState.agreed), None)


async def create_draft(
    session: AsyncSession, actor: Actor, person: YoungPerson, copy_latest: bool
) -> VersionRead:
    versions = await _load(session, person)
    if any(v.state is not PlanState.agreed for v in versions):
        raise InvalidState("There is already a plan in progress: finish or revise that one.")
    latest = next((v for v in reversed(versions) if v.state is PlanState.agreed), None)
    source = latest if copy_latest and latest is not None and latest.sections else None
    previous = {s.code: s for s in source.sections} if source else {}
    draft = PlanVersion(
        org_id=person.org_id,
        young_person_id=person.id,
        number=(versions[-1].number + 1) if versions else 1,
        state=PlanState.draft,
        based_on_number=source.number if source else None,
        created_by_id=actor.user.id,
        sections=[
            PlanSection(
                code=code,
                position=position,
                needs=previous[code].needs if code in previous else "",
                young_person_views=previous[code].young_person_views if code in previous else "",
                goals=previous[code].goals if code in previous else "",
                suitability=previous[code].suitability if code in previous else None,
            )
            for position, code in enumerate(SECTIONS)
        ],
        actions=[
            _copy_action(a, position)
            for position, a in enumerate(
                a for a in (source.actions if source else []) if a.status in OPEN
            )
        ],
    )
    session.add(draft)
    await session.flush()
    audit.record(
        session, actor, "plan.draft.create", young_person_id=person.id, number=draft.number
    )
    return await _version_read(session, draft)


def _copy_action(action: PlanAction, position: int) -> PlanAction:
    return PlanAction(
        position=position,
        section_code=action.section_code,
        description=action.description,
        need=action.need,
        owner=action.owner,
        owner_name=action.owner_name,
        due_on=action.due_on,
        status=action.status,
    )


async def _editable(
    session: AsyncSession, person: YoungPerson, if_match: str | None
) -> PlanVersion:
    draft = await _in_progress(session, person)
    if draft is None:
        raise NotFound("There is no draft: start one first.")
    if draft.state is PlanState.awaiting_approval:
        raise InvalidState("This version is waiting for a manager's approval and cannot change.")
    if if_match is not None and if_match.strip() != etag_of(draft):
        raise PreconditionFailed(
            "Someone changed this draft since you opened it. Reload it and make your change again.",
            current_etag=etag_of(draft),
        )
    return draft


async def update_draft(
    session: AsyncSession,
    actor: Actor,
    person: YoungPerson,
    data: DraftUpdate,
    if_match: str | None,
) -> VersionRead:
    draft = await _editable(session, person, if_match)
    plan_date = london_date(draft.created_at)
    for i, action in enumerate(data.actions or []):
        if action.status in OPEN and action.due_on is not None and action.due_on < plan_date:
            raise InvalidInput(
                f"actions.{i}.due_on", f"is before the plan was started ({plan_date})"
            )
    if data.review_by is not None and data.review_by < plan_date:
        raise InvalidInput("review_by", f"is before the plan was started ({plan_date})")
    if data.sections is not None:
        by_code = {s.code: s for s in draft.sections}
        for section in data.sections:
            target = by_code[section.code]
            target.needs = section.needs
            target.young_person_views = section.young_person_views
            target.goals = section.goals
            target.suitability = (
                {k: v.model_dump() for k, v in section.suitability.items()}
                if section.suitability is not None
                else target.suitability
            )
    if data.actions is not None:
        draft.actions = [
            PlanAction(position=i, **a.model_dump()) for i, a in enumerate(data.actions)
        ]
    if "review_by" in data.model_fields_set:
        draft.review_by = data.review_by
    if draft.state is PlanState.awaiting_response:
        # Revising takes it back from the young person until it is shared again.
        draft.state = PlanState.draft
    draft.edit_count += 1
    draft.updated_at = utcnow()
    await session.flush()
    audit.record(
        session, actor, "plan.draft.change", young_person_id=person.id, number=draft.number
    )
    return await _version_read(session, draft)


async def submit_draft(
    session: AsyncSession, actor: Actor, person: YoungPerson, if_match: str | None
) -> VersionRead:
    """Share the draft with the young person, or say everything that stops it being a plan."""
    draft = await _editable(session, person, if_match)
    if draft.state is not PlanState.draft:
        raise InvalidState("This version is already with the young person.")
    errors = [
        FieldError(f"sections.{s.code}.needs", f"“{SECTIONS[s.code]}” is empty: say what they need")
        for s in draft.sections
        if not s.needs.strip()
    ]
    for i, action in enumerate(draft.actions):
        for part in missing_parts(action):
            errors.append(FieldError(f"actions.{i}", f"“{action.description[:60]}” has no {part}"))
    if errors:
        raise InvalidInput.many(
            f"The plan is not ready to share: {len(errors)} thing(s) to fix.", errors
        )
    draft.state = PlanState.awaiting_response
    draft.submitted_at = utcnow()
    draft.edit_count += 1
    audit.record(session, actor, "plan.submit", young_person_id=person.id, number=draft.number)
    return await _version_read(session, draft)


async def respond(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int, data: ResponseIn
) -> VersionRead:
    version = await get_version(session, actor, person, number)
    if version.state is not PlanState.awaiting_response:
        raise InvalidState("This version is not waiting for your response.")
    session.add(
        PlanResponse(
            version_id=version.id,
            section_code=data.section_code,
            kind=data.kind,
            comment=data.comment,
            user_id=actor.user.id,
        )
    )
    if data.kind is PlanResponseKind.agree:
        org = await session.get(Organisation, person.org_id)
        assert org is not None
        if org.plans_need_manager_approval:
            version.state = PlanState.awaiting_approval
        else:
            await _agree(session, person, version)
    version.edit_count += 1
    await session.flush()
    return await _version_read(session, version, await _open_requests(session, person))


async def _agree(session: AsyncSession, person: YoungPerson, version: PlanVersion) -> None:
    version.state = PlanState.agreed
    version.agreed_on = today()
    for request in await _open_requests(session, person):
        request.met_by_version_id = version.id


async def approve(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int
) -> VersionRead:
    version = await get_version(session, actor, person, number)
    if version.state is not PlanState.awaiting_approval:
        raise InvalidState("This version is not waiting for approval.")
    version.approved_by_id = actor.user.id
    await _agree(session, person, version)
    version.edit_count += 1
    audit.record(session, actor, "plan.approve", young_person_id=person.id, number=number)
    await session.flush()
    return await _version_read(session, version, await _open_requests(session, person))


async def add_receipt(
    session: AsyncSession, actor: Actor, person: YoungPerson, number: int, data: ReceiptIn
) -> VersionRead:
    version = await get_version(session, actor, person, number)
    if version.state is not PlanState.agreed:
        raise InvalidState("Only an agreed version is given as a copy.")
    if version.agreed_on is not None and data.received_on < version.agreed_on:
        raise InvalidInput("received_on", "is before the version was agreed")
    await record_receipt(session, version, ReceiptHow(data.how), by=actor, on=data.received_on)
    audit.record(
        session, actor, "plan.receipt", young_person_id=person.id, number=number, how=data.how
    )
    await session.flush()
    return await _version_read(session, version, await _open_requests(session, person))


async def request_review(
    session: AsyncSession, actor: Actor, person: YoungPerson, data: ReviewRequestIn
) -> ReviewRequestRead:
    on = today()
    request = PlanReviewRequest(
        org_id=person.org_id,
        young_person_id=person.id,
        requested_by_id=actor.user.id,
        requested_by_role=actor.role.value,
        reason=data.reason,
        requested_on=on,
        due_on=on + timedelta(days=REVIEW_REQUEST_DAYS),
    )
    session.add(request)
    await session.flush()
    audit.record(session, actor, "plan.review_request", young_person_id=person.id)
    return request_read(request)


async def add_imported_version(
    session: AsyncSession, person: YoungPerson, agreed_on: date, copy_received_on: date | None
) -> bool:
    """A plan agreed in the case-management system: dates only. True if it was new."""
    existing = await session.scalar(
        select(PlanVersion).where(
            PlanVersion.young_person_id == person.id,
            PlanVersion.source == PlanSource.imported,
            PlanVersion.agreed_on == agreed_on,
        )
    )
    if existing is not None:
        return False
    highest = await session.scalar(
        select(func.max(PlanVersion.number)).where(PlanVersion.young_person_id == person.id)
    )
    version = PlanVersion(
        org_id=person.org_id,
        young_person_id=person.id,
        number=(highest or 0) + 1,
        state=PlanState.agreed,
        source=PlanSource.imported,
        agreed_on=agreed_on,
    )
    session.add(version)
    await session.flush()
    if copy_received_on is not None:
        await record_receipt(session, version, ReceiptHow.imported, on=copy_received_on)
    return True


# --- the home screen's piece --------------------------------------------------------------------

SOON_DAYS = 14


def latest_agreed_columns() -> tuple[Any, Any, Any, Any]:
    """Correlated columns for the summary query: the current version's id, agreed date and
    review-by date, and the earliest open review request's due date."""

    def latest(column: Any) -> Any:
        return (
            select(column)
            .where(
                PlanVersion.young_person_id == YoungPerson.id, PlanVersion.state == PlanState.agreed
            )
            .order_by(PlanVersion.agreed_on.desc(), PlanVersion.number.desc())
            .limit(1)
            .scalar_subquery()
        )

    requested = (
        select(func.min(PlanReviewRequest.due_on))
        .where(
            PlanReviewRequest.young_person_id == YoungPerson.id,
            PlanReviewRequest.met_by_version_id.is_(None),
        )
        .scalar_subquery()
    )
    return (
        latest(PlanVersion.id),
        latest(PlanVersion.agreed_on),
        latest(PlanVersion.review_by),
        requested,
    )


async def awaiting_answer(
    session: AsyncSession, young_person_id: uuid.UUID
) -> tuple[int, datetime | None] | None:
    """The version shared with the young person and waiting for their answer, if any: its
    number and when it was shared."""
    row = (
        await session.execute(
            select(PlanVersion.number, PlanVersion.submitted_at)
            .where(
                PlanVersion.young_person_id == young_person_id,
                PlanVersion.state == PlanState.awaiting_response,
            )
            .order_by(PlanVersion.number.desc())
            .limit(1)
        )
    ).one_or_none()
    return (row.number, row.submitted_at) if row else None


async def actions_due(
    session: AsyncSession, version_id: uuid.UUID | None, within_days: int = SOON_DAYS
) -> list[ActionRead]:
    """Open actions of the current plan that are overdue or due in the next ``within_days``."""
    if version_id is None:
        return []
    horizon = today() + timedelta(days=within_days)
    rows = await session.execute(
        select(PlanAction)
        .where(
            PlanAction.version_id == version_id,
            PlanAction.status.in_(OPEN),
            PlanAction.due_on <= horizon,
        )
        .order_by(PlanAction.due_on)
    )
    return [_action_read(a) for a in rows.scalars()]
