"""The conversation between a young person and the staff who work with them. Messages are part
of the case record: never updated in substance, never deleted. Staff may hide one from the young
person's view (with a reason, audited) and flag one for safeguarding (staff only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal_api.db.base import Base, CreatedMixin, IdMixin, utcnow


class MessageKind(StrEnum):
    text = "text"
    check_in = "check_in"  # a one-tap "how I'm doing"
    system = "system"  # "Amira wants to talk about: Setting up home allowance"


class Mood(StrEnum):
    good = "good"
    some_help = "some_help"  # could use some help
    need_help_now = "need_help_now"


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (
        # A retry with the same key from the same sender is the same message.
        UniqueConstraint(
            "sender_id", "idempotency_key", name="uq_message_sender_id_idempotency_key"
        ),
        Index("ix_message_young_person_id_id", "young_person_id", "id"),
    )

    # An integer key orders the conversation and makes cursors simple (?after=<id>).
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    young_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("young_person.id"))
    sender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    sender_role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[MessageKind] = mapped_column(Enum(MessageKind, native_enum=False, length=20))
    body: Mapped[str] = mapped_column(Text)
    mood: Mapped[Mood | None] = mapped_column(Enum(Mood, native_enum=False, length=20))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Sent outside office hours, or while the PA was away: it went to the team's duty queue.
    to_duty_queue: Mapped[bool] = mapped_column(default=False)
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)


class ReadMark(Base):
    """How far each participant has read a conversation."""

    __tablename__ = "read_mark"

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), primary_key=True)
    last_read_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageNotice(Base):
    """The last "new message" notice each participant was sent about a conversation. Another is
    sent only once they have read up to ``message_id`` or the quiet interval since ``noticed_at``
    has passed (``notifications.coalesce``): forty messages in a minute are one email, not forty.
    One row per conversation and recipient, so two sends at once decide on one row."""

    __tablename__ = "message_notice"

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), primary_key=True)
    # The message the notice was about: reading up to it (read_mark) ends the wait.
    message_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    noticed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SafeguardingFlag(IdMixin, CreatedMixin, Base):
    """Staff only: never shown to the young person. Managers see every flag in their scope."""

    __tablename__ = "safeguarding_flag"

    message_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("message.id"), index=True
    )
    young_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("young_person.id"), index=True)
    flagged_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text)


class OutboxStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"  # after the last try: visible to staff


class NotificationOutbox(IdMixin, CreatedMixin, Base):
    """A notification to send after the transaction that caused it commits. Never message text:
    a phone's lock screen is not private."""

    __tablename__ = "notification_outbox"
    __table_args__ = (
        Index("ix_notification_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    # Null for a notice to an address rather than an account (an invite: no account yet); the
    # address is then ``payload["to"]``.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"), index=True)
    young_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("young_person.id"))
    channel: Mapped[str] = mapped_column(String(10))  # sms, email, push
    template: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=10), default=OutboxStatus.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]


class PushSubscription(IdMixin, CreatedMixin, Base):
    """A browser that asked to be told of new messages. It belongs to the session that made it:
    when that session ends (signed out, here or everywhere, or timed out and cleared) the phone
    is no longer told anything, since whoever holds it may no longer be the young person."""

    __tablename__ = "push_subscription"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    # Null only for a subscription made before subscriptions were tied to sessions.
    access_token_hash: Mapped[str | None] = mapped_column(
        ForeignKey("access_token.token_hash", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))


class Availability(Base):
    """A member of staff away (leave, sickness) until a time, with a colleague covering."""

    __tablename__ = "availability"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"), primary_key=True)
    away_until: Mapped[datetime | None]
    cover_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckInRhythm(Base):
    """How often a PA asks a young person for a check-in (the app prompts when one is due)."""

    __tablename__ = "check_in_rhythm"

    young_person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("young_person.id", ondelete="CASCADE"), primary_key=True
    )
    every_days: Mapped[int]
    set_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
