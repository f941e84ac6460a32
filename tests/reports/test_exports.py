"""The statutory exports: SSDA903 OC3 passes the DfE validator's OC3 rules and DOMAIN.md §5's code
lists and consistency rules, with the cohort and "around the birthday" observation computed
independently; Annex A List 9 has DOMAIN.md §6's columns and labels exactly; both are audited."""

from __future__ import annotations

import csv
import io
import re
import warnings
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_api.models import AuditEvent, LegalStatus
from portal_api.people import legal_status
from portal_api.people.legal_status import add_months, add_years
from tests.reports import expected
from tests.reports.council import Council, Record, build_council

YEAR = 2026
START, END = date(2025, 4, 1), date(2026, 3, 31)
TODAY = date(2026, 11, 29)


@pytest.fixture
async def council(sessionmaker: async_sessionmaker[AsyncSession]) -> Council:
    async with sessionmaker() as session, session.begin():
        return await build_council(session)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def _oc3(client: httpx.AsyncClient, council: Council) -> httpx.Response:
    response = await client.get(
        "/api/v1/reports/exports/ssda903-oc3.csv",
        params={"year": str(YEAR)},
        headers=council.auth("org_manager"),
    )
    assert response.status_code == 200, response.text
    return response


# --- the cohort and the observation, computed from the records --------------------------------


def _expected_oc3(records: list[Record]) -> dict[str, tuple[str, str, str, str]]:
    rows = {}
    for r in records:
        ages = [
            (age, add_years(r.date_of_birth, age))
            for age in range(17, 22)
            if START <= add_years(r.date_of_birth, age) <= END
        ]
        if not ages:
            continue
        age, birthday = ages[0]
        if expected.status(r, birthday) not in (LegalStatus.relevant, LegalStatus.former_relevant):
            continue
        looked_after = legal_status.is_looked_after_on(expected.periods(r), birthday)
        if age in (17, 18) and looked_after:
            continue
        window = [
            o for o in r.observations if add_months(birthday, -3) <= o[0] <= add_months(birthday, 1)
        ]
        dob = r.date_of_birth.strftime("%d/%m/%Y")
        if not window:
            rows[r.external_id] = (dob, "", "", "")
            continue
        distance = min(abs((o[0] - birthday).days) for o in window)
        nearest = [o for o in window if abs((o[0] - birthday).days) == distance]
        chosen = max(nearest, key=lambda o: (o[0], o[1]))
        rows[r.external_id] = (dob, chosen[2], chosen[3], chosen[4])
    return rows


async def test_oc3_is_the_cohort_with_the_observation_nearest_the_birthday(
    client: httpx.AsyncClient, council: Council
) -> None:
    response = await _oc3(client, council)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="ssda903-oc3-2026.csv"' in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.splitlines()[0] == "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM"
    got = {r["CHILD"]: (r["DOB"], r["IN_TOUCH"], r["ACTIV"], r["ACCOM"]) for r in _rows(text)}
    want = _expected_oc3(council.records)
    assert got == want
    assert len(got) >= 10
    assert got["OC3_17_LEFT_CARE"] == ("15/06/2008", "YES", "F5", "E1")
    assert got["OC3_20_TIE"] == ("20/02/2006", "REFU", "0", "0")
    assert got["OC3_20_WINDOW_EDGES"] == ("31/08/2005", "YES", "P5", "U2")
    assert got["OC3_21_NO_OBSERVATION"] == ("02/01/2005", "", "", "")
    for left_out in ("OC3_17_LOOKED_AFTER", "OC3_18_STILL_OPEN", "OC3_QUALIFYING"):
        assert left_out not in got
    blanks = sum(1 for v in got.values() if not v[1])
    assert response.headers["x-rows-without-observation"] == str(blanks)


# --- code lists and consistency (DOMAIN.md §5), written out here ------------------------------

IN_TOUCH = {"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"}
ACTIV = {"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"}
ACCOM_LETTERS = "BCDEGHKRSTUVWXYZ"


