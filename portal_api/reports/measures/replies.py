"""messages_unanswered: young people's messages that waited more than one working day for a
member of staff to answer, and how long a first answer takes (docs/measures.md).

A message counts once its working day has run out by the end of the date, so a message sent an
hour ago is not yet late and not yet counted; a reply sent after the date does not count for it.
The working day is the council's office hours (``organisation.office_opens``/``office_closes``),
Monday to Friday except England and Wales bank holidays (``messaging.hours``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from portal_api.common.time import LONDON
from portal_api.messaging import hours
from portal_api.models import STAFF_ROLE_NAMES, Message, MessageKind, Mood, Organisation, Role
from portal_api.reports.measures.facts import Facts, MessageFacts
from portal_api.reports.measures.history import london_day_ends
from portal_api.reports.measures.outcome import Outcome, YoungPersonOnDate, day, days

PERIOD_DAYS = 28
# A check-in saying "all good" is not a question; one asking for help is.
ASKS_FOR_HELP = (Mood.some_help, Mood.need_help_now)


@dataclass(frozen=True, slots=True)
class OfficeDay:
    """One working day is the council's office day: 09:00 to 17:00 by default, 8 office hours."""

    opens: str
    closes: str

    @property
    def hours(self) -> float:
        return hours.working_day_hours(self.opens, self.closes)

    def answer_due(self, sent_at: datetime) -> datetime:
        return _answer_due(sent_at, self)

    def waited(self, sent_at: datetime, until: datetime) -> float:
        return _waited(sent_at, until, self)


# Remembered between requests, as the status timelines are (status.py): a figure asked for again
# after a write re-reads the same 28 days of messages, and each one's working day is a pure
# function of when it was sent and the office hours (a tenth of a miss at 50,000 young people
# without this; about 300 bytes an entry).
MESSAGE_MEMO = 100_000


@lru_cache(maxsize=MESSAGE_MEMO)
def _answer_due(sent_at: datetime, office: OfficeDay) -> datetime:
    return hours.after_working_hours(sent_at, office.hours, office.opens, office.closes)


@lru_cache(maxsize=MESSAGE_MEMO)
def _waited(sent_at: datetime, until: datetime, office: OfficeDay) -> float:
    return hours.working_hours_between(sent_at, until, office.opens, office.closes)


def period_starts(on: date) -> date:
    """The first day of "the 28 days up to" ``on``."""
    return on - timedelta(days=PERIOD_DAYS - 1)


async def office_day(conn: AsyncConnection, org_id: uuid.UUID) -> OfficeDay:
    row = (
        await conn.execute(
            select(Organisation.office_opens, Organisation.office_closes).where(
                Organisation.id == org_id
            )
        )
    ).one()
    return OfficeDay(row.office_opens, row.office_closes)


async def messages(
    conn: AsyncConnection, ids: Any, on: date, office: OfficeDay
) -> dict[uuid.UUID, list[MessageFacts]]:
    """Each young person's messages that needed an answer and whose working day ended by the end
    of ``on``, with the first staff reply sent by then (if any)."""
    ends = london_day_ends(on)
    first_day = datetime.combine(period_starts(on), datetime.min.time(), tzinfo=LONDON)
    reply = aliased(Message)
    first_reply = (
        select(func.min(reply.created_at))
        .where(
            reply.young_person_id == Message.young_person_id,
            reply.id > Message.id,
            reply.sender_role.in_(STAFF_ROLE_NAMES),
            reply.kind == MessageKind.text,
            reply.created_at < ends,
            # A reply hidden from the young person by then never reached them.
            or_(reply.hidden_at.is_(None), reply.hidden_at >= ends),
        )
        .scalar_subquery()
    )
    rows = await conn.execute(
        select(Message.young_person_id, Message.id, Message.created_at, first_reply)
        .where(
            Message.young_person_id.in_(ids),
            Message.sender_role == Role.young_person.value,
            or_(
                Message.kind == MessageKind.text,
                and_(Message.kind == MessageKind.check_in, Message.mood.in_(ASKS_FOR_HELP)),
            ),
            Message.created_at >= first_day,
            Message.created_at < ends,
        )
        .order_by(Message.young_person_id, Message.id)
    )
    found: dict[uuid.UUID, list[MessageFacts]] = defaultdict(list)
    for yp, message_id, sent_at, replied_at in rows.all():
        due = office.answer_due(sent_at)
        if due > ends:
            continue  # its working day is not over by the end of the date
        found[yp].append(
            MessageFacts(
                id=message_id,
                sent_at=sent_at,
                answer_due=due,
                replied_at=replied_at,
                reply_hours=office.waited(sent_at, replied_at) if replied_at else None,
            )
        )
    return found


def answered_in_time(message: MessageFacts) -> bool:
    return message.replied_at is not None and message.replied_at <= message.answer_due


def messages_unanswered(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Counts a problem: "met" means at least one of their messages waited more than a working
    day. The overview counts messages; the drill-down lists the young people who sent them."""
    if not seen.in_scope:
        return None
    sent = facts.messages.get(seen.person.id)
    if not sent:
        return None
    late = [m for m in sent if not answered_in_time(m)]
    if not late:
        return Outcome(
            False,
            lambda: (
                f"{_count(sent)} in the last {PERIOD_DAYS} days, each answered within a working day"
            ),
        )
    oldest = late[0]
    still_waiting = [m for m in late if m.replied_at is None]
    overdue = (facts.as_of - oldest.answer_due.astimezone(LONDON).date()).days

    def why() -> str:
        first = day(oldest.sent_at.astimezone(LONDON).date())
        findings = [f"{len(late)} of {_count(sent)} not answered within a working day"]
        if oldest.replied_at is None:
            findings.append(
                f"the oldest, sent {first}, is still waiting ({days(overdue)} past its day)"
            )
        else:
            findings.append(
                f"the oldest, sent {first}, was answered after {oldest.reply_hours:.1f} office hours"
            )
            if still_waiting:
                findings.append(f"{len(still_waiting)} still waiting")
        return "; ".join(findings)

    return Outcome(True, why, days_overdue=max(overdue, 0))


def _count(sent: list[MessageFacts]) -> str:
    return "1 message" if len(sent) == 1 else f"{len(sent)} messages"
