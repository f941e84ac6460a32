"""What plan routes, and the routes above plans that print plans, take from the running app."""

from __future__ import annotations

from fastapi import Request

from portal_api.common.pdf import PdfRenderer


def pdf_renderer(request: Request) -> PdfRenderer:
    """One renderer per process, started on the first download so start-up stays quick."""
    state = request.app.state
    if state.pdf_renderer is None:
        settings = state.settings
        state.pdf_renderer = PdfRenderer(
            settings.pdf_workers,
            time_limit=settings.pdf_time_limit_seconds,
            memory_limit_mb=settings.pdf_memory_limit_mb,
        )
    renderer: PdfRenderer = state.pdf_renderer
    return renderer
