"""The one map of every route under /api/v1.

Each router is included in the app itself under ``PREFIX`` (main.py), the phone's first. FastAPI
finds a request's route by trying each route in turn (twice: to choose, then to handle), through
every level of included routers. A young person's send walked most of the API's routes inside an
``/api/v1`` router: 11 % of its server time under wrk. One level fewer and the phone's routers
first: sends +12 %, the home screen +7 % (bench/README.md, "Routes found sooner").
tests/test_routes.py checks that no route is hidden by one included before it.
"""

from __future__ import annotations

from fastapi import APIRouter

from portal_api.accommodation.router import router as accommodation_router
from portal_api.auth.cookie import router as browser_sessions_router
from portal_api.auth.router import router as auth_router
from portal_api.console.router import router as console_router
from portal_api.content.router import router as local_offer_router
from portal_api.documents.router import router as documents_router
from portal_api.followups.router import router as follow_ups_router
from portal_api.messaging.console_router import router as conversations_router
from portal_api.messaging.router import router as messaging_router
from portal_api.people.admin_router import router as organisation_router
from portal_api.people.branding_router import router as branding_router
from portal_api.people.preferences_router import router as preferences_router
from portal_api.people.router import router as young_people_router
from portal_api.plans.router import router as plans_router
from portal_api.records.router import router as records_router
from portal_api.reports.router import router as reports_router
from portal_api.summary.router import router as summary_router

PREFIX = "/api/v1"
ROUTERS: list[APIRouter] = [
    # What a young person's phone asks for all day.
    summary_router,
    messaging_router,
    local_offer_router,
    documents_router,
    plans_router,
    # Everything else, as before.
    auth_router,
    browser_sessions_router,
    console_router,
    young_people_router,
    organisation_router,
    branding_router,
    preferences_router,
    follow_ups_router,
    conversations_router,
    accommodation_router,
    records_router,
    reports_router,
]
