"""Sign in (with a second factor for staff who have one), sign out (here or everywhere), who am I,
passwords (change, forget, reset), staff two-step sign-in, accept an invite."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Path, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from portal_api.auth import invites, mfa, service
from portal_api.auth.dependencies import (
    AnySession,
    CurrentActor,
    CurrentAdmin,
    SessionActor,
    StaffSettingUpSignIn,
)
from portal_api.auth.mfa import SecretBox
from portal_api.auth.schemas import (
    ForgotPassword,
    ForgotPasswordAccepted,
    InviteAccept,
    InviteWelcome,
    MeRead,
    MfaConfirm,
    MfaEnrolment,
    MfaStatus,
    PasswordChange,
    ResetPassword,
    TokenRead,
)
from portal_api.auth.signed_in import StrategyDep, UserManagerDep, client_ip
from portal_api.auth.throttle import ThrottlesDep
from portal_api.auth.users import hash_token
from portal_api.config import SettingsDep
from portal_api.db.session import SessionDep
from portal_api.errors import problem_responses

router = APIRouter(tags=["auth"])


async def _secret_box(settings: SettingsDep) -> SecretBox:
    return SecretBox(settings.secret_key)


SecretBoxDep = Annotated[SecretBox, Depends(_secret_box)]


@router.post("/auth/login", response_model=TokenRead, responses=problem_responses(401, 422, 429))
async def login(
    request: Request,
    session: SessionDep,
    manager: UserManagerDep,
    strategy: StrategyDep,
    throttles: ThrottlesDep,
    box: SecretBoxDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    otp: Annotated[str | None, Form(max_length=16)] = None,
    org: Annotated[
        str | None,
        Form(
            max_length=100,
            description="The council's slug. Emails and mobiles are unique per council; the "
            "app sends its council's. Without it, an address used in more than one council "
            "signs in nowhere.",
        ),
    ] = None,
) -> TokenRead:
    """Sign in with email (or, for a young person, UK mobile number) and password, and the code
    from an authenticator app for staff who use one; returns a bearer token. Repeated failures
    wait (429 with Retry-After)."""
    return await service.login(
        session, manager, strategy, throttles.login, box, form, otp, client_ip(request), org
    )


@router.post(
    "/auth/logout", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401)
)
async def logout(
    session: SessionDep, strategy: StrategyDep, signed_in: AnySession, actor: SessionActor
) -> None:
    """Sign out: the token stops working at once."""
    await service.logout(session, strategy, actor, signed_in.token)


@router.post(
    "/auth/logout-everywhere",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401),
)
async def logout_everywhere(session: SessionDep, actor: SessionActor) -> None:
    """Sign out on every device, this one included."""
    await service.logout_everywhere(session, actor)


@router.post(
    "/auth/forgot-password",
    response_model=ForgotPasswordAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(422, 429),
)
async def forgot_password(
    request: Request,
    settings: SettingsDep,
    throttles: ThrottlesDep,
    background: BackgroundTasks,
    body: ForgotPassword,
) -> ForgotPasswordAccepted:
    """Ask for a link to choose a new password, by email or (for a mobile number) by SMS. The
    answer is the same whether or not the name has an account; the link, if any, is sent after
    the answer has gone."""
    ip = client_ip(request)
    await service.request_password_reset(throttles.password_reset, body.username, ip)
    background.add_task(
        service.send_password_reset,
        request.app.state.sessionmaker,
        request.app.state.notifier,
        body.username,
        ip,
        public_url=settings.public_url,
        lifetime=timedelta(minutes=settings.password_reset_lifetime_minutes),
        org=body.org,
    )
    return ForgotPasswordAccepted(detail=service.RESET_ACCEPTED)


@router.post(
    "/auth/reset-password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422),
)
async def reset_password(
    request: Request, session: SessionDep, throttles: ThrottlesDep, body: ResetPassword
) -> None:
    """Choose a new password with the link from the email. Signs out every session; a code
    from an authenticator app is still needed to sign in, where one was before."""
    await service.reset_password(
        session, throttles.login, body.token, body.new_password, client_ip(request)
    )


@router.get("/users/me", response_model=MeRead, responses=problem_responses(401))
async def get_me(session: SessionDep, actor: CurrentActor) -> MeRead:
    """Who I am: role, organisation, and my young person id if I am a young person."""
    return await service.me(session, actor.user)


@router.post(
    "/users/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422),
)
async def change_password(session: SessionDep, actor: CurrentActor, body: PasswordChange) -> None:
    """Change my password; every session, this one included, is signed out."""
    await service.change_password(session, actor, body.current_password, body.new_password)


@router.post(
    "/users/me/mfa",
    response_model=MfaEnrolment,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
)
async def start_mfa_enrolment(
    session: SessionDep, box: SecretBoxDep, actor: StaffSettingUpSignIn
) -> MfaEnrolment:
    """Staff: start setting up two-step sign-in; the secret is shown this once."""
    return await mfa.start_enrolment(session, box, actor)


@router.post(
    "/users/me/mfa/confirm",
    response_model=MfaStatus,
    responses=problem_responses(401, 403, 409, 422),
)
async def confirm_mfa_enrolment(
    session: SessionDep,
    box: SecretBoxDep,
    signed_in: AnySession,
    actor: StaffSettingUpSignIn,
    body: MfaConfirm,
) -> MfaStatus:
    """Staff: turn two-step sign-in on with a code from the app; other sessions are signed out."""
    return await mfa.confirm_enrolment(
        session,
        box,
        actor,
        hash_token(signed_in.token),
        body.code,
        mfa.now(),
    )


@router.post(
    "/staff/{staff_id}/mfa/reset",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def reset_staff_mfa(session: SessionDep, actor: CurrentAdmin, staff_id: uuid.UUID) -> None:
    """Administrators: turn off someone's two-step sign-in (a lost phone) and sign them out
    everywhere; where the organisation requires it, they must set it up again to continue."""
    await mfa.reset(session, actor, staff_id)


@router.post(
    "/invites/accept",
    response_model=TokenRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def accept_invite(
    request: Request, session: SessionDep, strategy: StrategyDep, body: InviteAccept
) -> TokenRead:
    """Activate a young person's account from their invite and sign them in."""
    user = await invites.accept_invite(session, body.token, body.password, client_ip(request))
    return TokenRead(access_token=await strategy.write_token(user))


@router.get(
    "/invites/{token}",
    response_model=InviteWelcome,
    responses=problem_responses(404, 422),
)
async def get_invite(
    session: SessionDep, token: Annotated[str, Path(min_length=10, max_length=200)]
) -> InviteWelcome:
    """For the set-up screen: the council's name for a live invite. Unknown, used and expired
    invites are one answer (404)."""
    return await invites.welcome(session, token)
