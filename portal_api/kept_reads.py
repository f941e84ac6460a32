"""A young person's own reads, kept between writes: the phone's home, rights, documents and plan.

Those four answers are what a phone asks for again and again, and each is the same until
someone writes to what it shows or the clock moves past something in it. Making one costs
the token check, the record's queries and the framework around them: 2 to 8 ms of a worker's
CPU (bench/README.md). Kept, the same answer costs one Redis round trip.

How an answer is kept and found again (plain ASGI, inside the security headers and outside
compression, so a kept answer gets the same headers and is kept as it was compressed):

- **Only a young person's, only where the route says.** The token check names the young person
  (``common.kept.read_by``); the route says until when its answer holds with nothing written
  (``common.kept.keep_until``: the next midnight for what depends on the date, the next minute
  or sooner for the home screen's "who can I reach now"). Staff answers, answers to a route
  that does not say, and anything but a 200 are never kept. A staff read leaves an audit event
  every time, as before: nothing of theirs passes here.
- **Kept under the versions read before the route ran** (``db/reads_version.py``): the young
  person's own, their account's sessions and everything else's. A write that commits while the
  route runs moves a version, so the answer, which may have been made from before it, is never
  served. Every committed write moves at least one of them before its writer is answered, so
  the phone's next read after its own 201 is made afresh (read-your-writes).
- **Served only while the session stands untouched.** The token check said when the session
  must be read again (its idle-time touch, its end); after that the route runs (and touches)
  as before. Signing out, "sign out everywhere", a password change and disabling the account
  move the account's version, in every worker at once through Redis: a revoked token is never
  answered from here. A token not seen yet runs the route once, which names its reader.
- **Keyed by everything the answer depends on in the request**: the session's token (by its
  hash), the path and query, Accept-Language and Accept-Encoding.

``tests/kept/test_reads.py`` checks each of these against a stale answer.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_api.auth.signed_in import NO_STORE_STATE, SESSION_COOKIE
from portal_api.common.kept import READER_STATE, UNTIL_STATE, KeptReader
from portal_api.db.reads_version import ReadsVersion, keys_for

UNDER = "/api/v1/"
# Bounds on what a worker remembers: tokens seen and paths found keepable.
MOST_READERS = 50_000
MOST_PATHS = 100_000


@dataclass(frozen=True, slots=True)
class _Reader:
    keys: tuple[str, ...]
    recheck_at: float  # time.time()
    shared_device: bool

    @classmethod
    def of(cls, reader: KeptReader) -> _Reader:
        return cls(
            keys_for(reader.user_id, reader.young_person_id),
            reader.recheck_at.timestamp(),
            reader.shared_device,
        )


@dataclass(frozen=True, slots=True)
class _Answer:
    versions: tuple[str, ...]
    until: float  # time.time()
    start: Message
    body: Message


def _request_key(scope: Scope) -> tuple[str | None, bytes, bytes]:
    """The session's token (hashed: the worker keeps no usable token), and the headers the
    answer depends on, from one pass over the request's headers."""
    bearer: bytes | None = None
    cookie: bytes | None = None
    language = encoding = b""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.partition(b" ")
            if scheme.lower() == b"bearer" and token:
                bearer = token
        elif name == b"cookie":
            cookie = value
        elif name == b"accept-language":
            language = value
        elif name == b"accept-encoding":
            encoding = value
    token = bearer
    if token is None and cookie is not None:
        found = cookie_parser(cookie.decode("latin-1")).get(SESSION_COOKIE)
        token = found.encode("latin-1") if found else None
    credential = hashlib.sha256(token).hexdigest() if token else None
    return credential, language, encoding


class KeptReads:
    def __init__(self, app: ASGIApp, *, versions: ReadsVersion, most_answers: int) -> None:
        self.app = app
        self.versions = versions
        self.most_answers = most_answers
        self._readers: OrderedDict[str, _Reader] = OrderedDict()
        self._keepable: OrderedDict[str, bool] = OrderedDict()  # the paths a route said
        self._answers: OrderedDict[tuple[object, ...], _Answer] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(UNDER)
        ):
            await self.app(scope, receive, send)
            return
        credential, language, encoding = _request_key(scope)
        if credential is None:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        reader = self._readers.get(credential)
        key = (credential, path, scope["query_string"], language, encoding)
        versions = None
        if reader is not None and path in self._keepable:
            versions = await self.versions.current(reader.keys)
            answer = self._answers.get(key)
            now = time.time()
            if (
                answer is not None
                and answer.versions == versions
                and now < answer.until
                and now < reader.recheck_at
            ):
                if reader.shared_device:
                    scope.setdefault("state", {})[NO_STORE_STATE] = True
                # A copy: the middleware outside adds its headers to the message it is given.
                await send({**answer.start, "headers": list(answer.start["headers"])})
                await send(answer.body)
                return
        await self._made_afresh(scope, receive, send, credential, reader, key, versions)

    async def _made_afresh(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        credential: str,
        reader: _Reader | None,
        key: tuple[object, ...],
        versions: tuple[str, ...] | None,
    ) -> None:
        """Run the route, and keep its answer if it may be kept."""
        sent: list[Message] = []

        async def watching(message: Message) -> None:
            # Kept as the route sent it, before the middleware outside adds to it.
            sent.append({**message, "headers": list(message["headers"])} if sent == [] else message)
            await send(message)

        await self.app(scope, receive, watching)
        state = scope.get("state") or {}
        named: KeptReader | None = state.get(READER_STATE)
        if named is None:
            # Not a young person's live session (any more): nothing is kept on this token.
            self._readers.pop(credential, None)
            return
        learned = _Reader.of(named)
        _remember(self._readers, credential, learned, MOST_READERS)
        until: datetime | None = state.get(UNTIL_STATE)
        if until is None:
            return
        _remember(self._keepable, scope["path"], True, MOST_PATHS)
        if (
            versions is None
            or reader is None
            or reader.keys != learned.keys
            or len(sent) != 2
            or sent[0].get("status") != 200
            or sent[1].get("more_body", False)
            # An answer that sets a cookie is this request's alone.
            or any(name.lower() == b"set-cookie" for name, _ in sent[0]["headers"])
        ):
            return
        answer = _Answer(versions, until.timestamp(), sent[0], sent[1])
        _remember(self._answers, key, answer, self.most_answers)


K = TypeVar("K")
V = TypeVar("V")


def _remember(kept: OrderedDict[K, V], key: K, value: V, most: int) -> None:
    kept[key] = value
    kept.move_to_end(key)
    if len(kept) > most:
        kept.popitem(last=False)