def _domain_problems(row: dict[str, str]) -> list[str]:
    problems = []
    touch, activ, accom = row["IN_TOUCH"], row["ACTIV"], row["ACCOM"]
    if touch not in IN_TOUCH:
        problems.append(f"IN_TOUCH {touch!r}")
    if activ not in ACTIV:
        problems.append(f"ACTIV {activ!r}")
    valid_accom = accom == "0" or (
        len(accom) == 2 and accom[0] in ACCOM_LETTERS and accom[1] in "12"
    )
    if not valid_accom or accom in ("S1", "X1"):
        problems.append(f"ACCOM {accom!r}")
    if touch in ("DIED", "RHOM") and (activ, accom) != ("0", "0"):
        problems.append("DIED/RHOM needs ACTIV and ACCOM 0")
    if touch == "YES" and "0" in (activ, accom):
        problems.append("YES needs ACTIV and ACCOM")
    day, month, year = (int(p) for p in row["DOB"].split("/"))
    dob = date(year, month, day)
    if START <= add_years(dob, 17) <= END and accom.startswith("Z"):
        problems.append("Z is not used at 17")
    return problems


async def test_oc3_passes_domain_code_lists_and_rules(
    client: httpx.AsyncClient, council: Council
) -> None:
    rows = [r for r in _rows((await _oc3(client, council)).text) if r["IN_TOUCH"]]
    assert rows
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", r["DOB"]) for r in rows)
    problems = {r["CHILD"]: _domain_problems(r) for r in rows}
    assert not {k: v for k, v in problems.items() if v}


