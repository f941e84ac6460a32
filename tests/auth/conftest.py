"""Sign-in tests share the session's app, whose throttle remembers failures: each test here
starts with a throttle of its own, on a clock the test moves, and the notifier's record empty."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI

from portal_api.auth import mfa
from portal_api.auth.throttle import Throttles, make_throttles
from portal_api.config import Settings
from portal_api.notifications.notifier import RecordingNotifier
from tests.auth.support import TotpClock


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
async def throttles(app: FastAPI, settings: Settings, clock: FakeClock) -> AsyncIterator[Throttles]:
    """The app's sign-in throttle for this test only (in memory, on the test's clock)."""
    previous = app.state.throttles
    app.state.throttles = make_throttles(settings, clock)
    yield app.state.throttles
    await app.state.throttles.close()
    app.state.throttles = previous


@pytest.fixture
def notifier(app: FastAPI) -> Iterator[RecordingNotifier]:
    recording = app.state.notifier
    assert isinstance(recording, RecordingNotifier)
    recording.sent.clear()
    yield recording
    recording.sent.clear()


@pytest.fixture
def totp_clock(monkeypatch: pytest.MonkeyPatch) -> TotpClock:
    """Pin the time codes are checked against: ten seconds into a 30-second step."""
    pinned = TotpClock(1_800_000_010.0)
    monkeypatch.setattr(mfa, "now", pinned)
    return pinned
