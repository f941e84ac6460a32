"""The PDF of an agreed version: rendered once per thing it prints and cached.

An agreed version never changes, but its PDF also prints the PA's name and phone, the council's
phones and the young person's name, which do. The cache is keyed by a digest of everything the
PDF prints, so a change of PA renders it again instead of sending the young person to their old PA.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections import OrderedDict

from sqlalchemy import select, update
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
RENDER_LOCKS = 64
_recent: OrderedDict[tuple[uuid.UUID, str], bytes] = OrderedDict()
# A fixed set of locks, a version picking one by its id: the memory stays the same however many
# versions are downloaded. Two versions sharing a lock only wait for each other. The set belongs
# to one event loop (an asyncio.Lock that has been waited on is bound to its loop).
_render_locks: tuple[asyncio.AbstractEventLoop | None, tuple[asyncio.Lock, ...]] = (None, ())


def render_lock(version_id: uuid.UUID) -> asyncio.Lock:
    """The lock that keeps one process from rendering the same version twice at once."""
    global _render_locks
    loop = asyncio.get_running_loop()
    if _render_locks[0] is not loop:
        _render_locks = (loop, tuple(asyncio.Lock() for _ in range(RENDER_LOCKS)))
    return _render_locks[1][version_id.int % RENDER_LOCKS]


def printed_digest(context: PlanPdfContext) -> str:
    """What a PDF printed, as a SHA-256: the context is frozen dataclasses of text, dates and
    numbers, whose repr is stable, so equal contexts give equal digests."""
    return hashlib.sha256(repr(context).encode()).hexdigest()


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
    context = await _context(session, person, version)
    digest = printed_digest(context)
    key = (version.id, digest)
    # One render per version and contact details: a lock and a few recent PDFs in this process,
    # and the stored PDF, replaced when what it printed has changed (or inserted once when
    # another worker rendered too).
    async with render_lock(version.id):
        if key in _recent:
            _recent.move_to_end(key)
            return _recent[key]
        stored = (
            await session.execute(
                select(PlanPdf.printed_digest, PlanPdf.content).where(
                    PlanPdf.version_id == version.id
                )
            )
        ).one_or_none()
        if stored is not None and stored.printed_digest == digest:
            pdf = bytes(stored.content)
        else:
            pdf = await render_plan_pdf(renderer, context)
            values = {"printed_digest": digest, "content": pdf, "created_at": utcnow()}
            if stored is None:
                await insert_ignoring_duplicates(
                    session, PlanPdf, {"version_id": version.id, **values}
                )
            else:
                await session.execute(
                    update(PlanPdf).where(PlanPdf.version_id == version.id).values(**values)
                )
        _recent[key] = pdf
        while len(_recent) > RECENT_PDFS:
            _recent.popitem(last=False)
    return pdf
