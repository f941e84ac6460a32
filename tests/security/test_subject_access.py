"""Subject access export: every part of the record is in it, the young person's own copy leaves
out exactly what the app keeps from them, secrets are in neither, and every table that refers
to a young person is covered (a new one that is not fails here)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import httpx
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.db.base import Base
from portal_api.models import AuditEvent, PlanState
from portal_api.records.export import (
    EXPORT_KEYS,
    STAFF_ONLY_KEYS,
    WITHHELD_FROM_YOUNG_PERSON,
)
from tests.factories import PASSWORD_HASH, World
from tests.security.support import STAFF_ONLY, fill_record, other_staff, plant_sentinels

API = "/api/v1"


def _unzip(response: httpx.Response) -> dict[str, bytes]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith('attachment; filename="record-OWN1-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


async def _export(
    client: httpx.AsyncClient, world: World, actor: str, yp: str
) -> tuple[dict[str, Any], dict[str, bytes]]:
    files = _unzip(await client.get(f"{API}/young-people/{yp}/export", headers=world.auth(actor)))
    record: dict[str, Any] = json.loads(files["record.json"])
    return record, files


async def _filled(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> dict[str, str]:
    await fill_record(client, world)
    return await plant_sentinels(sessionmaker, world)


async def test_staff_copy_has_every_section_with_what_was_recorded(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    sentinels = await _filled(client, world, sessionmaker)
    record, files = await _export(client, world, "pa", str(world.young_people["own"]))

    assert record["copy"] == "staff"
    assert set(EXPORT_KEYS.values()) <= set(record)
    empty = [
        key
        for key in EXPORT_KEYS.values()
        if key != "young_person" and not record[key]  # every list has a row in a filled record
    ]
    assert not empty, f"sections with nothing in them: {empty}"
    assert record["young_person"]["external_id"] == "OWN1"
    assert record["young_person"]["personal_adviser"] == "Priya PA"
    # Dates, UUIDs and money come out as text, money exactly.
    assert record["entitlement_records"][0]["amount_gbp"] == "250.50"
    assert record["care_periods"][0]["start_on"] == "2020-01-01"
    # The full copy holds what the app keeps from the young person, for review before disclosure.
    text = files["record.json"].decode()
    for name in ("hide_reason", "hidden_body", "flag_reason", "draft_needs", "contact_note"):
        assert sentinels[name] in text, name
    assert {v["state"] for v in record["plan_versions"]} == {"agreed", "draft"}
    assert record["plan_sections"][0]["version_number"] == 1
    assert record["safeguarding_flags"][0]["reason"] == STAFF_ONLY["flag_reason"]
    # One PDF per agreed version written in the portal.
    assert record["plan_pdfs"] == [{"version_number": 1, "file": "plans/version-1.pdf"}]
    assert files["plans/version-1.pdf"].startswith(b"%PDF")
    assert "full copy" in files["README.txt"].decode()


async def test_young_persons_copy_leaves_out_what_the_app_keeps_from_them(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    sentinels = await _filled(client, world, sessionmaker)
    record, files = await _export(client, world, "young_person", "me")

    assert record["copy"] == "young_person"
    assert record["withheld"] == list(WITHHELD_FROM_YOUNG_PERSON)
    assert set(record) >= set(EXPORT_KEYS.values()) - STAFF_ONLY_KEYS
    assert not set(record) & STAFF_ONLY_KEYS
    everything = b"\n".join(files.values()).decode("utf-8", errors="replace")
    leaked = [
        name for name, value in {**sentinels, **other_staff(world)}.items() if value in everything
    ]
    assert not leaked, f"the young person's copy shows: {leaked}"
    # Hidden messages stay listed, marked hidden, without their words.
    hidden = [m for m in record["messages"] if m["hidden"]]
    assert len(hidden) == 1
    assert hidden[0]["body"] is None
    assert "hidden_reason" not in hidden[0]
    # Only shared plan versions; the contact is there without the PA's note.
    assert {v["state"] for v in record["plan_versions"]} == {PlanState.agreed.value}
    assert record["contacts"][0]["kind"] == "visit"
    assert "note" not in record["contacts"][0]
    assert all("detail" not in e and "ip" not in e for e in record["access_log"])
    assert not any(e["action"] == "message.flag" for e in record["access_log"])
    # Staff appear by name, never by account id.
    assert record["contacts"][0]["recorded_by"] == "Priya PA"
    assert "recorded_by_id" not in record["contacts"][0]
    assert files["plans/version-1.pdf"].startswith(b"%PDF")
    readme = files["README.txt"].decode()
    assert "your own copy" in readme
    assert "subject access request" in readme


async def test_neither_copy_holds_a_credential(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    sentinels = await _filled(client, world, sessionmaker)
    for actor, yp in (("pa", str(world.young_people["own"])), ("young_person", "me")):
        record, files = await _export(client, world, actor, yp)
        text = files["record.json"].decode()
        for secret in ("invite_token_hash", "payload_token"):
            assert sentinels[secret] not in text, (actor, secret)
        assert PASSWORD_HASH not in text
        assert all("hashed_password" not in account for account in record["accounts"])


async def test_every_export_is_audited_with_its_copy(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    await _export(client, world, "young_person", "me")
    await _export(client, world, "team_manager", str(world.young_people["own"]))
    rows = await session.execute(
        select(AuditEvent.actor_id, AuditEvent.detail)
        .where(AuditEvent.action == "subject_access.export")
        .order_by(AuditEvent.id)
    )
    assert [(actor, detail["copy"]) for actor, detail in rows.all()] == [
        (world.users["young_person"], "young_person"),
        (world.users["team_manager"], "staff"),
    ]


async def test_duty_cover_cannot_export_a_colleagues_young_person(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{API}/young-people/{world.young_people['colleague']}/export", headers=world.auth("pa")
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def _refers_to_a_young_person() -> set[str]:
    """Tables with a key to young_person, and the tables whose rows hang off those (a plan's
    sections, a concern's actions). Keys to ``user`` are not followed: staff accounts are
    referred to from everywhere, and a young person's account is covered as ``user``."""
    tables: dict[str, Table] = {t.name: t for t in Base.metadata.sorted_tables}

    def refers_to(table: Table, names: set[str]) -> bool:
        return any(fk.column.table.name in names for fk in table.foreign_keys)

    found = {name for name, table in tables.items() if refers_to(table, {"young_person"})}
    found.add("young_person")
    while True:
        owners = found - {"user"}
        more = {n for n, t in tables.items() if n not in found and refers_to(t, owners)}
        if not more:
            return found
        found |= more


def test_every_table_about_a_young_person_is_exported() -> None:
    tables = _refers_to_a_young_person()
    missing = sorted(tables - set(EXPORT_KEYS))
    assert not missing, (
        f"tables that refer to a young person but are not in the subject access export: "
        f"{missing}; add each to EXPORT_KEYS in portal_api/records/export.py and export it"
    )
    stale = sorted(set(EXPORT_KEYS) - {t.name for t in Base.metadata.sorted_tables})
    assert not stale, f"EXPORT_KEYS names tables that no longer exist: {stale}"


def test_the_coverage_walk_finds_direct_and_indirect_tables() -> None:
    # The walk itself: a table with young_person_id, one reached only through a plan version,
    # and one reached only through a concern; nothing reached only through an account.
    tables = _refers_to_a_young_person()
    assert {"message", "plan_section", "concern_action", "document_event"} <= tables
    assert not {"access_token", "push_subscription", "team_membership"} & tables
