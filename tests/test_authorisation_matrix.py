"""Every route, every role, against their own and someone else's record.

The expectations are written out by hand from DESIGN.md's table of roles, not computed from
people/scope.py, so a change to the scope rules that breaks the design fails here. A route that
has no row in MATRIX fails ``test_every_route_has_a_row``.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import PASSWORD, World

ACTORS = (
    "anonymous",
    "young_person",
    "pa",
    "team_manager",
    "org_manager",
    "admin",
    "other_org_manager",
)
TARGETS = ("own", "colleague", "other_team", "other_org", "me")
OK = "ok"
# An id that names nothing in the world (no concerns, providers or schemes are made there).
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"

# --- who may do what to whose record (DESIGN.md "Roles and what each may see") --------------
Expected = dict[str, dict[str, int | str]]
_ANON: dict[str, int | str] = dict.fromkeys(TARGETS, 401)
_ADMIN: dict[str, int | str] = dict.fromkeys(TARGETS, 403)  # administrators never see case records
_ROLE_EXCLUDED: dict[str, int | str] = dict.fromkeys(TARGETS, 403)

YOUNG_PERSON_READ: Expected = {
    "anonymous": _ANON,
    "young_person": {"own": OK, "me": OK, "colleague": 404, "other_team": 404, "other_org": 404},
    # a PA reads their caseload and, for duty cover, the rest of their team
    "pa": {"own": OK, "colleague": OK, "other_team": 404, "other_org": 404, "me": 404},
    "team_manager": {"own": OK, "colleague": OK, "other_team": 404, "other_org": 404, "me": 404},
    "org_manager": {"own": OK, "colleague": OK, "other_team": OK, "other_org": 404, "me": 404},
    "admin": _ADMIN,
    "other_org_manager": {
        "own": 404,
        "colleague": 404,
        "other_team": 404,
        "other_org": OK,
        "me": 404,
    },
}
STAFF_READ: Expected = {**YOUNG_PERSON_READ, "young_person": _ROLE_EXCLUDED}
STAFF_WRITE: Expected = {
    **STAFF_READ,
    # duty cover is read-only: the colleague's young person is visible, so 403, not 404
    "pa": {"own": OK, "colleague": 403, "other_team": 404, "other_org": 404, "me": 404},
}

# Only the young person themselves (responding to their own plan); staff never answer for them.
YOUNG_PERSON_ONLY: Expected = {
    "anonymous": _ANON,
    "young_person": YOUNG_PERSON_READ["young_person"],
    **dict.fromkeys(ACTORS[2:], _ROLE_EXCLUDED),
}
# The young person for themselves, or staff who may change the record.
YOUNG_PERSON_OR_STAFF_WRITE: Expected = {
    **STAFF_WRITE,
    "young_person": YOUNG_PERSON_READ["young_person"],
}
# Managers only (approving a plan), within their scope.
MANAGER_WRITE: Expected = {**STAFF_WRITE, "pa": _ROLE_EXCLUDED}


@dataclass(frozen=True)
class YoungPersonRoute:
    expected: dict[str, dict[str, int | str]]
    ok: frozenset[int]
    body: Callable[[World, str], dict[str, Any]] | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    # For rows that name something inside the target's record (a message id).
    target_params: Callable[[World, str], dict[str, str]] | None = None
    target_body: Callable[[World, str], dict[str, Any]] | None = None
    headers: Callable[[], dict[str, str]] | None = None


@dataclass(frozen=True)
class Route:
    """A route not about one young person: the status each actor gets."""

    expected: dict[str, int]
    body: Callable[[World, str], dict[str, Any]] | None = None
    form: Callable[[World, str], dict[str, str]] | None = None
    path_params: Callable[[World], dict[str, str]] = field(default=lambda w: {})


def _staff(ok: int, **others: int) -> dict[str, int]:
    base = {
        "anonymous": 401,
        "young_person": 403,
        "pa": ok,
        "team_manager": ok,
        "org_manager": ok,
        "admin": 403,
        "other_org_manager": ok,
    }
    return {**base, **others}


def _everyone(ok: int) -> dict[str, int]:
    return {"anonymous": 401, **dict.fromkeys(ACTORS[1:], ok)}


def _admin_only(ok: int) -> dict[str, int]:
    return {"anonymous": 401, **dict.fromkeys(ACTORS[1:], 403), "admin": ok}


def _new_young_person(world: World, actor: str) -> dict[str, Any]:
    return {
        "external_id": f"NEW-{actor}",
        "given_name": "New",
        "family_name": "Person",
        "date_of_birth": "2009-02-01",
        "team_id": str(world.teams["north"]),
        "care_periods": [{"start": "2022-01-01"}],
    }


MATRIX: dict[tuple[str, str], YoungPersonRoute | Route] = {
    ("GET", "/healthz"): Route(expected=dict.fromkeys(ACTORS, 200)),
    ("GET", "/readyz"): Route(expected=dict.fromkeys(ACTORS, 200)),
    ("POST", "/api/v1/auth/login"): Route(
        expected=dict.fromkeys(ACTORS, 200),
        form=lambda w, a: {"username": w.emails.get(a, w.emails["pa"]), "password": PASSWORD},
    ),
    ("POST", "/api/v1/auth/logout"): Route(expected=_everyone(204)),
    ("POST", "/api/v1/auth/cookie/login"): Route(
        expected=dict.fromkeys(ACTORS, 204),
        form=lambda w, a: {"username": w.emails.get(a, w.emails["pa"]), "password": PASSWORD},
    ),
    # signing a browser out answers the same whether or not its session is still alive
    ("POST", "/api/v1/auth/cookie/logout"): Route(expected=dict.fromkeys(ACTORS, 204)),
    ("POST", "/api/v1/auth/logout-everywhere"): Route(expected=_everyone(204)),
    ("POST", "/api/v1/auth/forgot-password"): Route(
        # the same answer for everyone, whether or not the email has an account
        expected=dict.fromkeys(ACTORS, 202),
        body=lambda w, a: {"email": w.emails.get(a, "nobody-here@example.org")},
    ),
    ("POST", "/api/v1/auth/reset-password"): Route(
        # an unknown reset link is "not found" for everyone, signed in or not
        expected=dict.fromkeys(ACTORS, 404),
        body=lambda w, a: {"token": secrets.token_urlsafe(16), "new_password": "long enough pw"},
    ),
    ("GET", "/api/v1/users/me"): Route(expected=_everyone(200)),
    ("POST", "/api/v1/users/me/password"): Route(
        expected=_everyone(204),
        body=lambda w, a: {"current_password": PASSWORD, "new_password": "a new long passphrase"},
    ),
    # two-step sign-in is for staff, administrators included; young people never use it
    ("POST", "/api/v1/users/me/mfa"): Route(expected=_staff(201, admin=201)),
    ("POST", "/api/v1/users/me/mfa/confirm"): Route(
        # nobody in the world has started setting it up: staff get 409, not a guessable 422
        expected=_staff(409, admin=409),
        body=lambda w, a: {"code": "123456"},
    ),
    ("POST", "/api/v1/staff/{staff_id}/mfa/reset"): Route(
        expected=_admin_only(204),
        path_params=lambda w: {"staff_id": str(w.users["colleague_pa"])},
    ),
    ("POST", "/api/v1/invites/accept"): Route(
        # an unknown invite is "not found" for everyone, signed in or not
        expected=dict.fromkeys(ACTORS, 404),
        body=lambda w, a: {"token": secrets.token_urlsafe(16), "password": "long enough pw"},
    ),
    ("POST", "/api/v1/auth/cookie/invites/accept"): Route(
        expected=dict.fromkeys(ACTORS, 404),
        body=lambda w, a: {"token": secrets.token_urlsafe(16), "password": "long enough pw"},
    ),
    # before sign-in: public, the same for everyone
    ("GET", "/api/v1/branding"): Route(expected=dict.fromkeys(ACTORS, 200)),
    ("GET", "/api/v1/branding/icons/{size}.png"): Route(
        expected=dict.fromkeys(ACTORS, 200), path_params=lambda w: {"size": "192"}
    ),
    ("GET", "/manifest.webmanifest"): Route(expected=dict.fromkeys(ACTORS, 200)),
    ("GET", "/api/v1/invites/{token}"): Route(
        # public, for the set-up screen: an unknown invite is "not found" for everyone
        expected=dict.fromkeys(ACTORS, 404),
        path_params=lambda w: {"token": secrets.token_urlsafe(16)},
    ),
    ("GET", "/api/v1/organisation"): Route(expected=_everyone(200)),
    ("PATCH", "/api/v1/organisation"): Route(
        expected=_admin_only(200), body=lambda w, a: {"office_phone": "01632 960 000"}
    ),
    ("GET", "/api/v1/teams"): Route(expected=_staff(200, admin=200)),
    ("POST", "/api/v1/teams"): Route(
        expected=_admin_only(201), body=lambda w, a: {"name": f"Team {a}"}
    ),
    ("GET", "/api/v1/staff"): Route(expected=_staff(200, admin=200)),
    ("POST", "/api/v1/staff"): Route(
        expected=_admin_only(201),
        body=lambda w, a: {
            "email": f"new-{a}@example.org",
            "display_name": "New PA",
            "role": "personal_adviser",
            "password": "long enough password",
        },
    ),
    ("PATCH", "/api/v1/staff/{staff_id}"): Route(
        expected=_admin_only(200),
        body=lambda w, a: {"display_name": "Renamed"},
        path_params=lambda w: {"staff_id": str(w.users["colleague_pa"])},
    ),
    ("GET", "/api/v1/young-people"): Route(expected=_staff(200)),
    ("POST", "/api/v1/young-people"): Route(
        # north is not a team of the other council's manager: the body names a team they lack
        expected=_staff(201, other_org_manager=422),
        body=_new_young_person,
    ),
    ("GET", "/api/v1/young-people/{yp}"): YoungPersonRoute(YOUNG_PERSON_READ, frozenset({200})),
    ("PATCH", "/api/v1/young-people/{yp}"): YoungPersonRoute(
        STAFF_WRITE, frozenset({200}), body=lambda w, a: {"preferred_language": "en"}
    ),
    ("GET", "/api/v1/young-people/{yp}/summary"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("GET", "/api/v1/young-people/{yp}/access-log"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    # the staff console's first read of a case: staff only (the young person has their summary)
    ("GET", "/api/v1/young-people/{yp}/overview"): YoungPersonRoute(STAFF_READ, frozenset({200})),
    ("GET", "/api/v1/caseload"): Route(expected=_staff(200)),
    ("GET", "/api/v1/conversations"): Route(expected=_staff(200)),
    ("GET", "/api/v1/users/me/availability"): Route(expected=_staff(200)),
    ("GET", "/api/v1/young-people/{yp}/check-in-rhythm"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("GET", "/api/v1/young-people/{yp}/export"): YoungPersonRoute(
        # subject access: the young person's own copy, or the full copy for staff who may change
        # the record (duty cover reads but may not take the whole record away)
        YOUNG_PERSON_OR_STAFF_WRITE,
        frozenset({200}),
    ),
    ("GET", "/api/v1/young-people/{yp}/contacts"): YoungPersonRoute(STAFF_READ, frozenset({200})),
    ("POST", "/api/v1/young-people/{yp}/contacts"): YoungPersonRoute(
        STAFF_WRITE,
        frozenset({201}),
        body=lambda w, a: {"contact_on": "2026-01-05", "kind": "visit"},
    ),
    ("GET", "/api/v1/young-people/{yp}/observations"): YoungPersonRoute(
        STAFF_READ, frozenset({200})
    ),
    ("POST", "/api/v1/young-people/{yp}/observations"): YoungPersonRoute(
        STAFF_WRITE,
        frozenset({201}),
        body=lambda w, a: {
            "recorded_on": "2026-01-05",
            "in_touch": "YES",
            "activity": "F2",
            "accommodation": "U1",
        },
    ),
    ("POST", "/api/v1/young-people/{yp}/invites"): YoungPersonRoute(
        # "own" already has an account, so inviting them again is a 409, not a denial
        STAFF_WRITE,
        frozenset({201, 409}),
        body=lambda w, a: {"email": f"invitee-{secrets.token_hex(3)}@example.org"},
    ),
    ("GET", "/api/v1/young-people/{yp}/invites/latest"): YoungPersonRoute(
        STAFF_READ, frozenset({200})
    ),
    ("POST", "/api/v1/young-people/{yp}/password-reset"): YoungPersonRoute(
        # the link goes to the young person; "own" has an account (202), the others none (409)
        STAFF_WRITE,
        frozenset({202, 409}),
        body=lambda w, a: {},
    ),
    ("GET", "/api/v1/local-offer"): Route(expected=_everyone(200)),
    # a preview of the app for a profile, not a person: every member of staff, no record read
    ("GET", "/api/v1/home-preview"): Route(expected=_staff(200, admin=200)),
    ("GET", "/api/v1/local-offer/{slug}"): Route(
        expected=_everyone(200), path_params=lambda w: {"slug": "your-rights"}
    ),
    ("POST", "/api/v1/local-offer/{slug}/views"): Route(
        # only a young person's own reading counts as seen
        expected={"anonymous": 401, **dict.fromkeys(ACTORS[1:], 403), "young_person": 204},
        path_params=lambda w: {"slug": "your-rights"},
    ),
    ("POST", "/api/v1/local-offer/{slug}/responses"): Route(
        # a young person answers for themselves; staff never answer for them
        expected={"anonymous": 401, **dict.fromkeys(ACTORS[1:], 403), "young_person": 201},
        body=lambda w, a: {"response": "understood"},
        path_params=lambda w: {"slug": "your-rights"},
    ),
    ("GET", "/api/v1/young-people/{yp}/local-offer"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("GET", "/api/v1/young-people/{yp}/entitlements"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("POST", "/api/v1/young-people/{yp}/entitlements/{slug}"): YoungPersonRoute(
        STAFF_WRITE,
        frozenset({201}),
        body=lambda w, a: {"status": "applied", "status_on": "2026-01-05"},
        path_params={"slug": "setting-up-home-allowance"},
    ),
    ("GET", "/api/v1/young-people/{yp}/plan"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("GET", "/api/v1/young-people/{yp}/plan/versions"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("GET", "/api/v1/young-people/{yp}/plan/versions/{n}"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200}), path_params={"n": "1"}
    ),
    ("POST", "/api/v1/young-people/{yp}/plan/versions/{n}/opened"): YoungPersonRoute(
        # only the young person opening it counts as a copy received
        YOUNG_PERSON_ONLY,
        frozenset({204}),
        path_params={"n": "1"},
    ),
    ("GET", "/api/v1/young-people/{yp}/plan/versions/{n}/pdf"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200}), path_params={"n": "1"}
    ),
    ("POST", "/api/v1/young-people/{yp}/plan/draft"): YoungPersonRoute(
        # every world young person already has a draft, so an allowed start is a 409
        STAFF_WRITE,
        frozenset({409}),
        body=lambda w, a: {"copy_latest": True},
    ),
    ("PATCH", "/api/v1/young-people/{yp}/plan/draft"): YoungPersonRoute(
        # If-Match is required; a stale one is compared only once the draft is in scope: allowed,
        # but someone changed it first
        STAFF_WRITE,
        frozenset({412}),
        body=lambda w, a: {"review_by": "2027-01-01"},
        headers=lambda: {"If-Match": '"0-0"'},
    ),
    ("POST", "/api/v1/young-people/{yp}/plan/draft/submit"): YoungPersonRoute(
        # the world's drafts have empty sections: allowed, but not ready to share
        STAFF_WRITE,
        frozenset({422}),
    ),
    ("POST", "/api/v1/young-people/{yp}/plan/versions/{n}/response"): YoungPersonRoute(
        # version 1 is agreed already: allowed, but not awaiting a response
        YOUNG_PERSON_ONLY,
        frozenset({409}),
        body=lambda w, a: {"kind": "agree"},
        path_params={"n": "1"},
    ),
    ("POST", "/api/v1/young-people/{yp}/plan/versions/{n}/approve"): YoungPersonRoute(
        MANAGER_WRITE, frozenset({409}), path_params={"n": "1"}
    ),
    ("POST", "/api/v1/young-people/{yp}/plan/versions/{n}/receipts"): YoungPersonRoute(
        STAFF_WRITE,
        frozenset({201}),
        body=lambda w, a: {"how": "posted", "received_on": "2026-06-10"},
        path_params={"n": "1"},
    ),
    ("POST", "/api/v1/young-people/{yp}/plan/review-requests"): YoungPersonRoute(
        YOUNG_PERSON_OR_STAFF_WRITE,
        frozenset({201}),
        body=lambda w, a: {"reason": "Things have changed at college"},
    ),
    ("GET", "/api/v1/plans/caseload"): Route(expected=_staff(200)),
    ("GET", "/api/v1/plans/review-requests"): Route(expected=_staff(200)),
    ("GET", "/api/v1/young-people/{yp}/documents"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("PATCH", "/api/v1/young-people/{yp}/documents/{type}"): YoungPersonRoute(
        # the young person tells (I need help); staff change the state
        YOUNG_PERSON_OR_STAFF_WRITE,
        frozenset({200}),
        body=lambda w, a: (
            {"young_person_says": "need_help"} if a == "young_person" else {"state": "requested"}
        ),
        path_params={"type": "photo_id"},
    ),
    ("GET", "/api/v1/documents/outstanding"): Route(expected=_staff(200)),
    ("GET", "/api/v1/document-types"): Route(expected=_everyone(200)),
    ("POST", "/api/v1/document-types"): Route(
        expected=_admin_only(201),
        body=lambda w, a: {
            "key": f"tenancy_pack_{a}",
            "name": "Tenancy starter pack",
            "why_it_matters": "So you know your rights as a tenant.",
            "how_to_get_it": "Your PA gives it to you before you move.",
        },
    ),
    ("PATCH", "/api/v1/document-types/{key}"): Route(
        expected=_admin_only(200),
        body=lambda w, a: {"name": "Photo ID (passport, licence or CitizenCard)"},
        path_params=lambda w: {"key": "photo_id"},
    ),
    ("GET", "/api/v1/young-people/{yp}/messages"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("POST", "/api/v1/young-people/{yp}/messages"): YoungPersonRoute(
        # duty cover: staff who can read the record can take part in the conversation
        YOUNG_PERSON_READ,
        frozenset({201}),
        body=lambda w, a: {"body": "Are we still meeting on Tuesday?"},
        headers=lambda: {"Idempotency-Key": str(uuid.uuid4())},
    ),
    ("POST", "/api/v1/young-people/{yp}/messages/read"): YoungPersonRoute(
        YOUNG_PERSON_READ,
        frozenset({200}),
        target_body=lambda w, t: {"up_to": w.messages[t]},
    ),
    ("POST", "/api/v1/young-people/{yp}/messages/{message_id}/hide"): YoungPersonRoute(
        STAFF_WRITE,
        frozenset({204}),
        body=lambda w, a: {"reason": "Contains another young person's address"},
        target_params=lambda w, t: {"message_id": str(w.messages[t])},
    ),
    ("POST", "/api/v1/young-people/{yp}/messages/{message_id}/flags"): YoungPersonRoute(
        STAFF_READ,
        frozenset({204}),
        body=lambda w, a: {"reason": "Mentions feeling unsafe at home"},
        target_params=lambda w, t: {"message_id": str(w.messages[t])},
    ),
    ("GET", "/api/v1/messages/flagged"): Route(expected=_staff(200, pa=403)),
    ("GET", "/api/v1/messages/duty-queue"): Route(expected=_staff(200)),
    ("POST", "/api/v1/young-people/{yp}/check-ins"): YoungPersonRoute(
        YOUNG_PERSON_ONLY,
        frozenset({201}),
        body=lambda w, a: {"mood": "good"},
        headers=lambda: {"Idempotency-Key": str(uuid.uuid4())},
    ),
    ("PUT", "/api/v1/young-people/{yp}/check-in-rhythm"): YoungPersonRoute(
        STAFF_WRITE, frozenset({204}), body=lambda w, a: {"every_days": 28}
    ),
    ("PUT", "/api/v1/users/me/availability"): Route(
        expected=_staff(204), body=lambda w, a: {"away_until": None}
    ),
    ("POST", "/api/v1/users/me/push-subscriptions"): Route(
        expected=_everyone(204),
        body=lambda w, a: {
            "endpoint": f"https://fcm.googleapis.com/fcm/send/{a}",
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA",
            "auth": "tBHItJI5svbpez7KI4CCXg",
        },
    ),
    # idempotent, and the same answer for an endpoint that was never theirs
    ("DELETE", "/api/v1/users/me/push-subscriptions"): Route(
        expected=_everyone(204),
        body=lambda w, a: {"endpoint": f"https://fcm.googleapis.com/fcm/send/{a}"},
    ),
    # a young person's own choices; staff have none of these to make
    ("GET", "/api/v1/users/me/preferences"): Route(
        expected={"anonymous": 401, **dict.fromkeys(ACTORS[1:], 403), "young_person": 200}
    ),
    ("PATCH", "/api/v1/users/me/preferences"): Route(
        expected={"anonymous": 401, **dict.fromkeys(ACTORS[1:], 403), "young_person": 200},
        body=lambda w, a: {"preferred_name": "Sam", "preferred_language": "ar"},
    ),
    ("GET", "/api/v1/notifications/failed"): Route(expected=_staff(200)),
    ("GET", "/api/v1/events"): Route(expected=_everyone(200) | {"admin": 404}),
    ("GET", "/api/v1/follow-ups"): Route(expected=_staff(200)),
    ("POST", "/api/v1/follow-ups/{follow_up_id}/resolve"): Route(
        # the first allowed actor resolves it; later allowed actors find it already resolved
        expected={
            "anonymous": 401,
            "young_person": 403,
            "pa": 200,
            "team_manager": 409,
            "org_manager": 409,
            "admin": 403,
            "other_org_manager": 404,
        },
        body=lambda w, a: {"resolution": "Talked it through on the phone"},
        path_params=lambda w: {"follow_up_id": str(w.follow_ups["own"])},
    ),
    # --- where I live ---------------------------------------------------------------------
    ("GET", "/api/v1/young-people/{yp}/accommodation-concerns"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("POST", "/api/v1/young-people/{yp}/accommodation-concerns"): YoungPersonRoute(
        # a young person raises one for themselves; staff never raise one on their behalf
        YOUNG_PERSON_ONLY,
        frozenset({201}),
        body=lambda w, a: {"category": "repairs", "text": "The heating has been off for days."},
    ),
    ("POST", "/api/v1/young-people/{yp}/accommodation-concerns/{concern_id}/acknowledge"): (
        # the world has no concerns: an allowed actor reaches the record and finds no such concern
        YoungPersonRoute(STAFF_WRITE, frozenset({404}), path_params={"concern_id": NO_SUCH_ID})
    ),
    ("POST", "/api/v1/young-people/{yp}/accommodation-concerns/{concern_id}/actions"): (
        YoungPersonRoute(
            STAFF_WRITE,
            frozenset({404}),
            body=lambda w, a: {"note": "Rang the provider about the heating."},
            path_params={"concern_id": NO_SUCH_ID},
        )
    ),
    ("POST", "/api/v1/young-people/{yp}/accommodation-concerns/{concern_id}/close"): (
        YoungPersonRoute(
            STAFF_WRITE,
            frozenset({404}),
            body=lambda w, a: {"outcome": "The heating was fixed the same day."},
            path_params={"concern_id": NO_SUCH_ID},
        )
    ),
    ("GET", "/api/v1/young-people/{yp}/accommodation"): YoungPersonRoute(
        YOUNG_PERSON_READ, frozenset({200})
    ),
    ("PUT", "/api/v1/young-people/{yp}/accommodation"): YoungPersonRoute(
        # each allowed actor records a later move, so each one is a real move
        STAFF_WRITE,
        frozenset({200}),
        body=lambda w, a: {
            "code": "U1",
            "since": f"2026-{ACTORS.index(a) + 1:02d}-05",
            "address": "Flat 2, 10 High Street",
        },
    ),
    ("POST", "/api/v1/young-people/{yp}/accommodation/satisfaction"): YoungPersonRoute(
        YOUNG_PERSON_ONLY, frozenset({201}), body=lambda w, a: {"rating": 4}
    ),
    ("GET", "/api/v1/accommodation-concerns"): Route(expected=_staff(200)),
    # the register: staff read it (administrators too), managers and administrators keep it
    ("GET", "/api/v1/providers"): Route(expected=_staff(200, admin=200)),
    ("GET", "/api/v1/providers/overview"): Route(expected=_staff(200, pa=403)),
    ("POST", "/api/v1/providers"): Route(
        expected=_staff(201, pa=403, admin=201), body=lambda w, a: {"name": f"Homes for {a}"}
    ),
    # the world has no providers or schemes: a keeper of the register finds none with this id
    ("PATCH", "/api/v1/providers/{provider_id}"): Route(
        expected=_staff(404, pa=403, admin=404),
        body=lambda w, a: {"commissioned": False},
        path_params=lambda w: {"provider_id": NO_SUCH_ID},
    ),
    ("GET", "/api/v1/providers/{provider_id}/concerns"): Route(
        expected=_staff(404), path_params=lambda w: {"provider_id": NO_SUCH_ID}
    ),
    ("POST", "/api/v1/providers/{provider_id}/schemes"): Route(
        expected=_staff(404, pa=403, admin=404),
        body=lambda w, a: {"name": "Quay House", "address": "1 Quay", "accommodation_type": "D"},
        path_params=lambda w: {"provider_id": NO_SUCH_ID},
    ),
    ("PATCH", "/api/v1/schemes/{scheme_id}"): Route(
        expected=_staff(404, pa=403, admin=404),
        body=lambda w, a: {"commissioned": False},
        path_params=lambda w: {"scheme_id": NO_SUCH_ID},
    ),
    ("POST", "/api/v1/schemes/{scheme_id}/visits"): Route(
        expected=_staff(404, pa=403, admin=404),
        body=lambda w, a: {
            "visited_on": "2026-01-05",
            "visitor_name": "Dana Director",
            "visitor_role": "Director of children's services",
            "is_senior": True,
            "findings": "Clean and calm.",
        },
        path_params=lambda w: {"scheme_id": NO_SUCH_ID},
    ),
    # Oversight: a PA gets their own figures, managers their teams' (or everyone's); exports are
    # for managers. The other council's manager gets their own council's figures.
    ("GET", "/api/v1/reports/overview"): Route(expected=_staff(200)),
    ("GET", "/api/v1/reports/trends"): Route(expected=_staff(200)),
    ("GET", "/api/v1/reports/{measure}/young-people"): Route(
        expected=_staff(200), path_params=lambda w: {"measure": "in_touch"}
    ),
    ("GET", "/api/v1/reports/exports/ssda903-oc3.csv"): Route(expected=_staff(200, pa=403)),
    ("GET", "/api/v1/reports/exports/annex-a-list-9.csv"): Route(expected=_staff(200, pa=403)),
}


def _app_routes(app: FastAPI) -> set[tuple[str, str]]:
    # The OpenAPI document lists every route the app serves (FastAPI's own router internals
    # change between releases; the spec is the contract that stays).
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def test_every_route_has_a_row(app: FastAPI) -> None:
    missing = _app_routes(app) - set(MATRIX)
    stale = set(MATRIX) - _app_routes(app)
    assert not missing, f"routes with no row in the authorisation matrix: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


async def _call(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    body: dict[str, Any] | None,
    form: dict[str, str] | None = None,
) -> httpx.Response:
    if form is not None:
        return await client.request(method, path, headers=headers, data=form)
    return await client.request(method, path, headers=headers, json=body)


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=lambda v: str(v))
async def test_route_authorisation(
    client: httpx.AsyncClient, world: World, method: str, path: str
) -> None:
    row = MATRIX[(method, path)]
    failures: list[str] = []
    for actor in ACTORS:
        headers = world.auth(actor)
        if isinstance(row, YoungPersonRoute):
            for target in TARGETS:
                yp = "me" if target == "me" else str(world.young_people[target])
                body = row.body(world, actor) if row.body else None
                record = "own" if target == "me" else target
                if row.target_body:
                    body = row.target_body(world, record)
                params = {
                    **row.path_params,
                    **(row.target_params(world, record) if row.target_params else {}),
                }
                url = path.format(yp=yp, **params)
                sent = {**headers, **(row.headers() if row.headers else {})}
                response = await _call(client, method, url, sent, body)
                want = row.expected[actor][target]
                good = (
                    response.status_code in row.ok if want == OK else response.status_code == want
                )
                if not good:
                    failures.append(f"{actor} -> {target}: got {response.status_code}, want {want}")
                if response.status_code >= 400:
                    assert response.headers["content-type"] == "application/problem+json"
        else:
            body = row.body(world, actor) if row.body else None
            form = row.form(world, actor) if row.form else None
            url = path.format(**row.path_params(world))
            response = await _call(client, method, url, headers, body, form)
            if response.status_code != row.expected[actor]:
                failures.append(
                    f"{actor}: got {response.status_code}, want {row.expected[actor]}: "
                    f"{response.text[:200]}"
                )
    assert not failures, "\n".join(failures)
