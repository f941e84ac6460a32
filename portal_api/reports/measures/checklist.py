"""documents_by_18 (DOMAIN.md §4 and §8): the checklist as it stood on each 18th birthday."""

from __future__ import annotations

from datetime import date

from portal_api.content.eligibility import Profile
from portal_api.models import DocumentState
from portal_api.reports.measures.facts import DocumentKind, Facts, YoungPersonRecord
from portal_api.reports.measures.outcome import Outcome, YoungPersonOnDate, day, days

_KEEP_CAPITAL = frozenset({"National", "Junior"})


def document_label(name: str) -> str:
    """ "Your health history" -> "health history"; "Photo ID" -> "photo ID"."""
    text = name.removeprefix("Your ").removeprefix("your ")
    first, _, rest = text.partition(" ")
    if first[1:2].islower() and first not in _KEEP_CAPITAL:
        first = first[0].lower() + first[1:]
    return f"{first} {rest}".strip()


def _missing(label: str) -> str:
    # "no registered with a GP" reads badly; a state is "not", a thing is "no".
    return f"not {label}" if label.startswith("registered") else f"no {label}"


def _kinds_for(facts: Facts, person: YoungPersonRecord) -> list[DocumentKind]:
    """The document types whose flags take in this young person (DocumentType conditions are
    about the young person, never a date), decided once per combination of flags."""
    key = ("document kinds", person.uasc, person.disabled, person.is_parent)
    found: list[DocumentKind] | None = facts.memo.get(key)
    if found is None:
        flags = Profile(
            status=None,
            age=18,
            uasc=person.uasc,
            disabled=person.disabled,
            is_parent=person.is_parent,
        )
        found = [k for k in facts.document_types if k.eligibility.applies(flags)]
        facts.memo[key] = found
    return found


def _document_part(label: str, reached: date | None, eighteenth: date, ago: int) -> Outcome:
    if reached is not None and reached <= eighteenth:
        return Outcome(True, lambda: f"{label} by {day(reached)}")
    if reached is not None:
        late = (reached - eighteenth).days
        return Outcome(
            False, lambda: f"{label} {days(late)} after 18th birthday", days_overdue=late
        )
    return Outcome(False, lambda: _missing(label), days_overdue=ago)


def _turned_18(eighteenth: date, ago: int) -> str:
    return f"18 on {day(eighteenth)}, {days(ago)} ago" if ago else "18 today"


def documents_by_18(facts: Facts, seen: YoungPersonOnDate) -> Outcome | None:
    """Any status; not closed before the 18th birthday; 18th birthday in the 12 months up to the
    date. Each applicable document must have reached them on or before that birthday."""
    on = facts.as_of
    person = seen.person
    eighteenth = person.timeline.eighteenth
    if not facts.year_before < eighteenth <= on:
        return None
    if person.closed_on is not None and person.closed_on < eighteenth:
        return None
    history = facts.documents.get(person.id, {})
    ago = (on - eighteenth).days
    parts: dict[str, Outcome] = {}
    for kind in _kinds_for(facts, person):
        # Retired types count for those who turned 18 before the retirement.
        if kind.retired_on is not None and kind.retired_on <= eighteenth:
            continue
        item = history.get(kind.id)
        if item is not None and item.state is DocumentState.not_applicable:
            continue  # recorded as not applying to them, with a reason, by the date
        parts[kind.key] = _document_part(
            kind.label, item.reached_on if item else None, eighteenth, ago
        )
    if all(o.met for o in parts.values()):
        return Outcome(
            True,
            lambda: (
                f"all {len(parts)} documents by their 18th birthday; {_turned_18(eighteenth, ago)}"
            ),
            parts=parts,
        )

    def why() -> str:
        missing = ", ".join(o.reason for o in parts.values() if not o.met)
        return f"{missing}; {_turned_18(eighteenth, ago)}"

    return Outcome(False, why, days_overdue=ago, parts=parts)


def documents_part(outcome: Outcome, eighteenth: date, on: date) -> Outcome:
    """One document type's row in the drill-down, with the birthday for context."""
    ago = (on - eighteenth).days
    return Outcome(
        outcome.met,
        lambda: f"{outcome.reason}; {_turned_18(eighteenth, ago)}",
        outcome.days_overdue,
    )
