"""The manager's overview in the staff console: time to interactive at 1280x800, and screenshots.

    uv run python -m bench.console [--runs 5] [--screens bench/screens]

Starts `portal demo --no-build` the way the browser tests do (tests/browser/conftest.py: its own
SQLite, serving pwa/dist; build it first with `cd pwa && npm run build`) and signs Morgan, the
demo council's manager, in with the session cookie. Then, in Debian's Chromium at 1280x800 with
no throttling (a laptop on the office network):
  (a) the overview (/staff/figures) loaded --runs times in a fresh tab, each timed from navigation
      start until the heading, the first and the last measure's figure and the caseload card are
      visible and the main thread is next idle (`requestIdleCallback`, page clock); the median is
      reported. The 12-month trend loads after the figures (its own request) and is not waited for;
  (b) screenshots of each manager screen (figures, the names behind a figure, queues, providers)
      at 1280x800, and the figures at 768 wide (a tablet), into bench/screens/.
Target (issue 15): interactive within 1.5 s. This is the demo council (a few dozen young people),
not the 5,000 of bench/synthetic.py: see bench/README.md for why, and bench/reports.py for what the
overview's API call costs at 5,000 and 50,000.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page, async_playwright

from bench.phone import _machine, verdict
from tests.browser.conftest import CHROMIUM_ARGS, DEMO_PASSWORD, LAPTOP, WEB_DIR, run_demo

MORGAN = "morgan.manager@eastmarsh.example"
TARGET_MS = 1500
SCREENS = [
    ("manager-figures", "/staff/figures", "How we're doing"),
    ("manager-names", "/staff/figures/plan_current", "Pathway plans up to date: the names"),
    ("manager-queues", "/staff/queues", "Queues"),
    ("manager-providers", "/staff/providers", "Providers"),
]


async def _signed_in(browser: Any, base: str, viewport: dict[str, int]) -> BrowserContext:
    context: BrowserContext = await browser.new_context(viewport=viewport, locale="en-GB")
    response = await context.request.post(
        f"{base}/api/v1/auth/cookie/login",
        form={"username": MORGAN, "password": DEMO_PASSWORD},
        headers={"X-Requested-With": "portal"},
    )
    assert response.ok, f"sign in failed: {response.status}"
    return context


async def _settled(page: Page) -> None:
    await page.wait_for_load_state("networkidle")
    await page.wait_for_function("!document.querySelector('main .app-status')?.textContent?.trim()")


async def overview_interactive(context: BrowserContext, base: str) -> float:
    page = await context.new_page()
    await page.goto(base + "/staff/figures", wait_until="commit")
    await page.get_by_role("heading", level=1, name="How we're doing").wait_for(timeout=60_000)
    await page.locator("[data-figure=pa_allocated]").wait_for(timeout=60_000)
    await page.locator("[data-figure=accommodation_concerns]").wait_for(timeout=60_000)
    await page.locator("[data-figure=caseload]").wait_for(timeout=60_000)
    ms: float = await page.evaluate(
        "new Promise(done => requestIdleCallback(() => done(performance.now())))"
    )
    await page.close()
    return ms


async def screenshots(browser: Any, base: str, out: Path) -> list[Path]:
    written = []
    for viewport, suffix in ((LAPTOP, ""), ({"width": 768, "height": 1024}, "-768")):
        context = await _signed_in(browser, base, viewport)
        page = await context.new_page()
        for name, path, heading in SCREENS if not suffix else SCREENS[:1]:
            await page.goto(base + path)
            await page.get_by_role("heading", level=1, name=heading).wait_for(timeout=60_000)
            await _settled(page)
            target = out / f"{name}{suffix}.png"
            await page.screenshot(path=target)
            written.append(target)
        await context.close()
    return written


async def main(runs: int, screens_dir: Path) -> None:
    chromium = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp, run_demo(Path(tmp)) as portal:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = await _signed_in(browser, portal.url, LAPTOP)
            # One warm-up: the server's first overview fills its caches, the browser's its own.
            await overview_interactive(context, portal.url)
            times = [await overview_interactive(context, portal.url) for _ in range(runs)]
            await context.close()
            shots = await screenshots(browser, portal.url, screens_dir)
            await browser.close()
    median = statistics.median(times)
    print(_machine())
    print(f"Manager overview, demo council, 1280x800, no throttling, {runs} runs after a warm-up:")
    print(f"  each: {', '.join(f'{t:.0f}' for t in times)} ms")
    print(f"  median interactive: {median:.0f} ms [{verdict(median < TARGET_MS)} < {TARGET_MS} ms]")
    print("Screenshots: " + ", ".join(str(p) for p in shots))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screens", type=Path, default=Path(__file__).parent / "screens")
    if not (WEB_DIR / "index.html").exists():
        raise SystemExit("build the app first: cd pwa && npm ci && npm run build")
    args = parser.parse_args()
    args.screens.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(args.runs, args.screens))
