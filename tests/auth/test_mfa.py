"""Staff two-step sign-in (TOTP): setting it up, signing in with it, codes that work once, an
organisation that requires it, and an administrator's reset that never lets anyone in on a
password alone."""

from __future__ import annotations

import logging
import uuid

import httpx
import pyotp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.auth.mfa import SecretBox, matching_step
from portal_api.models import AccessToken, AuditEvent
from portal_api.models.user import TotpCredential
from tests.auth.support import (
    API,
    ME,
    MFA,
    ORGANISATION,
    TotpClock,
    bearer,
    enrol,
    login,
    without_instance,
)
from tests.factories import PASSWORD, World

STEP = 30
MOMENT = 1_800_000_010.0  # ten seconds into a step


async def _require_mfa(
    client: httpx.AsyncClient, world: World, clock: TotpClock, require: bool = True
) -> None:
    """The administrator sets it up for themselves, then requires it of all staff."""
    await enrol(client, world.tokens["admin"], clock)
    changed = await client.patch(
        ORGANISATION, headers=world.auth("admin"), json={"require_staff_mfa": require}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["require_staff_mfa"] is require


async def _token(client: httpx.AsyncClient, email: str, otp: str | None = None) -> str:
    response = await login(client, email, otp=otp)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def _tokens_of(session: AsyncSession, user_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(AccessToken).where(AccessToken.user_id == user_id)
        )
        or 0
    )


# --- codes ----------------------------------------------------------------------------------


def test_a_code_from_the_step_before_or_after_is_accepted() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    current = int(MOMENT // STEP)

    for offset in (-1, 0, 1):
        assert matching_step(secret, totp.at(MOMENT + offset * STEP), MOMENT, None) == (
            current + offset
        )


def test_a_code_two_steps_away_is_refused() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)

    assert matching_step(secret, totp.at(MOMENT - 2 * STEP), MOMENT, None) is None
    assert matching_step(secret, totp.at(MOMENT + 2 * STEP), MOMENT, None) is None


def test_a_used_step_and_every_step_before_it_are_refused() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    current = int(MOMENT // STEP)

    assert matching_step(secret, totp.at(MOMENT), MOMENT, current) is None
    assert matching_step(secret, totp.at(MOMENT - STEP), MOMENT, current) is None
    assert matching_step(secret, totp.at(MOMENT + STEP), MOMENT, current) == current + 1


def test_codes_typed_with_a_space_work_and_other_text_does_not() -> None:
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).at(MOMENT)

    assert matching_step(secret, f"{code[:3]} {code[3:]}", MOMENT, None) is not None
    assert matching_step(secret, "abcdef", MOMENT, None) is None
    assert matching_step(secret, code + "0", MOMENT, None) is None


def test_a_secret_sealed_under_another_key_does_not_open() -> None:
    sealed = SecretBox("one secret key for this portal").seal("JBSWY3DPEHPK3PXP")

    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert SecretBox("one secret key for this portal").open(sealed) == "JBSWY3DPEHPK3PXP"
    assert SecretBox("a different secret key").open(sealed) is None


# --- setting it up --------------------------------------------------------------------------


