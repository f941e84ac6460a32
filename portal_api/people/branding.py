"""The council's face before sign-in: names, colour, logo, out-of-hours number, the web app
manifest and its icons. Public, so it says nothing about anyone.

Which council: one per deployment. ``PORTAL_DEFAULT_ORG`` names it by slug; unset, the only
organisation there is. (A deployment shared by several councils would choose by host name;
nothing here needs that yet.)
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_api.errors import NotFound
from portal_api.models import Organisation
from portal_api.people.schemas import BrandingRead

# A neutral name for the installed app when the council has not chosen one: nothing on a shared
# phone's home screen, app switcher or splash screen may say "care" (UX.md §5).
DEFAULT_DISCREET_NAME = "My hub"
ICON_SIZES = (192, 512)
MANIFEST_MEDIA_TYPE = "application/manifest+json"


async def deployment_organisation(session: AsyncSession, default_slug: str | None) -> Organisation:
    """The council this deployment's app is for."""
    if default_slug:
        org = await session.scalar(select(Organisation).where(Organisation.slug == default_slug))
        if org is None:
            raise NotFound(
                f"PORTAL_DEFAULT_ORG names {default_slug!r}, and there is no such council here."
            )
        return org
    found = (await session.scalars(select(Organisation).limit(2))).all()
    if len(found) != 1:
        raise NotFound(
            "This portal has no council yet, or several: set PORTAL_DEFAULT_ORG to the slug of "
            "the one the app is for."
        )
    return found[0]


def branding_of(org: Organisation, vapid_public_key: str | None) -> BrandingRead:
    return BrandingRead(
        name=org.name,
        short_name=org.short_name or org.name,
        discreet_name=org.discreet_name or DEFAULT_DISCREET_NAME,
        colour=org.brand_colour,
        logo_url=org.logo_url,
        out_of_hours_phone=org.out_of_hours_phone,
        vapid_public_key=vapid_public_key,
    )


def etag_of(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def manifest(branding: BrandingRead, *, discreet: bool = True) -> dict[str, Any]:
    """The web app manifest. Discreet unless asked otherwise: the app is installed under its
    discreet name with a plain icon in the council's colour, so nothing says "care"."""
    name = branding.discreet_name if discreet else branding.name
    short_name = branding.discreet_name if discreet else branding.short_name
    icons = [
        {
            "src": icon_path(size),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for size in ICON_SIZES
        # The icon is a plain field with a dot in the middle: safe to crop to any mask.
        for purpose in ("any", "maskable")
    ]
    return {
        "id": "/",
        "name": name,
        "short_name": short_name,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": branding.colour,
        "background_color": "#ffffff",
        "icons": icons,
    }


def manifest_bytes(branding: BrandingRead, *, discreet: bool = True) -> bytes:
    return json.dumps(manifest(branding, discreet=discreet), separators=(",", ":")).encode()


def icon_path(size: int) -> str:
    return f"/api/v1/branding/icons/{size}.png"


@lru_cache(maxsize=32)
def icon_png(colour: str, size: int) -> bytes:
    """A square in the council's colour with a white dot in the middle: no words, no logo, so
    it gives nothing away on a home screen. Drawn here (a few lines of PNG) rather than shipped
    per council. Cached: a council's colour rarely changes."""
    background = bytes.fromhex(colour.removeprefix("#"))
    white = b"\xff\xff\xff"
    centre, radius = (size - 1) / 2, size * 0.2
    rows = []
    for y in range(size):
        dy = abs(y - centre)
        if dy < radius:
            half = (radius * radius - dy * dy) ** 0.5
            start, end = round(centre - half), round(centre + half) + 1
            row = background * start + white * (end - start) + background * (size - end)
        else:
            row = background * size
        rows.append(b"\x00" + row)  # filter type 0 for each scanline

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
