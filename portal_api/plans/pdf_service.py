"""The PDF of an agreed version: built once from the version and cached (it never changes)."""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict, defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.pdf import PdfRenderer
from portal_api.db.base import utcnow
from portal_api.db.session import insert_ignoring_duplicates
from portal_api.errors import InvalidState
from portal_api.models import (
    ActionOwner,
    Organisation,
    PlanPdf,
    PlanState,
    PlanVersion,
    User,
    YoungPerson,
)
from portal_api.plans.dates import review_due_on
from portal_api.plans.pdf import render_plan_pdf
from portal_api.plans.pdf_context import PdfAction, PdfSection, PdfSuitability, PlanPdfContext
from portal_api.plans.schemas import SECTIONS, SUITABILITY

RECENT_PDFS = 16
_rendering: defaultdict[uuid.UUID, asyncio.Lock] = defaultdict(asyncio.Lock)
_recent: OrderedDict[uuid.UUID, bytes] = OrderedDict()


async def _context(
    session: AsyncSession, person: YoungPerson, version: PlanVersion
) -> PlanPdfContext:
    org = await session.get(Organisation, person.org_id)
    assert org is not None
    adviser = (
        await session.get(User, person.personal_adviser_id) if person.personal_adviser_id else None
    )
    pa_label = (
        f"Your personal adviser ({adviser.display_name})" if adviser else "Your personal adviser"
    )

    def owner(action_owner: ActionOwner | None, name: str | None) -> str:
        if action_owner is ActionOwner.young_person:
            return "You"
        if action_owner is ActionOwner.personal_adviser:
            return pa_label
        return name or "Not yet decided"

    sections = []
    for section in version.sections:
        suitability = [
            PdfSuitability(
                consideration=SUITABILITY[key],
                suitable=(section.suitability or {}).get(key, {}).get("suitable"),
                note=(section.suitability or {}).get(key, {}).get("note"),
            )
            for key in SUITABILITY
            if section.suitability and key in section.suitability
        ]
        sections.append(
            PdfSection(
                code=section.code,
                title=SECTIONS[section.code],
                needs=section.needs,
                young_person_views=section.young_person_views,
                goals=section.goals,
                actions=[
                    PdfAction(
                        description=a.description,
                        owner=owner(a.owner, a.owner_name),
                        due_on=a.due_on,
                        need=a.need,
                        status=a.status.value,
                        completed_on=a.completed_on,
                    )
                    for a in version.actions
                    if a.section_code == section.code
                ],
                suitability=suitability,
            )
        )
    return PlanPdfContext(
        organisation_name=org.name,
        brand_colour=org.brand_colour,
        young_person_name=person.full_name,
        date_of_birth=person.date_of_birth,
        version_number=version.number,
        agreed_on=version.agreed_on,
        next_review_due_on=review_due_on(version.agreed_on, version.review_by),
        personal_adviser_name=adviser.display_name if adviser else None,
        personal_adviser_phone=adviser.phone if adviser else None,
        personal_adviser_email=adviser.email if adviser else None,
        office_phone=org.office_phone,
        out_of_hours_phone=org.out_of_hours_phone,
        language=person.preferred_language,
        sections=sections,
    )


async def plan_pdf(
    session: AsyncSession, renderer: PdfRenderer, person: YoungPerson, version: PlanVersion
) -> bytes:
    if version.state is not PlanState.agreed:
        raise InvalidState("Only an agreed plan has a PDF; this one is still being written.")
    # One render per version: a lock and a few recent PDFs in this process (agreed versions never
    # change, so a cached PDF is never stale); insert-or-ignore when another worker rendered too.
    async with _rendering[version.id]:
        if version.id in _recent:
            return _recent[version.id]
        cached = await session.scalar(
            select(PlanPdf.content).where(PlanPdf.version_id == version.id)
        )
        if cached is not None:
            return cached
        pdf = await render_plan_pdf(renderer, await _context(session, person, version))
        await insert_ignoring_duplicates(
            session, PlanPdf, {"version_id": version.id, "content": pdf, "created_at": utcnow()}
        )
        _recent[version.id] = pdf
        while len(_recent) > RECENT_PDFS:
            _recent.popitem(last=False)
    return pdf
