"""Settings, read once from the environment (prefix ``PORTAL_``) at the edges of the app."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, Request
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The demo secret is public (it is in this file), so it is only allowed where nothing real lives.
DEMO_SECRET = "demo-secret-not-for-real-use"  # noqa: S105

Environment = Literal["demo", "dev", "test", "production"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    environment: Environment = "dev"
    database_url: str = "sqlite+aiosqlite:///./portal.sqlite3"
    redis_url: str | None = None
    secret_key: str = DEMO_SECRET
    content_dir: Path = Path(__file__).resolve().parent.parent / "content"

    # Sessions are database-backed bearer tokens: revocable at once on logout, disable or password change.
    # Staff: a working day at most (session_lifetime_seconds), and 30 minutes left idle, because
    # a PA's laptop is left open in shared offices and holds a whole caseload.
    session_lifetime_seconds: int = Field(default=8 * 3600, ge=60)
    staff_session_idle_seconds: int = Field(default=30 * 60, ge=60)
    # Young people: 90 days at most, 30 idle. Their phone holds only their own record; many have
    # cheap phones, little data and lost passwords, and being signed out daily would stop them
    # using the app (their PA's messages are the point). Signing out everywhere is one tap.
    young_person_session_lifetime_seconds: int = Field(default=90 * 86400, ge=60)
    young_person_session_idle_seconds: int = Field(default=30 * 86400, ge=60)
    # "This is a shared phone" at sign-in: a few hours at most, and the cookie ends with the
    # browser, so whoever picks the phone up later does not find the young person signed in.
    shared_device_session_seconds: int = Field(default=4 * 3600, ge=60)
    # Sign-in throttling (auth/throttle.py): after this many failures within the window, an
    # account waits first_delay, doubling per further failure up to max_delay. An address (one
    # IPv4 address or IPv6 /64) may fail more often: a council office shares one address.
    login_account_failures: int = Field(default=5, ge=1)
    login_address_failures: int = Field(default=30, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    login_first_delay_seconds: int = Field(default=30, ge=1)
    login_max_delay_seconds: int = Field(default=15 * 60, ge=1)
    # "Forgot my password": emails per account per login window before it must wait, and how
    # long a reset link works.
    password_reset_emails_per_window: int = Field(default=3, ge=1)
    # Messages (docs/operations.md, "Messages under load"): one "new message" notice per
    # conversation and recipient until they read it or this long passes without one; "need
    # help now" is never held back (notifications/coalesce.py).
    message_notice_quiet_minutes: int = Field(default=15, ge=0, le=24 * 60)
    # Sends per person (messages, check-ins and the young person's other writes): generous for
    # someone typing, fatal for a loop or a stolen token (auth/send_limit.py). Each is a fixed
    # window; past it the sender is answered 429 with Retry-After until the window ends.
    send_limit_per_minute: int = Field(default=60, ge=1)
    send_limit_per_hour: int = Field(default=300, ge=1)
    password_reset_lifetime_minutes: int = Field(default=30, ge=5, le=24 * 60)
    # Where people open the app: reset links point here (no trailing slash).
    public_url: str = "http://localhost:8000"
    invite_lifetime_hours: int = Field(default=72, ge=1)
    # How many young people a list page may return; the console asks for 50 at a time.
    max_page_size: int = Field(default=200, ge=1)
    sql_echo: bool = False
    # Notifications: "recording" keeps them in memory (tests, the demo); "live" sends through
    # GOV.UK Notify (SMS, email) and Web Push.
    notifier: Literal["recording", "live"] = "recording"
    notify_api_key: str | None = None
    notify_templates: dict[str, str] = Field(default_factory=dict)
    vapid_private_key: str | None = None
    vapid_contact: str = "mailto:portal-admin@example.org"
    # The browsers' push services: a push subscription may only point at one of these hosts
    # ("*." allows any subdomain), so nobody can make the worker POST to an address of their
    # choosing (the loopback, a cloud metadata address, a council's internal service).
    push_service_hosts: list[str] = Field(
        default_factory=lambda: [
            "fcm.googleapis.com",
            "updates.push.services.mozilla.com",
            "*.notify.windows.com",
            "web.push.apple.com",
            "*.push.apple.com",
        ]
    )
    # Deliver the outbox inside the API process (the demo); real deployments run `portal worker`.
    worker_in_process: bool = False
    # An event stream ends after this long and the app reconnects (proxies drop idle streams).
    events_stream_seconds: float = Field(default=600.0, gt=0)
    # How often an open event stream checks that its session still stands: signing out or
    # disabling the account ends the stream within this long.
    events_session_check_seconds: float = Field(default=5.0, gt=0)
    # On SIGTERM, /readyz answers 503 for this long while every request is still served, so the
    # load balancer stops sending traffic before the listener closes (see main._drain_on_sigterm).
    drain_seconds: float = Field(default=5.0, ge=0)
    # Every this many seconds each API worker brings the council-wide figures of today and the
    # trends' month-ends up to date in the background (reports/ready.py), so a manager's first
    # overview and trends are quick; 0 turns it off (then the first request of the hour pays).
    # Costs memory: about 9 KB per young person per date, 13 dates (docs/operations.md).
    figures_ready_seconds: float = Field(default=30.0, ge=0)
    # A young person's own reads (home, local offer, documents, plan) kept by each worker and
    # served again until a write moves them (kept_reads.py). Unset: on when redis_url is set,
    # because a write made by another process (another worker, `portal import`) reaches a
    # worker's memory only through Redis. True without Redis: for one worker that nothing else
    # writes beside. Up to kept_reads_answers answers per worker (3-13 KB each, a third gzipped).
    kept_reads: bool | None = None
    kept_reads_answers: int = Field(default=10_000, ge=1)
    # Plan PDFs render in worker processes, started on the first download (not at start-up).
    pdf_workers: int = Field(default=1, ge=1, le=8)
    pdf_time_limit_seconds: float = Field(default=20.0, gt=0)
    # Address space each PDF worker may use (RLIMIT_AS); past it the render fails with 503 and
    # the worker is replaced. Measured: a warm worker maps about 360 MB, the largest plan the API
    # accepts (ten full sections, 200 long actions) peaks near 710 MB.
    pdf_memory_limit_mb: int = Field(default=1024, ge=256)
    # A request body larger than this is refused with 413 before more of it is read. Nothing the
    # portal takes is big: the largest is a pathway plan draft, a few tens of kilobytes.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Other origins allowed to call the API from a browser (JSON list in PORTAL_CORS_ORIGINS).
    # Empty: same origin only, which is how the PWA is served.
    cors_origins: list[str] = Field(default_factory=list)
    # The council the app is for, by slug: the branding and manifest a phone sees before anyone
    # signs in. One council per deployment; unset, the only organisation there is.
    default_org: str | None = None
    # The built app (`npm run build` in pwa/), served at / by web.py.
    web_dir: Path = Path(__file__).resolve().parent.parent / "pwa" / "dist"

    @model_validator(mode="after")
    def _refuse_demo_secret(self) -> Settings:
        if self.secret_key == DEMO_SECRET and self.environment not in ("demo", "dev", "test"):
            raise ValueError(
                "PORTAL_SECRET_KEY is the public demo secret; set a secret of your own "
                "(for example `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()


async def _app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(_app_settings)]
