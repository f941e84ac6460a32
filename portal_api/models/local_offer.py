"""What young people did with the local offer: pages seen, responses to each revision, and the
entitlements they applied for and received. All append-only history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal_api.db.base import Base, CreatedMixin, IdMixin, utcnow


class PageResponse(StrEnum):
    understood = "understood"
    want_to_talk = "want_to_talk"
    not_for_me = "not_for_me"


class EntitlementStatus(StrEnum):
    not_started = "not_started"
    applied = "applied"
    received = "received"
    declined = "declined"
    not_eligible = "not_eligible"


class LocalOfferView(Base):
    """The first and latest time a young person opened a page at a revision."""

    __tablename__ = "local_offer_view"

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(100), primary_key=True)
    revision: Mapped[int] = mapped_column(primary_key=True)
    lang: Mapped[str] = mapped_column(String(12))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class LocalOfferResponse(IdMixin, CreatedMixin, Base):
    """ "I understand", "I want to talk about this", "not for me", to one revision of one page."""

    __tablename__ = "local_offer_response"
    __table_args__ = (
        Index("ix_local_offer_response_young_person_id_slug", "young_person_id", "slug"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    slug: Mapped[str] = mapped_column(String(100))
    revision: Mapped[int]
    response: Mapped[PageResponse] = mapped_column(Enum(PageResponse, native_enum=False, length=20))
    applied_to_them: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(Text)


class EntitlementRecord(IdMixin, CreatedMixin, Base):
    """One dated step in a young person's claim to a claimable entitlement, kept by their PA.
    The latest row is the current status; ``amount_gbp`` on ``received`` rows is what was paid."""

    __tablename__ = "entitlement_record"
    __table_args__ = (
        Index("ix_entitlement_record_young_person_id_slug", "young_person_id", "slug", "status_on"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    slug: Mapped[str] = mapped_column(String(100))
    status: Mapped[EntitlementStatus] = mapped_column(
        Enum(EntitlementStatus, native_enum=False, length=20)
    )
    status_on: Mapped[date]
    amount_gbp: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
