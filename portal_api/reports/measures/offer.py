"""rights_informed and entitlements_received: the local offer, decided with each page's own
eligibility rules on the date."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from portal_api.content.eligibility import Profile
from portal_api.content.library import Page
from portal_api.models import EntitlementStatus
from portal_api.reports.measures.facts import EntitlementFacts, Facts, Observation
from portal_api.reports.measures.outcome import Outcome, YoungPersonOnDate, day

MET_ENTITLEMENT = (EntitlementStatus.received, EntitlementStatus.declined)


def profile_on(facts: Facts, seen: YoungPersonOnDate) -> Profile:
    person = seen.person
    observation = facts.observations.get(person.id)
    accommodation = observation.accommodation if observation else None
    return Profile(
        status=seen.status,
        age=seen.age or 0,
        activity=observation.activity if observation else None,
        accommodation_letter=_letter(accommodation),
        in_touch=observation.in_touch if observation else None,
        uasc=person.uasc,
        disabled=person.disabled,
        is_parent=person.is_parent,
        looked_after=person.timeline.looked_after_on(facts.as_of),
    )


def _letter(accommodation: str | None) -> str | None:
    return accommodation[0] if accommodation not in (None, "0") else None


@dataclass(frozen=True, slots=True)
class Sieve:
    """What the local offer's page rules look at, and nothing more. Young people who differ only
    in what no page asks about (an activity code no page names, two ages no page's limits fall
    between) get the same pages, so they share one decision: at 50,000 young people nearly every
    full profile was different, and each was decided afresh."""

    statuses: bool  # some page limits statuses
    # Every page's min_age and max_age + 1: two ages with as many of these at or below them
    # compare the same way with every page's limits.
    age_steps: tuple[int, ...]
    fields: tuple[str, ...]  # the condition fields some page names


def sieve_of(pages: list[Page]) -> Sieve:
    rules = [p.eligibility for p in pages]
    steps = {r.min_age for r in rules if r.min_age is not None}
    steps |= {r.max_age + 1 for r in rules if r.max_age is not None}
    return Sieve(
        statuses=any(r.statuses is not None for r in rules),
        age_steps=tuple(sorted(steps)),
        fields=tuple(sorted({c.field for r in rules for c in r.conditions})),
    )


_FIELDS: dict[str, Callable[[Facts, YoungPersonOnDate, Observation | None], object]] = {
    "activity": lambda _, __, o: o.activity if o else None,
    "accommodation_letter": lambda _, __, o: _letter(o.accommodation if o else None),
    "in_touch": lambda _, __, o: o.in_touch if o else None,
    "uasc": lambda _, seen, __: seen.person.uasc,
    "disabled": lambda _, seen, __: seen.person.disabled,
    "is_parent": lambda _, seen, __: seen.person.is_parent,
    "looked_after": lambda facts, seen, __: seen.person.timeline.looked_after_on(facts.as_of),
}
_SIEVE = "offer sieve"


def offer_key(facts: Facts, seen: YoungPersonOnDate) -> tuple[object, ...]:
    """The part of the young person's profile on the date that some page's rules look at."""
    sieve: Sieve | None = facts.memo.get(_SIEVE)
    if sieve is None:
        sieve = facts.memo[_SIEVE] = sieve_of(facts.core_pages + facts.claimable_pages)
    observation = facts.observations.get(seen.person.id) if sieve.fields else None
    return (
        seen.status if sieve.statuses else None,
        bisect_right(sieve.age_steps, seen.age or 0),
        *(_FIELDS[field](facts, seen, observation) for field in sieve.fields),
    )


def _applying(facts: Facts, seen: YoungPersonOnDate, pages: list[Page]) -> tuple[int, ...]:
    """Indexes of the pages whose rules apply to this young person on the date, decided once per
    ``offer_key`` (the first young person with that key stands for all of them)."""
    if seen.offer_key is None:
        seen.offer_key = offer_key(facts, seen)
    key = (id(pages), seen.offer_key)
    found: tuple[int, ...] | None = facts.memo.get(key)
    if found is None:
        profile = profile_on(facts, seen)
        found = tuple(i for i, page in enumerate(pages) if page.eligibility.applies(profile))
        facts.memo[key] = found
    return found


def rights_informed(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Every core page that applies to them on the date, answered at its current revision."""
    if not seen.in_scope:
        return None
    applying = _applying(facts, seen, facts.core_pages)
    mask = facts.responded.get(seen.person.id, 0)
    # The outcome depends on nothing else, and nothing changes an outcome once made: young
    # people with the same pages and the same answers share one (and its reason, if written).
    key = ("rights informed", applying, mask)
    found: Outcome | None = facts.memo.get(key)
    if found is None:
        found = facts.memo[key] = _rights_outcome(facts, applying, mask)
    return found


