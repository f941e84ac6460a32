"""Things a young person asked for that their PA must act on ("I want to talk about this",
"I need help with this document"). Until messaging lands these are the PA's to-do list."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal_api.db.base import Base, CreatedMixin, IdMixin


class FollowUpKind(StrEnum):
    local_offer_talk = "local_offer_talk"
    document_help = "document_help"
    document_has_it = "document_has_it"


class FollowUp(IdMixin, CreatedMixin, Base):
    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_young_person_id_resolved_at", "young_person_id", "resolved_at"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE")
    )
    kind: Mapped[FollowUpKind] = mapped_column(Enum(FollowUpKind, native_enum=False, length=30))
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
