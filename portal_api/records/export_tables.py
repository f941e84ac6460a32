"""The subject access export's tables: every table that refers to a young person (EXPORT_KEYS) and
the rows of each that go into a copy, one explicit query per table, for the young person's own copy
or the staff copy (Audience). How rows are written out is in ``export``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from portal_api.audit import service as audit
from portal_api.db.base import Base
from portal_api.models import (
    PLAN_STATES_YOUNG_PERSON_SEES,
    AccommodationConcern,
    Allocation,
    AuditEvent,
    CarePeriod,
    CheckInRhythm,
    ConcernAction,
    Contact,
    DocumentEvent,
    DocumentItem,
    EntitlementRecord,
    FollowUp,
    Invite,
    LocalOfferResponse,
    LocalOfferView,
    Message,
    MessageNotice,
    NotificationOutbox,
    PlanReceipt,
    PlanResponse,
    PlanReviewRequest,
    PlanVersion,
    ReadMark,
    Residence,
    SafeguardingFlag,
    SatisfactionResponse,
    StatusObservation,
    User,
    YoungPerson,
)

# Every table that refers to a young person, directly or through a row that does, and the key in
# record.json that holds its rows. tests/security/test_subject_access.py walks the metadata and
# fails when a table is missing: a new table about young people must be exported (or argued out).
EXPORT_KEYS: dict[str, str] = {
    "young_person": "young_person",
    "care_period": "care_periods",
    "allocation": "allocations",
    "status_observation": "status_observations",
    "contact": "contacts",
    "user": "accounts",
    "invite": "invites",
    "plan_version": "plan_versions",
    "plan_section": "plan_sections",
    "plan_action": "plan_actions",
    "plan_response": "plan_responses",
    "plan_receipt": "plan_receipts",
    "plan_review_request": "plan_review_requests",
    "plan_pdf": "plan_pdfs",  # the files under plans/, listed by version
    "document_item": "checklist_items",
    "document_event": "checklist_history",
    "local_offer_view": "local_offer_views",
    "local_offer_response": "local_offer_responses",
    "entitlement_record": "entitlement_records",
    "follow_up": "follow_ups",
    "message": "messages",
    "read_mark": "read_marks",
    "message_notice": "message_notices",  # when each participant was last told of a message
    "safeguarding_flag": "safeguarding_flags",
    "check_in_rhythm": "check_in_rhythm",
    "notification_outbox": "notifications",
    "residence": "residences",
    "accommodation_concern": "accommodation_concerns",
    "concern_action": "concern_actions",
    "satisfaction_response": "satisfaction_responses",
    "audit_event": "access_log",
}
# Sections only the staff copy has.
STAFF_ONLY_KEYS = frozenset({"safeguarding_flags"})


class Audience(StrEnum):
    young_person = "young_person"
    staff = "staff"


@dataclass
class Gathered:
    """The rows of every section, before they are written out."""

    sections: dict[str, list[Base]]
    versions: list[PlanVersion]


async def _all(session: AsyncSession, statement: Any) -> list[Base]:
    return list((await session.execute(statement)).scalars())


async def gather(session: AsyncSession, person: YoungPerson, audience: Audience) -> Gathered:
    """One explicit query per table, so what is exported is what was meant to be."""
    yp = person.id
    own = audience is Audience.young_person
    s: dict[str, list[Base]] = {"young_person": [person]}
    s["care_period"] = await _all(
        session,
        select(CarePeriod).where(CarePeriod.young_person_id == yp).order_by(CarePeriod.start_on),
    )
    s["allocation"] = await _all(
        session,
        select(Allocation).where(Allocation.young_person_id == yp).order_by(Allocation.started_on),
    )
    s["status_observation"] = await _all(
        session,
        select(StatusObservation)
        .where(StatusObservation.young_person_id == yp)
        .order_by(StatusObservation.recorded_on, StatusObservation.created_at),
    )
    s["contact"] = await _all(
        session,
        select(Contact)
        .where(Contact.young_person_id == yp)
        .order_by(Contact.contact_on, Contact.created_at),
    )
    s["user"] = await _all(session, select(User).where(User.young_person_id == yp))
    account_ids = [cast(User, u).id for u in s["user"]]
    s["invite"] = await _all(
        session, select(Invite).where(Invite.young_person_id == yp).order_by(Invite.created_at)
    )

    versions_query = (
        select(PlanVersion)
        .where(PlanVersion.young_person_id == yp)
        .options(selectinload(PlanVersion.sections), selectinload(PlanVersion.actions))
        .order_by(PlanVersion.number)
    )
    if own:
        versions_query = versions_query.where(PlanVersion.state.in_(PLAN_STATES_YOUNG_PERSON_SEES))
    versions = list((await session.execute(versions_query)).scalars())
    version_ids = [v.id for v in versions]
    s["plan_version"] = list(versions)
    s["plan_section"] = [section for v in versions for section in v.sections]
    s["plan_action"] = [action for v in versions for action in v.actions]
    s["plan_response"] = await _all(
        session,
        select(PlanResponse)
        .where(PlanResponse.version_id.in_(version_ids))
        .order_by(PlanResponse.created_at),
    )
    s["plan_receipt"] = await _all(
        session,
        select(PlanReceipt)
        .where(PlanReceipt.young_person_id == yp, PlanReceipt.version_id.in_(version_ids))
        .order_by(PlanReceipt.received_on, PlanReceipt.created_at),
    )
    s["plan_review_request"] = await _all(
        session,
        select(PlanReviewRequest)
        .where(PlanReviewRequest.young_person_id == yp)
        .order_by(PlanReviewRequest.requested_on, PlanReviewRequest.created_at),
    )

    s["document_item"] = await _all(
        session,
        select(DocumentItem)
        .where(DocumentItem.young_person_id == yp)
        .order_by(DocumentItem.created_at),
    )
    s["document_event"] = await _all(
        session,
        select(DocumentEvent)
        .where(DocumentEvent.young_person_id == yp)
        .order_by(DocumentEvent.event_on, DocumentEvent.created_at),
    )
    s["local_offer_view"] = await _all(
        session,
        select(LocalOfferView)
        .where(LocalOfferView.young_person_id == yp)
        .order_by(LocalOfferView.first_seen_at, LocalOfferView.slug, LocalOfferView.revision),
    )
    s["local_offer_response"] = await _all(
        session,
        select(LocalOfferResponse)
        .where(LocalOfferResponse.young_person_id == yp)
        .order_by(LocalOfferResponse.created_at),
    )
    s["entitlement_record"] = await _all(
        session,
        select(EntitlementRecord)
        .where(EntitlementRecord.young_person_id == yp)
        .order_by(EntitlementRecord.status_on, EntitlementRecord.created_at),
    )
    s["follow_up"] = await _all(
        session,
        select(FollowUp).where(FollowUp.young_person_id == yp).order_by(FollowUp.created_at),
    )

    s["message"] = await _all(
        session, select(Message).where(Message.young_person_id == yp).order_by(Message.id)
    )
    s["read_mark"] = await _all(
        session, select(ReadMark).where(ReadMark.young_person_id == yp).order_by(ReadMark.read_at)
    )
    s["message_notice"] = await _all(
        session,
        select(MessageNotice)
        .where(MessageNotice.young_person_id == yp)
        .order_by(MessageNotice.noticed_at),
    )
    s["safeguarding_flag"] = (
        []
        if own
        else await _all(
            session,
            select(SafeguardingFlag)
            .where(SafeguardingFlag.young_person_id == yp)
            .order_by(SafeguardingFlag.created_at),
        )
    )
    s["check_in_rhythm"] = await _all(
        session, select(CheckInRhythm).where(CheckInRhythm.young_person_id == yp)
    )
    s["notification_outbox"] = await _all(
        session,
        select(NotificationOutbox)
        .where(
            or_(
                NotificationOutbox.young_person_id == yp,
                NotificationOutbox.user_id.in_(account_ids),
            )
        )
        .order_by(NotificationOutbox.created_at),
    )

    s["residence"] = await _all(
        session,
        select(Residence).where(Residence.young_person_id == yp).order_by(Residence.since_on),
    )
    concerns = await _all(
        session,
        select(AccommodationConcern)
        .where(AccommodationConcern.young_person_id == yp)
        .order_by(AccommodationConcern.created_at),
    )
    s["accommodation_concern"] = concerns
    s["concern_action"] = await _all(
        session,
        select(ConcernAction)
        .where(ConcernAction.concern_id.in_([cast(AccommodationConcern, c).id for c in concerns]))
        .order_by(ConcernAction.created_at),
    )
    s["satisfaction_response"] = await _all(
        session,
        select(SatisfactionResponse)
        .where(SatisfactionResponse.young_person_id == yp)
        .order_by(SatisfactionResponse.created_at),
    )

    # What was done to their record, and what they did themselves (signing in, for example).
    events = select(AuditEvent).where(
        or_(AuditEvent.young_person_id == yp, AuditEvent.actor_id.in_(account_ids))
    )
    if own:
        events = events.where(AuditEvent.action.not_in(audit.STAFF_ONLY_ACTIONS))
    s["audit_event"] = await _all(session, events.order_by(AuditEvent.id))
    s["plan_pdf"] = []
    return Gathered(sections=s, versions=versions)
