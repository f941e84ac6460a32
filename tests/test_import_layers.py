"""Imports run down the layers of the house, never up (STYLE.md, "The shape of the house").

Every module under ``portal_api/`` is parsed with ``ast`` (nothing is imported, so an import
inside a function or under ``if TYPE_CHECKING:`` counts the same as one at the top) and placed in
a layer by its first name below ``portal_api``. A module may import its own layer or any layer
below it; an import of a higher layer is reported with the file, line and both layers.

=====  =======================================================  ==================================
layer  packages and modules                                      what they may import
=====  =======================================================  ==================================
0      ``errors``, ``config``                                    nothing of the portal's but layer 0
1      ``common/``, ``models/``, ``db/``                         layers 0-1: no domain
2      ``notifications/`` (notifier interface, outbox enqueue)   layers 0-2
3      ``audit/``, ``auth/``                                     layers 0-3: no domain
4      the domains: ``people/``, ``content/``, ``plans/``,       layers 0-4
       ``documents/``, ``messaging/``, ``followups/``,
       ``accommodation/``
5      what reads many domains: ``summary/``, ``reports/``,      layers 0-5
       ``records/`` (the importer, the subject access export),
       ``console/`` (the staff console's case overview, caseload)
6      wiring: ``api``, ``main``, ``cli``, ``demo``,             anything
       ``health``, ``security``, ``compression``, ``kept_reads``,
       ``portal_api/__init__``
=====  =======================================================  ==================================

Two further rules hold within a layer:

- nothing imports another package's router module (``router.py`` or ``*_router.py``): only the
  wiring layer includes routers; what a router offers to others (a dependency, a renderer)
  belongs in a lower module of its package;
- no package uses another package's private names (``from portal_api.x import _name`` or
  ``module._name`` on a module imported from another package): go through what it makes public.

A new top-level package or module must be added to ``LAYERS`` below, or this test fails:
placing it is a decision, not an accident.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "portal_api"

FOUNDATION, BASE, NOTIFICATIONS, CROSS_CUTTING, DOMAIN, READS_MANY, WIRING = range(7)

LAYER_NAMES = {
    FOUNDATION: "foundation (errors, config)",
    BASE: "base (common, models, db)",
    NOTIFICATIONS: "notifications",
    CROSS_CUTTING: "audit/auth",
    DOMAIN: "domain",
    READS_MANY: "reads many domains",
    WIRING: "wiring",
}

LAYERS: dict[str, int] = {
    "errors": FOUNDATION,
    "config": FOUNDATION,
    "common": BASE,
    "models": BASE,
    "db": BASE,
    "notifications": NOTIFICATIONS,
    "audit": CROSS_CUTTING,
    "auth": CROSS_CUTTING,
    "people": DOMAIN,
    "content": DOMAIN,
    "plans": DOMAIN,
    "documents": DOMAIN,
    "messaging": DOMAIN,
    "followups": DOMAIN,
    "accommodation": DOMAIN,
    "summary": READS_MANY,
    "console": READS_MANY,
    "reports": READS_MANY,
    "records": READS_MANY,
    "api": WIRING,
    "main": WIRING,
    "cli": WIRING,
    "demo": WIRING,
    "demo_story": WIRING,
    "health": WIRING,
    "security": WIRING,
    "compression": WIRING,  # GET answers gzipped for phones on little data
    "kept_reads": WIRING,  # a young person's own reads kept between writes
    "web": WIRING,  # serves the built phone app and staff console
    "webbuild": WIRING,
    "": WIRING,  # portal_api/__init__.py
}


@dataclass(frozen=True)
class Import:
    """One module imported by one source module, with the names taken from it."""

    source: str  # dotted, e.g. portal_api.plans.service
    target: str  # dotted module, e.g. portal_api.people.scope
    names: tuple[str, ...]  # names taken with ``from target import ...``; empty for ``import``
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE_ROOT.rglob("*.py"))}


MODULES = all_modules()


def top_package(dotted: str) -> str:
    """``portal_api.plans.service`` -> ``plans``; ``portal_api`` -> ``""``."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


def is_package(dotted: str) -> bool:
    return MODULES.get(dotted, Path()).name == "__init__.py"


