"""The young person's own choices: the name the app calls them, its language, how they are told."""

from __future__ import annotations

from fastapi import APIRouter

from portal_api.auth.dependencies import CurrentYoungPerson
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses
from portal_api.people import preferences
from portal_api.people.preferences import PreferencesRead, PreferencesUpdate

router = APIRouter(tags=["young people"])
PREFERENCES = "/users/me/preferences"


@router.get(PREFERENCES, response_model=PreferencesRead, responses=problem_responses(401, 403))
async def get_my_preferences(session: SessionDep, actor: CurrentYoungPerson) -> PreferencesRead:
    """Young people: my preferred name, language and how I am told of news."""
    return await preferences.get_preferences(session, actor)


@router.patch(
    PREFERENCES, response_model=PreferencesRead, responses=problem_responses(401, 403, 412, 422)
)
async def update_my_preferences(
    session: SessionDep, actor: CurrentYoungPerson, body: PreferencesUpdate
) -> PreferencesRead:
    """Young people: change my preferred name, language or how I am told (send only what
    changes). Nothing else on my record changes this way."""
    return await preferences.update_preferences(session, actor, body)