def _rights_outcome(facts: Facts, applying: tuple[int, ...], mask: int) -> Outcome:
    missing = [i for i in applying if not mask >> i & 1]
    if not missing:
        return Outcome(
            True, lambda: f"responded to all {len(applying)} core pages that apply to them"
        )

    # Not ``facts`` itself: the outcome is kept in ``facts.memo``, and a reason that held the facts
    # would make a cycle only the collector frees (facts.paused_gc).
    pages = facts.core_pages

    def why() -> str:
        titles = ", ".join(pages[i].meta.title for i in missing)
        done = len(applying) - len(missing)
        return f"not yet responded to: {titles} ({done} of {len(applying)} core pages)"

    return Outcome(False, why)


def _entitlement_step(status: EntitlementStatus | None, status_on: date | None, title: str) -> str:
    match status:
        case None | EntitlementStatus.not_started:
            return f"{title}: not started"
        case EntitlementStatus.applied:
            return f"{title}: applied for on {day(status_on)}" if status_on else f"{title}: applied"
        case _:
            return f"{title}: {status.value.replace('_', ' ')}" + (
                f" on {day(status_on)}" if status_on else ""
            )


def _entitlement_part(title: str, record: EntitlementFacts | None) -> Outcome:
    if record is not None and record.received_on is not None:
        received = record.received_on
        return Outcome(True, lambda: f"{title}: received on {day(received)}")
    status = record.status if record else None
    status_on = record.status_on if record else None
    return Outcome(status in MET_ENTITLEMENT, lambda: _entitlement_step(status, status_on, title))


def entitlements_received(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Per claimable entitlement that applies to them on the date (by the page's rules): received
    (at least once) or declined by the date is met; recorded "not eligible" leaves it out."""
    if not seen.in_scope:
        return None
    applying = _applying(facts, seen, facts.claimable_pages)
    records = facts.entitlements.get(seen.person.id)
    if records:
        return _entitlements_outcome(facts, applying, records)
    # Most young people have no record of any entitlement: their outcome depends only on the
    # pages that apply, so they share one (as rights_informed's do).
    key = ("no entitlement records", applying)
    if key not in facts.memo:
        facts.memo[key] = _entitlements_outcome(facts, applying, {})
    shared: Outcome | None = facts.memo[key]
    return shared


_CLAIMABLE = "claimable pages"


def _claimable(facts: Facts) -> list[tuple[str, str, Outcome]]:
    """Per claimable page: its slug, its title, and the one outcome every young person without a
    record of it shares (nothing changes an outcome once made)."""
    found: list[tuple[str, str, Outcome]] | None = facts.memo.get(_CLAIMABLE)
    if found is None:
        found = [
            (p.slug, p.meta.title, _entitlement_part(p.meta.title, None))
            for p in facts.claimable_pages
        ]
        facts.memo[_CLAIMABLE] = found
    return found


def _entitlements_outcome(
    facts: Facts, applying: tuple[int, ...], records: dict[str, EntitlementFacts]
) -> Outcome | None:
    claimable = _claimable(facts)
    parts: dict[str, Outcome] = {}
    for i in applying:
        slug, title, not_started = claimable[i]
        record = records.get(slug)
        if record is None:
            parts[slug] = not_started
        elif record.status is not EntitlementStatus.not_eligible:
            parts[slug] = _entitlement_part(title, record)
    if not parts:
        return None
    if all(o.met for o in parts.values()):
        return Outcome(
            True, lambda: f"all {len(parts)} entitlements that apply to them", parts=parts
        )
    return Outcome(
        False,
        lambda: "not yet: " + "; ".join(o.reason for o in parts.values() if not o.met),
        parts=parts,
    )
