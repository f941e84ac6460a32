"""The phone app's English in two parts (pwa/src/i18n): en.ts ships with the first load, en.later.ts
loads with the first screen after it (ui/lazy.tsx). A module of the first load that shows a string
only en.later.ts has would show its key instead, so this follows the app's static imports from its
entry and checks every string those modules name, and every family of strings they name by prefix
(`documents.type.${code}.name`), against en.ts. It reads the sources; nothing is built."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "pwa" / "src"
ENTRY = SRC / "app" / "main.tsx"
I18N = SRC / "i18n"

# `import … from "./x"`, `export … from "./x"` and `import "./x"`; `import type` brings no code
# and `import("./x")` loads later, so neither counts.
STATIC_IMPORT = re.compile(
    r'^\s*(?P<type>import\s+type\s)?(?:import|export)\b[^;"]*?from\s+"(?P<from>\.[^"]+)"'
    r'|^\s*import\s+"(?P<bare>\.[^"]+)"',
    re.M,
)
KEY_LINE = re.compile(r'^\s*"([^"]+)":', re.M)
QUOTED = re.compile(r'"([A-Za-z][\w.]*)"|`([A-Za-z][\w.]*)`|\'([A-Za-z][\w.]*)\'')
PREFIX = re.compile(r"`([A-Za-z][\w.]*\.)\$\{")


def _resolve(importer: Path, spec: str) -> Path | None:
    base = importer.parent / spec
    for candidate in (base, base.with_suffix(".ts"), base.with_suffix(".tsx"), base / "index.ts"):
        if candidate.is_file() and candidate.suffix in (".ts", ".tsx"):
            return candidate.resolve()
    return None  # a stylesheet, or a package


def first_load_modules() -> set[Path]:
    seen: set[Path] = set()
    todo = [ENTRY.resolve()]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for found in STATIC_IMPORT.finditer(module.read_text()):
            if found.group("type"):
                continue
            resolved = _resolve(module, found.group("from") or found.group("bare"))
            if resolved:
                todo.append(resolved)
    return seen


def _keys(*names: str) -> set[str]:
    return {key for name in names for key in KEY_LINE.findall((I18N / name).read_text())}


def test_the_first_load_shows_only_strings_it_carries() -> None:
    first = _keys("en.ts")
    later = _keys("en.later.ts", "device.en.ts")
    modules = first_load_modules()
    # The walk itself: home and sign-in are in the first load, a later screen is not.
    assert SRC / "app" / "home" / "Home.tsx" in modules
    assert SRC / "app" / "sign-in" / "SignIn.tsx" in modules
    assert SRC / "app" / "plan" / "Plan.tsx" not in modules

    named: dict[str, set[str]] = {}
    for module in modules:
        if module.parent == I18N and module.name.startswith(("en", "device")):
            continue
        text = module.read_text()
        where = str(module.relative_to(SRC))
        for quoted in QUOTED.finditer(text):
            key = next(group for group in quoted.groups() if group)
            if key in later:
                named.setdefault(where, set()).add(key)
        for prefix in PREFIX.findall(text):
            missing = {key for key in later if key.startswith(prefix)}
            if missing:
                named.setdefault(where, set()).update(missing)
    assert named == {}, "move these from en.later.ts (or device.en.ts) to en.ts"
    assert first  # the pattern found en.ts's strings


def test_each_english_string_is_in_one_part_only() -> None:
    assert _keys("en.ts") & _keys("en.later.ts", "device.en.ts") == set()
