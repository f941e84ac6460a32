"""The local offer over HTTP: what applies to whom (now, soon, not now), languages and stale
translations, ETags, responses to a revision and the follow-ups they make, what staff see of a young
person's reading, the home screen's "rights to read", and the entitlements a PA records."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from portal_api.common.time import today
from portal_api.config import Settings
from portal_api.db.session import make_sessionmaker
from portal_api.main import create_app
from portal_api.models import (
    AuditEvent,
    LocalOfferView,
    Organisation,
    Role,
    StatusObservation,
    Team,
    User,
)
from portal_api.people.legal_status import add_months, add_years
from tests.factories import World, make_token, make_user, make_young_person

API = "/api/v1"
LOCAL_OFFER = f"{API}/local-offer"
YOUNG_PEOPLE = f"{API}/young-people"
FOLLOW_UPS = f"{API}/follow-ups"
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"
ARABIC_YOUR_RIGHTS = "حقوقك بعد مغادرة الرعاية"
ORDER = {"now": 0, "soon": 1, "not_now": 2}


async def _young_person(
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
    *,
    date_of_birth: date,
    care: tuple[tuple[date, date | None], ...],
    activity: str | None = None,
) -> dict[str, str]:
    """A young person on the PA's caseload with an account; returns their auth headers."""
    async with sessionmaker() as session, session.begin():
        org = await session.get(Organisation, world.org_id)
        team = await session.get(Team, world.teams["north"])
        pa = await session.get(User, world.users["pa"])
        assert org is not None
        assert team is not None
        assert pa is not None
        person = await make_young_person(
            session, org, team, pa, date_of_birth=date_of_birth, care=care
        )
        if activity is not None:
            session.add(
                StatusObservation(
                    young_person_id=person.id,
                    recorded_on=today(),
                    in_touch="YES",
                    activity=activity,
                    accommodation="U1",
                )
            )
        user = await make_user(session, org, Role.young_person, young_person=person)
        token = await make_token(session, user)
    return {"Authorization": f"Bearer {token}"}


def _born_months_ago(months: int) -> date:
    return add_months(today(), -months)


async def _former_relevant_student(
    sessionmaker: async_sessionmaker[AsyncSession], world: World
) -> dict[str, str]:
    """19 and a half; in care from the 14th to the 18th birthday; now in higher education."""
    born = _born_months_ago(19 * 12 + 6)
    care = ((add_years(born, 14), add_years(born, 18)),)
    return await _young_person(sessionmaker, world, date_of_birth=born, care=care, activity="F1")


async def _eligible_16_year_old(
    sessionmaker: async_sessionmaker[AsyncSession], world: World
) -> dict[str, str]:
    """16 and a half, in care since the 14th birthday."""
    born = _born_months_ago(16 * 12 + 6)
    return await _young_person(
        sessionmaker, world, date_of_birth=born, care=((add_years(born, 14), None),)
    )


