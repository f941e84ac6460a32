"""The committed spec is the contract the phone app and integrations are built on."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI

from portal_api.cli import render_openapi

SPEC = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_code(app: FastAPI) -> None:
    assert SPEC.exists(), "openapi/openapi.json is missing: run `uv run portal openapi`"
    assert SPEC.read_text(encoding="utf-8") == render_openapi(app), (
        "openapi/openapi.json has drifted from the code: run `uv run portal openapi` and commit it"
    )


def test_operation_ids_are_unique_and_stable(app: FastAPI) -> None:
    spec = json.loads(render_openapi(app))
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    # ids are the handler names (verb_noun), not FastAPI's path-derived defaults
    assert all("api_v1" not in op_id for op_id in ids), ids


def test_errors_are_documented_as_problem_json(app: FastAPI) -> None:
    spec = json.loads(render_openapi(app))
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")) and status != "503":
                    assert "application/problem+json" in response["content"], (method, path, status)


# Staff free text that the young person reads (issue 13): the contract says so on each field.
SHOWN_TO_YOUNG_PERSON = {
    ("YoungPersonCreate", "status_override_reason"),
    ("YoungPersonUpdate", "status_override_reason"),
    ("ResidenceSet", "reasons"),
    ("DocumentUpdate", "note"),
    ("DocumentUpdate", "not_applicable_reason"),
    ("EntitlementUpdate", "note"),
    ("ConcernActionCreate", "note"),
    ("ConcernClose", "outcome"),
    ("FollowUpResolve", "resolution"),
}


def test_staff_text_the_young_person_reads_is_described_as_shown_to_them(app: FastAPI) -> None:
    schemas = json.loads(render_openapi(app))["components"]["schemas"]

    undescribed = {
        (schema, field)
        for schema, field in SHOWN_TO_YOUNG_PERSON
        if "Shown to the young person." not in schemas[schema]["properties"][field]["description"]
    }

    assert undescribed == set()
