"""Who is asking: typed dependencies every router uses. Roles are checked here, scope in people.scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from portal_api.auth.users import (
    SignedIn,
    any_session,
    client_ip,
    current_active_user,
    current_active_user_and_token,
)
from portal_api.common.actor import Actor
from portal_api.errors import Forbidden
from portal_api.models import Role, User


async def _actor(request: Request, user: Annotated[User, Depends(current_active_user)]) -> Actor:
    return Actor(user=user, ip=client_ip(request))


CurrentActor = Annotated[Actor, Depends(_actor)]
CurrentUserAndToken = Annotated[tuple[User, str], Depends(current_active_user_and_token)]
# Any live session, including one that may only set up two-step sign-in: for the routes that set
# it up and for signing out, nothing else.
AnySession = Annotated[SignedIn, Depends(any_session)]


def _require(*roles: Role) -> object:
    allowed = frozenset(roles)
    names = " or ".join(r.value.replace("_", " ") for r in roles)

    async def dependency(actor: CurrentActor) -> Actor:
        if actor.role not in allowed:
            raise Forbidden(f"Only a {names} may do this.")
        return actor

    return Depends(dependency)


CaseworkStaff = Annotated[Actor, _require(Role.personal_adviser, Role.manager)]
CurrentManager = Annotated[Actor, _require(Role.manager)]
CurrentAdmin = Annotated[Actor, _require(Role.admin)]
CurrentYoungPerson = Annotated[Actor, _require(Role.young_person)]