async def _items(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> dict[str, dict[str, Any]]:
    response = await client.get(LOCAL_OFFER, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return {item["slug"]: item for item in response.json()["items"]}


async def _respond(
    client: httpx.AsyncClient, world: World, slug: str, response: str, **extra: str
) -> httpx.Response:
    return await client.post(
        f"{LOCAL_OFFER}/{slug}/responses",
        headers=world.auth("young_person"),
        json={"response": response, **extra},
    )


async def _rights_to_read(client: httpx.AsyncClient, world: World) -> list[str]:
    response = await client.get(f"{YOUNG_PEOPLE}/me/summary", headers=world.auth("young_person"))
    assert response.status_code == 200, response.text
    return [page["slug"] for page in response.json()["rights_to_read"]]


async def _open_talk_follow_ups(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    response = await client.get(FOLLOW_UPS, headers=world.auth("pa"))
    assert response.status_code == 200, response.text
    return [f for f in response.json() if f["id"] != str(world.follow_ups["own"])]


@pytest.fixture
def revised_content(tmp_path: Path) -> Path:
    """The real content with ``your-rights`` at revision 2; its translations still say 1."""
    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    page = root / "national" / "en" / "your-rights.md"
    text = page.read_text(encoding="utf-8")
    assert "\nrevision: 1\n" in text
    page.write_text(text.replace("\nrevision: 1\n", "\nrevision: 2\n", 1), encoding="utf-8")
    return root


@pytest.fixture
async def revised_client(
    revised_content: Path, database_url: str, engine: AsyncEngine
) -> AsyncIterator[httpx.AsyncClient]:
    """A second app on the same database, started with the revised content."""
    application: FastAPI = create_app(
        Settings(content_dir=revised_content, environment="test", database_url=database_url)
    )
    await application.state.engine.dispose()
    application.state.engine = engine
    application.state.sessionmaker = make_sessionmaker(engine)
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
        yield client


# --- what applies to whom ---------------------------------------------------------------------


async def test_former_relevant_student_gets_higher_education_bursary_now(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = await _former_relevant_student(sessionmaker, world)

    items = await _items(client, headers)

    assert items["higher-education-bursary"]["applies"] == "now"


async def test_eligible_16_year_old_does_not_get_higher_education_bursary_now(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = await _eligible_16_year_old(sessionmaker, world)

    items = await _items(client, headers)

    assert items["higher-education-bursary"]["applies"] != "now"


async def test_list_is_ordered_now_then_soon_then_not_now(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    born = _born_months_ago(17 * 12 + 9)
    headers = await _young_person(
        sessionmaker, world, date_of_birth=born, care=((add_years(born, 14), None),)
    )

    response = await client.get(LOCAL_OFFER, headers=headers)

    assert response.status_code == 200, response.text
    applies = [item["applies"] for item in response.json()["items"]]
    assert set(applies) == {"now", "soon", "not_now"}
    assert applies == sorted(applies, key=ORDER.__getitem__)


async def test_page_from_18_is_soon_at_17_and_9_months(
    client: httpx.AsyncClient, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    born = _born_months_ago(17 * 12 + 9)
    headers = await _young_person(
        sessionmaker, world, date_of_birth=born, care=((add_years(born, 14), None),)
    )

    items = await _items(client, headers)

    assert items["junior-isa"]["applies"] == "soon"


async def test_young_person_sees_whether_they_responded(
    client: httpx.AsyncClient, world: World
) -> None:
    assert (await _respond(client, world, "your-rights", "understood")).status_code == 201

    items = await _items(client, world.auth("young_person"))

    assert items["your-rights"]["responded"] is True
    assert items["advocacy"]["responded"] is False


async def test_staff_get_no_applies_or_responded(client: httpx.AsyncClient, world: World) -> None:
    items = await _items(client, world.auth("pa"))

    assert {item["applies"] for item in items.values()} == {None}
    assert {item["responded"] for item in items.values()} == {None}


async def test_council_pages_are_listed_with_national_ones(
    client: httpx.AsyncClient, world: World
) -> None:
    items = await _items(client, world.auth("young_person"))

    assert {"eastmarsh-local-offer", "your-rights"} <= set(items)


# --- languages, ETags, missing pages ------------------------------------------------------------


async def test_arabic_list_has_arabic_titles_for_translated_core_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        LOCAL_OFFER, headers=world.auth("young_person"), params={"lang": "ar"}
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == "ar"
    items = {item["slug"]: item for item in response.json()["items"]}
    assert items["your-rights"]["title"] == ARABIC_YOUR_RIGHTS
    assert all(item["lang"] == "ar" for item in items.values() if item["core"])


async def test_unknown_language_falls_back_to_english(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        LOCAL_OFFER, headers=world.auth("young_person"), params={"lang": "xx"}
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == "en"
    assert response.json()["lang"] == "en"
    items = {item["slug"]: item for item in response.json()["items"]}
    assert items["your-rights"]["title"] == "Your rights as a care leaver"


async def test_page_is_sanitised_html_with_an_etag(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(f"{LOCAL_OFFER}/your-rights", headers=world.auth("young_person"))

    assert response.status_code == 200, response.text
    assert response.headers["ETag"].startswith('"')
    body = response.json()
    assert body["html"].startswith("<")
    assert 'href="/local-offer/advocacy"' in body["html"]
    assert body["notice"] is None


async def test_matching_if_none_match_is_304_without_a_body(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{LOCAL_OFFER}/your-rights"
    first = await client.get(url, headers=world.auth("young_person"))
    etag = first.headers["ETag"]

    again = await client.get(url, headers={**world.auth("young_person"), "If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag


async def test_arabic_page_is_served_in_arabic(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        f"{LOCAL_OFFER}/your-rights", headers=world.auth("young_person"), params={"lang": "ar"}
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == "ar"
    assert response.json()["title"] == ARABIC_YOUR_RIGHTS
    assert response.json()["translation_status"] == "awaiting_review"


async def test_untranslated_page_is_served_in_english_with_a_notice(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{LOCAL_OFFER}/staying-put", headers=world.auth("young_person"), params={"lang": "ar"}
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == "en"
    assert response.json()["lang"] == "en"
    assert "not translated" in response.json()["notice"]


async def test_stale_translation_is_served_in_english_with_a_notice(
    revised_client: httpx.AsyncClient, world: World
) -> None:
    response = await revised_client.get(
        f"{LOCAL_OFFER}/your-rights", headers=world.auth("young_person"), params={"lang": "ar"}
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == "en"
    body = response.json()
    assert body["title"] == "Your rights as a care leaver"
    assert body["revision"] == 2
    assert "out of date" in body["notice"]


async def test_unknown_page_is_404_problem(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(f"{LOCAL_OFFER}/no-such-page", headers=world.auth("young_person"))

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


# --- responses and follow-ups ---------------------------------------------------------------------


async def test_response_records_the_pages_revision(client: httpx.AsyncClient, world: World) -> None:
    response = await _respond(client, world, "your-rights", "understood")

    assert response.status_code == 201, response.text
    assert response.json()["revision"] == 1
    assert response.json()["applied_to_them"] is True


async def test_response_to_a_page_that_does_not_apply_is_kept(
    client: httpx.AsyncClient, world: World
) -> None:
    # own is 18: homeless-at-16-or-17 stops at 17.
    response = await _respond(client, world, "homeless-at-16-or-17", "not_for_me")

    assert response.status_code == 201, response.text
    assert response.json()["applied_to_them"] is False


async def test_staff_cannot_respond_to_a_page(client: httpx.AsyncClient, world: World) -> None:
    response = await client.post(
        f"{LOCAL_OFFER}/your-rights/responses",
        headers=world.auth("pa"),
        json={"response": "understood"},
    )

    assert response.status_code == 403


async def test_response_to_unknown_page_is_404(client: httpx.AsyncClient, world: World) -> None:
    response = await _respond(client, world, "no-such-page", "understood")

    assert response.status_code == 404


async def test_want_to_talk_puts_a_follow_up_on_the_pas_list(
    client: httpx.AsyncClient, world: World
) -> None:
    created = await _respond(client, world, "staying-put", "want_to_talk", comment="Can I stay?")
    assert created.status_code == 201, created.text

    follow_ups = await _open_talk_follow_ups(client, world)

    assert len(follow_ups) == 1
    assert follow_ups[0]["young_person_id"] == str(world.young_people["own"])
    assert follow_ups[0]["kind"] == "local_offer_talk"
    assert follow_ups[0]["subject"] == "Wants to talk about “Staying Put with your foster carers”"
    assert follow_ups[0]["detail"] == "Can I stay?"


async def test_understood_makes_no_follow_up(client: httpx.AsyncClient, world: World) -> None:
    assert (await _respond(client, world, "staying-put", "understood")).status_code == 201

    assert await _open_talk_follow_ups(client, world) == []


async def test_resolved_follow_up_leaves_the_open_list(
    client: httpx.AsyncClient, world: World
) -> None:
    assert (await _respond(client, world, "staying-put", "want_to_talk")).status_code == 201
    [follow_up] = await _open_talk_follow_ups(client, world)

    resolved = await client.post(
        f"{FOLLOW_UPS}/{follow_up['id']}/resolve",
        headers=world.auth("pa"),
        json={"resolution": "Talked it through on the phone."},
    )

    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["resolution"] == "Talked it through on the phone."
    assert await _open_talk_follow_ups(client, world) == []


async def test_resolving_a_follow_up_is_audited_as_a_change_to_the_young_persons_record(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    own = world.young_people["own"]
    assert (await _respond(client, world, "staying-put", "want_to_talk")).status_code == 201
    [follow_up] = await _open_talk_follow_ups(client, world)

    resolved = await client.post(
        f"{FOLLOW_UPS}/{follow_up['id']}/resolve",
        headers=world.auth("pa"),
        json={"resolution": "Talked it through on the phone."},
    )

    assert resolved.status_code == 200, resolved.text
    actions = await session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.young_person_id == own, AuditEvent.actor_id == world.users["pa"])
        .order_by(AuditEvent.id)
    )
    # the list the PA opened it from is a read of the young person's record too
    assert list(actions) == ["follow_up.read", "follow_up.change", "follow_up.resolve"]


async def test_resolving_a_follow_up_twice_is_a_conflict(
    client: httpx.AsyncClient, world: World
) -> None:
    assert (await _respond(client, world, "staying-put", "want_to_talk")).status_code == 201
    [follow_up] = await _open_talk_follow_ups(client, world)
    url = f"{FOLLOW_UPS}/{follow_up['id']}/resolve"
    first = await client.post(url, headers=world.auth("pa"), json={"resolution": "Done."})
    assert first.status_code == 200, first.text

    second = await client.post(url, headers=world.auth("pa"), json={"resolution": "Again."})

    assert second.status_code == 409
    assert second.json()["status"] == 409


# --- what staff see of a young person's reading ---------------------------------------------------


async def test_activity_shows_seen_revisions_and_latest_response(
    client: httpx.AsyncClient, world: World
) -> None:
    me = world.auth("young_person")
    assert (await client.post(f"{LOCAL_OFFER}/your-rights/views", headers=me)).status_code == 204
    assert (await _respond(client, world, "your-rights", "want_to_talk")).status_code == 201
    assert (await _respond(client, world, "your-rights", "understood")).status_code == 201

    response = await client.get(
        f"{YOUNG_PEOPLE}/{world.young_people['own']}/local-offer", headers=world.auth("pa")
    )

    assert response.status_code == 200, response.text
    pages = {page["slug"]: page for page in response.json()}
    assert pages["your-rights"]["seen_revisions"] == [1]
    assert pages["your-rights"]["latest_response"] == "understood"
    assert pages["your-rights"]["latest_response_revision"] == 1
    assert pages["your-rights"]["up_to_date"] is True
    assert pages["advocacy"]["seen_revisions"] == []
    assert pages["advocacy"]["latest_response"] is None


async def _seen(session: AsyncSession, world: World) -> list[tuple[str, int, str]]:
    rows = await session.execute(
        select(LocalOfferView.slug, LocalOfferView.revision, LocalOfferView.lang).where(
            LocalOfferView.young_person_id == world.young_people["own"]
        )
    )
    return [(slug, revision, lang) for slug, revision, lang in rows.all()]


async def test_reading_a_page_records_no_view(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    # What a precache or background refresh does: the whole list, every page, more than once.
    me = world.auth("young_person")
    for _ in range(2):
        await client.get(LOCAL_OFFER, headers=me)
        await client.get(f"{LOCAL_OFFER}/your-rights", headers=me)
        await client.get(f"{LOCAL_OFFER}/your-rights", headers=me, params={"lang": "ar"})

    assert await _seen(session, world) == []


async def test_opening_a_page_records_one_view_per_revision_in_the_language_shown(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    me = world.auth("young_person")
    views = f"{LOCAL_OFFER}/your-rights/views"

    first = await client.post(views, headers=me, params={"lang": "ar"})
    again = await client.post(views, headers=me)

    assert (first.status_code, again.status_code) == (204, 204), first.text
    assert await _seen(session, world) == [("your-rights", 1, "ar")]


async def test_opening_a_page_that_does_not_exist_is_not_found(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        f"{LOCAL_OFFER}/no-such-page/views", headers=world.auth("young_person")
    )

    assert response.status_code == 404, response.text


async def test_staff_reading_activity_is_audited(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    own = world.young_people["own"]
    response = await client.get(f"{YOUNG_PEOPLE}/{own}/local-offer", headers=world.auth("pa"))
    assert response.status_code == 200, response.text

    actors = await session.scalars(
        select(AuditEvent.actor_id).where(
            AuditEvent.action == "local_offer_activity.read", AuditEvent.young_person_id == own
        )
    )
    assert list(actors) == [world.users["pa"]]


async def test_young_person_sees_own_activity(client: httpx.AsyncClient, world: World) -> None:
    assert (await _respond(client, world, "advocacy", "understood")).status_code == 201

    response = await client.get(
        f"{YOUNG_PEOPLE}/me/local-offer", headers=world.auth("young_person")
    )

    assert response.status_code == 200, response.text
    pages = {page["slug"]: page for page in response.json()}
    assert pages["advocacy"]["latest_response"] == "understood"


# --- the home screen's rights to read --------------------------------------------------------


async def test_rights_to_read_lists_core_pages_that_apply(
    client: httpx.AsyncClient, world: World
) -> None:
    to_read = await _rights_to_read(client, world)

    core = {
        slug
        for slug, item in (await _items(client, world.auth("young_person"))).items()
        if item["core"]
    }
    assert {"your-rights", "pathway-plan", "eastmarsh-local-offer"} <= set(to_read)
    assert set(to_read) <= core
    # own is 18: the page for 16 and 17 year olds is not theirs to read.
    assert "homeless-at-16-or-17" not in to_read


async def test_understood_page_drops_out_of_rights_to_read(
    client: httpx.AsyncClient, world: World
) -> None:
    assert (await _respond(client, world, "your-rights", "understood")).status_code == 201

    to_read = await _rights_to_read(client, world)

    assert "your-rights" not in to_read
    assert "pathway-plan" in to_read


async def test_new_revision_puts_page_back_in_rights_to_read(
    client: httpx.AsyncClient, revised_client: httpx.AsyncClient, world: World
) -> None:
    assert (await _respond(client, world, "your-rights", "understood")).status_code == 201
    assert "your-rights" not in await _rights_to_read(client, world)

    to_read = await _rights_to_read(revised_client, world)

    assert "your-rights" in to_read


# --- entitlements -----------------------------------------------------------------------------


def _entitlement_url(world: World, slug: str, who: str = "own") -> str:
    person = "me" if who == "me" else str(world.young_people[who])
    return f"{YOUNG_PEOPLE}/{person}/entitlements/{slug}"


async def _record(
    client: httpx.AsyncClient, world: World, slug: str, actor: str = "pa", **body: str
) -> httpx.Response:
    return await client.post(_entitlement_url(world, slug), headers=world.auth(actor), json=body)


async def _my_entitlements(client: httpx.AsyncClient, world: World) -> dict[str, dict[str, Any]]:
    response = await client.get(
        f"{YOUNG_PEOPLE}/me/entitlements", headers=world.auth("young_person")
    )
    assert response.status_code == 200, response.text
    return {item["slug"]: item for item in response.json()}


def _field_errors(response: httpx.Response) -> list[str]:
    return [e["field"].split(".")[-1] for e in response.json().get("errors", [])]


async def test_pa_records_a_part_payment(client: httpx.AsyncClient, world: World) -> None:
    response = await _record(
        client,
        world,
        "setting-up-home-allowance",
        status="received",
        status_on="2026-10-01",
        amount_gbp="1200",
    )

    assert response.status_code == 201, response.text
    recorded = {item["slug"]: item for item in response.json()}["setting-up-home-allowance"]
    assert recorded["status"] == "received"


async def test_young_person_sees_what_is_paid_and_what_is_left(
    client: httpx.AsyncClient, world: World
) -> None:
    applied = await _record(
        client, world, "setting-up-home-allowance", status="applied", status_on="2026-09-01"
    )
    assert applied.status_code == 201, applied.text
    received = await _record(
        client,
        world,
        "setting-up-home-allowance",
        status="received",
        status_on="2026-10-01",
        amount_gbp="1200",
    )
    assert received.status_code == 201, received.text

    allowance = (await _my_entitlements(client, world))["setting-up-home-allowance"]

    assert float(allowance["paid_gbp"]) == 1200
    assert float(allowance["remaining_gbp"]) == 1800
    assert float(allowance["amount_gbp"]) == 3000
    assert "£1,200 of your £3,000" in allowance["message"]
    assert "ask your PA about the rest" in allowance["message"]
    assert [(step["status"], step["status_on"]) for step in allowance["history"]] == [
        ("applied", "2026-09-01"),
        ("received", "2026-10-01"),
    ]
    assert allowance["history"][1]["recorded_by"] == "Priya PA"


async def test_entitlement_not_started_is_listed_when_it_applies(
    client: httpx.AsyncClient, world: World
) -> None:
    allowance = (await _my_entitlements(client, world))["setting-up-home-allowance"]

    assert allowance["status"] == "not_started"
    assert float(allowance["paid_gbp"]) == 0
    assert allowance["applies_now"] is True


async def test_amount_with_status_applied_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _record(
        client,
        world,
        "setting-up-home-allowance",
        status="applied",
        status_on="2026-10-01",
        amount_gbp="1200",
    )

    assert response.status_code == 422, response.text
    assert "amount_gbp" in response.text


async def test_status_on_in_the_future_is_refused(client: httpx.AsyncClient, world: World) -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()

    response = await _record(
        client, world, "setting-up-home-allowance", status="applied", status_on=tomorrow
    )

    assert response.status_code == 422, response.text
    assert "status_on" in response.text


async def test_information_page_is_not_an_entitlement(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _record(client, world, "your-rights", status="applied", status_on="2026-10-01")

    assert response.status_code == 422, response.text
    assert "slug" in _field_errors(response)


async def test_unknown_entitlement_is_404(client: httpx.AsyncClient, world: World) -> None:
    response = await _record(
        client, world, "no-such-page", status="applied", status_on="2026-10-01"
    )

    assert response.status_code == 404


async def test_young_person_cannot_record_an_entitlement(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.post(
        _entitlement_url(world, "setting-up-home-allowance", "me"),
        headers=world.auth("young_person"),
        json={"status": "received", "status_on": "2026-10-01", "amount_gbp": "3000"},
    )

    assert response.status_code == 403
    assert (await _my_entitlements(client, world))["setting-up-home-allowance"]["history"] == []


async def test_recording_an_entitlement_is_audited(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    response = await _record(
        client, world, "setting-up-home-allowance", status="applied", status_on="2026-10-01"
    )
    assert response.status_code == 201, response.text

    actors = await session.scalars(
        select(AuditEvent.actor_id).where(
            AuditEvent.action == "entitlement.change",
            AuditEvent.young_person_id == world.young_people["own"],
        )
    )
    assert list(actors) == [world.users["pa"]]