async def test_oc3_passes_the_dfe_validators_oc3_rules(
    client: httpx.AsyncClient, council: Council
) -> None:
    """csc-validator-be-903 (the DfE rules, a dev dependency): every rule that reads only OC3."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 1.5 on Python 3.11 warns on import
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
        from lac_validator.rules.ruleset_utils import (  # type: ignore[import-untyped,unused-ignore]
            get_year_ruleset,
        )

    text = (await _oc3(client, council)).text
    # Rows with no observation are blank on purpose (the gap shows); the rules check the rest.
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame = frame[frame["IN_TOUCH"] != ""].reset_index(drop=True)
    assert len(frame) >= 5
    metadata = {"collection_start": "01/04/2025", "collection_end": "31/03/2026"}
    rules = {
        code: rule for code, rule in get_year_ruleset(str(YEAR)).items() if rule.tables == ["OC3"]
    }
    assert {"131", "132", "133", "153", "344", "345", "391", "INT34"} <= set(rules)
    failures: dict[str, Any] = {}
    for code, rule in rules.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = rule.func({"OC3": frame.copy(), "metadata": metadata})
        if result.get("OC3"):
            failures[code] = frame.iloc[result["OC3"]].to_dict("records")
    assert not failures


async def test_oc3_year_in_the_future_is_invalid(
    client: httpx.AsyncClient, council: Council
) -> None:
    response = await client.get(
        "/api/v1/reports/exports/ssda903-oc3.csv",
        params={"year": "2031"},
        headers=council.auth("org_manager"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.year"


# --- Annex A List 9 -------------------------------------------------------------------------

# DOMAIN.md §6, in order, character for character (councils' tools match headers exactly). Written
# out by hand, not taken from the export, so a change to either side fails the test.
ANNEX_A_COLUMNS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
    "Does the Child have a Disability",
    "Allocated Team",
    "Allocated Worker",
    "Allocated Personal Advisor",
    "Eligibility Category",
    "Latest Pathway Plan Review Date",
    "LA in Touch",
    "Latest Date of Contact",
    "Type of Accommodation",
    "Suitability of Accommodation",
    "Activity Status",
]
LABELS = {
    "Gender": {"a) Male", "b) Female", "c) Not stated/recorded", "d) Neither"},
    "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)": {
        "a) Yes",
        "b) No",
    },
    "Does the Child have a Disability": {"a) Yes", "b) No", "c) Unknown"},
    "Eligibility Category": {
        "a) Relevant child",
        "b) Former relevant child",
        "c) Qualifying care leaver",
        "d) Eligible child",
    },
    "LA in Touch": {"a) Yes", "b) No", "c) Died", "d) Refu", "e) Nreq", "f) Rhom", ""},
    "Suitability of Accommodation": {"a) Suitable", "b) Unsuitable", ""},
}


async def _annex_a(
    client: httpx.AsyncClient, council: Council, monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setattr("portal_api.reports.exports.today", lambda: TODAY)
    response = await client.get(
        "/api/v1/reports/exports/annex-a-list-9.csv", headers=council.auth("org_manager")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return response.content.decode("utf-8")


async def test_annex_a_list_9_has_the_columns_and_labels_of_domain_md(
    client: httpx.AsyncClient, council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = await _annex_a(client, council, monkeypatch)
    header = next(csv.reader(io.StringIO(text)))
    assert header == ANNEX_A_COLUMNS
    rows = _rows(text)
    assert {r["Child Unique ID"] for r in rows} == {
        r.external_id for r in council.records if expected.in_scope(r, TODAY)
    }
    for row in rows:
        for column, allowed in LABELS.items():
            assert row[column] in allowed, (column, row[column])
        assert re.fullmatch(r"(|[BCDEGHKRSTUVWXYZ]: .+)", row["Type of Accommodation"])
        assert re.fullmatch(r"(|(F|P)[1245]: .+|G[456]: .+)", row["Activity Status"])
        for column in (
            "Date of Birth",
            "Latest Pathway Plan Review Date",
            "Latest Date of Contact",
        ):
            assert re.fullmatch(r"(|\d{2}/\d{2}/\d{4})", row[column]), (column, row[column])
    assert {r["Activity Status"] for r in rows} >= {"F1: Full time in higher education"}
    assert {r["Type of Accommodation"] for r in rows} >= {"B: Parents/relatives"}


async def test_annex_a_list_9_row_for_an_eligible_child(
    client: httpx.AsyncClient, council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = {r["Child Unique ID"]: r for r in _rows(await _annex_a(client, council, monkeypatch))}
    sixteen = rows["SIXTEEN_TODAY"]
    assert sixteen["Eligibility Category"] == "d) Eligible child"
    assert sixteen["Date of Birth"] == "31/10/2010"
    assert sixteen["Age of Child (Years)"] == "16"
    assert sixteen["Allocated Team"] == "North"
    assert sixteen["Allocated Personal Advisor"] == "Nadia Noor"
    # still looked after: the allocated worker is their social worker, whom the portal does not hold
    assert sixteen["Allocated Worker"] == ""
    adult = rows["PLAN_EXACTLY_6_MONTHS"]
    assert adult["Eligibility Category"] == "b) Former relevant child"
    assert adult["Allocated Worker"] == "Nadia Noor"
    assert adult["Latest Pathway Plan Review Date"] == "30/04/2026"
    assert adult["Gender"] == "b) Female"


async def test_exports_are_audited(
    client: httpx.AsyncClient,
    council: Council,
    monkeypatch: pytest.MonkeyPatch,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    await _oc3(client, council)
    await _annex_a(client, council, monkeypatch)
    async with sessionmaker() as session:
        events = (
            (
                await session.execute(
                    select(AuditEvent).where(AuditEvent.action.like("reports.export.%"))
                )
            )
            .scalars()
            .all()
        )
    assert {e.action for e in events} == {
        "reports.export.ssda903_oc3",
        "reports.export.annex_a_list_9",
    }
    assert all(e.actor_id == council.staff["org_manager"] for e in events)
    oc3 = next(e for e in events if e.action == "reports.export.ssda903_oc3")
    assert oc3.detail["year"] == YEAR
    assert oc3.detail["rows"] > 0
