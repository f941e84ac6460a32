"""Drafting a pathway plan and what follows: a draft made from the last agreed version or blank, edited
(If-Match), submitted to the young person, their response, a manager's sign-off, copies given, review
requests, and versions brought in by the importer.

An agreed version is never changed; the next review is a new version copied from it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.time import london_date, today
from portal_api.db.base import utcnow
from portal_api.errors import FieldError, InvalidInput, InvalidState, NotFound, PreconditionFailed
from portal_api.models import (
    Organisation,
    PlanAction,
    PlanResponse,
    PlanResponseKind,
    PlanReviewRequest,
    PlanSection,
    PlanSource,
    PlanState,
    PlanVersion,
    ReceiptHow,
    YoungPerson,
)
from portal_api.plans.dates import REVIEW_REQUEST_DAYS
from portal_api.plans.schemas import (
    SECTIONS,
    DraftUpdate,
    ReceiptIn,
    ResponseIn,
    ReviewRequestIn,
    ReviewRequestRead,
    VersionRead,
)
from portal_api.plans.service import (
    OPEN,
    etag_of,
    get_version,
    load_versions,
    missing_parts,
    open_requests_of,
    record_receipt,
    request_read,
    version_read_of,
)

# --- drafting -----------------------------------------------------------------------------------


async def _in_progress(session: AsyncSession, person: YoungPerson) -> PlanVersion | None:
    versions = await load_versions(session, person)
    return next((v for v in reversed(versions) if v.state is not PlanState.agreed), None)


async def create_draft(
    session: AsyncSession, actor: Actor, person: YoungPerson, copy_latest: bool
) -> VersionRead:
    versions = await load_versions(session, person)
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
    return await version_read_of(session, draft)


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
    return await version_read_of(session, draft)


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
    return await version_read_of(session, draft)


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
    return await version_read_of(session, version, await open_requests_of(session, person))


async def _agree(session: AsyncSession, person: YoungPerson, version: PlanVersion) -> None:
    version.state = PlanState.agreed
    version.agreed_on = today()
    for request in await open_requests_of(session, person):
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
    return await version_read_of(session, version, await open_requests_of(session, person))


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
    return await version_read_of(session, version, await open_requests_of(session, person))


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
