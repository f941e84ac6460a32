"""Screenshots at 360x640 of the phone's own screens (settings, choosing a PIN, the PIN screen)
in English and Arabic, into bench/screens/: `uv run python -m bench.device_screens` after
`cd pwa && npm run build`. Same demo server as the browser tests; Jordan signs in."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from playwright.async_api import Page, async_playwright

from tests.browser.conftest import (
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    JORDAN,
    PHONE,
    chromium_path,
    run_demo,
)

OUT = Path(__file__).resolve().parent / "screens"


async def _settled(page: Page, url: str, lang: str) -> None:
    await page.goto(url)
    await page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    await page.locator("main h1").wait_for()
    await page.wait_for_load_state("networkidle")


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, run_demo(Path(tmp)) as portal:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            for lang in ("en", "ar"):
                context = await browser.new_context(
                    viewport={"width": PHONE["width"], "height": PHONE["height"]}, locale="en-GB"
                )
                signed_in = await context.request.post(
                    f"{portal.url}/api/v1/auth/cookie/login",
                    form={"username": JORDAN, "password": DEMO_PASSWORD},
                    headers={"X-Requested-With": "portal"},
                )
                assert signed_in.ok, signed_in.status
                page = await context.new_page()
                await _settled(page, f"{portal.url}/settings?lang={lang}", lang)
                await page.screenshot(path=OUT / f"settings-{lang}.png")
                await _settled(page, f"{portal.url}/settings/pin?lang={lang}", lang)
                await page.screenshot(path=OUT / f"set-pin-{lang}.png")
                await page.locator("#new-pin").fill("2468")
                await page.locator("#confirm-pin").fill("2468")
                await page.locator("main button[type=submit]").click()
                await page.wait_for_url(f"{portal.url}/settings")
                await _settled(page, f"{portal.url}/?lang={lang}", lang)
                await page.locator("#pin").wait_for()
                await page.screenshot(path=OUT / f"pin-{lang}.png")
                await context.close()
            await browser.close()
    print(f"wrote settings, set-pin and pin screenshots (en, ar) to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
