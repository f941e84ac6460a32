"""Where young people live: the council's register of providers, their schemes and the quality
visits made to them; each young person's dated accommodation history; the concerns young people
raise about where they live, with what staff did about them; and how satisfied they are.

History is kept, never rewritten: a move closes one residence and opens the next, and a concern
is closed with an outcome, never deleted."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from portal_api.db.base import Base, CreatedMixin, IdMixin


class Consideration(StrEnum):
    """What accommodation suitability considers (DOMAIN.md §2)."""

    facilities = "facilities"
    state_of_repair = "state_of_repair"
    safety = "safety"
    location = "location"
    support = "support"
    tenancy_status = "tenancy_status"
    affordability = "affordability"
    young_persons_views = "young_persons_views"


class ConcernCategory(StrEnum):
    safety = "safety"
    privacy = "privacy"
    repairs = "repairs"
    cleanliness = "cleanliness"
    support_staff = "support_staff"
    neighbours = "neighbours"
    cost = "cost"
    other = "other"


class ConcernUrgency(StrEnum):
    routine = "routine"
    soon = "soon"
    urgent = "urgent"


class ConcernStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    closed = "closed"


class Provider(IdMixin, CreatedMixin, Base):
    """An organisation that runs accommodation for the council's young people."""

    __tablename__ = "provider"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_provider_org_id_name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Under contract with the council (spot-purchased places are not).
    commissioned: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime | None]


class Scheme(IdMixin, CreatedMixin, Base):
    """One place a provider runs: a supported-housing block, a foyer, a lodgings scheme."""

    __tablename__ = "scheme"
    __table_args__ = (UniqueConstraint("provider_id", "name", name="uq_scheme_provider_id_name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    # SSDA903 accommodation type letter (DOMAIN.md §5), e.g. D semi-independent, T foyer.
    accommodation_type: Mapped[str] = mapped_column(String(1))
    commissioned: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime | None]


class QualityVisit(IdMixin, CreatedMixin, Base):
    """A dated visit to check a scheme's quality, by whom and what they found."""

    __tablename__ = "quality_visit"
    __table_args__ = (Index("ix_quality_visit_scheme_id_visited_on", "scheme_id", "visited_on"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    scheme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("scheme.id"))
    visited_on: Mapped[date]
    visitor_name: Mapped[str] = mapped_column(String(200))
    visitor_role: Mapped[str] = mapped_column(String(200))
    # A senior leader saw it for themselves: what managers are asked to do at least yearly.
    is_senior: Mapped[bool] = mapped_column(default=False)
    findings: Mapped[str] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


class Residence(IdMixin, CreatedMixin, Base):
    """Where a young person lived, from ``since_on`` up to, not including, ``until_on`` (the day
    they moved on). The one with no ``until_on`` is where they live now."""

    __tablename__ = "residence"
    __table_args__ = (
        Index("ix_residence_young_person_id_since_on", "young_person_id", "since_on"),
        # One current residence each: two moves recorded at once cannot both stay open.
        Index(
            "uq_residence_young_person_id_current",
            "young_person_id",
            unique=True,
            sqlite_where=sql("until_on IS NULL"),
            postgresql_where=sql("until_on IS NULL"),
        ),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    scheme_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scheme.id"), index=True)
    # A private address (a tenancy, family, former foster carers) when not in a scheme.
    address: Mapped[str | None] = mapped_column(Text)
    # SSDA903 ACCOM: type letter and suitability digit (1 suitable, 2 unsuitable), e.g. "D1".
    code: Mapped[str] = mapped_column(String(2))
    suitable: Mapped[bool]
    since_on: Mapped[date]
    until_on: Mapped[date | None]
    # Why it is (or is not) suitable, per consideration: {"safety": "...", ...}.
    reasons: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


class AccommodationConcern(IdMixin, CreatedMixin, Base):
    """Something a young person told us about where they live, and what came of it."""

    __tablename__ = "accommodation_concern"
    __table_args__ = (
        Index(
            "ix_accommodation_concern_young_person_id_created_at", "young_person_id", "created_at"
        ),
        Index("ix_accommodation_concern_scheme_id_status", "scheme_id", "status"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    # Where they lived when they raised it (none: a private address, or nowhere recorded).
    scheme_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scheme.id"))
    category: Mapped[ConcernCategory] = mapped_column(
        Enum(ConcernCategory, native_enum=False, length=20)
    )
    urgency: Mapped[ConcernUrgency] = mapped_column(
        Enum(ConcernUrgency, native_enum=False, length=20)
    )
    text: Mapped[str] = mapped_column(Text)
    # The provider's copy leaves out their name; their PA and managers always see it.
    anonymous_to_provider: Mapped[bool] = mapped_column(default=True)
    status: Mapped[ConcernStatus] = mapped_column(
        Enum(ConcernStatus, native_enum=False, length=20), default=ConcernStatus.open
    )
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    # Bumped on every change: two staff closing it at once cannot both succeed.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ConcernAction(IdMixin, CreatedMixin, Base):
    """One thing staff did about a concern, dated and signed (``created_at`` is when)."""

    __tablename__ = "concern_action"

    concern_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accommodation_concern.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(Text)
    by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


class SatisfactionResponse(IdMixin, CreatedMixin, Base):
    """A young person's answer to "how happy are you with where you live?" (1 to 5)."""

    __tablename__ = "satisfaction_response"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),
        Index(
            "ix_satisfaction_response_young_person_id_created_at", "young_person_id", "created_at"
        ),
        Index("ix_satisfaction_response_scheme_id_created_at", "scheme_id", "created_at"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    # The scheme they lived in when they answered (none: not in a scheme).
    scheme_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("scheme.id"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
