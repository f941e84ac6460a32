"""Reading ``content/`` from disk and checking it: each page on its own (front matter, slug,
eligibility, links), then the pages together (links between them, translations and their
revisions, core pages translated). ``portal content check`` and start-up share it, so both give
the same messages, each with its file and line.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

import frontmatter
import yaml
from pydantic import ValidationError

from portal_api.content.eligibility import Eligibility, parse_condition
from portal_api.content.library import (
    ENGLISH,
    LOCAL_LINK,
    NATIONAL,
    SHARED_FIELDS,
    ContentInvalid,
    FrontMatter,
    Library,
    Page,
    Problem,
    body_offset_of,
    line_of,
)
from portal_api.content.render import markdown_parser, render_markdown

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANG_DIR = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


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
            problems.append(Problem(path, line_of(text, key), f"{where}: {error['msg']}"))
        return None
    failed = False

    def fail(key: str, reason: str) -> None:
        nonlocal failed
        failed = True
        problems.append(Problem(path, line_of(text, key), reason))

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
    body_offset = body_offset_of(text)
    for number, line in enumerate(post.content.splitlines(), start=body_offset + 1):
        if re.search(r"<\s*(img|script|iframe|link|style)\b", line, re.IGNORECASE):
            problems.append(Problem(path, number, "no raw HTML in pages (images, scripts, styles)"))
            failed = True
    for number, target in link_targets(post.content, body_offset):
        if not LOCAL_LINK.match(target) and not target.startswith("tel:"):
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
        if (match := LOCAL_LINK.match(target))
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
