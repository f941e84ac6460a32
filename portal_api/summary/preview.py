"""An administrator's preview of the phone's home screen for a chosen profile, not a person."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.content import service as local_offer
from portal_api.content.eligibility import Profile
from portal_api.content.library import ENGLISH, Library
from portal_api.content.schemas import Applies
from portal_api.documents import service as documents
from portal_api.models import Organisation
from portal_api.summary.schemas import (
    HomePreview,
    OrganisationContact,
    PreviewProfile,
    RightsPageRef,
)


async def home_preview(
    session: AsyncSession, actor: Actor, library: Library, chosen: PreviewProfile
) -> HomePreview:
    org = await session.get(Organisation, actor.user.org_id)
    assert org is not None
    profile = Profile(
        status=chosen.status,
        age=chosen.age,
        activity=chosen.activity,
        uasc=chosen.uasc,
        disabled=chosen.disabled,
        is_parent=chosen.is_parent,
        looked_after=chosen.looked_after,
    )
    # One day only: "soon" depends on a birthday a profile does not have, so nothing is "soon".
    reader = local_offer.Reader(org_slug=org.slug, now=profile, soon=profile)
    applying = [
        p
        for p in local_offer.list_pages(library, reader, ENGLISH).items
        if p.applies is Applies.now
    ]
    return HomePreview(
        organisation=OrganisationContact(
            name=org.name, office_phone=org.office_phone, out_of_hours_phone=org.out_of_hours_phone
        ),
        rights_to_read=[
            RightsPageRef(slug=p.slug, title=p.title, lang=p.lang)
            for p in local_offer.core_pages_to_read(library, reader, ENGLISH)
        ],
        local_offer=[RightsPageRef(slug=p.slug, title=p.title, lang=ENGLISH) for p in applying],
        documents=await documents.applicable_to(session, org.id, profile),
    )
