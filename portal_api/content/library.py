"""Loading and checking the local-offer pages under ``content/``.

``content/national/<lang>/`` is shared by every council; ``content/<org>/<lang>/`` extends it (a page
with the same slug replaces the national one for that council). English is the source; other
languages are translations that say which English revision they translate. The whole tree is read
and checked once, at start-up or by ``portal content check``; nothing reads files per request.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from portal_api.content.eligibility import Eligibility, parse_condition
from portal_api.content.render import markdown_parser, render_markdown
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
_LOCAL_LINK = re.compile(r"^/local-offer/([a-z0-9-]+)$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANG_DIR = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


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
        return _line_of(self.text, key)

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


def _body_offset(text: str) -> int:
    """How many lines come before the body (front matter, its fences, blank lines after it);
    python-frontmatter strips the body, so its line numbers are counted from the file."""
    lines = text.splitlines()
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"][:2]
    start = fences[1] + 1 if len(fences) == 2 else 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _read(path: Path, owner: str, lang: str, problems: list[Problem]) -> Page | None:
    text = path.read_text(encoding="utf-8")
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(
            Problem(path, (mark.line + 1) if mark else 1, f"front matter is not valid YAML: {exc}")
        )
        return None
    if not post.metadata:
        problems.append(
            Problem(path, 1, "no front matter: start the file with --- and the page's keys")
        )
        return None
    try:
        meta = FrontMatter.model_validate(post.metadata)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else "front matter"
            where = ".".join(str(p) for p in error["loc"])
            problems.append(Problem(path, _line_of(text, key), f"{where}: {error['msg']}"))
        return None
    failed = False

    def fail(key: str, reason: str) -> None:
        nonlocal failed
        failed = True
        problems.append(Problem(path, _line_of(text, key), reason))

    if meta.slug != path.stem:
        fail("slug", f"slug {meta.slug!r} must equal the file name {path.stem!r}")
    if not _SLUG.match(meta.slug):
        fail("slug", "slug is lowercase words joined by hyphens")
    conditions = []
    if meta.eligibility:
        for text_condition in meta.eligibility.conditions:
            try:
                conditions.append(parse_condition(text_condition))
            except ValueError as exc:
                fail("eligibility", f"eligibility.conditions: {exc}")
        if (
            meta.eligibility.min_age is not None
            and meta.eligibility.max_age is not None
            and meta.eligibility.min_age > meta.eligibility.max_age
        ):
            fail("eligibility", "eligibility: min_age is above max_age")
    if lang == ENGLISH and meta.translation_of is not None:
        fail("translation_of", "an English page is not a translation: remove translation_of")
    if lang != ENGLISH:
        if meta.translation_of != meta.slug:
            fail(
                "translation_of",
                f"a {lang} page says which English page it translates: translation_of: {meta.slug}",
            )
        if meta.translates_revision is None or meta.translation_status is None:
            fail(
                "translates_revision",
                "a translation says translates_revision and translation_status",
            )
    body_offset = _body_offset(text)
    for number, line in enumerate(post.content.splitlines(), start=body_offset + 1):
        if re.search(r"<\s*(img|script|iframe|link|style)\b", line, re.IGNORECASE):
            problems.append(Problem(path, number, "no raw HTML in pages (images, scripts, styles)"))
            failed = True
    for number, target in link_targets(post.content, body_offset):
        if not _LOCAL_LINK.match(target) and not target.startswith("tel:"):
            problems.append(
                Problem(path, number, f"link {target!r}: link only to /local-offer/<slug> or tel:")
            )
            failed = True
    if failed:
        return None
    eligibility = Eligibility(
        statuses=frozenset(meta.eligibility.statuses)
        if meta.eligibility and meta.eligibility.statuses
        else None,
        min_age=meta.eligibility.min_age if meta.eligibility else None,
        max_age=meta.eligibility.max_age if meta.eligibility else None,
        conditions=tuple(conditions),
    )
    html = render_markdown(post.content)
    etag = hashlib.sha256(f"{owner}/{lang}/{text}".encode()).hexdigest()[:32]
    return Page(
        owner=owner,
        lang=lang,
        path=path,
        meta=meta,
        eligibility=eligibility,
        html=html,
        etag=etag,
        text=text,
        body_offset=body_offset,
    )


def link_targets(body: str, body_offset: int) -> list[tuple[int, str]]:
    """Every link as the renderer sees it (inline, titled, reference, autolink), with its line.
    Asking the Markdown parser rather than a pattern means no form of link slips past."""
    found = []
    for block in markdown_parser.parse(body):
        line = body_offset + 1 + (block.map[0] if block.map else 0)
        for token in block.children or []:
            if token.type == "link_open":
                found.append((line, str(token.attrGet("href") or "")))
    return found


def _links(page: Page) -> list[tuple[int, str]]:
    body = "\n".join(page.text.splitlines()[page.body_offset :])
    return [
        (number, match[1])
        for number, target in link_targets(body, page.body_offset)
        if (match := _LOCAL_LINK.match(target))
    ]


def _check_together(library: Library, problems: list[Problem]) -> None:
    for owner in library.owners():
        english = (
            library.pages.get((NATIONAL, ENGLISH), {})
            if owner == NATIONAL
            else library.english(owner)
        )
        langs = {lang for o, lang in library.pages if o == owner and lang != ENGLISH}
        for (page_owner, lang), pages in library.pages.items():
            if page_owner != owner:
                continue
            for page in pages.values():
                targets = [(page.line_of("related"), s) for s in page.meta.related]
                targets += _links(page)
                for line, target in targets:
                    if target not in english:
                        where = (
                            "national pages link only to national pages; "
                            if owner == NATIONAL
                            else ""
                        )
                        problems.append(
                            Problem(page.path, line, f"{where}no page {target!r} to link to")
                        )
                if lang == ENGLISH:
                    continue
                source = english.get(page.slug)
                if source is None:
                    problems.append(
                        Problem(
                            page.path, 1, f"translates {page.slug!r}, which has no English page"
                        )
                    )
                    continue
                if (page.meta.translates_revision or 0) > source.meta.revision:
                    problems.append(
                        Problem(
                            page.path,
                            page.line_of("translates_revision"),
                            f"translates revision {page.meta.translates_revision}, but the English page is at {source.meta.revision}",
                        )
                    )
                for name in SHARED_FIELDS:
                    if getattr(page.meta, name) != getattr(source.meta, name):
                        problems.append(
                            Problem(
                                page.path,
                                page.line_of(name),
                                f"{name} must be the same as on the English page",
                            )
                        )
        national = library.pages.get((NATIONAL, ENGLISH), {})
        national_langs = {lang for o, lang in library.pages if o == NATIONAL and lang != ENGLISH}
        for page in library.pages.get((owner, ENGLISH), {}).values():
            if not page.meta.core:
                continue
            # A council replacing a national core page must not take its translations away.
            needed = langs | (
                national_langs if owner != NATIONAL and page.slug in national else set()
            )
            for lang in sorted(needed):
                if page.slug not in library.pages.get((owner, lang), {}):
                    problems.append(
                        Problem(
                            page.path, 1, f"core page has no {lang} translation in {owner}/{lang}/"
                        )
                    )


def check_content(root: Path) -> tuple[Library, list[Problem]]:
    """Read and check every page under ``root``; returns the library and every problem found."""
    library = Library()
    problems: list[Problem] = []
    if not (root / NATIONAL / ENGLISH).is_dir():
        return library, [
            Problem(root, 1, f"no national English pages: expected {root / NATIONAL / ENGLISH}/")
        ]
    for owner_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for lang_dir in sorted(p for p in owner_dir.iterdir() if p.is_dir()):
            if not _LANG_DIR.match(lang_dir.name):
                problems.append(
                    Problem(lang_dir, 1, "a language folder is named by its code (en, ar, ps)")
                )
                continue
            pages = library.pages.setdefault((owner_dir.name, lang_dir.name), {})
            for path in sorted(lang_dir.glob("*.md")):
                page = _read(path, owner_dir.name, lang_dir.name, problems)
                if page is not None:
                    pages[page.slug] = page
    if not problems:
        _check_together(library, problems)
    return library, problems


def load_library(root: Path) -> Library:
    """The start-up path: a library, or ContentInvalid with the same messages as the check."""
    library, problems = check_content(root)
    if problems:
        raise ContentInvalid(problems)
    return library


def pages_by_owner(library: Library) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for (owner, lang), pages in library.pages.items():
        counts[f"{owner}/{lang}"] += len(pages)
    return dict(counts)
