"""rights_informed and entitlements_received: the local offer, decided with each page's own
eligibility rules on the date."""

from __future__ import annotations

from datetime import date

from portal_api.content.eligibility import Profile
from portal_api.content.library import Page
from portal_api.models import EntitlementStatus
from portal_api.reports.measures.facts import EntitlementFacts, Facts
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
        accommodation_letter=accommodation[0] if accommodation not in (None, "0") else None,
        in_touch=observation.in_touch if observation else None,
        uasc=person.uasc,
        disabled=person.disabled,
        is_parent=person.is_parent,
        looked_after=person.timeline.looked_after_on(facts.as_of),
    )


def _applying(facts: Facts, seen: YoungPersonOnDate, pages: list[Page]) -> tuple[int, ...]:
    """Indexes of the pages whose rules apply to this young person on the date. Many young people
    share a profile (status, age, codes, flags), so each profile is decided once."""
    if seen.profile is None:
        seen.profile = profile_on(facts, seen)
    profile = seen.profile
    key = (id(pages), profile)
    found = facts.memo.get(key)
    if found is None:
        found = tuple(i for i, page in enumerate(pages) if page.eligibility.applies(profile))
        facts.memo[key] = found
    applying: tuple[int, ...] = found
    return applying


def rights_informed(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Every core page that applies to them on the date, answered at its current revision."""
    if not seen.in_scope:
        return None
    applying = _applying(facts, seen, facts.core_pages)
    mask = facts.responded.get(seen.person.id, 0)
    missing = [i for i in applying if not mask >> i & 1]
    if not missing:
        return Outcome(
            True, lambda: f"responded to all {len(applying)} core pages that apply to them"
        )

    def why() -> str:
        titles = ", ".join(facts.core_pages[i].meta.title for i in missing)
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
    records = facts.entitlements.get(seen.person.id, {})
    parts: dict[str, Outcome] = {}
    for i in _applying(facts, seen, facts.claimable_pages):
        page = facts.claimable_pages[i]
        record = records.get(page.slug)
        if record is not None and record.status is EntitlementStatus.not_eligible:
            continue
        parts[page.slug] = _entitlement_part(page.meta.title, record)
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
