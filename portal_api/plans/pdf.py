"""The pathway plan as a PDF the young person keeps: templates/plans/plan.html filled from a
:class:`PlanPdfContext`, rendered by the shared :class:`PdfRenderer` off the event loop.

Everything from the plan is escaped text (Jinja autoescape); the few values that land inside CSS or
attributes (brand colour, language) are checked here first, because HTML escaping does not make a
value safe inside a stylesheet.
"""

from __future__ import annotations

import re
from datetime import date

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from portal_api.common.pdf import TEMPLATES_DIR, PdfRenderer
from portal_api.plans.pdf_context import PlanPdfContext

# Right-to-left languages young people here read (by BCP 47 primary subtag), plus any tag that
# names the Arabic or Hebrew script ("ku-Arab").
RTL_LANGUAGES = frozenset({"ar", "ps", "fa", "ur", "ckb", "sd", "he", "yi", "dv"})
RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULT_BRAND_COLOUR = "#0b0c0c"
_DARK_TEXT = "#0b0c0c"
_LIGHT_TEXT = "#ffffff"

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

ACTION_STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}


def long_date(value: date) -> str:
    """``1 May 2026``: the same whatever locale the server runs under."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_date(value: date) -> str:
    """``3 Sep 2026``, for narrow table columns."""
    month = _MONTHS[value.month - 1]
    return f"{value.day} {month if len(month) <= 4 else month[:3]} {value.year}"


def action_status(status: str) -> str:
    return ACTION_STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def language_tag(language: str) -> str:
    return language if _LANGUAGE_TAG.match(language) else "en"


def text_direction(language: str) -> str:
    subtags = language.lower().split("-")
    rtl = subtags[0] in RTL_LANGUAGES or any(s in RTL_SCRIPTS for s in subtags[1:])
    return "rtl" if rtl else "ltr"


def brand_colour(colour: str) -> str:
    return colour if _HEX_COLOUR.match(colour) else DEFAULT_BRAND_COLOUR


def _luminance(colour: str) -> float:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_colour_on(background: str) -> str:
    """White or near-black, whichever reads better on the council's colour (WCAG contrast)."""
    lum = _luminance(background)
    on_white = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance(_DARK_TEXT) + 0.05)
    return _LIGHT_TEXT if on_white >= on_dark else _DARK_TEXT


_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["long_date"] = long_date
_environment.filters["short_date"] = short_date
_environment.filters["action_status"] = action_status
_plan_template = _environment.get_template("plans/plan.html")


def plan_html(context: PlanPdfContext) -> str:
    """The plan as HTML, ready for :meth:`PdfRenderer.render`."""
    lang = language_tag(context.language)
    brand = brand_colour(context.brand_colour)
    return _plan_template.render(
        context=context,
        lang=lang,
        direction=text_direction(lang),
        brand=brand,
        brand_text=text_colour_on(brand),
    )


async def render_plan_pdf(renderer: PdfRenderer, context: PlanPdfContext) -> bytes:
    """The plan as PDF bytes. Raises PdfTimeout / PdfFailed (503) from the renderer."""
    return await renderer.render(plan_html(context))
