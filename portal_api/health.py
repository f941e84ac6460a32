"""Liveness and readiness for the load balancer."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from portal_api.db.migrations import head_revision
from portal_api.errors import problem, problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health)
async def get_healthz() -> Health:
    """The process is up (checks nothing else, so it stays cheap)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=problem_responses(503))
async def get_readyz(request: Request) -> Health | JSONResponse:
    """The database answers and its migrations are at head (503 too while shutting down)."""
    try:
        async with request.app.state.engine.connect() as conn:
            current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:
        return problem(503, "Not ready", "The database does not answer.", instance="/readyz")
    if current != head_revision():
        return problem(
            503,
            "Not ready",
            f"The database is at migration {current}, not {head_revision()}: run portal migrate.",
            instance="/readyz",
        )
    return Health(status="ok")
