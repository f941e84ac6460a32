"""The one map of every route under /api/v1."""

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

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth_router)
api_router.include_router(browser_sessions_router)
api_router.include_router(console_router)
api_router.include_router(young_people_router)
api_router.include_router(organisation_router)
api_router.include_router(branding_router)
api_router.include_router(preferences_router)
api_router.include_router(summary_router)
api_router.include_router(local_offer_router)
api_router.include_router(follow_ups_router)
api_router.include_router(plans_router)
api_router.include_router(documents_router)
api_router.include_router(messaging_router)
api_router.include_router(conversations_router)
api_router.include_router(accommodation_router)
api_router.include_router(records_router)
api_router.include_router(reports_router)
