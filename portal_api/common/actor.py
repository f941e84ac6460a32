"""Who is acting: the signed-in user and where the request came from.

It sits below ``audit`` and ``auth`` so both (and every service) can take an actor without importing
each other; ``auth.dependencies`` builds one for each request.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal_api.models import Role, User


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user and where the request came from (for the audit trail)."""

    user: User
    ip: str | None

    @property
    def role(self) -> Role:
        return self.user.role
