"""One error tree, rendered as RFC 9457 problem+json.

    PortalError                     500 (base; never raised bare)
    ├── NotFound                    404  out of scope is also "not found", so existence never leaks
    ├── Unauthorized                401
    ├── Forbidden                   403  in scope, but this role may not do this
    ├── Conflict                    409  duplicate email, external id, ...
    │   └── InvalidState            409  the record is not in a state that allows this
    ├── PreconditionFailed          412  If-Match did not match: someone else changed it first
    ├── PreconditionRequired        428  no If-Match where a change could overwrite someone else's
    ├── InvalidInput                422  a payload that parses but breaks a rule (names the field)
    └── TooManyRequests             429

422 means an invalid payload and nothing else.

Every problem carries a stable ``code`` beside its English ``title`` and ``detail`` (the class's
``code``, or the status's for problems the framework raises), and every field error a ``code``
too, so the phone app words errors in the young person's language and never shows English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"


class FieldError(dict[str, str]):
    """``{"field": "body.care_periods.0.end", "message": "...", "code": "invalid"}``."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(field=field, message=message, code=code)


# Pydantic's error types, folded into the few a screen words differently; anything else is
# "invalid" (the English message says more).
FIELD_CODES = {
    "missing": "required",
    "extra_forbidden": "not_allowed",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "string_pattern_mismatch": "bad_format",
    "literal_error": "not_a_choice",
    "enum": "not_a_choice",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
    "date_from_datetime_parsing": "bad_format",
    "date_parsing": "bad_format",
    "datetime_parsing": "bad_format",
    "uuid_parsing": "bad_format",
    "int_parsing": "bad_format",
}
# The stable code of a problem the framework (not the PortalError tree) raises, by status.
STATUS_CODES = {
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    422: "invalid_input",
    428: "precondition_required",
    413: "too_large",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class PortalError(Exception):
    status = 500
    title = "Something went wrong"
    code = "internal_error"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers
        # RFC 9457 extension members: more fields of the problem, e.g. ``current_version``.
        self.extensions = extensions


class NotFound(PortalError):
    status = 404
    title = "Not found"
    code = "not_found"


class Unauthorized(PortalError):
    status = 401
    title = "Not signed in"
    code = "not_signed_in"


class Forbidden(PortalError):
    status = 403
    title = "Not allowed"
    code = "forbidden"


class Conflict(PortalError):
    status = 409
    title = "Conflict"
    code = "conflict"


class InvalidState(Conflict):
    title = "Not allowed in this state"
    code = "invalid_state"


class PreconditionFailed(PortalError):
    status = 412
    title = "Changed by someone else"
    code = "precondition_failed"


class PreconditionRequired(PortalError):
    status = 428
    title = "If-Match required"
    code = "precondition_required"

    def __init__(self, header: str, message: str, **extensions: Any) -> None:
        super().__init__(
            f"header.{header}: {message}",
            errors=[FieldError(f"header.{header}", message)],
            **extensions,
        )


class InvalidInput(PortalError):
    status = 422
    title = "Invalid input"
    code = "invalid_input"

    def __init__(self, field: str, message: str, **extensions: Any) -> None:
        super().__init__(f"{field}: {message}", errors=[FieldError(field, message)], **extensions)

    @classmethod
    def many(cls, summary: str, errors: Sequence[FieldError]) -> InvalidInput:
        """Every problem at once, so a PA can fix them all before trying again."""
        error = cls.__new__(cls)
        PortalError.__init__(error, summary, errors=errors)
        return error


class TooManyRequests(PortalError):
    status = 429
    title = "Too many requests"
    code = "rate_limited"


def _slug(title: str) -> str:
    return title.lower().replace(" ", "-").replace('"', "")


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[dict[str, str]] = (),
    headers: dict[str, str] | None = None,
    code: str | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://portal.invalid/problems/{_slug(title)}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code or STATUS_CODES.get(status, "error"),
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = list(errors)
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_NAMED_FIELD = re.compile(r"^([a-z_]+): (.+)$", re.DOTALL)


def _field_name(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


async def _portal_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PortalError)
    return problem(
        exc.status,
        exc.title,
        exc.detail,
        instance=request.url.path,
        errors=exc.errors,
        headers=exc.headers,
        code=exc.code,
        **exc.extensions,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        field, message = _field_name(e["loc"]), str(e["msg"]).removeprefix("Value error, ")
        # Rules across fields name the field they blame: "status_override_reason: say why ...".
        named = _NAMED_FIELD.match(message)
        if named:
            field, message = f"{field}.{named[1]}", named[2]
        errors.append(FieldError(field, message, FIELD_CODES.get(str(e["type"]), "invalid")))
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Invalid input", detail, instance=request.url.path, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    # Only the auth library and the router (404 for unknown paths, 405) raise these.
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body it cannot decode (not UTF-8, a broken form): an invalid
        # payload like any other, so 422, as for JSON that does not parse.
        message = "could not be read: send UTF-8 JSON, or a form where one is asked for"
        return problem(
            422,
            InvalidInput.title,
            f"body: {message}",
            instance=request.url.path,
            errors=[FieldError("body", message, "bad_format")],
        )
    titles = {401: "Not signed in", 403: "Not allowed", 404: "Not found", 405: "Method not allowed"}
    detail = exc.detail if isinstance(exc.detail, str) else titles.get(exc.status_code, "Error")
    if exc.status_code == 401:
        detail = "Sign in to continue."
    return problem(
        exc.status_code,
        titles.get(exc.status_code, "Error"),
        detail,
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
    )


async def _stale_write(request: Request, exc: Exception) -> JSONResponse:
    # Two changes raced on the same version: the database kept the first, this one is refused.
    return problem(
        412,
        PreconditionFailed.title,
        "Someone changed this since you opened it. Reload it and make your change again.",
        instance=request.url.path,
    )


def _is_unique_violation(exc: IntegrityError) -> bool:
    original = exc.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code == "23505" or "UNIQUE constraint failed" in str(original)


async def _duplicate_write(request: Request, exc: Exception) -> JSONResponse:
    # Two requests raced to create the same thing: the first won; say so rather than crash.
    assert isinstance(exc, IntegrityError)
    if not _is_unique_violation(exc):
        raise exc
    return problem(
        409,
        Conflict.title,
        "Someone else did this at the same moment. Reload to see what is there now.",
        instance=request.url.path,
    )


def internal_error(instance: str | None = None) -> JSONResponse:
    """The answer to a bug: a 500 that says nothing about its cause (the server logs that)."""
    return problem(
        500,
        PortalError.title,
        "Something went wrong on our side. Try again in a minute; if it keeps happening, "
        "tell your council.",
        instance=instance,
    )


async def _unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    # Starlette's outermost layer calls this for any exception no other handler took, then
    # re-raises it so the server logs it. security.SecurityHeaders normally answers first (with
    # the same body and the security headers); this covers a failure outside it.
    return internal_error(request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IntegrityError, _duplicate_write)
    app.add_exception_handler(PortalError, _portal_error)
    app.add_exception_handler(StaleDataError, _stale_write)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the problems a route can give."""
    described = {
        401: "Not signed in",
        403: "Not allowed",
        404: "Not found, or outside what you may see",
        409: "Conflict with the current state",
        412: "Changed by someone else since you read it",
        413: "The request body is larger than this service accepts",
        428: "If-Match is required: send the ETag you read",
        422: "Invalid input: `errors` names each field and why",
        429: "Too many requests",
        503: "Not available now; try again shortly",
    }
    return {
        s: {
            "description": described[s],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }
