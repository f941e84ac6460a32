"""The council's figures kept between writes: every young person's outcome in every measure on a
date, brought up to date by recomputing only the young people the writes since touched.

A miss (the first figures after a write) used to fetch and judge everyone: 2-3 s at 50,000 young
people, growing with the council (bench/README.md, "A miss made cheaper"). Most writes touch one
young person (a contact, a plan agreed, a document, a message), and the data version's log says
which (``db/changes.py``). So the whole council's facts and outcomes for a date are kept, and a
miss fetches the facts of the touched young people only (``queries.load(only=...)``), replaces
theirs, takes their old outcomes out of each figure's tally and adds the new. Recomputed from
scratch instead, as a miss always was:

- when nothing is kept for the date, or what is kept is older than ``cache.KEPT_SECONDS``;
- when the log cannot say who was touched (the kept version has left it, or Redis failed), or a
  write touched everyone (a team, a member of staff, settings, a document type) or more than
  ``MOST_TOUCHED`` young people;
- when the council's own part of the facts (teams' and staff names, local-offer pages, document
  types) differs from what was kept.

Only the council-wide view is kept: a council-wide manager sees every young person in the
organisation, so one set serves every such manager. A team's or a PA's figures are computed as
before, at a cost that grows with the team, not the council. tests/reports/test_standing.py
judges the kept figures against a fresh computation and the independent one after every kind of
write.
"""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from portal_api.db.changes import Touched
from portal_api.models import Organisation
from portal_api.people.scope import reads_whole_council
from portal_api.reports.cache import Cached
from portal_api.reports.measures.facts import Facts, ScopeFilter, YoungPersonRecord
from portal_api.reports.measures.figures import Tally, measures_on, summed
from portal_api.reports.measures.outcome import Outcome, YoungPersonOnDate, young_person_on
from portal_api.reports.measures.rules import Measure
from portal_api.reports.schemas import MeasureName, Measures

# More touched young people than this and a fresh computation is as quick.
MOST_TOUCHED = 500
# Kept figures of this many young people or more are frozen out of the collector's sight.
FREEZE_FROM = 2_000
# Young people judged between two chances for the worker's other requests to run (``of``).
JUDGED_AT_ONCE = 2_000

# Fetches the facts on the date: of everyone in scope (None), or of these young people only.
Load = Callable[[frozenset[uuid.UUID] | None], Awaitable[Facts]]


def kept_for(filter: ScopeFilter) -> bool:
    """Whether these figures are the whole council's, the ones kept."""
    return (
        reads_whole_council(filter.actor.user)
        and filter.team_id is None
        and filter.adviser_id is None
    )


@dataclass(slots=True)
class Standing:
    """Everyone's outcomes on one date, as of the data version ``token``."""

    token: str
    facts: Facts
    measures: list[Measure]
    seen: dict[uuid.UUID, YoungPersonOnDate]
    # Each measure's outcomes by young person, and what its figure sums from them.
    found: dict[MeasureName, dict[uuid.UUID, Outcome]]
    counted: dict[MeasureName, Tally]

    @staticmethod
    async def of(facts: Facts, token: str, recorded_from: date) -> Standing:
        kept = measures_on(facts.as_of, recorded_from)
        standing = Standing(
            token,
            facts,
            kept,
            {},
            {m.name: {} for m in kept},
            {m.name: Tally(m.name) for m in kept},
        )
        people = facts.people
        for start in range(0, len(people), JUDGED_AT_ONCE):
            standing._judge(people[start : start + JUDGED_AT_ONCE])
            # Judging 50,000 takes about a second of this worker's only thread: between chunks,
            # the phones' requests it is also serving go on (reports/ready.py runs this hourly).
            await asyncio.sleep(0)
        return standing

    def _judge(self, people: list[YoungPersonRecord]) -> None:
        facts = self.facts
        for person in people:
            seen = young_person_on(person, facts.as_of)
            self.seen[seen.person.id] = seen
            for m in self.measures:
                outcome = m.rule(facts, seen)
                if outcome is not None:
                    self.found[m.name][seen.person.id] = outcome
                    self.counted[m.name].add(facts, seen, outcome)

    def replace(self, touched: frozenset[uuid.UUID], fresh: Facts) -> None:
        """The touched young people's facts and outcomes from ``fresh`` (fetched for them only);
        one who has left the figures (closed, aged out) is simply gone."""
        facts = self.facts
        for yp in touched:
            seen = self.seen.pop(yp, None)
            for name, outcomes in self.found.items():
                outcome = outcomes.pop(yp, None)
                if seen is not None and outcome is not None:
                    # Taken away with the facts it was added with, before they are replaced.
                    self.counted[name].add(facts, seen, outcome, -1)
        for part in facts.per_person():
            for yp in touched:
                part.pop(yp, None)
        for part, new in zip(facts.per_person(), fresh.per_person(), strict=True):
            part.update(new)
        self._judge(fresh.people)
        facts.people = [s.person for s in self.seen.values()]

    def figures(self, recorded_from: date) -> Measures:
        return summed(self.facts, self.counted, recorded_from)

    def outcomes(self, measure: MeasureName) -> list[tuple[YoungPersonOnDate, Outcome]]:
        return [(self.seen[yp], outcome) for yp, outcome in self.found[measure].items()]


def _key(org: Organisation, on: date) -> tuple[object, ...]:
    return ("standing", org.id, org.figures_generation, on)


async def brought_up_to_date(
    cached: Cached,
    org: Organisation,
    on: date,
    recorded_from: date,
    load: Load,
    *,
    renew_within: float = 0,
) -> Standing | None:
    """The council-wide outcomes on ``on``, kept and brought up to date; None when the data
    version cannot be known (then nothing is kept and the caller computes as before).
    ``renew_within``: made afresh if what is kept would expire within that many seconds."""
    token = cached.token.version
    if token is None:
        return None
    store = cached.cache
    key = _key(org, on)
    # One at a time per council: a second request waits for the first's update and then finds it
    # done.
    async with store.kept_lock(org.id):
        standing: Standing | None = store.kept(key, renew_within=renew_within)
        if standing is not None:
            touched = await cached.version.touched_between(standing.token, token)
            try:
                if not await _updated(standing, touched, token, load):
                    standing = None
            except BaseException:
                # Part-way through (a query failed, the request was cancelled): what is kept
                # may be half brought up to date, so it is not kept.
                store.forget(key)
                raise
        if standing is None:
            standing = await Standing.of(await load(None), token, recorded_from)
            store.keep(org.id, key, standing)
            if len(standing.seen) >= FREEZE_FROM:
                _out_of_the_collectors_sight()
        return standing


def _out_of_the_collectors_sight() -> None:
    """Kept figures live for up to an hour, and a full collection walks every object alive: with
    one council of 50,000 kept it took 1.4-1.7 s, on whatever request it fell (a phone's too).
    Frozen, the collector no longer walks them (nor what else is alive now: at worst some cyclic
    garbage of this moment is never collected). Kept figures hold no reference cycles
    (tests/reports/test_standing.py), so reference counting still frees them when they go."""
    gc.freeze()


async def _updated(standing: Standing, touched: Touched | None, token: str, load: Load) -> bool:
    if not isinstance(touched, frozenset) or len(touched) > MOST_TOUCHED:
        return False
    if not touched:
        return True  # nothing since, or what is kept is newer than the token asked with
    fresh = await load(touched)
    if fresh.organisation_part() != standing.facts.organisation_part():
        return False
    standing.replace(touched, fresh)
    standing.token = token
    return True
