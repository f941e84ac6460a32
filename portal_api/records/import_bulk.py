"""Young people new to the portal, written in bulk: every row built in Python with its id assigned
up front, then one COPY per table on PostgreSQL (an ``executemany`` elsewhere), in the import's
own transaction, so a failure still writes nothing.

Row by row through the ORM the import spent nearly all its time waiting on about 25 round trips
per young person (a SELECT before each plan version, receipt and checklist item, a flush after
each): 5 young people a second on a busy machine (bench/README.md, "Import"). A new young person
has no stored history to compare with, so what ``importer._write`` would write for them is known
without asking the database; the rules here are the ones the row-by-row path follows, and
tests/records/test_import_bulk.py holds the two paths to the same rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.db.base import utcnow
from portal_api.models import (
    Allocation,
    CarePeriod,
    Contact,
    DocumentEvent,
    DocumentEventKind,
    DocumentItem,
    DocumentState,
    DocumentType,
    PlanReceipt,
    PlanSource,
    PlanState,
    PlanVersion,
    ReceiptHow,
    StatusObservation,
    YoungPerson,
)
from portal_api.records.import_lines import ImportFailed, ImportRecord

Row = dict[str, Any]
TABLES: tuple[Table, ...] = tuple(
    m.__table__  # type: ignore[misc]
    for m in (
        YoungPerson,
        CarePeriod,
        Allocation,
        StatusObservation,
        Contact,
        PlanVersion,
        PlanReceipt,
        DocumentItem,
        DocumentEvent,
    )
)


def check_documents(
    records: Iterable[ImportRecord], types: dict[str, DocumentType], line_of: dict[str, int]
) -> None:
    """The checks ``documents.service.import_document_history`` makes, for every line before
    anything is written (same order: each record's entries by date, same fields and messages)."""
    for record in records:
        for i, entry in sorted(enumerate(record.documents), key=lambda pair: pair[1].status_on):
            if entry.type not in types:
                raise ImportFailed(
                    line_of[record.external_id],
                    f"documents.{i}.type",
                    f"unknown document type {entry.type!r}; use one of {', '.join(sorted(types))}",
                )
            if entry.status_on < record.date_of_birth:
                raise ImportFailed(
                    line_of[record.external_id],
                    f"documents.{i}.status_on",
                    "is before the young person was born",
                )


class NewRows:
    """The rows of each table for a batch of new young people."""

    def __init__(
        self,
        org_id: uuid.UUID,
        teams: dict[str, uuid.UUID],
        advisers: dict[str, uuid.UUID],
        types: dict[str, DocumentType],
        on: date,
    ) -> None:
        self.org_id, self.teams, self.advisers, self.types, self.on = (
            org_id,
            teams,
            advisers,
            types,
            on,
        )
        self.now = utcnow()
        self.rows: dict[str, list[Row]] = {t.name: [] for t in TABLES}

    def _adviser(self, email: str | None) -> uuid.UUID | None:
        return self.advisers[email.lower()] if email else None

    def add(self, record: ImportRecord, fields: Sequence[str]) -> None:
        pid = uuid.uuid4()
        team_id, adviser_id = self.teams[record.team], self._adviser(record.personal_adviser_email)
        person: Row = {name: getattr(record, name) for name in fields}
        person.update(
            id=pid,
            org_id=self.org_id,
            external_id=record.external_id,
            team_id=team_id,
            personal_adviser_id=adviser_id,
            created_at=self.now,
        )
        self.rows["young_person"].append(person)
        self.rows["care_period"] += [
            {"id": uuid.uuid4(), "young_person_id": pid, "start_on": p.start, "end_on": p.end}
            for p in record.care_periods
        ]
        self._allocations(pid, record, team_id, adviser_id)
        # A second observation on the same date corrects the first (as on a re-import).
        observed = {o.recorded_on: o for o in record.observations}
        self.rows["status_observation"] += [
            {**self._row(pid), **o.model_dump(), "recorded_by_id": None} for o in observed.values()
        ]
        contacts = dict.fromkeys((c.on, c.kind) for c in record.contacts)
        self.rows["contact"] += [
            {**self._row(pid), "contact_on": day, "kind": kind, "recorded_by_id": None}
            for day, kind in contacts
        ]
        self._plans(pid, record)
        self._documents(pid, record)

    def _row(self, pid: uuid.UUID) -> Row:
        return {"id": uuid.uuid4(), "young_person_id": pid, "created_at": self.now}

    def _allocations(
        self,
        pid: uuid.UUID,
        record: ImportRecord,
        team_id: uuid.UUID,
        adviser_id: uuid.UUID | None,
    ) -> None:
        """As import_allocations.replay_allocations, then people.service.reallocate, for a young
        person with nothing stored: the history, then today's allocation from the import unless
        the history's last entry is still open (and so already names it)."""
        history = sorted(record.allocations, key=lambda a: a.started_on)
        spans = [
            (self.teams[a.team], self._adviser(a.personal_adviser_email), a.started_on, a.ended_on)
            for a in history
        ]
        if not spans:
            spans.append((team_id, adviser_id, self.on, None))
        elif (cutoff := spans[-1][3]) is not None:
            spans.append((team_id, adviser_id, max(self.on, cutoff), None))
        self.rows["allocation"] += [
            {**self._row(pid), "team_id": t, "adviser_id": a, "recorded_by_id": None}
            | {"started_on": s, "ended_on": e}
            for t, a, s, e in spans
        ]

    def _plans(self, pid: uuid.UUID, record: ImportRecord) -> None:
        """As plans.drafting.add_imported_version: one version per agreed date, numbered in the
        file's order, and a receipt when a copy was received."""
        seen: set[date] = set()
        for plan in record.plans:
            if plan.agreed_on in seen:
                continue
            seen.add(plan.agreed_on)
            version_id = uuid.uuid4()
            self.rows["plan_version"].append(
                {
                    "id": version_id,
                    "created_at": self.now,
                    "org_id": self.org_id,
                    "young_person_id": pid,
                    "number": len(seen),
                    "state": PlanState.agreed,
                    "source": PlanSource.imported,
                    "agreed_on": plan.agreed_on,
                }
            )
            if plan.copy_received_on is not None:
                self.rows["plan_receipt"].append(
                    {
                        **self._row(pid),
                        "version_id": version_id,
                        "how": ReceiptHow.imported,
                        "received_on": plan.copy_received_on,
                        "recorded_by_id": None,
                    }
                )

    def _documents(self, pid: uuid.UUID, record: ImportRecord) -> None:
        """As documents.service.import_document_history: an item per type, an event per distinct
        (state, date), the latest by date the item's state, its version the number of events."""
        items: dict[str, Row] = {}
        seen: set[tuple[str, DocumentState, date]] = set()
        for entry in sorted(record.documents, key=lambda e: e.status_on):
            item = items.get(entry.type)
            if item is None:
                item = items[entry.type] = {
                    "id": uuid.uuid4(),
                    "created_at": self.now,
                    "org_id": self.org_id,
                    "young_person_id": pid,
                    "type_id": self.types[entry.type].id,
                    "version": 0,
                }
            if (entry.type, entry.status, entry.status_on) in seen:
                continue
            seen.add((entry.type, entry.status, entry.status_on))
            self.rows["document_event"].append(
                {
                    **self._row(pid),
                    "item_id": item["id"],
                    "kind": DocumentEventKind.state_change,
                    "state": entry.status,
                    "event_on": entry.status_on,
                    "note": entry.note,
                    "source": "import",
                    "recorded_by_id": None,
                }
            )
            item["state"], item["state_on"] = entry.status, entry.status_on
            item["not_applicable_reason"] = (
                entry.not_applicable_reason or entry.note
                if entry.status is DocumentState.not_applicable
                else None
            )
            item["version"] += 1
        self.rows["document_item"] += items.values()

    async def write(self, session: AsyncSession, written: set[str]) -> None:
        """Parents before children (young people, then versions and items, then the rest)."""
        for table in TABLES:
            rows = self.rows[table.name]
            if rows:
                await write_rows(session, table, rows)
                written.add(table.name)
            self.rows[table.name] = []


def _with_defaults(table: Table, rows: list[Row]) -> tuple[list[str], list[list[Any]]]:
    """Every row with the same columns: those given, plus each column's Python-side default."""
    given = {key for row in rows for key in row}
    columns = [c for c in table.columns if c.key in given or c.default is not None]
    values: list[list[Any]] = []
    for row in rows:
        out = []
        for column in columns:
            if column.key in row:
                value = row[column.key]
            else:
                default = column.default
                assert default is not None
                arg = default.arg  # type: ignore[attr-defined]
                value = arg(None) if callable(arg) else arg
            # Non-native enums store the member's name (the same as its value here).
            out.append(value.name if isinstance(value, Enum) else value)
        values.append(out)
    return [c.key for c in columns], values


async def write_rows(session: AsyncSession, table: Table, rows: list[Row]) -> None:
    columns, values = _with_defaults(table, rows)
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.copy_records_to_table(table.name, records=values, columns=columns)
    else:
        await conn.execute(insert(table), [dict(zip(columns, v, strict=True)) for v in values])
