"""A demo portal in a subprocess, and Debian's Chromium to open it as a phone would.

Never a downloaded browser: the executable is /usr/bin/chromium (or PORTAL_CHROMIUM). Without it, or
without a built app, these tests skip and say how to enable them; `.ci/run` sets
PORTAL_REQUIRE_BROWSER=1, under which either missing fails the run instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = ROOT / "pwa" / "dist"
AXE = ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1280, "height": 800}
DEMO_PASSWORD = "eastmarsh-demo-2026"
AMIRA = "amira@eastmarsh.example"
PRIYA = "priya.pa@eastmarsh.example"
JORDAN = "jordan@eastmarsh.example"
# Flags for a headless browser on a machine with a closed network (no background fetches, no GPU).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PORTAL_REQUIRE_BROWSER=1 makes this an error)")
    pytest.skip(f"{reason}; set PORTAL_REQUIRE_BROWSER=1 to make this an error")


def chromium_path() -> str:
    path = os.environ.get("PORTAL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        _unavailable("browser tests need Debian's Chromium: apt-get install chromium")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class DemoPortal:
    """`portal demo` on a free port with its own SQLite file, and what it printed."""

    url: str
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def run_demo(tmp: Path, web_dir: Path = WEB_DIR) -> Iterator[DemoPortal]:
    """`portal demo --no-build` on a free port with its own SQLite in `tmp`, serving pwa/dist
    (or another build: bench/phone.py --against); stopped on exit. Also used by bench/phone.py,
    so the figures are of the same server."""
    port = _free_port()
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'demo.sqlite3'}",
        "PORTAL_WEB_DIR": str(web_dir),
        "PORTAL_EVENTS_STREAM_SECONDS": "30",
        # Invite and reset links point where the phone opens the app.
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("PORTAL_TEST_DATABASE_URL", None)
    log = tmp / "portal.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [
                sys.executable,
                "-c",
                "from portal_api.cli import app; app()",
                "demo",
                "--port",
                str(port),
                "--no-build",  # what was built is what is tested: the suite never runs npm
            ],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    portal = DemoPortal(url=f"http://127.0.0.1:{port}", log=log, process=process)
    try:
        _wait_until_ready(portal)
        yield portal
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def demo_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoPortal]:
    chromium_path()
    if not (WEB_DIR / "index.html").exists():
        _unavailable("the app is not built: cd pwa && npm ci && npm run build")
    with run_demo(tmp_path_factory.mktemp("demo")) as portal:
        yield portal


def _wait_until_ready(portal: DemoPortal, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if portal.process.poll() is not None:
            raise RuntimeError(f"portal demo exited early:\n{portal.log_text()[-4000:]}")
        try:
            if httpx.get(f"{portal.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"portal demo was not ready in {seconds} s:\n{portal.log_text()[-4000:]}")


@pytest.fixture(scope="session")
async def browser(demo_portal: DemoPortal) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@dataclass
class Phone:
    """One browser context at phone size, and every console error and CSP refusal it saw."""

    page: Any
    context: Any
    base: str
    console_errors: list[str] = field(default_factory=list)

    async def open(self, path: str) -> None:
        await self.page.goto(self.base + path)

    async def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        await self.open("/")
        await self.page.get_by_label("Email address or mobile number").fill(username)
        await self.page.get_by_label("Password", exact=True).fill(password)
        await self.page.get_by_role("button", name="Sign in").click()
        # Home is the first screen after signing in; its heading greets the young person.
        await self.page.get_by_role("heading", name=re.compile("^Hello ")).wait_for()

    async def heading(self, name: str | re.Pattern[str]) -> None:
        """Wait for the screen's main heading (every screen has one h1)."""
        await self.page.get_by_role("heading", level=1, name=name).wait_for()

    async def controlled_by_service_worker(self) -> None:
        """Wait until the service worker has installed and controls the page (the shell is cached)."""
        await self.page.evaluate("navigator.serviceWorker.ready")
        await self.until("navigator.serviceWorker.controller !== null")

    async def until(self, expression: str, seconds: float = 20) -> None:
        """Poll an expression from here: wait_for_function evaluates its string with eval in the
        page, which the strict CSP (no 'unsafe-eval') refuses; evaluate is not subject to it."""
        for _ in range(int(seconds * 10)):
            if await self.page.evaluate(expression):
                return
            await self.page.wait_for_timeout(100)
        raise AssertionError(f"never true in {seconds} s: {expression}")

    def csp_violations(self) -> list[str]:
        return [e for e in self.console_errors if "Content Security Policy" in e]


