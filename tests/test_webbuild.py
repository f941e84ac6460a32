"""When `portal demo` builds the app: missing or older than any of its sources, and only then;
`npm ci` only when the installed packages are missing or older than the lock file; without npm,
a plain sentence saying what to install. npm itself never runs here (a recording runner stands in).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portal_api.webbuild import ensure_built, needs_install, why_build

LAST_BUILD = 1_800_000_000.0


def _touch(path: Path, at: float, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (at, at))
    return path


@pytest.fixture
def pwa(tmp_path: Path) -> Path:
    """An app project built at LAST_BUILD from sources older than that, packages installed."""
    root = tmp_path / "pwa"
    _touch(root / "package.json", LAST_BUILD - 100, "{}")
    _touch(root / "package-lock.json", LAST_BUILD - 100, "{}")
    _touch(root / "vite.config.ts", LAST_BUILD - 100)
    _touch(root / "src" / "app" / "home" / "Home.tsx", LAST_BUILD - 50)
    _touch(root / "node_modules" / ".package-lock.json", LAST_BUILD - 90, "{}")
    _touch(root / "dist" / "assets" / "app-1a2b3c.js", LAST_BUILD)
    _touch(root / "dist" / "index.html", LAST_BUILD)
    return root


class Recorder:
    def __init__(self, codes: dict[str, int] | None = None) -> None:
        self.commands: list[list[str]] = []
        self.codes = codes or {}

    def __call__(self, command: list[str], cwd: Path) -> int:
        self.commands.append(command)
        return self.codes.get(" ".join(command[1:]), 0)


def _npm(name: str) -> str | None:
    return "/usr/bin/npm" if name == "npm" else None


def test_a_build_newer_than_every_source_is_current(pwa: Path) -> None:
    assert why_build(pwa, pwa / "dist") is None


def test_a_missing_build_needs_building(pwa: Path) -> None:
    (pwa / "dist" / "index.html").unlink()

    assert why_build(pwa, pwa / "dist") == "the app has not been built yet"


def test_a_source_changed_after_the_build_needs_building_and_is_named(pwa: Path) -> None:
    _touch(pwa / "src" / "app" / "home" / "Home.tsx", LAST_BUILD + 5)

    reason = why_build(pwa, pwa / "dist")

    assert reason == "src/app/home/Home.tsx changed since the app was last built"


def test_a_changed_lock_file_needs_building(pwa: Path) -> None:
    _touch(pwa / "package-lock.json", LAST_BUILD + 5, "{}")

    assert why_build(pwa, pwa / "dist") is not None


@pytest.mark.parametrize(
    "not_a_source",
    ["node_modules/vite/index.js", "dist/sw.js", ".vite/deps/x.js", "test-results/run.json"],
)
def test_installed_packages_build_output_and_caches_are_not_sources(
    pwa: Path, not_a_source: str
) -> None:
    _touch(pwa / not_a_source, LAST_BUILD + 5)

    assert why_build(pwa, pwa / "dist") is None


def test_without_an_app_project_there_is_nothing_to_build(tmp_path: Path) -> None:
    assert why_build(tmp_path / "pwa", tmp_path / "pwa" / "dist") is None


def test_packages_are_installed_when_missing_or_older_than_the_lock_file(pwa: Path) -> None:
    assert needs_install(pwa) is False

    _touch(pwa / "package-lock.json", LAST_BUILD, "{}")
    assert needs_install(pwa) is True

    (pwa / "node_modules" / ".package-lock.json").unlink()
    assert needs_install(pwa) is True


def test_a_current_build_runs_nothing(pwa: Path) -> None:
    npm = Recorder()

    built = ensure_built(pwa, pwa / "dist", lambda line: None, run=npm, which=_npm)

    assert built is True
    assert npm.commands == []


def test_a_stale_build_runs_only_the_build_when_packages_are_current(pwa: Path) -> None:
    _touch(pwa / "src" / "app" / "home" / "Home.tsx", LAST_BUILD + 5)
    npm = Recorder()

    ensure_built(pwa, pwa / "dist", lambda line: None, run=npm, which=_npm)

    assert npm.commands == [["/usr/bin/npm", "run", "build"]]


def test_a_missing_build_without_packages_installs_then_builds(pwa: Path) -> None:
    (pwa / "dist" / "index.html").unlink()
    (pwa / "node_modules" / ".package-lock.json").unlink()
    npm = Recorder()
    said: list[str] = []

    ensure_built(pwa, pwa / "dist", said.append, run=npm, which=_npm)

    assert npm.commands == [["/usr/bin/npm", "ci"], ["/usr/bin/npm", "run", "build"]]
    assert "npm ci && npm run build" in said[0]


def test_without_npm_it_says_what_to_install_and_goes_on(pwa: Path) -> None:
    (pwa / "dist" / "index.html").unlink()
    npm = Recorder()
    said: list[str] = []

    built = ensure_built(pwa, pwa / "dist", said.append, run=npm, which=lambda name: None)

    assert built is False
    assert npm.commands == []
    assert "Install Node.js" in said[0]
    assert "the API is served" in said[0]


def test_a_failed_install_stops_before_the_build_and_says_so(pwa: Path) -> None:
    (pwa / "node_modules" / ".package-lock.json").unlink()
    (pwa / "dist" / "index.html").unlink()
    npm = Recorder(codes={"ci": 1})
    said: list[str] = []

    built = ensure_built(pwa, pwa / "dist", said.append, run=npm, which=_npm)

    assert built is False
    assert npm.commands == [["/usr/bin/npm", "ci"]]
    assert "`npm ci` failed (exit 1)" in said[-1]
