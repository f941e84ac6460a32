"""Email addresses and UK mobile numbers: one rule for each, used by every way in (the API's
schemas, `portal import`, `portal create-user`, staff accounts, sign-in), so an address one
accepts is never refused by another.

Emails are checked by email-validator as pydantic's ``EmailStr`` does (syntax only, no DNS;
reserved names such as ``.test`` and ``localhost`` refused) and kept in lower case, which is how
sign-in compares them. Mobiles are UK mobiles only (07…, +44 7…, 44 7…) kept in E.164
(``+447700900123``): that is what GOV.UK Notify sends to, and one spelling per number means one
account per number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field

MAX_EMAIL_LENGTH = 320
# What people type between the digits: spaces, dashes, dots, brackets.
_SEPARATORS = re.compile(r"[\s().-]")
# UK mobile numbers are 07 followed by nine digits (Ofcom's 07x ranges; 076 is pagers, not phones,
# except 07624, the Isle of Man's mobiles).
_UK_MOBILE = re.compile(r"^7(?:[1-57-9]\d{8}|624\d{6})$")
_LOOKS_LIKE_A_NUMBER = re.compile(r"^\+?[\d\s().-]+$")


# Remembered: email-validator takes about a millisecond an address (IDNA tables), and an import
# names the same few thousand advisers on every line (a failure is not remembered, and raises
# again). The answer depends on the text alone.
@lru_cache(maxsize=8192)
def normalise_email(value: str) -> str:
    """The address as stored and compared; ValueError (saying why) if it cannot be one."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"is not an email address we can send to: {exc}") from None
    if len(checked.normalized) > MAX_EMAIL_LENGTH:
        raise ValueError(f"must be at most {MAX_EMAIL_LENGTH} characters")
    return checked.normalized.lower()


def normalise_uk_mobile(value: str) -> str:
    """``07700 900123``, ``+44 7700 900123``, ``0044 7700 900123`` and ``447700900123`` are all
    ``+447700900123``. ValueError for anything that is not a UK mobile number."""
    digits = _SEPARATORS.sub("", value.strip())
    if digits.startswith("+44"):
        national = digits[3:]
    elif digits.startswith("0044"):
        national = digits[4:]
    elif digits.startswith("44") and len(digits) == 12:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValueError("must be a UK mobile number, like 07700 900123")
    # "+44 (0)7700 900123" is how many people write it.
    if national.startswith("0"):
        national = national[1:]
    if not _UK_MOBILE.match(national):
        raise ValueError("must be a UK mobile number, like 07700 900123")
    return f"+44{national}"


def looks_like_a_phone_number(value: str) -> bool:
    return bool(_LOOKS_LIKE_A_NUMBER.match(value.strip()))


def sign_in_name(username: str) -> str:
    """What someone typed at sign-in (or "forgot my password"), spelt as accounts store it: a UK
    mobile in E.164, otherwise the text in lower case. Never an error: anything else simply
    names no account, and gets the same answer as a wrong password."""
    if looks_like_a_phone_number(username):
        try:
            return normalise_uk_mobile(username)
        except ValueError:
            pass
    try:
        return normalise_email(username)
    except ValueError:
        return username.strip().lower()


def is_mobile(name: str) -> bool:
    """Whether a ``sign_in_name`` is a mobile number (E.164) rather than an email."""
    return name.startswith("+") and name[1:].isdigit()


def mask_email(address: str) -> str:
    """``amira.khan@example.org`` -> ``a•••@example.org``: enough for staff to recognise it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


def mask_mobile(number: str) -> str:
    """``+447700900123`` -> ``07••• ••• 123``."""
    national = f"0{number[3:]}" if number.startswith("+44") else number
    return f"{national[:2]}••• ••• {national[-3:]}"


# Pydantic types for input schemas: the error names the field and says why (422).
Email = Annotated[
    str,
    Field(min_length=3, max_length=MAX_EMAIL_LENGTH, json_schema_extra={"format": "email"}),
    AfterValidator(normalise_email),
]
UkMobile = Annotated[
    str,
    Field(
        min_length=10,
        max_length=20,
        description="A UK mobile number (07…, +44 7…); stored as +447…",
        examples=["07700 900123"],
    ),
    AfterValidator(normalise_uk_mobile),
]
