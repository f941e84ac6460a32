"""create_app(): the FastAPI application with its lifespan, routers and error handlers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.middleware.cors import CORSMiddleware

from portal_api.api import api_router
from portal_api.common.time import today
from portal_api.config import Settings, get_settings
from portal_api.content.library import load_library
from portal_api.db.session import make_engine, make_sessionmaker
from portal_api.errors import install_error_handlers, problem_responses
from portal_api.health import router as health_router
from portal_api.messaging.events import make_broker
from portal_api.messaging.hours import is_working_day
from portal_api.messaging.outbox import run_worker
from portal_api.messaging.wiring import make_notifier
from portal_api.security import (
    CORS_METHODS,
    CORS_REQUEST_HEADERS,
    CORS_RESPONSE_HEADERS,
    BodySizeLimit,
    SecurityHeaders,
)

DESCRIPTION = (
    "Care leaver portal: a young person's rights, pathway plan, documents and personal adviser "
    "on their phone; the PA's caseload; the manager's figures with the names behind them. "
    "Errors are RFC 9457 problem+json."
)

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the bank-holiday tables now, not on the first message someone sends.
        is_working_day(today())
        worker = None
        if settings.worker_in_process:
            worker = asyncio.create_task(
                run_worker(app.state.sessionmaker, app.state.notifier, app.state.outbox_wake)
            )
        yield
        if worker is not None:
            worker.cancel()
        if app.state.pdf_renderer is not None:
            app.state.pdf_renderer.shutdown()
        await app.state.broker.close()
        await app.state.engine.dispose()

    docs_url = "/docs" if settings.environment != "production" else None
    app = FastAPI(
        title="Care leaver portal",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=docs_url,
        redoc_url=None,
        openapi_url="/openapi.json",
        # Operation ids are the handler names (verb_noun): stable names for generated clients.
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.settings = settings
    # Content is read and checked once; a malformed page stops start-up with the check's message.
    app.state.library = load_library(settings.content_dir)
    app.state.pdf_renderer = None  # made on first use: see plans.router.pdf_renderer
    app.state.broker = make_broker(settings.redis_url)
    app.state.notifier = make_notifier(settings)
    app.state.outbox_wake = asyncio.Event()
    app.state.engine = make_engine(settings.database_url, echo=settings.sql_echo)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    install_error_handlers(app)
    # Outermost last: headers go on everything, CORS answers before the size check runs.
    app.add_middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=CORS_METHODS,
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=600,
        )
    app.add_middleware(
        SecurityHeaders,
        hsts=settings.environment == "production",
        csp_exempt=(docs_url,) if docs_url else (),
    )
    app.include_router(health_router)
    app.include_router(api_router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = PROBLEM_SCHEMA
            # Our 422s are problem+json (errors.py), not FastAPI's default validation shape.
            for operations in schema["paths"].values():
                for operation in operations.values():
                    if "422" in operation["responses"]:
                        operation["responses"]["422"] = problem_responses(422)[422]
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
