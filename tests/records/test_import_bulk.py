"""New young people are written in bulk (records/import_bulk.py): the rows must be the ones the
row-by-row path writes when it adds the same history to a young person already there, and a
failure after some batches have gone in must still leave nothing written."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from portal_api.models import (
    Allocation,
    AuditEvent,
    CarePeriod,
    Contact,
    DocumentEvent,
    DocumentItem,
    DocumentType,
    Organisation,
    PlanReceipt,
    PlanVersion,
    StatusObservation,
    YoungPerson,
)
from portal_api.records import import_bulk, importer
from portal_api.records.import_lines import ImportFailed, parse_lines
from portal_api.records.importer import import_records
from tests.records.test_import import (  # noqa: F401 (org, cli_database: fixtures)
    ORG,
    PA1,
    SAMPLE,
    _cli_setup,
    _import,
    _line,
    _portal,
    cli_database,
    org,
)

# Everything a line can carry, with the repeats the rules fold together: an observation
# corrected on the same date, a contact twice, a plan date twice, checklist steps out of date
# order, allocation history that ended (today's allocation follows). Not a checklist step twice:
# row by row the second was not seen (the session does not autoflush) and was written again,
# the item's version counting it; in bulk it is one event, as a re-import would leave it.
HISTORY: dict[str, Any] = {
    "care_periods": [{"start": "2021-05-01", "end": "2023-01-01"}, {"start": "2023-06-01"}],
    "observations": [
        {"recorded_on": "2026-03-10", "in_touch": "YES", "activity": "F2", "accommodation": "U1"},
        {"recorded_on": "2025-03-10", "in_touch": "YES", "activity": "F2", "accommodation": "U1"},
        {"recorded_on": "2026-03-10", "in_touch": "YES", "activity": "F2", "accommodation": "U2"},
    ],
    "contacts": [
        {"on": "2026-10-01", "kind": "visit"},
        {"on": "2026-10-01", "kind": "visit"},
        {"on": "2026-10-01", "kind": "phone"},
    ],
    "plans": [
        {"agreed_on": "2025-05-01", "copy_received_on": "2025-05-03"},
        {"agreed_on": "2025-11-01"},
        {"agreed_on": "2025-05-01", "copy_received_on": "2025-05-09"},
    ],
    "documents": [
        {
            "type": "national_insurance_number",
            "status": "with_young_person",
            "status_on": "2024-11-02",
        },
        {"type": "national_insurance_number", "status": "requested", "status_on": "2024-09-01"},
        {
            "type": "photo_id",
            "status": "not_applicable",
            "status_on": "2025-01-01",
            "note": "has one",
        },
    ],
    "allocations": [
        {"team": "North", "personal_adviser_email": PA1, "from": "2024-01-10", "to": "2024-09-01"},
        {"team": "North", "personal_adviser_email": None, "from": "2024-09-01", "to": "2025-06-01"},
    ],
}


async def _rows_of(session: AsyncSession, external_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """What is stored for one young person, without ids, versions or times."""
    person = await session.scalar(
        select(YoungPerson)
        .where(YoungPerson.external_id == external_id)
        .execution_options(populate_existing=True)
    )
    assert person is not None
    pid = person.id

    async def rows(*columns: Any) -> list[tuple[Any, ...]]:
        table = columns[0].class_
        found = await session.execute(select(*columns).where(table.young_person_id == pid))
        return sorted((tuple(r) for r in found), key=repr)

    def named(names: dict[Any, Any], found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Rows whose first column is an id, with it replaced by what it names, in order."""
        return sorted(((names[first], *rest) for first, *rest in found), key=repr)

    versions = {v.id: v.number for v in (await session.execute(select(PlanVersion))).scalars()}
    types = {t.id: t.key for t in (await session.execute(select(DocumentType))).scalars()}
    items = {
        i.id: types[i.type_id] for i in (await session.execute(select(DocumentItem))).scalars()
    }
    return {
        "person": [
            (
                person.given_name,
                person.team_id,
                person.personal_adviser_id,
                person.preferred_language,
            )
        ],
        "care": await rows(CarePeriod.start_on, CarePeriod.end_on),
        "allocations": await rows(
            Allocation.team_id,
            Allocation.adviser_id,
            Allocation.started_on,
            Allocation.ended_on,
            Allocation.recorded_by_id,
        ),
        "observations": await rows(
            StatusObservation.recorded_on,
            StatusObservation.in_touch,
            StatusObservation.activity,
            StatusObservation.accommodation,
        ),
        "contacts": await rows(Contact.contact_on, Contact.kind, Contact.note),
        "plans": await rows(
            PlanVersion.number,
            PlanVersion.state,
            PlanVersion.source,
            PlanVersion.agreed_on,
            PlanVersion.edit_count,
        ),
        "receipts": named(
            versions,
            await rows(PlanReceipt.version_id, PlanReceipt.how, PlanReceipt.received_on),
        ),
        "items": named(
            types,
            await rows(
                DocumentItem.type_id,
                DocumentItem.state,
                DocumentItem.state_on,
                DocumentItem.not_applicable_reason,
                DocumentItem.version,
            ),
        ),
        "events": named(
            items,
            await rows(
                DocumentEvent.item_id,
                DocumentEvent.kind,
                DocumentEvent.state,
                DocumentEvent.event_on,
                DocumentEvent.note,
                DocumentEvent.source,
            ),
        ),
    }


