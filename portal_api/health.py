"""Liveness and readiness for the load balancer."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from portal_api.db.migrations import head_revision

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health)
async def get_healthz() -> Health:
    """The process is up (checks nothing else, so it stays cheap)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def get_readyz(request: Request) -> Health | JSONResponse:
    """The database answers and its migrations are at head."""
    try:
        async with request.app.state.engine.connect() as conn:
            current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception:
        return JSONResponse({"status": "database unreachable"}, status_code=503)
    if current != head_revision():
        return JSONResponse({"status": "migrations not at head"}, status_code=503)
    return Health(status="ok")
