"""Councils (organisations) and their teams. Every case row carries ``org_id``."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from portal_api.db.base import Base, CreatedMixin, IdMixin


class Organisation(IdMixin, CreatedMixin, Base):
    __tablename__ = "organisation"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Shown to a young person outside office hours: their PA will not answer until the next day.
    out_of_hours_phone: Mapped[str | None] = mapped_column(String(40))
    office_phone: Mapped[str | None] = mapped_column(String(40))
    brand_colour: Mapped[str] = mapped_column(String(7), default="#1d70b8")
    # Shown before sign-in (GET /branding) and on the home screen. The short name fits under an
    # icon; the discreet name is what the installed app is called, so a shared phone's home
    # screen and app switcher never say "care" (UX.md §5). Unset, they fall back (people.branding).
    short_name: Mapped[str | None] = mapped_column(String(40))
    discreet_name: Mapped[str | None] = mapped_column(String(40))
    # A path on this server: the CSP lets the app load images from its own origin only.
    logo_url: Mapped[str | None] = mapped_column(String(500))
    plans_need_manager_approval: Mapped[bool] = mapped_column(default=False)
    # Staff must sign in with a code from an authenticator app (TOTP); young people never do.
    require_staff_mfa: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Office hours, Monday to Friday except England and Wales bank holidays, in London time.
    office_opens: Mapped[str] = mapped_column(String(5), default="09:00")
    office_closes: Mapped[str] = mapped_column(String(5), default="17:00")
    # Quiet hours, in London time: a young person's phone is not buzzed between these (children's
    # code); the notice waits until they end. Staff alerts and anything urgent are never held.
    quiet_from: Mapped[str] = mapped_column(String(5), default="21:00", server_default="21:00")
    quiet_until: Mapped[str] = mapped_column(String(5), default="08:00", server_default="08:00")
    # The most young people a PA should hold: the manager's caseload figure is read against it.
    caseload_max: Mapped[int] = mapped_column(default=25, server_default="25")
    # Raised by bulk writes outside the API (portal import): part of the cached figures' key, so a
    # server that cannot hear the CLI still sees the import at once (db/changes.py).
    figures_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime | None]


class Team(IdMixin, Base):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_team_org_id_name"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
