"""Staff two-step sign-in with an authenticator app (TOTP, RFC 6238: six digits, 30 seconds).

A member of staff turns it on themselves (start, then confirm with a code). An organisation can
require it of all its staff; then a member of staff without it gets, for their password, only a
session that may set it up (``mfa_enrolment_required``), and nothing else works until they have.
Only an administrator turns it off, by resetting it for someone who lost their phone; the reset
signs them out everywhere, and where the organisation requires it they must set it up again
before they can do anything. Young people never use it.

Secrets are encrypted at rest with a key derived from ``PORTAL_SECRET_KEY`` (so changing that
key means every member of staff sets up their app again: see docs/security.md), shown once while
enrolling, and never logged or returned after that.
"""

from __future__ import annotations

import base64
import hmac
import re
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.audit import service as audit
from portal_api.auth.schemas import MfaEnrolment, MfaStatus
from portal_api.auth.users import revoke_all_sessions
from portal_api.common.actor import Actor
from portal_api.db.base import utcnow
from portal_api.errors import Forbidden, InvalidInput, InvalidState, NotFound
from portal_api.models import AccessToken, Organisation, Role, User
from portal_api.models.user import TotpCredential

STEP_SECONDS = 30
# A code from the step before or after is accepted too: phone clocks drift and people type slowly.
WINDOW_STEPS = 1
_CODE = re.compile(r"^\d{6}$")


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal totp secrets v1"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


@dataclass(frozen=True, slots=True)
class SecretBox:
    """Encrypts TOTP secrets with a key derived from the portal's secret key."""

    secret_key: str

    def seal(self, secret: str) -> str:
        return _fernet(self.secret_key).encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str | None:
        try:
            return _fernet(self.secret_key).decrypt(sealed.encode()).decode()
        except InvalidToken:
            # Encrypted under another secret key: no code can match; an admin resets it.
            return None


def normalise_code(code: str) -> str:
    """People type "123 456" or paste "123-456"."""
    return re.sub(r"[\s-]", "", code)


def matching_step(secret: str, code: str, now: float, last_used_step: int | None) -> int | None:
    """The time step whose code this is, within the window and later than the last one used."""
    code = normalise_code(code)
    if not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now // STEP_SECONDS)
    found = None
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        # Compare every candidate, not stopping at a match, so timing says nothing either.
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    return found


async def credential(session: AsyncSession, user_id: uuid.UUID) -> TotpCredential | None:
    return await session.get(TotpCredential, user_id)


def is_on(found: TotpCredential | None) -> bool:
    return found is not None and found.confirmed_at is not None


async def who_has_it_on(session: AsyncSession, user_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Of these accounts, those with a confirmed code (the staff list's column); one query."""
    if not user_ids:
        return set()
    rows = await session.execute(
        select(TotpCredential.user_id).where(
            TotpCredential.user_id.in_(user_ids), TotpCredential.confirmed_at.is_not(None)
        )
    )
    return set(rows.scalars())


async def use_code(
    session: AsyncSession, box: SecretBox, found: TotpCredential, code: str, now: float
) -> bool:
    """Check a code and spend its time step, atomically: of two requests racing with one code,
    only one gets in (the conditional update finds the row for only one of them)."""
    secret = box.open(found.secret_encrypted)
    if secret is None:
        return False
    step = matching_step(secret, code, now, found.last_used_step)
    if step is None:
        return False
    result = await session.execute(
        update(TotpCredential)
        .where(
            TotpCredential.user_id == found.user_id,
            or_(TotpCredential.last_used_step.is_(None), TotpCredential.last_used_step < step),
        )
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        return False
    found.last_used_step = step
    return True


async def required_for(session: AsyncSession, user: User) -> bool:
    if user.role is Role.young_person:
        return False
    return bool(
        await session.scalar(
            select(Organisation.require_staff_mfa).where(Organisation.id == user.org_id)
        )
    )


async def status(session: AsyncSession, user: User) -> MfaStatus:
    return MfaStatus(
        enabled=is_on(await credential(session, user.id)),
        required=await required_for(session, user),
    )


async def start_enrolment(session: AsyncSession, box: SecretBox, actor: Actor) -> MfaEnrolment:
    """A new secret for the app (replacing any unconfirmed one). Refused once it is on: replacing
    a working second factor takes an administrator's reset, not just a session."""
    found = await credential(session, actor.user.id)
    if is_on(found):
        raise InvalidState(
            "Two-step sign-in is already on. If you lost your phone, ask an administrator to "
            "reset it."
        )
    secret = pyotp.random_base32()
    if found is None:
        session.add(TotpCredential(user_id=actor.user.id, secret_encrypted=box.seal(secret)))
    else:
        found.secret_encrypted, found.last_used_step = box.seal(secret), None
    await session.flush()
    org = await session.get(Organisation, actor.user.org_id)
    assert org is not None
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=actor.user.email, issuer_name=f"{org.name} care leavers"
    )
    audit.record(session, actor, "auth.mfa_enrolment_started")
    return MfaEnrolment(secret=secret, otpauth_uri=uri)


async def confirm_enrolment(
    session: AsyncSession, box: SecretBox, actor: Actor, token_hash: str, code: str, now: float
) -> MfaStatus:
    """Turn it on with a first code; every other session (signed in with a password alone) ends."""
    found = await credential(session, actor.user.id)
    if found is None:
        raise InvalidState("Start setting up two-step sign-in first.")
    if is_on(found):
        raise InvalidState("Two-step sign-in is already on.")
    if not await use_code(session, box, found, code, now):
        raise InvalidInput("code", "is not the code your authenticator app shows now")
    found.confirmed_at = utcnow()
    await session.execute(
        delete(AccessToken).where(
            AccessToken.user_id == actor.user.id, AccessToken.token_hash != token_hash
        )
    )
    audit.record(session, actor, "auth.mfa_enabled")
    return MfaStatus(enabled=True, required=await required_for(session, actor.user))


async def reset(session: AsyncSession, actor: Actor, staff_id: uuid.UUID) -> None:
    """An administrator's reset for someone who lost their phone: their app no longer works,
    and they are signed out everywhere."""
    user = await session.get(User, staff_id)
    if user is None or user.org_id != actor.user.org_id or not user.is_staff:
        raise NotFound("No member of staff with that id.")
    if user.id == actor.user.id:
        raise Forbidden("Ask another administrator to reset your own two-step sign-in.")
    await session.execute(delete(TotpCredential).where(TotpCredential.user_id == user.id))
    await revoke_all_sessions(session, user.id)
    audit.record(session, actor, "staff.mfa_reset", staff_id=str(user.id))


async def may_require(session: AsyncSession, actor: Actor) -> None:
    """Before an organisation requires two-step sign-in, the person requiring it has it on:
    otherwise their own session would stop working mid-change."""
    if not is_on(await credential(session, actor.user.id)):
        raise InvalidState(
            "Set up two-step sign-in for yourself (Your account) before requiring it of all staff."
        )


def now() -> float:
    """Wall-clock seconds for TOTP (codes are tied to real time, not a monotonic clock)."""
    return time.time()
