"""If-Match on changes that could overwrite someone else's: the ETag the change was made from."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from portal_api.errors import PreconditionRequired


async def if_match_required(
    if_match: Annotated[
        str | None,
        Header(description="the ETag you read; required, so a change made since is not lost"),
    ] = None,
) -> str:
    """The If-Match header, or 428: a save without one would silently overwrite whatever a
    colleague saved since this one was read."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "If-Match", "send the ETag from your last read, so nobody's change is overwritten"
        )
    return if_match.strip()


IfMatchRequired = Annotated[str, Depends(if_match_required)]
