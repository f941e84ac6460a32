"""The phone app's first load on a cheap phone on a slow network, a repeat visit, and screenshots.

    uv run python -m bench.phone [--screens bench/screens]
    uv run python -m bench.phone --against /tmp/dist-before [--rounds 5]

Starts `portal demo --no-build` the way the browser tests do (tests/browser/conftest.py: its own
SQLite, serving pwa/dist; build it first with `cd pwa && npm run build`), signs Amira in, then at
360x640 in Debian's Chromium:
  (a) first load of home with an empty cache and no service worker, through Slow 4G (400 kbps
      down and up, 400 ms round trip: `Network.emulateNetworkConditions`) and a 4x CPU slowdown
      (`Emulation.setCPUThrottlingRate`): bytes transferred as the browser counted them
      (`encodedDataLength`), all and JavaScript only, and what the same responses weigh gzipped;
      time to interactive: from navigation start until the home heading and "Get help now" are
      visible and the main thread is next idle (`requestIdleCallback`, page clock);
  (b) the service worker's own downloads after that load (its precache), from its CDP target;
  (c) a repeat visit, throttled the same: every request for the shell (the page and /assets/)
      must be answered by the service worker, and the service worker must fetch none of them;
  (d) screenshots of home, plan, messages and rights in English and Arabic (PNG, 360x640).
Budgets (issue 14): at most 150 KB transferred and 50 KB of JavaScript, compressed; interactive in
under 3 s; a repeat visit fetches nothing for the shell. See bench/README.md.

With --against, only (a)'s interactive time, of pwa/dist and of another build (a copy of an
earlier pwa/dist) in turns, each served by its own demo, with the medians and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import os
import platform
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page, async_playwright

from tests.browser.conftest import AMIRA, CHROMIUM_ARGS, DEMO_PASSWORD, PHONE, WEB_DIR, run_demo

SLOW_4G = {
    "offline": False,
    "latency": 400,  # ms, round trip
    "downloadThroughput": 400 * 1000 / 8,  # bytes per second
    "uploadThroughput": 400 * 1000 / 8,
}
CPU_SLOWDOWN = 4
SCREENS = [("home", "/"), ("plan", "/plan"), ("messages", "/messages"), ("rights", "/rights")]
BUDGET_TOTAL_KB = 150
BUDGET_JS_KB = 50
BUDGET_INTERACTIVE_MS = 3000


@dataclass
class Transfer:
    url: str
    kind: str
    encoded: int = 0
    from_service_worker: bool = False


@dataclass
class Load:
    transfers: dict[str, Transfer] = field(default_factory=dict)

    def listen(self, cdp: Any) -> None:
        def received(event: dict[str, Any]) -> None:
            response = event["response"]
            self.transfers[event["requestId"]] = Transfer(
                url=response["url"],
                kind=event.get("type", "Other"),
                from_service_worker=bool(response.get("fromServiceWorker")),
            )

        def finished(event: dict[str, Any]) -> None:
            transfer = self.transfers.get(event["requestId"])
            if transfer is not None:
                transfer.encoded = int(event["encodedDataLength"])

        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)

    def total(self, kind: str | None = None) -> int:
        return sum(t.encoded for t in self.transfers.values() if kind in (None, t.kind))


async def _throttled(page: Page) -> Any:
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    await cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return cdp


async def _signed_in_context(browser: Any, base: str) -> BrowserContext:
    context: BrowserContext = await browser.new_context(
        viewport=PHONE, locale="en-GB", service_workers="allow"
    )
    response = await context.request.post(
        f"{base}/api/v1/auth/cookie/login",
        form={"username": AMIRA, "password": DEMO_PASSWORD},
        headers={"X-Requested-With": "portal"},
    )
    assert response.ok, f"sign in failed: {response.status}"
    return context


async def _interactive(page: Page) -> float:
    """Milliseconds from navigation start to: home heading and Get help visible, then idle."""
    await page.get_by_role("heading", level=1, name="Hello Amira").wait_for(timeout=60_000)
    await page.get_by_role("link", name="Get help now").wait_for(timeout=60_000)
    ms: float = await page.evaluate(
        "new Promise(done => requestIdleCallback(() => done(performance.now())))"
    )
    return ms


async def _gzipped(context: BrowserContext, load: Load) -> tuple[int, int]:
    """What the same responses weigh gzipped (level 6), all and JavaScript only."""
    total = js = 0
    for transfer in load.transfers.values():
        if not transfer.url.startswith("http"):
            continue
        body = await (await context.request.get(transfer.url)).body()
        size = len(gzip.compress(body, 6))
        total += size
        js += size if transfer.kind == "Script" else 0
    return total, js


async def first_and_repeat(browser: Any, base: str) -> dict[str, Any]:
    context = await _signed_in_context(browser, base)
    sw_fetches: list[tuple[str, int]] = []

    def on_request_finished(request: Any) -> None:
        if request.service_worker is not None:
            sw_fetches.append((request.url, 0))

    context.on("requestfinished", on_request_finished)
    page = await context.new_page()
    cdp = await _throttled(page)
    first = Load()
    first.listen(cdp)
    await page.goto(base + "/", wait_until="commit")
    interactive_ms = await _interactive(page)
    await page.wait_for_load_state("networkidle")
    loaded = dict(first.transfers)
    gz_total, gz_js = await _gzipped(context, Load(transfers=loaded))

    # The service worker installs after the load; its precache is its own download.
    await page.evaluate("navigator.serviceWorker.ready")
    await page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    precache = await page.evaluate(
        """async () => {
            let bytes = 0, files = 0;
            for (const name of await caches.keys()) {
                if (!name.startsWith('workbox-precache')) continue;
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    bytes += (await (await cache.match(request)).arrayBuffer()).byteLength;
                    files += 1;
                }
            }
            return {bytes, files};
        }"""
    )
    precache_fetches = len(sw_fetches)
    await page.close()

    # Repeat visit: a new tab, the same throttling.
    sw_fetches.clear()
    page = await context.new_page()
    cdp = await _throttled(page)
    repeat = Load()
    repeat.listen(cdp)
    await page.goto(base + "/", wait_until="commit")
    repeat_interactive_ms = await _interactive(page)
    await page.wait_for_load_state("networkidle")
    shell = [
        t
        for t in repeat.transfers.values()
        if t.kind == "Document" or "/assets/" in t.url or t.url.endswith((".css", ".js"))
    ]
    shell_from_network = [t.url for t in shell if not t.from_service_worker]
    sw_shell_fetches = [
        url for url, _ in sw_fetches if "/api/" not in url and not url.endswith("/sw.js")
    ]
    await context.close()
    return {
        "first": first,
        "interactive_ms": interactive_ms,
        "gz_total": gz_total,
        "gz_js": gz_js,
        "precache": precache,
        "precache_fetches": precache_fetches,
        "repeat": repeat,
        "repeat_interactive_ms": repeat_interactive_ms,
        "shell_requests": len(shell),
        "shell_from_network": shell_from_network,
        "sw_shell_fetches": sw_shell_fetches,
    }


async def screenshots(browser: Any, base: str, out: Path) -> list[Path]:
    context = await _signed_in_context(browser, base)
    page = await context.new_page()
    written = []
    for lang in ("en", "ar"):
        for name, path in SCREENS:
            await page.goto(f"{base}{path}?lang={lang}")
            await page.wait_for_function(f"document.documentElement.lang === '{lang}'")
            await page.locator("main h1").wait_for()
            await page.wait_for_load_state("networkidle")
            await page.wait_for_function(
                "!document.querySelector('main .app-status')?.textContent?.trim()"
            )
            target = out / f"{name}-{lang}.png"
            await page.screenshot(path=target)
            written.append(target)
    await context.close()
    return written


def _machine() -> str:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout
    return f"{platform.platform()}; nproc {os.cpu_count()}; {cpu}\n{memory}"


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


async def main(screens_dir: Path) -> None:
    chromium = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory() as tmp, run_demo(Path(tmp)) as portal:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            r = await first_and_repeat(browser, portal.url)
            shots = await screenshots(browser, portal.url, screens_dir)
            await browser.close()

    first: Load = r["first"]
    repeat: Load = r["repeat"]
    total, js = first.total(), first.total("Script")
    print(_machine())
    print("First load of home (signed in, empty cache), Slow 4G + 4x CPU, 360x640:")
    for t in sorted(first.transfers.values(), key=lambda t: -t.encoded):
        print(f"  {t.encoded:>8} B  {t.kind:<10} {t.url}")
    print(f"  transferred: {_kb(total)} ({len(first.transfers)} responses); JavaScript {_kb(js)}")
    print(
        f"  the same responses gzipped: {_kb(r['gz_total'])} "
        f"[{verdict(r['gz_total'] <= BUDGET_TOTAL_KB * 1024)} <= {BUDGET_TOTAL_KB} KB]; "
        f"JavaScript {_kb(r['gz_js'])} [{verdict(r['gz_js'] <= BUDGET_JS_KB * 1024)} <= {BUDGET_JS_KB} KB]"
    )
    print(
        f"  interactive: {r['interactive_ms']:.0f} ms "
        f"[{verdict(r['interactive_ms'] < BUDGET_INTERACTIVE_MS)} < {BUDGET_INTERACTIVE_MS} ms]"
    )
    print(
        f"  then the service worker precached {r['precache']['files']} files, "
        f"{_kb(r['precache']['bytes'])} uncompressed, in {r['precache_fetches']} fetches"
    )
    print("Repeat visit (new tab, same throttling):")
    print(
        f"  {r['shell_requests']} shell requests, from the network: {r['shell_from_network'] or 'none'}; "
        f"service worker fetched for the shell: {r['sw_shell_fetches'] or 'nothing'} "
        f"[{verdict(not r['shell_from_network'] and not r['sw_shell_fetches'])}]"
    )
    print(
        f"  transferred over the network: {_kb(sum(t.encoded for t in repeat.transfers.values() if not t.from_service_worker))}; "
        f"interactive: {r['repeat_interactive_ms']:.0f} ms"
    )
    print("Screenshots: " + ", ".join(str(p) for p in shots))


async def _first_load_ms(browser: Any, base: str) -> float:
    context = await _signed_in_context(browser, base)
    page = await context.new_page()
    await _throttled(page)
    await page.goto(base + "/", wait_until="commit")
    ms = await _interactive(page)
    await context.close()
    return ms


async def against(baseline: Path, rounds: int) -> None:
    """First load's interactive time of pwa/dist against another build, in turns on one machine
    (each build served by its own demo), so a busy machine slows both alike: the ratio is the
    figure, the times are this machine's."""
    chromium = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
    builds = {"pwa/dist": WEB_DIR, "baseline": baseline}
    times: dict[str, list[float]] = {name: [] for name in builds}
    with contextlib.ExitStack() as stack:
        portals = {
            name: stack.enter_context(
                run_demo(Path(stack.enter_context(tempfile.TemporaryDirectory())), web)
            )
            for name, web in builds.items()
        }
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for round_ in range(1, rounds + 1):
                for name, portal in portals.items():
                    times[name].append(await _first_load_ms(browser, portal.url))
                print(
                    f"  round {round_}: "
                    + ", ".join(f"{n} {t[-1]:.0f} ms" for n, t in times.items())
                )
            await browser.close()
    print(_machine())
    ours, theirs = (statistics.median(times[name]) for name in builds)
    print(
        f"First load of home, interactive, median of {rounds}: pwa/dist {ours:.0f} ms, baseline ({baseline}) {theirs:.0f} ms"
    )
    print(f"  ratio pwa/dist / baseline: {ours / theirs:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screens", type=Path, default=Path(__file__).parent / "screens")
    parser.add_argument(
        "--against",
        type=Path,
        help="another build of the app (a copy of an older pwa/dist): compare first loads in turns",
    )
    parser.add_argument("--rounds", type=int, default=5, help="with --against: loads of each build")
    if not (WEB_DIR / "index.html").exists():
        raise SystemExit("build the app first: cd pwa && npm ci && npm run build")
    args = parser.parse_args()
    if args.against:
        asyncio.run(against(args.against, args.rounds))
    else:
        args.screens.mkdir(parents=True, exist_ok=True)
        asyncio.run(main(args.screens))