@pytest.mark.usefixtures("org")
async def test_new_young_people_get_the_rows_the_row_by_row_path_writes(
    sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    bare = {k: v for k, v in SAMPLE.items() if k not in ("observations", "contacts")}
    bare_line = json.dumps({**bare, "external_id": "OLD1", "care_periods": []})
    # OLD1 is in the portal before the file brings its history: the row-by-row path adds it.
    first = await _import(sessionmaker, [bare_line])
    assert first.created == 1
    full = {**HISTORY, "given_name": "Amira"}
    result = await _import(
        sessionmaker, [_line(external_id="NEW1", **full), _line(external_id="OLD1", **full)]
    )

    assert (result.created, result.updated) == (1, 1)
    new, old = await _rows_of(session, "NEW1"), await _rows_of(session, "OLD1")
    assert new == old
    # And the folding is what the rules say, not merely the same mistake twice.
    assert [o[3] for o in new["observations"]] == ["U1", "U2"]
    assert len(new["contacts"]) == 2
    assert [(p[0], str(p[3])) for p in new["plans"]] == [(1, "2025-05-01"), (2, "2025-11-01")]
    assert [(r[0], str(r[2])) for r in new["receipts"]] == [(1, "2025-05-03")]
    assert sorted((i[0], i[1].value, i[4]) for i in new["items"]) == [
        ("national_insurance_number", "with_young_person", 2),
        ("photo_id", "not_applicable", 1),
    ]
    assert [i[3] for i in new["items"] if i[0] == "photo_id"] == ["has one"]
    assert len(new["events"]) == 3
    ended = sorted(a[3] for a in new["allocations"] if a[3] is not None)
    assert [str(d) for d in ended] == ["2024-09-01", "2025-06-01"]
    assert sum(1 for a in new["allocations"] if a[3] is None) == 1
    # Run again (row by row for both now): the same rows. (Counted as updated: the file
    # corrects an observation within itself, which a re-import replays.)
    await _import(
        sessionmaker, [_line(external_id="NEW1", **full), _line(external_id="OLD1", **full)]
    )
    assert await _rows_of(session, "NEW1") == new


@pytest.mark.usefixtures("org")
async def test_a_checklist_step_twice_in_a_line_is_one_event(
    sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    step = {"type": "photo_id", "status": "requested", "status_on": "2024-09-01"}
    await _import(sessionmaker, [_line(documents=[step, step])])

    assert await _count(session, DocumentEvent) == 1
    item = (await session.execute(select(DocumentItem))).scalar_one()
    assert item.version == 1


@pytest.mark.usefixtures("org")
async def test_progress_counts_every_young_person_once(
    sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BULK", 7)
    lines = [_line(external_id=f"CL{n:04d}") for n in range(30)]
    await _import(sessionmaker, lines[:5])
    steps: list[int] = []
    records = parse_lines(lines)
    async with sessionmaker() as s, s.begin():
        organisation = await s.scalar(select(Organisation).where(Organisation.slug == ORG))
        assert organisation is not None
        result = await import_records(s, organisation, records, progress=steps.append)

    assert (result.created, result.unchanged) == (25, 5)
    assert sum(steps) == 30
    assert len(steps) > 2


async def _count(session: AsyncSession, table: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


def _counts_after_the_cli(database_url: str, *tables: type[Any]) -> list[int | None]:
    """Rows now in the tables, and import audit events, seen from a new connection in this
    (sync) test's own event loop, as the CLI's was."""

    async def counts() -> list[int | None]:
        engine = create_async_engine(database_url)
        try:
            async with async_sessionmaker(engine)() as session:
                imports = select(func.count()).where(AuditEvent.action == "young_people.import")
                return [*[await _count(session, t) for t in tables], await session.scalar(imports)]
        finally:
            await engine.dispose()

    return asyncio.run(counts())


def test_a_failure_after_batches_were_written_leaves_nothing(
    cli_database: None,  # noqa: F811 (the fixture imported above)
    engine: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> None:
    """Line 1,200 of 1,200 fails while its batch is being written, after the batches before it
    (young people, plans, contacts…) have gone in: the transaction takes them all back."""
    _cli_setup()
    monkeypatch.setattr(importer, "BULK", 100)
    real = import_bulk.write_rows
    written: list[str] = []

    async def failing(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
        await real(session, table, rows)
        written.append(table.name)
        if table.name == "document_event" and written.count("young_person") == 12:
            raise ImportFailed(1200, "documents.0.type", "failed while writing")

    monkeypatch.setattr(import_bulk, "write_rows", failing)
    file = tmp_path / "young-people.jsonl"
    lines = [_line(external_id=f"CL{n:05d}", **HISTORY) for n in range(1200)]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = _portal("import", str(file), "--org", ORG)

    assert result.exit_code == 1, result.output
    assert f"{file.name}:1200: documents.0.type" in result.output
    assert "nothing was imported" in result.output
    assert written.count("young_person") == 12
    tables = (YoungPerson, Allocation, Contact, PlanVersion, DocumentEvent)
    assert _counts_after_the_cli(database_url, *tables) == [0, 0, 0, 0, 0, 0]


def test_a_bad_last_line_of_a_large_file_writes_nothing(
    cli_database: None,  # noqa: F811
    engine: object,
    tmp_path: Path,
    database_url: str,
) -> None:
    _cli_setup()
    file = tmp_path / "young-people.jsonl"
    lines = [_line(external_id=f"CL{n:05d}") for n in range(1499)]
    lines.append(_line(external_id="CL99999", personal_adviser_email="nobody@example.org"))
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = _portal("import", str(file), "--org", ORG)

    assert result.exit_code == 1, result.output
    assert f"{file.name}:1500: personal_adviser_email" in result.output
    assert _counts_after_the_cli(database_url, YoungPerson) == [0, 0]
