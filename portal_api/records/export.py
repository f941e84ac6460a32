"""Subject access export: everything the portal holds about one young person, as one zip.

The zip holds ``README.txt`` (what is in it, in plain words), ``record.json`` (one key per table
that refers to the young person, named in :data:`EXPORT_KEYS`; a test fails when a new table
refers to a young person and is missing here) and ``plans/version-N.pdf`` for each agreed
pathway plan written in the portal.

Two copies, by who asks:

- **staff** (the young person's own PA, or a manager over their team) get the full record, for the
  council's subject access officer to review before it is given to anyone: it holds what the app
  keeps from the young person and information about other people.
- **the young person** gets their own copy at once, with no one in between. Nobody reviews it, so
  it leaves out exactly what the app keeps from them by design, and says so in ``README.txt``:
  safeguarding flags; the text of messages staff hid, and why and by whom (each hidden message
  stays in the list, marked hidden, so nothing silently disappears); plan drafts not yet shared;
  the PA's private contact notes; the audit trail's detail and IP addresses; delivery errors and
  payloads of notifications; and other people's account ids (names are kept). Hidden messages
  are hidden for a reason (another young person's address, for example), and UK GDPR Art. 15(4)
  and DPA 2018 Sch. 2 para 16 and Sch. 3 Part 3 leave disclosing those to a person's judgement.
  The full copy is one subject access request to the council away.

Read-only apart from its own audit event: exporting does not count as receiving a plan.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.common.actor import Actor
from portal_api.common.pdf import PdfRenderer
from portal_api.common.time import today
from portal_api.db.base import Base, utcnow
from portal_api.models import (
    DocumentType,
    Message,
    NotificationOutbox,
    Organisation,
    PlanState,
    Role,
    Scheme,
    Team,
    User,
    YoungPerson,
)
from portal_api.plans import pdf_service
from portal_api.records.export_tables import EXPORT_KEYS, STAFF_ONLY_KEYS, Audience, gather

# Never exported to anyone: secrets that say nothing about the young person.
SECRET_COLUMNS: dict[str, frozenset[str]] = {
    "user": frozenset({"hashed_password"}),
    "invite": frozenset({"token_hash"}),
}
# Left out of the young person's own copy, as the app leaves them out of what they see.
STAFF_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    "message": frozenset({"hidden_at", "hidden_by_id", "hidden_reason"}),
    "contact": frozenset({"note"}),
    "audit_event": frozenset({"detail", "ip"}),
    "notification_outbox": frozenset({"payload", "last_error"}),
}
# Audit actions whose mere existence is staff-only (a safeguarding flag was raised).
STAFF_ONLY_ACTIONS = audit.STAFF_ONLY_ACTIONS
# Notification payload keys that may carry a credential (an invite link's token).
_SECRET_KEY = re.compile(r"token|secret|password|auth", re.IGNORECASE)
# What a reference column is shown as, beside (staff) or instead of (young person, for accounts)
# the id it holds: ``recorded_by_id`` -> ``recorded_by: "Priya Shah"``.
_LABELS: dict[str, tuple[Any, Any]] = {
    "user": (User.id, User.display_name),
    "team": (Team.id, Team.name),
    "scheme": (Scheme.id, Scheme.name),
    "document_type": (DocumentType.id, DocumentType.name),
}
_PLAN_PARTS = frozenset({"plan_section", "plan_action", "plan_response", "plan_receipt"})

WITHHELD_FROM_YOUNG_PERSON = (
    "safeguarding flags staff have raised",
    "the words of any message staff hid from you, and why and by whom it was hidden "
    "(the message is still listed, marked hidden)",
    "pathway plan drafts not yet shared with you",
    "your personal adviser's notes of contacts with you (the dates and kinds are here)",
    "the technical detail and IP addresses in the record of who looked at your record",
    "the technical detail of notifications sent to you",
)


@dataclass(frozen=True, slots=True)
class SubjectAccessExport:
    filename: str
    content: bytes
    audience: Audience


async def subject_access_export(
    session: AsyncSession, renderer: PdfRenderer, actor: Actor, person: YoungPerson
) -> SubjectAccessExport:
    """The zip for this actor: the young person's own copy, or the full copy for staff.
    The caller has already checked the actor may have it (see records.router)."""
    audience = Audience.young_person if actor.role is Role.young_person else Audience.staff
    gathered = await gather(session, person, audience)
    labels = await _labels(session, gathered.sections.values())
    writer = _Writer(audience, labels)
    record: dict[str, Any] = {
        "exported_at": utcnow(),
        "copy": audience.value,
        "withheld": list(WITHHELD_FROM_YOUNG_PERSON) if audience is Audience.young_person else [],
    }
    numbers = {v.id: v.number for v in gathered.versions}
    for table, key in EXPORT_KEYS.items():
        if key in STAFF_ONLY_KEYS and audience is Audience.young_person:
            continue
        if table == "plan_pdf":
            continue  # filled in below, as the files are made
        rows = [writer.row(obj, numbers) for obj in gathered.sections[table]]
        record[key] = rows[0] if table == "young_person" else rows

    files: dict[str, bytes] = {}
    record["plan_pdfs"] = []
    for version in gathered.versions:
        # Imported versions are dates copied from the case-management system, with no content: a
        # PDF of them would be an empty plan. The plan itself is in that system's record.
        if version.state is not PlanState.agreed or not version.sections:
            continue
        name = f"plans/version-{version.number}.pdf"
        files[name] = await pdf_service.plan_pdf(session, renderer, person, version)
        record["plan_pdfs"].append({"version_number": version.number, "file": name})

    org = await session.get(Organisation, person.org_id)
    readme = _readme(org.name if org else "the council", audience)
    content = await asyncio.to_thread(_zip, readme, record, files)
    audit.record(
        session,
        actor,
        "subject_access.export",
        young_person_id=person.id,
        copy=audience.value,
        plan_pdfs=len(files),
    )
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "-", person.external_id)
    return SubjectAccessExport(f"record-{safe_id}-{today()}.zip", content, audience)


@cache
def _references(table: Table) -> tuple[tuple[str, str], ...]:
    """(column, referred table) for each column that refers to something with a label."""
    return tuple(
        (column.name, fk.column.table.name)
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name in _LABELS
    )


def _table(obj: Base) -> Table:
    return cast(Table, inspect(type(obj)).local_table)


async def _labels(
    session: AsyncSession, sections: Iterable[Sequence[Base]]
) -> dict[str, dict[uuid.UUID, str]]:
    wanted: dict[str, set[uuid.UUID]] = {name: set() for name in _LABELS}
    for rows in sections:
        for obj in rows:
            for column, referred in _references(_table(obj)):
                value = getattr(obj, column)
                if value is not None:
                    wanted[referred].add(value)
    labels: dict[str, dict[uuid.UUID, str]] = {}
    for name, ids in wanted.items():
        key, label = _LABELS[name]
        found = (await session.execute(select(key, label).where(key.in_(ids)))).all() if ids else []
        labels[name] = {row[0]: row[1] for row in found}
    return labels


class _Writer:
    def __init__(self, audience: Audience, labels: dict[str, dict[uuid.UUID, str]]) -> None:
        self.audience = audience
        self.labels = labels

    def row(self, obj: Base, version_numbers: dict[uuid.UUID, int]) -> dict[str, Any]:
        table = _table(obj)
        own = self.audience is Audience.young_person
        left_out = SECRET_COLUMNS.get(table.name, frozenset())
        if own:
            left_out |= STAFF_ONLY_COLUMNS.get(table.name, frozenset())
        references = dict(_references(table))
        mapper = inspect(type(obj))
        out: dict[str, Any] = {}
        for attribute in mapper.column_attrs:
            name = attribute.columns[0].name
            if name in left_out:
                continue
            value = getattr(obj, attribute.key)
            referred = references.get(name)
            if referred is None:
                out[name] = value
                continue
            # Other people's account ids stay out of the young person's copy; names are enough.
            if not (own and referred == "user"):
                out[name] = value
            out[name.removesuffix("_id")] = self.labels[referred].get(value) if value else None
        if table.name in _PLAN_PARTS:
            out["version_number"] = version_numbers.get(out["version_id"])
        if isinstance(obj, Message):
            return self._message(obj, out)
        if isinstance(obj, NotificationOutbox) and "payload" in out:
            out["payload"] = {k: v for k, v in obj.payload.items() if not _SECRET_KEY.search(k)}
        return out

    def _message(self, message: Message, out: dict[str, Any]) -> dict[str, Any]:
        if self.audience is Audience.staff:
            return out
        if message.hidden_at is None:
            return {**out, "hidden": False}
        # Kept in the list so nothing silently disappears, without the words staff hid (or a
        # hash of them: a short message can be guessed back from its hash).
        kept = ("id", "created_at", "kind", "sender_role", "sender")
        return {**{k: out[k] for k in kept if k in out}, "hidden": True, "body": None}


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)  # a Decimal as text keeps every penny exact
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot export a {type(value).__name__}")


def _readme(org_name: str, audience: Audience) -> str:
    about = "you" if audience is Audience.young_person else "this young person"
    lines = [
        f"Everything {org_name}'s care leaver portal holds about {about},",
        f"as it was on {today():%d %B %Y}.",
        "",
        "record.json  the record, in sections: care periods, plans and their actions,",
        "             checklist, local offer, messages, where you live, notifications,",
        "             and who looked at or changed the record, and when.",
        "plans/       a PDF of each agreed pathway plan written in the portal.",
        "",
    ]
    if audience is Audience.young_person:
        lines += [
            "This is your own copy. Some things are left out of it, as they are left out",
            "of the app:",
            *(f"  - {item}" for item in WITHHELD_FROM_YOUNG_PERSON),
            "",
            "You have the right to ask for everything the council holds about you (a",
            "'subject access request'). Ask your personal adviser, or write to the council;",
            "they must answer within one month.",
        ]
    else:
        lines += [
            "This is the full copy, for the council's subject access officer. Review it",
            "before giving it to anyone: it holds what the app keeps from the young person",
            "(safeguarding flags, hidden messages and why they were hidden, plan drafts,",
            "contact notes, the audit trail's detail) and information about other people.",
        ]
    return "\n".join(lines) + "\n"


def _zip(readme: str, record: dict[str, Any], files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        archive.writestr(
            "record.json",
            json.dumps(record, default=_json_default, ensure_ascii=False, indent=2),
        )
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


__all__ = [
    "EXPORT_KEYS",
    "SECRET_COLUMNS",
    "STAFF_ONLY_ACTIONS",
    "STAFF_ONLY_COLUMNS",
    "STAFF_ONLY_KEYS",
    "WITHHELD_FROM_YOUNG_PERSON",
    "Audience",
    "SubjectAccessExport",
    "subject_access_export",
]
