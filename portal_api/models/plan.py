"""Pathway plans. A plan is the series of a young person's versions; an agreed version is never
changed (a review makes the next version), and every response and receipt is kept."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal_api.db.base import Base, CreatedMixin, IdMixin


class PlanState(StrEnum):
    draft = "draft"  # staff only
    awaiting_response = "awaiting_response"  # shared with the young person
    awaiting_approval = "awaiting_approval"  # agreed by the young person; a manager signs off
    agreed = "agreed"  # immutable


# The versions a young person sees of their plan, in the app and in their own copy of their
# record: every one shared with them. A draft is staff's work in progress.
PLAN_STATES_YOUNG_PERSON_SEES = (
    PlanState.awaiting_response,
    PlanState.awaiting_approval,
    PlanState.agreed,
)


class PlanSource(StrEnum):
    portal = "portal"
    imported = "imported"  # from the case-management system: dates only, no sections


class ActionOwner(StrEnum):
    young_person = "young_person"
    personal_adviser = "personal_adviser"
    other = "other"  # a named person or agency


class ActionStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class PlanResponseKind(StrEnum):
    agree = "agree"
    disagree = "disagree"
    comment = "comment"


class ReceiptHow(StrEnum):
    opened_in_app = "opened_in_app"
    downloaded = "downloaded"
    given_in_person = "given_in_person"
    posted = "posted"
    emailed = "emailed"
    sent_to_prison = "sent_to_prison"
    imported = "imported"


class PlanVersion(IdMixin, CreatedMixin, Base):
    __tablename__ = "plan_version"
    __table_args__ = (
        UniqueConstraint(
            "young_person_id", "number", name="uq_plan_version_young_person_id_number"
        ),
        Index("ix_plan_version_young_person_id_state", "young_person_id", "state"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    number: Mapped[int]
    state: Mapped[PlanState] = mapped_column(Enum(PlanState, native_enum=False, length=20))
    source: Mapped[PlanSource] = mapped_column(
        Enum(PlanSource, native_enum=False, length=20), default=PlanSource.portal
    )
    based_on_number: Mapped[int | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    agreed_on: Mapped[date | None]
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    # Set by the PA when the next review must come sooner than six months after agreement.
    review_by: Mapped[date | None]
    # Bumped on every edit: the ETag that stops two staff overwriting each other's draft. The
    # mapper also checks it in every UPDATE, so two edits racing on the same ETag cannot both win.
    edit_count: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": edit_count, "version_id_generator": False}

    sections: Mapped[list[PlanSection]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PlanSection.position"
    )
    actions: Mapped[list[PlanAction]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PlanAction.position"
    )


class PlanSection(IdMixin, Base):
    __tablename__ = "plan_section"
    __table_args__ = (
        UniqueConstraint("version_id", "code", name="uq_plan_section_version_id_code"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    needs: Mapped[str] = mapped_column(Text, default="")
    young_person_views: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    # Accommodation only: Schedule 2 considerations, {consideration: {"suitable": bool|None, "note": str}}.
    suitability: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class PlanAction(IdMixin, Base):
    __tablename__ = "plan_action"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plan_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    section_code: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    need: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[ActionOwner | None] = mapped_column(
        Enum(ActionOwner, native_enum=False, length=20)
    )
    owner_name: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        Enum(ActionStatus, native_enum=False, length=20), default=ActionStatus.not_started
    )
    dropped_reason: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None]


class PlanResponse(IdMixin, CreatedMixin, Base):
    """The young person's agree / disagree / comment, on the whole version or one section."""

    __tablename__ = "plan_response"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plan_version.id", ondelete="CASCADE"), index=True
    )
    section_code: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[PlanResponseKind] = mapped_column(
        Enum(PlanResponseKind, native_enum=False, length=20)
    )
    comment: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))


class PlanReceipt(IdMixin, CreatedMixin, Base):
    """The young person has this version: opened or downloaded in the app, or given by staff."""

    __tablename__ = "plan_receipt"
    __table_args__ = (Index("ix_plan_receipt_version_id_received_on", "version_id", "received_on"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"))
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    how: Mapped[ReceiptHow] = mapped_column(Enum(ReceiptHow, native_enum=False, length=20))
    received_on: Mapped[date]
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


class PlanReviewRequest(IdMixin, CreatedMixin, Base):
    """Either side asked for a review. It is met when a version is agreed on or after it."""

    __tablename__ = "plan_review_request"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    requested_by_role: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date]
    due_on: Mapped[date]
    met_by_version_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plan_version.id"))


class PlanPdf(CreatedMixin, Base):
    """A rendered PDF of an agreed version. The version never changes, but the PDF also prints
    things that do (the PA's name and phone, the council's phones, the young person's name):
    ``printed_digest`` says what it printed, and a PDF whose digest no longer matches is rendered
    again, so nobody is told to ring their old PA."""

    __tablename__ = "plan_pdf"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plan_version.id", ondelete="CASCADE"), primary_key=True
    )
    printed_digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the PDF's context
    content: Mapped[bytes] = mapped_column(LargeBinary)