async def test_staff_set_up_two_step_sign_in_with_a_code_from_their_app(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    started = await client.post(MFA, headers=world.auth("pa"))
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    assert started.json()["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={secret}" in started.json()["otpauth_uri"]
    before = await client.get(ME, headers=world.auth("pa"))
    assert before.json()["mfa_enabled"] is False

    confirmed = await client.post(
        f"{MFA}/confirm", headers=world.auth("pa"), json={"code": totp_clock.code(secret)}
    )

    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {"enabled": True, "required": False}
    after = await client.get(ME, headers=world.auth("pa"))
    assert after.json()["mfa_enabled"] is True


async def test_a_wrong_code_does_not_turn_it_on(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    started = await client.post(MFA, headers=world.auth("pa"))
    secret = started.json()["secret"]

    refused = await client.post(
        f"{MFA}/confirm", headers=world.auth("pa"), json={"code": totp_clock.code(secret, 3)}
    )

    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["code"]
    assert (await login(client, world.emails["pa"])).status_code == 200


async def test_confirming_without_starting_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    refused = await client.post(f"{MFA}/confirm", headers=world.auth("pa"), json={"code": "123456"})

    assert refused.status_code == 409, refused.text


async def test_the_secret_is_stored_encrypted_and_never_shown_again(
    client: httpx.AsyncClient, world: World, session: AsyncSession, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)

    stored = await session.scalar(
        select(TotpCredential.secret_encrypted).where(TotpCredential.user_id == world.users["pa"])
    )
    assert stored is not None
    assert secret not in stored
    again = await client.post(MFA, headers=world.auth("pa"))
    assert again.status_code == 409
    assert secret not in again.text
    assert secret not in (await client.get(ME, headers=world.auth("pa"))).text


async def test_the_secret_and_codes_are_never_logged(
    client: httpx.AsyncClient,
    world: World,
    totp_clock: TotpClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = await enrol(client, world.tokens["pa"], totp_clock)
    code = totp_clock.code(secret)
    await login(client, world.emails["pa"], otp=code)
    await login(client, world.emails["pa"], otp=code)  # refused: logs nothing of it either

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged
    assert code not in logged


async def test_setting_it_up_signs_out_other_sessions_but_not_this_one(
    client: httpx.AsyncClient, world: World, session: AsyncSession, totp_clock: TotpClock
) -> None:
    other = await _token(client, world.emails["pa"])

    await enrol(client, world.tokens["pa"], totp_clock)

    assert (await client.get(ME, headers=bearer(other))).status_code == 401
    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 200
    assert await _tokens_of(session, world.users["pa"]) == 1


async def test_young_people_cannot_set_it_up(client: httpx.AsyncClient, world: World) -> None:
    refused = await client.post(MFA, headers=world.auth("young_person"))

    assert refused.status_code == 403, refused.text


# --- signing in with it ---------------------------------------------------------------------


async def test_with_it_on_a_password_alone_asks_for_the_code(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    asked = await login(client, world.emails["pa"])

    assert asked.status_code == 401
    assert asked.headers["content-type"] == "application/problem+json"
    assert asked.json()["otp_required"] is True
    assert "authenticator app" in asked.json()["detail"]


async def test_the_code_is_asked_for_only_after_the_password_is_right(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    wrong_password = await login(client, world.emails["pa"], "not the password at all")
    unknown_email = await login(client, "nobody-here@example.org", "not the password at all")
    wrong_password_with_code = await login(
        client, world.emails["pa"], "not the password at all", otp="123456"
    )

    assert wrong_password.status_code == unknown_email.status_code == 401
    assert "otp_required" not in wrong_password.json()
    assert without_instance(wrong_password.json()) == without_instance(unknown_email.json())
    assert without_instance(wrong_password_with_code.json()) == without_instance(
        unknown_email.json()
    )


async def test_password_and_current_code_sign_in(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)

    response = await login(client, world.emails["pa"], otp=totp_clock.code(secret))

    assert response.status_code == 200, response.text
    me = await client.get(ME, headers=bearer(response.json()["access_token"]))
    assert me.status_code == 200
    assert me.json()["id"] == str(world.users["pa"])


async def test_a_code_works_once(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)
    code = totp_clock.code(secret)
    assert (await login(client, world.emails["pa"], otp=code)).status_code == 200

    replayed = await login(client, world.emails["pa"], otp=code)

    assert replayed.status_code == 401
    assert replayed.json()["otp_required"] is True


async def test_an_older_code_is_refused_once_a_newer_one_was_used(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)
    older, newer = totp_clock.code(secret, -1), totp_clock.code(secret)
    assert (await login(client, world.emails["pa"], otp=newer)).status_code == 200

    assert (await login(client, world.emails["pa"], otp=older)).status_code == 401


async def test_a_code_from_a_drifting_phone_clock_works_within_one_step(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)

    assert (
        await login(client, world.emails["pa"], otp=totp_clock.code(secret, 2))
    ).status_code == (401)
    assert (
        await login(client, world.emails["pa"], otp=totp_clock.code(secret, 1))
    ).status_code == (200)


async def test_wrong_codes_count_towards_the_sign_in_throttle(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    secret = await enrol(client, world.tokens["pa"], totp_clock)
    for _ in range(5):
        wrong = await login(client, world.emails["pa"], otp="000000")
        assert wrong.status_code == 401

    throttled = await login(client, world.emails["pa"], otp=totp_clock.code(secret))

    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0


async def test_a_wrong_code_is_audited_as_a_failed_sign_in(
    client: httpx.AsyncClient, world: World, session: AsyncSession, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    await login(client, world.emails["pa"], otp="000000")

    detail = await session.scalar(
        select(AuditEvent.detail).where(AuditEvent.action == "auth.login_failed")
    )
    assert detail == {"user_id": str(world.users["pa"]), "reason": "code"}


async def test_staff_without_it_sign_in_with_a_password_where_it_is_not_required(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await login(client, world.emails["pa"])

    assert response.status_code == 200
    assert response.json()["mfa_enrolment_required"] is False


# --- an organisation that requires it -------------------------------------------------------


async def test_an_administrator_without_it_cannot_require_it(
    client: httpx.AsyncClient, world: World
) -> None:
    refused = await client.patch(
        ORGANISATION, headers=world.auth("admin"), json={"require_staff_mfa": True}
    )

    assert refused.status_code == 409, refused.text
    organisation = await client.get(ORGANISATION, headers=world.auth("admin"))
    assert organisation.json()["require_staff_mfa"] is False


async def test_where_required_staff_without_it_get_a_session_that_may_only_set_it_up(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await _require_mfa(client, world, totp_clock)

    response = await login(client, world.emails["pa"])
    assert response.status_code == 200, response.text
    assert response.json()["mfa_enrolment_required"] is True
    token = response.json()["access_token"]

    refused = await client.get(ME, headers=bearer(token))
    assert refused.status_code == 401
    assert refused.json()["mfa_enrolment_required"] is True
    caseload = await client.get(f"{API}/young-people", headers=bearer(token))
    assert caseload.status_code == 401

    await enrol(client, token, totp_clock)
    assert (await client.get(ME, headers=bearer(token))).status_code == 200
    assert (await client.get(f"{API}/young-people", headers=bearer(token))).status_code == 200


async def test_requiring_it_restricts_sessions_already_open(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 200

    await _require_mfa(client, world, totp_clock)

    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 401
    # ... and the administrator who has it carries on.
    assert (await client.get(ME, headers=world.auth("admin"))).status_code == 200


async def test_where_required_young_people_still_sign_in_with_a_password(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await _require_mfa(client, world, totp_clock)

    response = await login(client, world.emails["young_person"])

    assert response.status_code == 200, response.text
    assert response.json()["mfa_enrolment_required"] is False
    me = await client.get(ME, headers=bearer(response.json()["access_token"]))
    assert me.status_code == 200
    assert me.json()["mfa_required"] is False
    assert (await client.get(ME, headers=world.auth("young_person"))).status_code == 200


async def test_a_restricted_session_can_still_sign_out_everywhere(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await _require_mfa(client, world, totp_clock)
    token = (await login(client, world.emails["pa"])).json()["access_token"]

    out = await client.post(f"{API}/auth/logout-everywhere", headers=bearer(token))

    assert out.status_code == 204
    assert (await client.post(MFA, headers=bearer(token))).status_code == 401


async def test_requiring_it_is_an_administrators_setting(
    client: httpx.AsyncClient, world: World
) -> None:
    refused = await client.patch(
        ORGANISATION, headers=world.auth("org_manager"), json={"require_staff_mfa": True}
    )

    assert refused.status_code == 403


# --- an administrator's reset ---------------------------------------------------------------


async def _reset(client: httpx.AsyncClient, world: World, who: str, staff: str) -> httpx.Response:
    return await client.post(f"{API}/staff/{world.users[staff]}/mfa/reset", headers=world.auth(who))


async def test_a_reset_signs_them_out_and_turns_it_off(
    client: httpx.AsyncClient, world: World, session: AsyncSession, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    reset = await _reset(client, world, "admin", "pa")

    assert reset.status_code == 204, reset.text
    assert (await client.get(ME, headers=world.auth("pa"))).status_code == 401
    assert await _tokens_of(session, world.users["pa"]) == 0
    assert await session.get(TotpCredential, world.users["pa"]) is None
    # Not required here: a password alone works again, as for anyone who never set it up.
    assert (await login(client, world.emails["pa"])).status_code == 200
    actions = list((await session.execute(select(AuditEvent.action))).scalars())
    assert "staff.mfa_reset" in actions


async def test_after_a_reset_where_required_nothing_works_until_set_up_again(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await _require_mfa(client, world, totp_clock)
    pa_token = (await login(client, world.emails["pa"])).json()["access_token"]
    await enrol(client, pa_token, totp_clock)

    assert (await _reset(client, world, "admin", "pa")).status_code == 204

    again = await login(client, world.emails["pa"])
    assert again.status_code == 200
    assert again.json()["mfa_enrolment_required"] is True
    token = again.json()["access_token"]
    assert (await client.get(ME, headers=bearer(token))).status_code == 401
    assert (await client.get(f"{API}/young-people", headers=bearer(token))).status_code == 401
    await enrol(client, token, totp_clock)
    assert (await client.get(ME, headers=bearer(token))).status_code == 200


async def test_only_an_administrator_resets_it(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["pa"], totp_clock)

    assert (await _reset(client, world, "org_manager", "pa")).status_code == 403
    assert (await _reset(client, world, "pa", "pa")).status_code == 403
    assert (await _reset(client, world, "other_org_manager", "pa")).status_code == 403
    assert (await client.get(ME, headers=world.auth("pa"))).json()["mfa_enabled"] is True


async def test_an_administrator_cannot_reset_their_own(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    await enrol(client, world.tokens["admin"], totp_clock)

    refused = await _reset(client, world, "admin", "admin")

    assert refused.status_code == 403
    assert (await client.get(ME, headers=world.auth("admin"))).json()["mfa_enabled"] is True


async def test_a_reset_of_a_young_person_or_another_councils_staff_is_not_found(
    client: httpx.AsyncClient, world: World
) -> None:
    assert (await _reset(client, world, "admin", "young_person")).status_code == 404
    assert (await _reset(client, world, "admin", "other_org_manager")).status_code == 404


async def test_a_password_alone_never_signs_in_once_it_is_on(
    client: httpx.AsyncClient, world: World, totp_clock: TotpClock
) -> None:
    """Whatever else is sent with the password (an empty code, a code for another account)."""
    await enrol(client, world.tokens["pa"], totp_clock)
    colleague_secret = await enrol(client, world.tokens["colleague_pa"], totp_clock)

    for otp in ("", "      ", totp_clock.code(colleague_secret), "1234567"):
        response = await login(client, world.emails["pa"], PASSWORD, otp=otp)
        assert response.status_code == 401, (otp, response.text)