def resolve_relative(source: str, node: ast.ImportFrom) -> str:
    base = source.split(".") if is_package(source) else source.split(".")[:-1]
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_in(source: str, text: str) -> list[Import]:
    """Every portal import in a module, wherever it is written (functions, TYPE_CHECKING)."""
    found: list[Import] = []
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(
                Import(source, alias.name, (), node.lineno)
                for alias in node.names
                if alias.name.split(".")[0] == "portal_api"
            )
        elif isinstance(node, ast.ImportFrom):
            target = resolve_relative(source, node) if node.level else (node.module or "")
            if target.split(".")[0] != "portal_api":
                continue
            names = tuple(alias.name for alias in node.names)
            submodules = [n for n in names if f"{target}.{n}" in MODULES]
            # ``from portal_api.plans import router`` imports the module portal_api.plans.router
            found.extend(Import(source, f"{target}.{n}", (), node.lineno) for n in submodules)
            rest = tuple(n for n in names if n not in submodules)
            if rest or not submodules:
                found.append(Import(source, target, rest, node.lineno))
    return found


def modules_bound_by_import(tree: ast.AST) -> dict[str, str]:
    """Local names that stand for a portal module: ``import portal_api.x.y as z``, ``from a import m``."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("portal_api.") and alias.asname:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                if dotted in MODULES:
                    bound[alias.asname or alias.name] = dotted
    return bound


def is_router_module(dotted: str) -> bool:
    last = dotted.rsplit(".", 1)[-1]
    return last == "router" or last.endswith("_router")


def describe(dotted: str) -> str:
    return f"{dotted} [{LAYER_NAMES[LAYERS[top_package(dotted)]]}]"


def where(imp: Import) -> str:
    return f"{MODULES[imp.source].relative_to(PACKAGE_ROOT.parent)}:{imp.line}"


def all_imports() -> list[Import]:
    return [
        imp
        for source, path in MODULES.items()
        for imp in imports_in(source, path.read_text(encoding="utf-8"))
    ]


def test_every_module_has_a_layer() -> None:
    unplaced = sorted({top_package(m) for m in MODULES} - LAYERS.keys())
    assert not unplaced, f"add these to LAYERS in {Path(__file__).name}: {unplaced}"


def test_the_parser_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    # The check is only as good as its parser: prove on a made-up module that the places an
    # upward import most often hides are seen, and that relative imports are resolved.
    sample = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from portal_api.plans.schemas import PlanRead\n"
        "def f():\n"
        "    from portal_api.messaging import router\n"
        "    import portal_api.people.scope\n"
        "from ..content.service import _private\n"
    )
    found = {(imp.target, imp.names) for imp in imports_in("portal_api.audit.sample", sample)}
    assert found == {
        ("portal_api.plans.schemas", ("PlanRead",)),
        ("portal_api.messaging.router", ()),
        ("portal_api.people.scope", ()),
        ("portal_api.content.service", ("_private",)),
    }


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = [
        f"{where(imp)}: {describe(imp.source)} imports {describe(imp.target)}"
        for imp in all_imports()
        if LAYERS[top_package(imp.target)] > LAYERS[top_package(imp.source)]
    ]
    assert not upward, "imports running up the layers:\n" + "\n".join(upward)


def test_nothing_but_the_wiring_imports_another_package_s_router() -> None:
    reaching = [
        f"{where(imp)}: {imp.source} imports {imp.target}"
        for imp in all_imports()
        if is_router_module(imp.target)
        and top_package(imp.target) != top_package(imp.source)
        and LAYERS[top_package(imp.source)] != WIRING
    ]
    assert not reaching, "routers imported from outside their package:\n" + "\n".join(reaching)


def test_no_package_uses_another_package_s_private_names() -> None:
    private: list[str] = []
    for imp in all_imports():
        if top_package(imp.target) == top_package(imp.source):
            continue
        private.extend(
            f"{where(imp)}: {imp.source} imports {imp.target}.{name}"
            for name in imp.names
            if name.startswith("_")
        )
    for source, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = modules_bound_by_import(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and top_package(bound[node.value.id]) != top_package(source)
            ):
                private.append(
                    f"{path.relative_to(PACKAGE_ROOT.parent)}:{node.lineno}: "
                    f"{source} uses {bound[node.value.id]}.{node.attr}"
                )
    assert not private, "private names used across packages:\n" + "\n".join(private)
