"""Who is asking: typed dependencies every router uses. Roles are checked here, scope in people.scope.

A route says who may use it with ``require(*roles)`` or one of the named gates below
(``CurrentStaff``, ``CaseworkStaff``, ``CurrentManager``, ``ManagerOrAdmin``, ``CurrentAdmin``,
``CurrentYoungPerson``); any other role gets 403 before the handler runs. Services never check a
role just to refuse it.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import Depends, Request

from portal_api.auth.signed_in import (
    any_session,
    client_ip,
    current_active_user_and_token,
    may_do_everything,
)
from portal_api.auth.users import SignedIn
from portal_api.common.actor import Actor
from portal_api.errors import Forbidden
from portal_api.models import Role, User


async def _actor(request: Request, signed_in: Annotated[SignedIn, Depends(any_session)]) -> Actor:
    # ``full_session``'s check, called rather than depended on: one level fewer for FastAPI to
    # walk, twice on most routes (the route's actor and its young person's).
    return Actor(user=may_do_everything(signed_in).user, ip=client_ip(request))


CurrentActor = Annotated[Actor, Depends(_actor)]
CurrentUserAndToken = Annotated[tuple[User, str], Depends(current_active_user_and_token)]
# Any live session, including one that may only set up two-step sign-in: for the routes that set
# it up and for signing out, nothing else.
AnySession = Annotated[SignedIn, Depends(any_session)]


async def _session_actor(request: Request, signed_in: AnySession) -> Actor:
    return Actor(user=signed_in.user, ip=client_ip(request))


# The actor of any live session, one that may only set up two-step sign-in included.
SessionActor = Annotated[Actor, Depends(_session_actor)]


def _gate(roles: tuple[Role, ...], refusal: str | None, source: Any) -> Any:
    """``Depends`` on a check of the actor that ``source`` (an ``Annotated`` alias) gives."""
    allowed = frozenset(roles)
    names = " or ".join(r.value.replace("_", " ") for r in roles)
    message = refusal or f"Only a {names} may do this."

    async def dependency(actor: Actor) -> Actor:
        if actor.role not in allowed:
            raise Forbidden(message)
        return actor

    # The source is chosen per gate, so FastAPI reads it from the signature rather than from an
    # annotation string (which would name a local variable it cannot resolve).
    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("actor", inspect.Parameter.KEYWORD_ONLY, annotation=source)],
        return_annotation=Actor,
    )
    return Depends(dependency)


def require(*roles: Role, refusal: str | None = None) -> Any:
    """A dependency that hands the handler the signed-in actor if their role is one of ``roles``,
    and otherwise refuses with 403 (``refusal`` says why, or a sentence naming the roles).

    Use it inside ``Annotated``: ``Annotated[Actor, require(Role.manager, Role.admin)]``.
    """
    return _gate(roles, refusal, CurrentActor)


_STAFF = (Role.personal_adviser, Role.manager, Role.admin)

# Any member of staff: personal advisers, managers and administrators.
CurrentStaff = Annotated[Actor, require(*_STAFF, refusal="Only staff can do this.")]
# The staff who hold caseloads and read case records: personal advisers and managers.
CaseworkStaff = Annotated[Actor, require(Role.personal_adviser, Role.manager)]
CurrentManager = Annotated[Actor, require(Role.manager)]
# Those who keep the organisation's registers (the provider register).
ManagerOrAdmin = Annotated[Actor, require(Role.manager, Role.admin)]
CurrentAdmin = Annotated[Actor, require(Role.admin)]
CurrentYoungPerson = Annotated[Actor, require(Role.young_person)]
# A member of staff in any live session, one that may only set up two-step sign-in included.
StaffSettingUpSignIn = Annotated[
    Actor, _gate(_STAFF, "Two-step sign-in is for staff accounts.", SessionActor)
]
