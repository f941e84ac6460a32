"""HTML to tagged, accessible PDF with WeasyPrint, off the event loop.

WeasyPrint is CPU-bound and can run for a long time on a pathological document, so it never runs in
the API process: :class:`PdfRenderer` sends the work to a small pool of worker processes (``spawn``
context, so no half-copied event loop or database connections), limits how many renders are in
flight with a semaphore, and gives each one a time limit. A render that overruns has its worker
killed (a thread cannot be stopped; a process can) and the pool replaced, so one stuck document
cannot hold a worker for ever. Each worker's address space is capped too (``RLIMIT_AS``, set in the
worker before WeasyPrint loads), so one enormous document fails with a 503 instead of taking the
server's memory; the worker that hit the cap is replaced.

Only packaged assets are ever loaded: :class:`PackagedAssets` allows files from the ``templates/``
folder and refuses everything else (other files, the network, ``data:``), so text a person typed can
never make the server read a file or call a URL.

WeasyPrint itself is imported only where it runs (the workers, or a benchmark calling
:func:`render_html_to_pdf` bare): the API process never loads it, nor Pango and its fonts.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from portal_api.common.pdf_worker import (
    ASSET_SUFFIXES,
    PDF_OPTIONS,
    TEMPLATES_DIR,
    AssetRefused,
    PackagedAssets,
    _prepare_worker,
    _worker_ready,
    packaged_asset_fetcher,
    render_html_to_pdf,
)
from portal_api.errors import PortalError

logger = logging.getLogger(__name__)

# Settings.pdf_memory_limit_mb has the same default and says how it was measured.
DEFAULT_MEMORY_LIMIT_MB = 1024

__all__ = [
    "ASSET_SUFFIXES",
    "DEFAULT_MEMORY_LIMIT_MB",
    "PDF_OPTIONS",
    "TEMPLATES_DIR",
    "AssetRefused",
    "PackagedAssets",
    "PdfFailed",
    "PdfRenderer",
    "PdfTimeout",
    "packaged_asset_fetcher",
    "render_html_to_pdf",
]


class PdfTimeout(PortalError):
    status = 503
    title = "PDF not ready"

    def __init__(
        self, detail: str = "The PDF took too long to make; try again in a minute."
    ) -> None:
        super().__init__(detail, headers={"Retry-After": "60"})


class PdfFailed(PortalError):
    status = 503
    title = "PDF not ready"

    def __init__(self, detail: str = "The PDF could not be made; try again in a minute.") -> None:
        super().__init__(detail, headers={"Retry-After": "60"})


class PdfRenderer:
    """Renders HTML to PDF in worker processes, at most ``max_workers`` at a time, each within
    ``time_limit`` seconds, each worker within ``memory_limit_mb`` of address space (``None``: no
    limit of its own).

    Create one at start-up (it starts and warms its workers at once) and call :meth:`shutdown` at
    the end. Renders beyond ``max_workers`` wait their turn on the semaphore; the time limit counts
    from when a worker is free to take the document.
    """

    def __init__(
        self,
        max_workers: int = 2,
        *,
        time_limit: float = 20.0,
        start_limit: float = 60.0,
        memory_limit_mb: int | None = DEFAULT_MEMORY_LIMIT_MB,
        templates_dir: Path = TEMPLATES_DIR,
    ) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.max_workers = max_workers
        self.time_limit = time_limit
        self.memory_limit_mb = memory_limit_mb
        # Starting a worker (a new interpreter importing WeasyPrint) is not the document's fault, so
        # it has its own, looser limit.
        self.start_limit = start_limit
        self.base_url = templates_dir.resolve().as_uri() + "/"
        self._context = get_context("spawn")
        self._semaphore = asyncio.Semaphore(max_workers)
        self._pool_lock = asyncio.Lock()
        self._closed = False
        self._pool, self._warming = self._new_pool()

    def _new_pool(self) -> tuple[ProcessPoolExecutor, list[Future[int]]]:
        limit = None if self.memory_limit_mb is None else self.memory_limit_mb * 1024 * 1024
        pool = ProcessPoolExecutor(
            max_workers=self.max_workers,
            mp_context=self._context,
            initializer=_prepare_worker,
            initargs=(limit,),
        )
        # Submitting one task per worker before any has started makes the pool start them all now.
        return pool, [pool.submit(_worker_ready) for _ in range(self.max_workers)]

    async def _wait_until_started(
        self, pool: ProcessPoolExecutor, warming: list[Future[int]]
    ) -> None:
        waiting = [f for f in warming if not f.done() or f.cancelled() or f.exception()]
        if not waiting:
            return
        # Shielded: a caller giving up must not cancel the warm-up other callers are waiting on.
        started = asyncio.gather(*(asyncio.shield(asyncio.wrap_future(f)) for f in waiting))
        try:
            await asyncio.wait_for(started, self.start_limit)
        except TimeoutError:
            logger.error("PDF workers did not start within %.0f s", self.start_limit)
            raise PdfTimeout() from None
        except Exception as exc:  # BrokenProcessPool: a worker died while starting
            logger.exception("PDF workers failed to start; starting new ones")
            await self._replace_pool(pool)
            raise PdfFailed() from exc

    async def render(self, html: str, *, time_limit: float | None = None) -> bytes:
        """The PDF of ``html``; :class:`PdfTimeout` if it takes longer than the time limit,
        :class:`PdfFailed` if rendering fails."""
        limit = self.time_limit if time_limit is None else time_limit
        async with self._semaphore:
            for attempt in range(2):
                if self._closed:
                    raise PdfFailed()
                pool, warming = self._pool, self._warming
                await self._wait_until_started(pool, warming)
                try:
                    job = asyncio.get_running_loop().run_in_executor(
                        pool, render_html_to_pdf, html, self.base_url
                    )
                    return await asyncio.wait_for(job, limit)
                except TimeoutError:
                    logger.warning("PDF render overran %.1f s; restarting the PDF workers", limit)
                    await self._replace_pool(pool)
                    raise PdfTimeout() from None
                except MemoryError as exc:
                    # Raised in the worker and passed back. Python recovered, but Pango, cairo and
                    # fontconfig may not have: start clean rather than trust that worker again.
                    logger.warning(
                        "PDF render passed the %s MB memory limit; restarting the PDF workers",
                        self.memory_limit_mb,
                    )
                    await self._replace_pool(pool)
                    raise PdfFailed() from exc
                except BrokenProcessPool as exc:
                    # Either a worker died under this render, or another render's overrun killed
                    # the pool this one was running on. Only the second earns a retry.
                    if not await self._replace_pool(pool) and attempt == 0:
                        continue
                    logger.error("a PDF worker died; restarted the PDF workers")
                    raise PdfFailed() from exc
                except Exception as exc:
                    logger.exception("PDF render failed")
                    raise PdfFailed() from exc
        raise PdfFailed()  # pragma: no cover  (the loop always returns or raises)

    async def _replace_pool(self, broken: ProcessPoolExecutor) -> bool:
        """Kill ``broken``'s workers and start new ones; False if it was already replaced."""
        async with self._pool_lock:
            if broken is not self._pool or self._closed:
                return False
            # Signalling and starting processes are quick system calls, but still not for the loop.
            self._pool, self._warming = await asyncio.to_thread(self._kill_and_restart, broken)
            return True

    def _kill_and_restart(
        self, broken: ProcessPoolExecutor
    ) -> tuple[ProcessPoolExecutor, list[Future[int]]]:
        _kill_workers(broken)
        return self._new_pool()

    def shutdown(self) -> None:
        """Stop the workers. Renders still running are abandoned."""
        self._closed = True
        _kill_workers(self._pool)

    def worker_pids(self) -> list[int]:
        """Process ids of the current workers (for measurements and tests)."""
        return list((self._pool._processes or {}).keys())


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop a running task; its worker processes are private but
    # stable since Python 3.2. SIGKILL, because a worker stuck inside Pango may not see SIGTERM soon.
    processes = list((pool._processes or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)
