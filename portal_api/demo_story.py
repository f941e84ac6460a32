"""Amira's story: the demo young person whose every screen has something real in it.

The rest of the demo council comes in through the import, so its plans are dates only. Amira's
pathway plan is written the way a PA writes one (through the plan service, so it passes the same
checks): all ten sections, actions with owners and dates, some done, agreed and given to her, and a
newer version waiting for her answer. Her checklist has a document in every state, the setting up
home allowance is part-paid, and she has a conversation with her PA. Jordan reads the app in Arabic.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.common.actor import Actor
from portal_api.common.time import today
from portal_api.db.base import utcnow
from portal_api.documents import service as documents
from portal_api.documents.schemas import DocumentUpdate
from portal_api.models import (
    ActionOwner,
    ActionStatus,
    DocumentState,
    EntitlementRecord,
    EntitlementStatus,
    Message,
    MessageKind,
    Organisation,
    PlanResponseKind,
    Role,
    User,
    YoungPerson,
)
from portal_api.plans import drafting as plans
from portal_api.plans.schemas import ActionIn, DraftUpdate, ReceiptIn, ResponseIn, SectionIn

# What Amira and Priya wrote, section by section: (code, needs, Amira's views, goals).
SECTIONS = (
    (
        "contact_and_support",
        "Amira sees Priya every two weeks and can message her any weekday.",
        "I like meeting at the library after college.",
        "Keep in touch every week, even in the holidays.",
    ),
    (
        "education_and_training",
        "Amira is in the first year of a Level 2 health and social care course at Eastmarsh College.",
        "I want to be a nurse one day.",
        "Finish Level 2 and apply for Level 3 by June.",
    ),
    (
        "employment",
        "Amira would like weekend work that fits around college.",
        "A café or a shop would be good.",
        "Have a CV and apply for two weekend jobs.",
    ),
    (
        "accommodation",
        "Amira lives at Harbour Foyer with staff on site. The heating has been broken since "
        "October.",
        "I like my room but it is cold.",
        "Heating fixed this month; look at a move-on flat before she is 18.",
    ),
    (
        "finance",
        "Amira gets her weekly allowance and has a bank account. She is learning to budget.",
        "I want to save for driving lessons.",
        "Use the budgeting app every week; save £10 a week.",
    ),
    (
        "health",
        "Amira is registered with the Quay Street GP and the dentist. Her leaving care health "
        "summary is being written by the looked-after children's nurse.",
        "I sleep badly when I am worried.",
        "Get her health summary before her 18th birthday; talk to the GP about sleep.",
    ),
    (
        "relationships",
        "Amira is close to her aunt in Leeds and her friends from college.",
        "I want to visit my aunt more.",
        "A visit to Leeds every school holiday, with travel paid.",
    ),
    (
        "practical_skills",
        "Amira can cook simple meals and do her washing. She has not paid bills before.",
        "I can cook rice and pasta.",
        "Learn to read a gas bill and set up a direct debit.",
    ),
    (
        "identity",
        "Amira is Muslim and speaks English and Arabic. She wants to keep up her Arabic.",
        "The mosque on Mill Road is important to me.",
        "Find an Arabic reading group.",
    ),
    (
        "contingency",
        "If Harbour Foyer cannot keep Amira safe, the duty team finds her an emergency room "
        "the same day.",
        "I would ring Priya or the out-of-hours number.",
        "Amira knows both numbers and has them saved in her phone.",
    ),
)
# (section, what will be done, need it meets, who, whose name if not the PA's or hers, due in days
# from today (negative: done that many days ago), status).
ACTIONS = (
    (
        "health",
        "Ask the looked-after children's nurse for the health summary",
        "health history",
        ActionOwner.personal_adviser,
        None,
        21,
        ActionStatus.in_progress,
    ),
    (
        "health",
        "Book a GP appointment about sleep",
        "sleep",
        ActionOwner.young_person,
        None,
        14,
        ActionStatus.not_started,
    ),
    (
        "accommodation",
        "Get the heating at Harbour Foyer repaired",
        "a warm home",
        ActionOwner.other,
        "Harbour Housing",
        10,
        ActionStatus.in_progress,
    ),
    (
        "finance",
        "Open a bank account",
        "somewhere to be paid",
        ActionOwner.young_person,
        None,
        -40,
        ActionStatus.done,
    ),
    (
        "finance",
        "Apply for the setting up home allowance",
        "furniture for a first flat",
        ActionOwner.personal_adviser,
        None,
        -20,
        ActionStatus.done,
    ),
    (
        "employment",
        "Write a CV with the college careers adviser",
        "weekend work",
        ActionOwner.young_person,
        None,
        30,
        ActionStatus.not_started,
    ),
    (
        "education_and_training",
        "Apply for the 16 to 19 bursary",
        "money for college",
        ActionOwner.personal_adviser,
        None,
        -60,
        ActionStatus.done,
    ),
    (
        "practical_skills",
        "Go through a gas bill together",
        "paying bills",
        ActionOwner.personal_adviser,
        None,
        35,
        ActionStatus.not_started,
    ),
    (
        "relationships",
        "Book train tickets to Leeds for the winter holiday",
        "seeing her aunt",
        ActionOwner.personal_adviser,
        None,
        12,
        ActionStatus.not_started,
    ),
    (
        "identity",
        "Find an Arabic reading group",
        "keeping up her Arabic",
        ActionOwner.young_person,
        None,
        45,
        ActionStatus.not_started,
    ),
)
CHECKLIST = (
    ("national_insurance_number", DocumentState.with_young_person, 60),
    ("bank_account", DocumentState.with_young_person, 40),
    ("health_history", DocumentState.in_progress, 10),
    ("photo_id", DocumentState.requested, 5),
)
CONVERSATION = (
    (False, 3 * 24 * 60, "Hi Priya, the heating is still not working in my room"),
    (
        True,
        3 * 24 * 60 - 25,
        "Thanks Amira. I have rung Harbour Housing and they will come on "
        "Thursday. Have you got a heater for now?",
    ),
    (False, 3 * 24 * 60 - 40, "Yes the staff gave me one"),
    (True, 26 * 60, "I have put your new plan on the app. Have a read and tell me what you think."),
    (False, 25 * 60, "ok I will read it tonight"),
)


async def tell(session: AsyncSession, org: Organisation) -> None:
    amira = await _young_person(session, org, "EM1001")
    priya = await session.scalar(select(User).where(User.id == amira.personal_adviser_id))
    amira_user = await session.scalar(select(User).where(User.young_person_id == amira.id))
    assert priya is not None, "Amira has a PA in the demo import"
    assert amira_user is not None, "the demo accounts are made first"
    pa, young_person = Actor(priya, None), Actor(amira_user, None)
    await _agreed_plan(session, pa, young_person, amira)
    await _checklist(session, pa, amira)
    await _setting_up_home_part_paid(session, priya, amira)
    _conversation(session, priya, amira_user, amira)
    jordan = await _young_person(session, org, "EM1002")
    jordan.preferred_language = "ar"
    await session.flush()


async def _young_person(session: AsyncSession, org: Organisation, external_id: str) -> YoungPerson:
    person = await session.scalar(
        select(YoungPerson).where(
            YoungPerson.org_id == org.id, YoungPerson.external_id == external_id
        )
    )
    assert person is not None, f"{external_id} is in the demo import"
    return person


async def _agreed_plan(
    session: AsyncSession, pa: Actor, young_person: Actor, amira: YoungPerson
) -> None:
    on = today()
    sections = [
        SectionIn(code=code, needs=needs, young_person_views=views, goals=goals)
        for code, needs, views, goals in SECTIONS
    ]
    actions = [
        ActionIn(
            section_code=section,
            description=what,
            need=need,
            owner=owner,
            owner_name=name,
            due_on=on + timedelta(days=max(days, 0)),
            status=status,
            completed_on=on + timedelta(days=days) if status is ActionStatus.done else None,
        )
        for section, what, need, owner, name, days, status in ACTIONS
    ]
    draft = await plans.create_draft(session, pa, amira, copy_latest=False)
    draft = await plans.update_draft(
        session,
        pa,
        amira,
        DraftUpdate(sections=sections, actions=actions, review_by=on + timedelta(days=180)),
        draft.etag,
    )
    shared = await plans.submit_draft(session, pa, amira, draft.etag)
    await plans.respond(
        session, young_person, amira, shared.number, ResponseIn(kind=PlanResponseKind.agree)
    )
    await plans.add_receipt(
        session, pa, amira, shared.number, ReceiptIn(how="given_in_person", received_on=on)
    )
    # A newer version waiting for her answer: the heating action moved on after a visit.
    revised = await plans.create_draft(session, pa, amira, copy_latest=True)
    revised = await plans.update_draft(
        session,
        pa,
        amira,
        DraftUpdate(
            sections=sections,
            actions=[
                a.model_copy(update={"due_on": on + timedelta(days=3)})
                if a.owner is ActionOwner.other
                else a
                for a in actions
                if a.status is not ActionStatus.done
            ],
            review_by=on + timedelta(days=180),
        ),
        revised.etag,
    )
    await plans.submit_draft(session, pa, amira, revised.etag)


async def _checklist(session: AsyncSession, pa: Actor, amira: YoungPerson) -> None:
    for key, state, days_ago in CHECKLIST:
        await documents.update(
            session,
            pa,
            amira,
            key,
            DocumentUpdate(state=state, on=today() - timedelta(days=days_ago)),
            None,
        )


async def _setting_up_home_part_paid(
    session: AsyncSession, priya: User, amira: YoungPerson
) -> None:
    for status, days_ago, amount in (
        (EntitlementStatus.applied, 30, None),
        (EntitlementStatus.received, 12, Decimal("1200.00")),
    ):
        session.add(
            EntitlementRecord(
                org_id=amira.org_id,
                young_person_id=amira.id,
                slug="setting-up-home-allowance",
                status=status,
                status_on=today() - timedelta(days=days_ago),
                amount_gbp=amount,
                note="Paid for a bed and a cooker." if amount else None,
                recorded_by_id=priya.id,
            )
        )
    await session.flush()


def _conversation(session: AsyncSession, priya: User, amira_user: User, amira: YoungPerson) -> None:
    now = utcnow()
    for from_pa, minutes_ago, body in CONVERSATION:
        session.add(
            Message(
                org_id=amira.org_id,
                young_person_id=amira.id,
                sender_id=priya.id if from_pa else amira_user.id,
                sender_role=(Role.personal_adviser if from_pa else Role.young_person).value,
                kind=MessageKind.text,
                body=body,
                created_at=now - timedelta(minutes=minutes_ago),
            )
        )
