"""create_app(): the FastAPI application with its lifespan, routers and error handlers."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.datastructures import State
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from portal_api.api import PREFIX, ROUTERS
from portal_api.auth.send_limit import SendLimit
from portal_api.auth.throttle import make_throttles
from portal_api.common.time import today
from portal_api.compression import CompressedReads
from portal_api.config import Settings, get_settings
from portal_api.content.loading import load_library
from portal_api.db.changes import make_figures_version
from portal_api.db.reads_version import make_reads_version
from portal_api.db.session import make_engine, make_sessionmaker
from portal_api.errors import install_error_handlers, problem, problem_responses
from portal_api.health import router as health_router
from portal_api.kept_reads import KeptReads
from portal_api.messaging.events import make_broker
from portal_api.messaging.hours import is_working_day
from portal_api.notifications.outbox import run_worker
from portal_api.notifications.wiring import make_notifier
from portal_api.people.branding_router import manifest_router
from portal_api.reports.cache import FiguresCache
from portal_api.reports.ready import keep_ready
from portal_api.security import (
    CORS_METHODS,
    CORS_REQUEST_HEADERS,
    CORS_RESPONSE_HEADERS,
    BodySizeLimit,
    SecurityHeaders,
)
from portal_api.web import WebApp

DESCRIPTION = (
    "Care leaver portal: a young person's rights, pathway plan, documents and personal adviser "
    "on their phone; the PA's caseload; the manager's figures with the names behind them. "
    "Errors are RFC 9457 problem+json."
)

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {
            "type": "string",
            "description": "Stable, for the app to word in the reader's language: not_found, "
            "not_signed_in, forbidden, conflict, invalid_state, precondition_failed, "
            "precondition_required, invalid_input, rate_limited, method_not_allowed, "
            "internal_error.",
        },
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "code"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {
                        "type": "string",
                        "description": "required, not_allowed, too_short, too_long, "
                        "bad_format, not_a_choice, out_of_range, invalid",
                    },
                },
            },
        },
    },
    "additionalProperties": True,
}

# Uvicorn's own logger, so the drain shows in the same log as its "Shutting down".
server_log = logging.getLogger("uvicorn.error")


def _above_debug(record: logging.LogRecord) -> bool:
    return record.levelno > logging.DEBUG


# At DEBUG, SQLAlchemy logs result rows and aiosqlite every statement with its values: a young
# person's messages and the like. Those records are dropped even when logging is set to DEBUG;
# the statements themselves still log at INFO, their values hidden (db.session.make_engine).
logging.getLogger("sqlalchemy.engine.Engine").addFilter(_above_debug)
logging.getLogger("aiosqlite").addFilter(_above_debug)


@contextmanager
def _drain_on_sigterm(state: State, seconds: float) -> Iterator[None]:
    """On SIGTERM, answer /readyz with 503 for ``seconds`` while serving everything else as
    usual, and only then hand the signal to the server.

    Why not simply in the lifespan shutdown: uvicorn's shutdown closes the listening socket
    first, then finishes in-flight requests, and runs the lifespan shutdown last. By the time the
    app would hear of it, new connections are already refused, so /readyz can never say 503 to a
    load balancer that has not yet noticed; it just sends into a closed port. So the signal comes
    here first. After the drain the server's handler runs: it stops accepting, finishes in-flight
    requests and exits. A second SIGTERM skips the rest of the
    drain; SIGINT (Ctrl-C) is left to the server and stops at once. Live event streams end when
    the drain does (``state.stopping``), as a proxy's timeout would end them.

    Only installed when a server has put a Python handler on SIGTERM (uvicorn, also each worker
    of ``portal serve --workers N``) and we are on the main thread: tests that run the lifespan
    in-process get no signal handling of their own.
    """
    server_handler = signal.getsignal(signal.SIGTERM)
    if (
        seconds <= 0
        or not callable(server_handler)
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    loop = asyncio.get_running_loop()

    def stop() -> None:
        # Live event streams end now (the app reconnects, to another server); uvicorn waits for
        # requests in flight, and an open stream would otherwise hold it up to its full length.
        state.stopping.set()
        server_handler(signal.SIGTERM, None)

    def begin_drain() -> None:
        if state.draining:
            stop()
            return
        state.draining = True
        server_log.info("SIGTERM: /readyz answers 503 for %.1f s, then shutting down", seconds)
        loop.call_later(seconds, stop)

    loop.add_signal_handler(signal.SIGTERM, begin_drain)
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
        signal.signal(signal.SIGTERM, server_handler)


class DrainingReadiness:
    """``/readyz`` answers 503 problem+json once the process is draining (``state.draining``),
    so a load balancer stops sending it new work; every other path is served as usual."""

    def __init__(self, app: ASGIApp, *, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/readyz" and self.state.draining:
            response = problem(
                503,
                "Shutting down",
                "This server is shutting down; requests go to the others.",
                instance="/readyz",
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _link(
    operation_id: str, parameters: dict[str, str], body: dict[str, str] | None = None
) -> dict[str, Any]:
    link: dict[str, Any] = {"operationId": operation_id, "parameters": parameters}
    if body is not None:
        link["requestBody"] = body
    return link


# OpenAPI links: what one answer hands to the next request (a new young person's id, a message to
# mark read, a draft's etag), for generated clients and the stateful fuzz tests (tests/fuzz).
_YP = {"yp": "$request.path.yp"}
_YP_ETAG = {**_YP, "header.if-match": "$response.body#/etag"}
_YP_NUMBER = {**_YP, "n": "$response.body#/number"}
LINKS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("create_young_person", "201"): {
        "GetYoungPersonRecord": _link("get_young_person_record", {"yp": "$response.body#/id"}),
    },
    ("send_message", "201"): {
        "MarkMessagesRead": _link(
            "mark_messages_read", _YP, body={"up_to": "$response.body#/message/id"}
        ),
    },
    ("start_plan_draft", "201"): {
        "UpdatePlanDraft": _link("update_plan_draft", _YP_ETAG),
        "SubmitPlanDraft": _link("submit_plan_draft", _YP_ETAG),
    },
    ("submit_plan_draft", "200"): {"ApprovePlan": _link("approve_plan", _YP_NUMBER)},
    ("approve_plan", "200"): {"RespondToPlan": _link("respond_to_plan", _YP_NUMBER)},
    ("raise_accommodation_concern", "201"): {
        "AcknowledgeAccommodationConcern": _link(
            "acknowledge_accommodation_concern", {**_YP, "concern_id": "$response.body#/id"}
        ),
    },
}


# See the lifespan: how many new container objects a worker makes between looks for cycles.
YOUNG_OBJECTS_BEFORE_COLLECTING = 50_000


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
        # Everything built at start-up (the content library, models, routes) lives as long as the
        # process: frozen, a full collection no longer walks it. Under wrk one such collection
        # took 0.55 s of a 15 s home-screen run; frozen, none ran (bench/README.md, issue 16).
        # Nothing made later is affected: it is collected as before. Collected first, so no
        # garbage is frozen with it; not in tests, which start an app per test in one process.
        if settings.environment != "test":
            gc.collect()
            gc.freeze()
            # A request makes thousands of short-lived objects, most freed at once by reference
            # counting; looking for cycles among them every 700 (Python's default) cost a message
            # send about 6 % of its CPU (bench/README.md, "Kept rows"). Every 50,000: the cyclic
            # garbage a session leaves waits a few dozen requests (a worker's resident memory
            # after 10 s of sends: 166 MB either way).
            gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, 10, 10)
        # Not in tests, which start an app per test: tests/reports/test_ready.py runs it there.
        ready = None
        if settings.figures_ready_seconds and settings.environment != "test":
            ready = asyncio.create_task(
                keep_ready(
                    app.state.sessionmaker,
                    app.state.library,
                    app.state.figures_cache,
                    app.state.figures_version,
                    every=settings.figures_ready_seconds,
                    stopping=app.state.stopping,
                )
            )
        with _drain_on_sigterm(app.state, settings.drain_seconds):
            yield
        for task in (worker, ready):
            if task is not None:
                task.cancel()
        if app.state.pdf_renderer is not None:
            app.state.pdf_renderer.shutdown()
        await app.state.broker.close()
        await app.state.throttles.close()
        await app.state.figures_version.close()
        if app.state.reads_version is not None:
            await app.state.reads_version.close()
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
    app.state.draining = False  # set on SIGTERM: see _drain_on_sigterm
    app.state.stopping = asyncio.Event()  # set when the drain ends: live event streams close
    # Content is read and checked once; a malformed page stops start-up with the check's message.
    app.state.library = load_library(settings.content_dir)
    app.state.pdf_renderer = None  # made on first use: see plans.dependencies.pdf_renderer
    app.state.broker = make_broker(settings.redis_url)
    app.state.throttles = make_throttles(settings)  # sign-in limits, shared through Redis if set
    # Sends per account, counted in the same store (auth/send_limit.py).
    app.state.send_limit = SendLimit.from_settings(app.state.throttles.store, settings)
    app.state.notifier = make_notifier(settings)
    app.state.outbox_wake = asyncio.Event()
    app.state.engine = make_engine(settings.database_url, echo=settings.sql_echo)
    # Every committed write bumps it; the cached figures carry it in their key (reports/cache.py).
    app.state.figures_version = make_figures_version(settings.redis_url)
    app.state.figures_cache = FiguresCache()
    # A young person's own reads kept between writes (kept_reads.py): the versions every
    # committed write moves, when they are kept at all.
    keeps_reads = (
        settings.kept_reads if settings.kept_reads is not None else bool(settings.redis_url)
    )
    app.state.reads_version = make_reads_version(settings.redis_url) if keeps_reads else None
    app.state.sessionmaker = make_sessionmaker(
        app.state.engine, app.state.figures_version, app.state.reads_version
    )
    install_error_handlers(app)
    # Outermost last: headers go on everything, CORS answers before the size check runs.
    # Innermost: GET answers, the built app's files among them, compressed (compression.py).
    app.add_middleware(CompressedReads)
    if app.state.reads_version is not None:
        # Outside compression: an answer is kept as it was sent, gzipped or not.
        app.add_middleware(
            KeptReads, versions=app.state.reads_version, most_answers=settings.kept_reads_answers
        )
    app.add_middleware(DrainingReadiness, state=app.state)
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
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)
    app.include_router(manifest_router)
    # The built app answers what no route took: GETs outside the API (web.py).
    app.router.default = WebApp(settings.web_dir, app.router.default)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = PROBLEM_SCHEMA
            # Our 422s are problem+json (errors.py), not FastAPI's default validation shape.
            for path, operations in schema["paths"].items():
                for operation in operations.values():
                    _path_parameters_in_path_order(path, operation)
                    if "422" in operation["responses"]:
                        operation["responses"]["422"] = problem_responses(422)[422]
                    # BodySizeLimit refuses any body over PORTAL_MAX_BODY_BYTES, on every route.
                    if "requestBody" in operation:
                        operation["responses"]["413"] = problem_responses(413)[413]
                    for (operation_id, status), links in LINKS.items():
                        if operation["operationId"] == operation_id:
                            operation["responses"][status]["links"] = links
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign,unused-ignore]
    return app


def _path_parameters_in_path_order(path: str, operation: dict[str, Any]) -> None:
    """Path parameters are listed as the path spells them, then the rest as declared, whether the
    handler or a dependency (the young person of ``{yp}``, people.scope) declares them."""
    parameters = operation.get("parameters")
    if not parameters:
        return

    def place(numbered: tuple[int, dict[str, Any]]) -> tuple[int, int]:
        index, parameter = numbered
        if parameter["in"] == "path":
            return (0, path.find("{" + parameter["name"] + "}"))
        return (1, index)

    operation["parameters"] = [p for _, p in sorted(enumerate(parameters), key=place)]
