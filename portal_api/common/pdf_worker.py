"""What a PDF worker process runs: WeasyPrint with a fetcher that loads only packaged assets.

Kept apart from :mod:`portal_api.common.pdf` and free of the web framework, so that each worker
process imports only this and WeasyPrint (about 36 MB less per worker than importing the app).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"
# Kinds of file a template may reference. Anything else in templates/ (the .html sources) is not an
# asset and is refused too.
ASSET_SUFFIXES = frozenset(
    {".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ttf", ".otf", ".woff", ".woff2"}
)
# PDF/UA-1 turns on tagging (the structure tree screen readers follow); /Lang and /Title come from
# <html lang> and <title>.
PDF_OPTIONS: Mapping[str, object] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

logger = logging.getLogger(__name__)


class AssetRefused(ValueError):
    """A document asked for something that is not a packaged asset. WeasyPrint skips it."""


class PackagedAssets:
    """Decides what a document may load: files inside ``root`` (``templates/``) of an asset type,
    and nothing else. Paths are resolved (``..``, symbolic links) before the containment check."""

    def __init__(self, root: Path = TEMPLATES_DIR) -> None:
        self.root = root.resolve()

    def resolve(self, url: str) -> Path:
        """The packaged file ``url`` names, or :class:`AssetRefused`."""
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise AssetRefused(f"not a URL: {url[:200]!r}") from exc
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise AssetRefused(f"only packaged assets may be loaded, not {url[:200]!r}")
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise AssetRefused(f"no such packaged asset: {url[:200]!r}") from exc
        if not path.is_relative_to(self.root) or not path.is_file():
            raise AssetRefused(f"outside the packaged assets: {url[:200]!r}")
        if path.suffix.lower() not in ASSET_SUFFIXES:
            raise AssetRefused(f"not an asset type: {url[:200]!r}")
        return path

    def read(self, path: Path) -> bytes:
        # The one place a file is opened; only ever called with a path from resolve().
        return path.read_bytes()

    def load(self, url: str) -> tuple[str, bytes, str]:
        """``(url, body, content type)`` of a packaged asset, or :class:`AssetRefused`."""
        path = self.resolve(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return path.as_uri(), self.read(path), content_type


@functools.cache
def _fetcher_class() -> type[Any]:
    # Defined on first use so that importing this module does not import WeasyPrint.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackagedAssetFetcher(URLFetcher):  # type: ignore[misc,unused-ignore]  # WeasyPrint is untyped
        """WeasyPrint's fetcher, narrowed to :class:`PackagedAssets`. An exception from ``fetch``
        makes WeasyPrint log the failure and leave the resource out; nothing is fetched."""

        def __init__(self, assets: PackagedAssets) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.assets = assets

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            final_url, body, content_type = self.assets.load(url)
            return URLFetcherResponse(
                url=final_url, body=body, headers={"Content-Type": content_type}
            )

    return PackagedAssetFetcher


def packaged_asset_fetcher(root: Path = TEMPLATES_DIR) -> Any:
    """A WeasyPrint URL fetcher that loads only :class:`PackagedAssets` under ``root``."""
    return _fetcher_class()(PackagedAssets(root))


def render_html_to_pdf(html: str, base_url: str) -> bytes:
    """Render ``html`` to tagged PDF in this process: what each worker runs, and what a benchmark
    can call bare. ``base_url`` resolves relative asset URLs (normally inside ``templates/``)."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=packaged_asset_fetcher())
    pdf: bytes = document.write_pdf(**PDF_OPTIONS)
    return pdf


_WARM_UP_HTML = '<html lang="en"><title>warm</title><p style="font-family: DejaVu Sans">ready</p>'


def limit_memory(limit_bytes: int) -> None:
    """Cap this process's address space (RLIMIT_AS). Past it, allocations fail: Python raises
    :class:`MemoryError` and the render fails; a C library that cannot cope may end the process
    instead, and the pool is replaced. Either way one document cannot take the server's memory.

    Address space rather than resident memory (RLIMIT_RSS is not enforced by Linux), so the limit
    counts what is mapped, not only what is touched: a warm worker maps about 360 MB."""
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit_bytes = min(limit_bytes, hard)  # an unprivileged process cannot raise its hard limit
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, hard))


def _prepare_worker(memory_limit_bytes: int | None = None) -> None:
    """Pool initializer: cap the worker's memory, then import and exercise WeasyPrint once (Pango,
    fontconfig, font subsetting), so the first real render is not the one that pays for it."""
    # Before WeasyPrint is imported, so that everything it maps counts against the limit.
    if memory_limit_bytes is not None:
        limit_memory(memory_limit_bytes)
    # A worker has no test runner or log configuration of its own: log only real problems, and say
    # which process they came from.
    logging.basicConfig(
        level=logging.WARNING,
        format=f"pdf-worker[{os.getpid()}] %(levelname)s %(name)s: %(message)s",
    )
    # fontTools reports the glyphs and tables it drops while subsetting at INFO/WARNING level; that
    # is expected for every document and says nothing about the plan.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    render_html_to_pdf(_WARM_UP_HTML, TEMPLATES_DIR.as_uri() + "/")


def _worker_ready() -> int:
    return os.getpid()
