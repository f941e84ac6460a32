"""The local-offer pages under ``content/`` as the API holds them: pages, a library, what is served.

``content/national/<lang>/`` is shared by every council; ``content/<org>/<lang>/`` extends it (a page
with the same slug replaces the national one for that council). English is the source; other
languages are translations that say which English revision they translate. The whole tree is read
and checked once (loading.py), at start-up or by ``portal content check``; nothing reads files
per request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from portal_api.content.eligibility import Eligibility
from portal_api.models import LegalStatus

NATIONAL = "national"
ENGLISH = "en"
CATEGORIES = (
    "health_wellbeing",
    "relationships",
    "education_training",
    "employment",
    "accommodation",
    "participation_in_society",
    "financial_literacy",
    "rights",
)
Category = Literal[
    "health_wellbeing",
    "relationships",
    "education_training",
    "employment",
    "accommodation",
    "participation_in_society",
    "financial_literacy",
    "rights",
]
# Fields a translation must copy unchanged from its English page: they decide who sees what.
SHARED_FIELDS = ("category", "core", "eligibility", "claimable", "amount_gbp")
LOCAL_LINK = re.compile(r"^/local-offer/([a-z0-9-]+)$")


class EligibilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statuses: list[LegalStatus] | None = None
    min_age: Annotated[int, Field(ge=0, le=30)] | None = None
    max_age: Annotated[int, Field(ge=0, le=30)] | None = None
    conditions: list[str] = Field(default_factory=list)


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str
    title: Annotated[str, Field(min_length=1, max_length=120)]
    summary: Annotated[str, Field(min_length=1, max_length=300)]
    category: Category
    core: bool
    revision: Annotated[int, Field(ge=1)]
    eligibility: EligibilityIn | None = None
    claimable: bool = False
    amount_gbp: Annotated[Decimal, Field(gt=0, max_digits=9, decimal_places=2)] | None = None
    how_to_get_it: str | None = None
    effective_from: date
    reviewed_on: date
    source: Annotated[str, Field(min_length=1)]
    related: list[str] = Field(default_factory=list)
    translation_of: str | None = None
    translates_revision: Annotated[int, Field(ge=1)] | None = None
    translation_status: Literal["awaiting_review", "reviewed"] | None = None


@dataclass(frozen=True)
class Page:
    owner: str  # "national" or an organisation slug
    lang: str
    path: Path
    meta: FrontMatter
    eligibility: Eligibility
    html: str
    etag: str
    text: str  # the whole file, for line numbers in problems
    body_offset: int  # lines before the body starts

    def line_of(self, key: str) -> int:
        return line_of(self.text, key)

    @property
    def slug(self) -> str:
        return self.meta.slug

    @property
    def is_translation(self) -> bool:
        return self.meta.translation_of is not None


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class ContentInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("the local offer content has problems:\n" + "\n".join(map(str, problems)))


NoticeCode = Literal["not_translated", "translation_out_of_date"]


@dataclass(frozen=True)
class Served:
    """The page a reader gets: the translation when it is current, else English with a notice."""

    english: Page
    page: Page
    notice: str | None
    # The notice as a code, for the app to word: not_translated, translation_out_of_date.
    notice_code: NoticeCode | None = None


@dataclass
class Library:
    """Every page, read once at start-up (check_content) and never changed after: content changes
    ship as a release, so every worker serves the same pages until it restarts."""

    pages: dict[tuple[str, str], dict[str, Page]] = field(default_factory=dict)
    # english() per council, merged once: it was merged again for every page of every listing,
    # the largest part of the home screen's local offer (bench/README.md, issue 16).
    _english: dict[str, Mapping[str, Page]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def owners(self) -> set[str]:
        return {owner for owner, _ in self.pages}

    def english(self, org_slug: str) -> Mapping[str, Page]:
        """Every English page a council's young people see: national, overlaid by the council's."""
        merged = self._english.get(org_slug)
        if merged is None:
            pages = dict(self.pages.get((NATIONAL, ENGLISH), {}))
            pages.update(self.pages.get((org_slug, ENGLISH), {}))
            merged = self._english[org_slug] = MappingProxyType(pages)
        return merged

    def serve(self, org_slug: str, slug: str, lang: str) -> Served | None:
        english = self.english(org_slug).get(slug)
        if english is None:
            return None
        if lang == ENGLISH:
            return Served(english, english, None)
        # A council may translate a national page itself; its own translation comes first.
        translation = self.pages.get((org_slug, lang), {}).get(slug) or self.pages.get(
            (english.owner, lang), {}
        ).get(slug)
        if translation is None:
            return Served(
                english,
                english,
                "This page is not translated into your language yet.",
                "not_translated",
            )
        if translation.meta.translates_revision != english.meta.revision:
            return Served(
                english,
                english,
                "The translation of this page is out of date, so it is shown in English.",
                "translation_out_of_date",
            )
        return Served(english, translation, None)


def body_offset_of(text: str) -> int:
    """How many lines come before the body (front matter, its fences, blank lines after it);
    python-frontmatter strips the body, so its line numbers are counted from the file."""
    lines = text.splitlines()
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"][:2]
    start = fences[1] + 1 if len(fences) == 2 else 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
