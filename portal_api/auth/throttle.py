"""Sign-in throttling: failed attempts slow down, per account and per client address.

Only failures count. After ``failures`` of them for one key, each within ``window_seconds`` of
the one before (or of the end of the last wait), that key waits before it may try again:
``first_delay_seconds``, doubling with each further failure, never more than
``max_delay_seconds``. While a key waits, attempts are answered 429 with Retry-After without the
password being checked, so waiting attempts neither count nor cost a hash. The count is
forgotten after a quiet window, so someone who keeps guessing stays at the longest wait (about
four tries an hour), and someone who mistyped five times is back to normal a window later.
Nothing is ever locked for good: every count and every wait expires by itself.

Keys are what was typed, not what exists: an email nobody uses is counted exactly like a real
one (case-folded, and stored only as a hash), so the answers say nothing about who has an
account. Addresses are IPv4 addresses or IPv6 /64 networks (one household or phone gets a
whole /64).

The trade-off, written down in docs/security.md: anyone who knows an email can make its owner
wait, by failing on purpose. The delay is bounded (at most ``max_delay_seconds`` per wait,
nothing permanent), a successful sign-in clears the account's count, and so does a password
reset, which is the way back in during an attack (the reset link proves the owner).

In-process by default; with ``PORTAL_REDIS_URL`` set, counts live in Redis so every API worker
sees the same ones. If Redis cannot be reached, sign-in is not refused for that (it fails open
and logs): a Redis outage must not lock every member of staff out.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

import redis.asyncio as redis
from fastapi import Depends, Request
from redis.exceptions import RedisError

from portal_api.config import Settings
from portal_api.errors import TooManyRequests

logger = logging.getLogger(__name__)
# An in-process store forgets the oldest keys beyond this (a spray of made-up emails must not
# grow a worker's memory without end); Redis expires keys by itself.
MEMORY_MAX_KEYS = 100_000


@dataclass(frozen=True, slots=True)
class Limit:
    failures: int
    window_seconds: int
    first_delay_seconds: int
    max_delay_seconds: int

    def delay_after(self, count: int) -> float:
        """How long to wait after the ``count``-th failure in the window (0: no wait yet)."""
        if count < self.failures:
            return 0.0
        doublings = min(count - self.failures, 32)
        return float(min(self.first_delay_seconds * 2**doublings, self.max_delay_seconds))


@dataclass(frozen=True, slots=True)
class Quota:
    """Counts every attempt, not only failures, in fixed windows: at most ``allowed`` per window,
    then a wait until the window ends (the send limit, ``auth/send_limit.py``). Fixed rather than
    sliding, so someone who keeps chatting at a human pace never runs into it."""

    allowed: int
    window_seconds: int


class ThrottleStore(Protocol):
    async def waiting(self, keys: list[str]) -> float:
        """Seconds until every one of these keys may try again (0: none is waiting)."""
        ...

    async def failed(self, key: str, limit: Limit) -> int:
        """Count a failure; start a wait when the limit says so. Returns the count."""
        ...

    async def spend(self, quotas: list[tuple[str, Quota]], *, refuse: bool) -> float:
        """Count one attempt under each quota, as one step: while any of the keys waits and
        ``refuse`` is set, returns that wait in seconds and counts nothing; otherwise counts the
        attempt in each key's current window (the ``allowed``-th starts a wait until that window
        ends) and returns 0."""
        ...

    async def clear(self, key: str) -> None: ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class _Entry:
    count: int
    window_ends: float
    wait_until: float


class MemoryThrottleStore:
    """One process. ``clock`` is monotonic seconds; tests pass their own to move time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    def _live(self, key: str, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry.window_ends <= now and entry.wait_until <= now:
            del self._entries[key]
            return None
        return entry

    async def waiting(self, keys: list[str]) -> float:
        now = self._clock()
        waits = [e.wait_until - now for k in keys if (e := self._live(k, now)) is not None]
        return max([0.0, *waits])

    async def failed(self, key: str, limit: Limit) -> int:
        now = self._clock()
        entry = self._live(key, now)
        if entry is None or entry.window_ends <= now:
            carried_wait = entry.wait_until if entry is not None else 0.0
            entry = _Entry(0, now + limit.window_seconds, carried_wait)
            self._entries.pop(key, None)
            self._entries[key] = entry
            self._forget_oldest(now)
        entry.count += 1
        delay = limit.delay_after(entry.count)
        if delay:
            entry.wait_until = max(entry.wait_until, now + delay)
        entry.window_ends = now + limit.window_seconds + delay
        return entry.count

    def _count(self, key: str, quota: Quota) -> None:
        now = self._clock()
        entry = self._live(key, now)
        if entry is None or entry.window_ends <= now:
            carried_wait = entry.wait_until if entry is not None else 0.0
            entry = _Entry(0, now + quota.window_seconds, carried_wait)
            self._entries.pop(key, None)
            self._entries[key] = entry
            self._forget_oldest(now)
        entry.count += 1
        if entry.count >= quota.allowed:
            entry.wait_until = max(entry.wait_until, entry.window_ends)

    async def spend(self, quotas: list[tuple[str, Quota]], *, refuse: bool) -> float:
        wait = await self.waiting([key for key, _ in quotas])
        if wait > 0 and refuse:
            return wait
        for key, quota in quotas:
            self._count(key, quota)
        return 0.0

    def _forget_oldest(self, now: float) -> None:
        if len(self._entries) <= MEMORY_MAX_KEYS:
            return
        for key in [k for k, e in self._entries.items() if e.window_ends <= now]:
            if self._entries[key].wait_until <= now:
                del self._entries[key]
        while len(self._entries) > MEMORY_MAX_KEYS:
            del self._entries[next(iter(self._entries))]

    async def clear(self, key: str) -> None:
        self._entries.pop(key, None)

    async def close(self) -> None:
        self._entries.clear()


# One round trip, atomic across workers: count the failure, set (never shorten) the wait once the
# count reaches the limit, and keep the count for a window beyond the wait.
_FAILED = """
local n = redis.call('INCR', KEYS[1])
local allowed = tonumber(ARGV[2])
local delay = 0
if n >= allowed then
  delay = math.floor(math.min(tonumber(ARGV[3]) * 2 ^ math.min(n - allowed, 32), tonumber(ARGV[4])))
  if redis.call('PTTL', KEYS[2]) < delay then
    redis.call('SET', KEYS[2], '1', 'PX', delay)
  end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + delay)
return n
"""


# ``spend``: a quota's window starts with its first attempt and is never extended; the
# allowed-th attempt starts a wait that ends with the window. One round trip (a send made three:
# the waits, then each count), and atomic: a send on another worker cannot be counted between
# this one's look at the waits and its own count.
# KEYS: each quota's count and wait keys in turn; ARGV: refuse (0 or 1), then each quota's
# window in ms and allowed. Returns the wait in ms when refused (nothing counted), else 0.
_SPEND = """
local wait = 0
for i = 2, #KEYS, 2 do
  wait = math.max(wait, redis.call('PTTL', KEYS[i]))
end
if wait > 0 and ARGV[1] == '1' then
  return wait
end
for q = 0, #KEYS / 2 - 1 do
  local count_key, wait_key = KEYS[2 * q + 1], KEYS[2 * q + 2]
  local n = redis.call('INCR', count_key)
  local left = redis.call('PTTL', count_key)
  if left < 0 then
    left = tonumber(ARGV[2 * q + 2])
    redis.call('PEXPIRE', count_key, left)
  end
  if n >= tonumber(ARGV[2 * q + 3]) and redis.call('PTTL', wait_key) < left then
    redis.call('SET', wait_key, '1', 'PX', left)
  end
end
return 0
"""


class RedisThrottleStore:
    """Several workers: counts and waits are Redis keys that expire by themselves."""

    def __init__(self, url: str, prefix: str = "portal:throttle:") -> None:
        self._redis = redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._prefix = prefix
        self._failed_script: Any = self._redis.register_script(_FAILED)
        self._spend_script: Any = self._redis.register_script(_SPEND)

    def _keys(self, key: str) -> tuple[str, str]:
        return f"{self._prefix}{key}:n", f"{self._prefix}{key}:wait"

    async def waiting(self, keys: list[str]) -> float:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.pttl(self._keys(key)[1])
                remaining: list[int] = await pipe.execute()
        except RedisError:
            logger.exception("sign-in throttle: Redis unavailable; not throttling")
            return 0.0
        return max([0.0, *(ms / 1000 for ms in remaining if ms > 0)])

    async def failed(self, key: str, limit: Limit) -> int:
        try:
            count = await self._failed_script(
                keys=list(self._keys(key)),
                args=[
                    limit.window_seconds * 1000,
                    limit.failures,
                    limit.first_delay_seconds * 1000,
                    limit.max_delay_seconds * 1000,
                ],
            )
        except RedisError:
            logger.exception("sign-in throttle: Redis unavailable; failure not counted")
            return 0
        return int(count)

    async def spend(self, quotas: list[tuple[str, Quota]], *, refuse: bool) -> float:
        keys = [name for key, _ in quotas for name in self._keys(key)]
        args = [1 if refuse else 0]
        for _, quota in quotas:
            args += [quota.window_seconds * 1000, quota.allowed]
        try:
            wait_ms = await self._spend_script(keys=keys, args=args)
        except RedisError:
            logger.exception("throttle: Redis unavailable; attempt not counted")
            return 0.0
        return int(wait_ms) / 1000

    async def clear(self, key: str) -> None:
        try:
            await self._redis.delete(*self._keys(key))
        except RedisError:
            logger.exception("sign-in throttle: Redis unavailable; count not cleared")

    async def close(self) -> None:
        await self._redis.aclose()


def account_key(scope: str, email: str) -> str:
    """The account someone typed, whether or not it exists; hashed, so the store holds no emails."""
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    return f"{scope}:account:{digest}"


def address_key(scope: str, ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"{scope}:address:{ip}"
    if address.version == 6:
        return f"{scope}:address:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"{scope}:address:{address}"


class Throttle:
    """Per account and per address limits for one kind of attempt (``scope``)."""

    def __init__(self, store: ThrottleStore, scope: str, account: Limit, address: Limit) -> None:
        self.store = store
        self.scope = scope
        self.account = account
        self.address = address

    def _keys(self, email: str, ip: str | None) -> tuple[str, str | None]:
        return account_key(self.scope, email), address_key(self.scope, ip)

    async def wait_seconds(self, email: str, ip: str | None) -> float:
        account, address = self._keys(email, ip)
        return await self.store.waiting([account] if address is None else [account, address])

    async def check(self, email: str, ip: str | None) -> None:
        """Refuse (429, with Retry-After) while this account or this address must wait."""
        wait = await self.wait_seconds(email, ip)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            minutes = max(1, math.ceil(seconds / 60))
            # Which account, never: the log is read by more people than the audit trail.
            logger.info("%s attempt refused: waiting %ss", self.scope, seconds)
            raise TooManyRequests(
                f"Too many tries. Wait {minutes} minute{'s' if minutes != 1 else ''} "
                "and try again.",
                headers={"Retry-After": str(seconds)},
            )

    async def failed(self, email: str, ip: str | None) -> None:
        account, address = self._keys(email, ip)
        await self.store.failed(account, self.account)
        if address is not None:
            await self.store.failed(address, self.address)

    async def succeeded(self, email: str) -> None:
        """The owner got in (or proved they own the email): forget the account's failures. The
        address keeps its count, or one good account would wash out a spray of guesses."""
        await self.store.clear(account_key(self.scope, email))


@dataclass(frozen=True, slots=True)
class Throttles:
    """Everything the sign-in routes limit, built once per app from settings."""

    login: Throttle
    # Requests for a reset email count every time, not only failures (each one sends an email):
    # a few per account per window, so nobody can fill someone's inbox.
    password_reset: Throttle
    store: ThrottleStore

    async def close(self) -> None:
        await self.store.close()


def make_throttles(settings: Settings, clock: Callable[[], float] = time.monotonic) -> Throttles:
    """Built once per app (main.create_app), from settings: in Redis when there is one."""
    store: ThrottleStore = (
        RedisThrottleStore(settings.redis_url) if settings.redis_url else MemoryThrottleStore(clock)
    )
    account = Limit(
        failures=settings.login_account_failures,
        window_seconds=settings.login_window_seconds,
        first_delay_seconds=settings.login_first_delay_seconds,
        max_delay_seconds=settings.login_max_delay_seconds,
    )
    address = Limit(
        failures=settings.login_address_failures,
        window_seconds=settings.login_window_seconds,
        first_delay_seconds=settings.login_first_delay_seconds,
        max_delay_seconds=settings.login_max_delay_seconds,
    )
    reset_account = Limit(
        failures=settings.password_reset_emails_per_window,
        window_seconds=settings.login_window_seconds,
        first_delay_seconds=settings.login_first_delay_seconds,
        max_delay_seconds=settings.login_max_delay_seconds,
    )
    return Throttles(
        login=Throttle(store, "login", account, address),
        password_reset=Throttle(store, "reset", reset_account, address),
        store=store,
    )


async def _app_throttles(request: Request) -> Throttles:
    throttles: Throttles = request.app.state.throttles
    return throttles


ThrottlesDep = Annotated[Throttles, Depends(_app_throttles)]
