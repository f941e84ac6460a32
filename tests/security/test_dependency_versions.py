"""The libraries that parse what strangers send us (forms, requests), render what staff write
(PDFs, templates) or sign people in are at or above the versions that close their published
advisories, installed and in pyproject.toml's bounds alike, so a downgrade fails here."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

FLOORS: dict[str, str] = {
    # CVE-2026-54283 (GHSA-82w8-qh3p-5jfq): request.form() limits ignored for urlencoded bodies,
    #   fixed in 1.3.1; CVE-2026-54282 (GHSA-jp82-jpqv-5vv3): request.url host poisoning, 1.3.0;
    #   CVE-2026-48818: StaticFiles UNC paths, 1.1.0; CVE-2025-62727: Range header O(n^2), 0.49.1;
    #   CVE-2025-54121: multipart rollover blocks the loop, 0.47.2; CVE-2024-47874: unbounded
    #   multipart fields, 0.40.0.
    "starlette": "1.3.1",
    # GHSA-v9pg-7xvm-68hf (CVE-2026-53540): negative Content-Length buffers the body, 0.0.31;
    #   CVE-2026-53537/53538/53539: Content-Disposition parameter smuggling, ';' as a field
    #   separator, quadratic querystring parsing, 0.0.30; CVE-2026-42561 (GHSA-pp6c-gr5w-3c5g):
    #   unbounded part headers, 0.0.27; CVE-2024-53981: CPU DoS before the first boundary, 0.0.18.
    "python-multipart": "0.0.31",
    # CVE-2026-55073: SSRF through the default URL fetcher, fixed in 70.0 (the portal's
    #   PackagedAssets fetcher refuses every URL anyway); 70.0 also postdates the older SSRF
    #   reports, CVE-2025-68616 and the redirect bypass GHSA-983w-rhvv-gwmv. DESIGN.md asks >= 70.
    "weasyprint": "70.0",
    # CVE-2025-68481: OAuth login CSRF (state not bound to the browser), fixed in 15.0.2. The
    #   portal does not use OAuth today; the floor keeps it safe if it ever does.
    "fastapi-users": "15.0.2",
    # CVE-2025-27516: sandbox breakout through |attr, fixed in 3.1.6; CVE-2024-56201 and
    #   CVE-2024-56326: sandbox breakouts, 3.1.5.
    "jinja2": "3.1.6",
}


@pytest.mark.parametrize(("package", "floor"), sorted(FLOORS.items()))
def test_installed_version_closes_known_advisories(package: str, floor: str) -> None:
    installed = Version(version(package))
    assert installed >= Version(floor), f"{package} {installed} is below {floor}; see FLOORS"


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    requirements = (Requirement(line) for line in project["dependencies"])
    return {r.name.lower(): r for r in requirements}


@pytest.mark.parametrize(("package", "floor"), sorted(FLOORS.items()))
def test_pyproject_never_allows_a_version_below_the_floor(package: str, floor: str) -> None:
    requirement = _declared().get(package)
    assert requirement is not None, f"{package} needs its own line in pyproject.toml with a floor"
    lower = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    assert lower, f"{requirement} has no lower bound"
    assert max(lower) >= Version(floor), f"{requirement} allows versions below {floor}"
