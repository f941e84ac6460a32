"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only a small allow-list of tags."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

markdown_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "hr",
}
# Only links to other local-offer pages and phone numbers: no tracking, no surprises on a phone.
ALLOWED_SCHEMES = {"tel"}


def _keep_link(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        if value.startswith("/local-offer/") or value.startswith("tel:"):
            return value
        return None
    return value


def render_markdown(text: str) -> str:
    html = markdown_parser.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}, "th": {"align"}, "td": {"align"}},
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_keep_link,
        link_rel="noopener noreferrer",
    )