async def _new_phone(
    browser: Any, portal: DemoPortal, viewport: dict[str, int], service_workers: str = "allow"
) -> Phone:
    context = await browser.new_context(
        viewport=viewport, locale="en-GB", service_workers=service_workers
    )
    page = await context.new_page()
    phone = Phone(page=page, context=context, base=portal.url)

    def on_console(message: Any) -> None:
        if message.type == "error":
            phone.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: phone.console_errors.append(f"uncaught: {error}"))
    return phone


def strings_missing(phone: Phone) -> list[str]:
    """Screens that showed a string's key because its English had not loaded (i18n/index.ts)."""
    return [e for e in phone.console_errors if e.startswith("No English loaded")]


@pytest.fixture
async def phone(browser: Any, demo_portal: DemoPortal) -> AsyncIterator[Phone]:
    phone = await _new_phone(browser, demo_portal, PHONE)
    yield phone
    await phone.context.close()
    assert strings_missing(phone) == []


@pytest.fixture
async def laptop(browser: Any, demo_portal: DemoPortal) -> AsyncIterator[Phone]:
    laptop = await _new_phone(browser, demo_portal, LAPTOP)
    yield laptop
    await laptop.context.close()


@pytest.fixture(scope="session")
async def amira_phone(browser: Any, demo_portal: DemoPortal) -> AsyncIterator[Phone]:
    """Amira signed in once, for tests that only read (each axe check): signing in again for
    every screen would test the sign-in form 22 times and nothing more."""
    phone = await _new_phone(browser, demo_portal, PHONE)
    await phone.sign_in(AMIRA)
    yield phone
    await phone.context.close()
    # Every screen the axe checks opened, in English and Arabic, had its strings.
    assert strings_missing(phone) == []


class Api:
    """The API as a client with a bearer token sees it: what the tests check the app did."""

    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30)
        self._tokens: dict[str, str] = {}

    async def token(self, username: str) -> str:
        if username not in self._tokens:
            response = await self.client.post(
                "/auth/login", data={"username": username, "password": DEMO_PASSWORD}
            )
            response.raise_for_status()
            self._tokens[username] = response.json()["access_token"]
        return self._tokens[username]

    async def request(self, method: str, path: str, as_user: str, **kwargs: Any) -> Any:
        headers = {
            "Authorization": f"Bearer {await self.token(as_user)}",
            **kwargs.pop("headers", {}),
        }
        response = await self.client.request(method, path, headers=headers, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    async def get(self, path: str, as_user: str, **kwargs: Any) -> Any:
        return await self.request("GET", path, as_user, **kwargs)


@pytest.fixture(scope="session")
async def api(demo_portal: DemoPortal) -> AsyncIterator[Api]:
    api = Api(demo_portal.url)
    yield api
    await api.client.aclose()


async def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's strict CSP does not govern,
    so the app itself never needs an exception for it."""
    if not AXE.exists():
        _unavailable("axe-core is not installed: cd pwa && npm ci")
    violations = await _axe(page)
    if violations:
        # A screen still settling (branding arriving, a late re-render) can fail a rule for a
        # moment on a busy machine; what counts is a violation still there once it has settled.
        await page.wait_for_timeout(1000)
        violations = await _axe(page)
    return violations


async def _axe(page: Any) -> list[dict[str, Any]]:
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text())
    result = await page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))"
    )
    violations: list[dict[str, Any]] = json.loads(result)["violations"]
    return [v for v in violations if v.get("impact") in {"serious", "critical"}]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )
