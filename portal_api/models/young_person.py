"""A young person's record and its dated history. Every figure is replayed as of a date, so
allocations, care periods, observations and contacts are rows with dates, never overwritten."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal_api.db.base import Base, CreatedMixin, IdMixin


# A care leaver's status (DOMAIN.md section 1), as people.legal_status computes it.
class LegalStatus(StrEnum):
    eligible = "eligible"
    relevant = "relevant"
    former_relevant = "former_relevant"
    qualifying = "qualifying"


class Gender(StrEnum):
    male = "male"
    female = "female"
    not_stated = "not_stated"
    neither = "neither"


class ContactKind(StrEnum):
    visit = "visit"
    phone = "phone"
    video = "video"
    message = "message"
    office = "office"
    check_in = "check_in"
    other = "other"


class YoungPerson(IdMixin, CreatedMixin, Base):
    __tablename__ = "young_person"
    __table_args__ = (
        UniqueConstraint("org_id", "external_id", name="uq_young_person_org_id_external_id"),
        Index("ix_young_person_org_id_family_name", "org_id", "family_name"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The id in the council's case-management system (Liquidlogic, Mosaic, Eclipse).
    external_id: Mapped[str] = mapped_column(String(64))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    gender: Mapped[Gender] = mapped_column(Enum(Gender, native_enum=False, length=20))
    ethnicity: Mapped[str | None] = mapped_column(String(10))
    uasc: Mapped[bool] = mapped_column(default=False)
    disabled: Mapped[bool | None] = mapped_column(default=False)
    is_parent: Mapped[bool] = mapped_column(default=False)
    # Current team and PA, kept in step with the latest open Allocation (scope checks read these).
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id"), index=True)
    personal_adviser_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)
    status_override: Mapped[LegalStatus | None] = mapped_column(
        Enum(LegalStatus, native_enum=False, length=20)
    )
    status_override_reason: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None]
    preferred_language: Mapped[str] = mapped_column(String(12), default="en")
    # How the young person chose to be told of news, in order of preference ("push", "sms",
    # "email"); an empty list is "don't tell me". Null: not chosen yet (push if this phone has
    # it, otherwise SMS).
    notify_by: Mapped[list[str] | None] = mapped_column(JSON)
    mobile: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    updated_at: Mapped[datetime | None]
    # Bumped on every change; the ETag that stops two staff overwriting each other.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    care_periods: Mapped[list[CarePeriod]] = relationship(
        lazy="raise", order_by="CarePeriod.start_on", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"


class CarePeriod(IdMixin, Base):
    """A period looked after: from ``start_on`` up to, not including, ``end_on`` (the day they left)."""

    __tablename__ = "care_period"

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    start_on: Mapped[date]
    end_on: Mapped[date | None]


class Allocation(IdMixin, CreatedMixin, Base):
    """Who held the case, from when to when. A change of team or PA closes one row and opens the next."""

    __tablename__ = "allocation"
    __table_args__ = (
        Index("ix_allocation_young_person_id_started_on", "young_person_id", "started_on"),
    )

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id"))
    adviser_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


class StatusObservation(IdMixin, CreatedMixin, Base):
    """In touch / activity / accommodation on a date, in SSDA903 codes (OC3 reads these)."""

    __tablename__ = "status_observation"
    __table_args__ = (
        Index(
            "ix_status_observation_young_person_id_recorded_on", "young_person_id", "recorded_on"
        ),
    )

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    recorded_on: Mapped[date]
    in_touch: Mapped[str] = mapped_column(String(4))
    activity: Mapped[str] = mapped_column(String(2))
    accommodation: Mapped[str] = mapped_column(String(2))
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))


class Contact(IdMixin, CreatedMixin, Base):
    """The PA's written record of a contact (a visit, a call, a message)."""

    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_young_person_id_contact_on", "young_person_id", "contact_on"),
    )

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    contact_on: Mapped[date]
    kind: Mapped[ContactKind] = mapped_column(Enum(ContactKind, native_enum=False, length=20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
