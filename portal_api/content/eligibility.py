"""Who a local-offer page applies to: statuses, ages and conditions, evaluated in memory.

Condition grammar (one per string): ``<field> in [A, B]`` with field ``activity``,
``accommodation_letter`` or ``in_touch``; a flag ``uasc``, ``disabled``, ``is_parent``,
``looked_after``; or ``not <flag>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal_api.models import LegalStatus
from portal_api.people.codes import ACCOMMODATION_TYPE, ACTIVITY, IN_TOUCH

LIST_FIELDS: dict[str, frozenset[str]] = {
    "activity": frozenset(ACTIVITY) - {"0"},
    "accommodation_letter": frozenset(ACCOMMODATION_TYPE),
    "in_touch": frozenset(IN_TOUCH),
}
FLAGS = frozenset({"uasc", "disabled", "is_parent", "looked_after"})
_IN = re.compile(r"^\s*([a-z_]+)\s+in\s+\[([^\]]*)\]\s*$")
_FLAG = re.compile(r"^\s*(not\s+)?([a-z_]+)\s*$")


@dataclass(frozen=True, slots=True)
class Profile:
    """What eligibility rules look at, for one young person on one date."""

    status: LegalStatus | None
    age: int
    activity: str | None = None
    accommodation_letter: str | None = None
    in_touch: str | None = None
    uasc: bool = False
    disabled: bool = False
    is_parent: bool = False
    looked_after: bool = False


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    values: frozenset[str] | None  # None for a flag
    negated: bool = False

    def holds(self, profile: Profile) -> bool:
        if self.values is None:
            return bool(getattr(profile, self.field)) != self.negated
        return getattr(profile, self.field) in self.values


def parse_condition(text: str) -> Condition:
    """Parse one condition, or raise ValueError saying what is wrong with it."""
    match = _IN.match(text)
    if match:
        field, raw = match[1], match[2]
        if field not in LIST_FIELDS:
            raise ValueError(
                f"unknown condition field {field!r}; use one of {', '.join(sorted(LIST_FIELDS))}"
            )
        values = frozenset(v.strip() for v in raw.split(",") if v.strip())
        unknown = values - LIST_FIELDS[field]
        if not values or unknown:
            raise ValueError(
                f"{field} codes {sorted(unknown) or '[]'} are not known; "
                f"use {' '.join(sorted(LIST_FIELDS[field]))}"
            )
        return Condition(field, values)
    match = _FLAG.match(text)
    if match and match[2] in FLAGS:
        return Condition(match[2], None, negated=bool(match[1]))
    raise ValueError(
        f"cannot read condition {text!r}: write '<field> in [A, B]' or a flag "
        f"({', '.join(sorted(FLAGS))}), optionally with 'not'"
    )


@dataclass(frozen=True, slots=True)
class Eligibility:
    statuses: frozenset[LegalStatus] | None = None
    min_age: int | None = None
    max_age: int | None = None
    conditions: tuple[Condition, ...] = ()

    def applies(self, profile: Profile) -> bool:
        if self.statuses is not None and profile.status not in self.statuses:
            return False
        if self.min_age is not None and profile.age < self.min_age:
            return False
        if self.max_age is not None and profile.age > self.max_age:
            return False
        return all(c.holds(profile) for c in self.conditions)
