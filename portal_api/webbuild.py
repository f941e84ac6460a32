"""Build the app for ``portal demo``: when ``pwa/dist`` is missing or older than its sources, run
``npm ci`` (only when the installed packages are missing or older than the lock file) and
``npm run build`` in ``pwa/``, with npm's own progress on the terminal. Without npm, say what to
install and carry on: the API is served either way, and ``/`` then says how to build the app.

Real deployments build the app once in their release pipeline and never call this.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa"
# Not sources: what npm installs, what the build writes, caches and test reports.
NOT_SOURCES = frozenset({"node_modules", "dist", "coverage", "test-results", "playwright-report"})
INSTALL_NODE = (
    "npm is not installed, so the app cannot be built. Install Node.js 20 or later with npm "
    "(Debian or Ubuntu: `sudo apt-get install nodejs npm`; otherwise from nodejs.org), then run "
    "`uv run portal demo` again. Meanwhile the API is served as usual (/docs, /api/v1)."
)

Runner = Callable[[list[str], Path], int]
Say = Callable[[str], None]


def _sources(pwa_dir: Path) -> Iterator[Path]:
    for path in pwa_dir.iterdir():
        if path.name in NOT_SOURCES or path.name.startswith("."):
            continue
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def why_build(pwa_dir: Path, dist_dir: Path) -> str | None:
    """Why the app needs building, or None if the built copy is current (or there is no app
    here to build). Each build writes ``dist/index.html`` afresh, so the rule is: the build is
    current when every source is older than ``dist/index.html``."""
    if not (pwa_dir / "package.json").is_file():
        return None
    built = dist_dir / "index.html"
    if not built.is_file():
        return "the app has not been built yet"
    built_at = built.stat().st_mtime
    newer = [p for p in _sources(pwa_dir) if p.stat().st_mtime > built_at]
    if newer:
        newest = max(newer, key=lambda p: p.stat().st_mtime)
        return f"{newest.relative_to(pwa_dir)} changed since the app was last built"
    return None


def needs_install(pwa_dir: Path) -> bool:
    """``npm ci`` first when nothing is installed, or the lock file changed since it was."""
    installed = pwa_dir / "node_modules" / ".package-lock.json"
    lock = pwa_dir / "package-lock.json"
    if not installed.is_file():
        return True
    return lock.is_file() and lock.stat().st_mtime > installed.stat().st_mtime


def _run(command: list[str], cwd: Path) -> int:
    # Output goes straight to the terminal: npm's progress is the progress shown.
    return subprocess.run(command, cwd=cwd, check=False).returncode  # noqa: S603


def ensure_built(
    pwa_dir: Path,
    dist_dir: Path,
    say: Say,
    *,
    run: Runner = _run,
    which: Callable[[str], str | None] = shutil.which,
) -> bool:
    """Build the app if it needs it. True if a current build is there afterwards. Never raises
    for a missing npm or a failed build: the demo still serves the API."""
    reason = why_build(pwa_dir, dist_dir)
    if reason is None:
        return (dist_dir / "index.html").is_file()
    npm = which("npm")
    if npm is None:
        say(f"{reason}. {INSTALL_NODE}")
        return False
    say(f"building the app ({reason}): npm ci && npm run build in {pwa_dir}")
    steps = ([[npm, "ci"]] if needs_install(pwa_dir) else []) + [[npm, "run", "build"]]
    for step in steps:
        code = run(step, pwa_dir)
        if code != 0:
            say(
                f"`{' '.join(['npm', *step[1:]])}` failed (exit {code}); the API is served, "
                "and / says the app is not built. Fix the error above and start the demo again."
            )
            return False
    return True
