"""The documents a young person should have by 18: each council's catalogue of document types,
one checklist item per young person and type, and the dated history of every change."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal_api.db.base import Base, CreatedMixin, IdMixin


class DocumentState(StrEnum):
    not_started = "not_started"
    requested = "requested"
    in_progress = "in_progress"
    with_young_person = "with_young_person"  # done
    not_applicable = "not_applicable"  # with a reason


class OriginalLocation(StrEnum):
    with_young_person = "with_young_person"
    held_by_council = "held_by_council"
    lost_being_replaced = "lost_being_replaced"


class DocumentEventKind(StrEnum):
    state_change = "state_change"  # staff, or an import from the case-management system
    young_person_has_it = "young_person_has_it"  # the young person says so; a PA confirms
    young_person_needs_help = "young_person_needs_help"


class DocumentType(IdMixin, CreatedMixin, Base):
    __tablename__ = "document_type"
    __table_args__ = (UniqueConstraint("org_id", "key", name="uq_document_type_org_id_key"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))
    why_it_matters: Mapped[str] = mapped_column(Text)
    how_to_get_it: Mapped[str] = mapped_column(Text)
    local_offer_slug: Mapped[str | None] = mapped_column(String(100))
    # Ages in whole months: when to start (15y9m = 189 for an NI number) and when it is due.
    start_at_months: Mapped[int | None]
    due_at_months: Mapped[int] = mapped_column(default=216)
    # Who it applies to, in the local offer's condition grammar (e.g. ["uasc"]); empty: everyone.
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    retired_on: Mapped[date | None]
    updated_at: Mapped[datetime | None]


class DocumentItem(IdMixin, CreatedMixin, Base):
    """A young person's item for one type, made on its first change (until then: not started)."""

    __tablename__ = "document_item"
    __table_args__ = (
        UniqueConstraint(
            "young_person_id", "type_id", name="uq_document_item_young_person_id_type_id"
        ),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document_type.id"))
    state: Mapped[DocumentState] = mapped_column(Enum(DocumentState, native_enum=False, length=30))
    state_on: Mapped[date]
    not_applicable_reason: Mapped[str | None] = mapped_column(Text)
    original_location: Mapped[OriginalLocation | None] = mapped_column(
        Enum(OriginalLocation, native_enum=False, length=30)
    )
    # Bumped on every change: the ETag that stops two staff overwriting each other.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class DocumentEvent(IdMixin, CreatedMixin, Base):
    """One dated step in an item's history: who, when, what, and a note."""

    __tablename__ = "document_event"
    __table_args__ = (Index("ix_document_event_item_id_on", "item_id", "event_on"),)

    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document_item.id", ondelete="CASCADE"))
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentEventKind] = mapped_column(
        Enum(DocumentEventKind, native_enum=False, length=30)
    )
    state: Mapped[DocumentState | None] = mapped_column(
        Enum(DocumentState, native_enum=False, length=30)
    )
    event_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    source: Mapped[str] = mapped_column(String(20), default="portal")
