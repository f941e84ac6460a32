"""Sign in, sign out, who am I, change my password, accept an invite."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from portal_api.auth import service
from portal_api.auth.dependencies import Actor, CurrentActor, CurrentUserAndToken
from portal_api.auth.schemas import InviteAccept, MeRead, PasswordChange, TokenRead
from portal_api.auth.users import HashedDatabaseStrategy, UserManagerDep, client_ip, get_strategy
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses

router = APIRouter()
StrategyDep = Annotated[HashedDatabaseStrategy, Depends(get_strategy)]


@router.post(
    "/auth/login", response_model=TokenRead, tags=["auth"], responses=problem_responses(401, 422)
)
async def login(
    request: Request,
    session: SessionDep,
    manager: UserManagerDep,
    strategy: StrategyDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenRead:
    """Sign in with email and password; returns a bearer token."""
    token = await service.login(session, manager, strategy, form, client_ip(request))
    return TokenRead(access_token=token)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["auth"],
    responses=problem_responses(401),
)
async def logout(
    request: Request, session: SessionDep, strategy: StrategyDep, current: CurrentUserAndToken
) -> None:
    """Sign out: the token stops working at once."""
    user, token = current
    await service.logout(session, strategy, Actor(user, client_ip(request)), token)


@router.get("/users/me", response_model=MeRead, tags=["auth"], responses=problem_responses(401))
async def get_me(session: SessionDep, actor: CurrentActor) -> MeRead:
    """Who I am: role, organisation, and my young person id if I am a young person."""
    return await service.me(session, actor.user)


@router.post(
    "/users/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["auth"],
    responses=problem_responses(401, 422),
)
async def change_password(session: SessionDep, actor: CurrentActor, body: PasswordChange) -> None:
    """Change my password; every session, this one included, is signed out."""
    await service.change_password(session, actor, body.current_password, body.new_password)


@router.post(
    "/invites/accept",
    response_model=TokenRead,
    status_code=status.HTTP_201_CREATED,
    tags=["auth"],
    responses=problem_responses(404, 409, 422),
)
async def accept_invite(
    request: Request, session: SessionDep, strategy: StrategyDep, body: InviteAccept
) -> TokenRead:
    """Activate a young person's account from their invite and sign them in."""
    user = await service.accept_invite(session, body.token, body.password, client_ip(request))
    return TokenRead(access_token=await strategy.write_token(user))
