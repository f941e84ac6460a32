"""One "new message" notice per conversation and recipient until it is read or a quiet interval
passes: a young person's forty messages in a minute are one email to their PA, and a PA's five
quick replies are one SMS (each costs the council money and each buzzes a phone).

The rule, per recipient and conversation (one ``message_notice`` row):
- no notice yet: notify;
- the recipient has read up to the message of the last notice (``read_mark``): notify;
- the quiet interval (``Settings.message_notice_quiet_minutes``) has passed since the last
  notice: notify, so a conversation left unread is still brought up again now and then;
- otherwise the message waits in the conversation; nothing is queued for it.
Something urgent ("need help now") always notifies, and restarts the wait like any notice.

Two sends at once must not both notify nor both stay silent, on SQLite and PostgreSQL alike:
the decision is one atomic upsert on the row, ``INSERT ... ON CONFLICT DO UPDATE ... WHERE
<due> RETURNING``. A row comes back only when this send inserted it or the WHERE let it
replace the last notice. On PostgreSQL the second of two racing upserts waits for the first's
row lock and then evaluates the WHERE against the row the first wrote (so it sees a fresh notice
and stays silent); SQLite has one writer at a time.

That upsert locks the row whenever it conflicts, its WHERE true or not, until the send commits: in
a conversation with messages coming fast, every send waited for the one before it to commit (a
young person's sends under wrk spent 50 ms of their 80 there; bench/README.md, "One notice row").
So a send first asks, without a lock, whether a notice is due at all. Most are not, and they touch
the row no further. One that is goes on to the upsert, which decides again under the lock, so two
sends at once still make one notice. Another send's claim, held uncommitted under the lock, only
makes the row less due, so reading past it changes no answer. A read mark the recipient commits
between this read and the send's commit is not seen, as one committed after the upsert's own read
was not before: that window now opens one round trip earlier (a notice missed so waits for the
next message; none of it is lost from the conversation).

Live events to an open app (``/events``) are not held back: each is one publish to the broker
and no message leaves the building, and the open app needs the message itself to show it. Web
push is a notification like SMS and email and follows this rule.
"""

from __future__ import annotations

import functools
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.db.base import utcnow
from portal_api.db.session import dialect_insert
from portal_api.models import MessageNotice, ReadMark


async def claim_notice(
    session: AsyncSession,
    *,
    young_person_id: uuid.UUID,
    user_id: uuid.UUID,
    message_id: int,
    quiet: timedelta,
    urgent: bool,
) -> bool:
    """True if this message should notify ``user_id`` (and it is now the last notice)."""
    now = utcnow()
    # A quiet interval of 0 turns coalescing off: every message notifies. Not left to the
    # WHERE, whose "now" is taken before a racing send's row lock is waited for.
    always = urgent or not quiet
    statement = _claim(session.get_bind().dialect.name, always=always)
    params = {
        "young_person_id": young_person_id,
        "user_id": user_id,
        "message_id": message_id,
        "now": now,
    }
    if not always:
        params["quiet_since"] = now - quiet
        if not (await session.execute(_due(), params)).scalar():
            return False
    return (await session.execute(statement, params)).first() is not None


def _due_for_the_last_notice() -> Any:
    """Whether the recipient's last notice in this conversation is behind them: they have read
    up to its message, or it is older than the quiet interval. Read in the statements below
    against the existing ``message_notice`` row."""
    notice = MessageNotice.__table__.c
    last_read = (
        select(ReadMark.last_read_id)
        .where(
            ReadMark.young_person_id
            == bindparam("young_person_id", type_=notice.young_person_id.type),
            ReadMark.user_id == bindparam("user_id", type_=notice.user_id.type),
        )
        .scalar_subquery()
    )
    return (notice.message_id <= func.coalesce(last_read, literal_column("0"))) | (
        notice.noticed_at <= bindparam("quiet_since", type_=notice.noticed_at.type)
    )


@functools.cache
def _due() -> Any:
    """True when a notice is due: there is none yet, or the last one is behind the recipient. A
    plain read, no lock taken (the module's docstring says why)."""
    notice = MessageNotice.__table__.c
    not_due: Any = (
        select(literal_column("1"))
        .select_from(MessageNotice.__table__)
        .where(
            notice.young_person_id
            == bindparam("young_person_id", type_=notice.young_person_id.type),
            notice.user_id == bindparam("user_id", type_=notice.user_id.type),
            ~_due_for_the_last_notice(),
        )
    )
    return select(~not_due.exists())


@functools.cache
def _claim(dialect: str, *, always: bool) -> Any:
    """The upsert, built once per dialect and kind, every value a bound parameter. The
    recipient's read mark is read inside it (a correlated subquery in the conflict's WHERE), not
    in a query of its own: one round trip, and it sees a read committed up to the row lock."""
    notice = MessageNotice.__table__.c
    message_id = bindparam("message_id", type_=notice.message_id.type)
    now = bindparam("now", type_=notice.noticed_at.type)
    young_person_id = bindparam("young_person_id", type_=notice.young_person_id.type)
    user_id = bindparam("user_id", type_=notice.user_id.type)
    statement = dialect_insert(dialect, MessageNotice.__table__).values(
        young_person_id=young_person_id, user_id=user_id, message_id=message_id, noticed_at=now
    )
    # The conflicting row is this recipient's in this conversation: the same two ids.
    due = _due_for_the_last_notice()
    return statement.on_conflict_do_update(
        index_elements=[notice.young_person_id, notice.user_id],
        set_={"message_id": message_id, "noticed_at": now},
        where=None if always else due,
    ).returning(notice.user_id)
