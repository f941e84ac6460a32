"""The local-offer content: the real pages pass the check; every mistake an editor can make is
reported with the file, the line and what is wrong; start-up and ``portal content check`` refuse a
bad tree; eligibility rules and the HTML sanitiser do what the pages rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_api.cli import app as cli
from portal_api.config import Settings
from portal_api.content.eligibility import Eligibility, Profile, parse_condition
from portal_api.content.library import ContentInvalid, Problem
from portal_api.content.loading import check_content, load_library
from portal_api.content.render import render_markdown
from portal_api.main import create_app
from portal_api.models import LegalStatus

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"
TRANSLATED_LANGUAGES = ("ar", "ps")


def _front_matter(slug: str, **changes: object) -> dict[str, object]:
    keys: dict[str, object] = {
        "slug": slug,
        "title": f'"Title of {slug}"',
        "summary": '"One plain sentence."',
        "category": "rights",
        "core": "false",
        "revision": 1,
        "effective_from": "2020-01-01",
        "reviewed_on": "2026-01-01",
        "source": '"Children Act 1989"',
    }
    keys.update(changes)
    return keys


def _page(slug: str, body: str = "A page.", **changes: object) -> str:
    """A valid page unless ``changes`` break it; a value of None leaves the key out."""
    lines = ["---"]
    lines += [
        f"{key}: {value}"
        for key, value in _front_matter(slug, **changes).items()
        if value is not None
    ]
    lines += ["---", body]
    return "\n".join(lines) + "\n"


def _translation(slug: str, body: str = "Translated.", **changes: object) -> str:
    fields: dict[str, object] = {
        "translation_of": slug,
        "translates_revision": 1,
        "translation_status": "awaiting_review",
    }
    fields.update(changes)
    return _page(slug, body, **fields)


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_number(path: Path, starts_with: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(starts_with))


def _problems(root: Path) -> list[Problem]:
    _, problems = check_content(root)
    return problems


def _only_problem(root: Path) -> Problem:
    problems = _problems(root)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


@pytest.fixture
def good_tree(tmp_path: Path) -> Path:
    """Two national English pages that link to each other: passes the check."""
    _write(tmp_path, "national/en/alpha.md", _page("alpha", "See [beta](/local-offer/beta)."))
    _write(tmp_path, "national/en/beta.md", _page("beta", related="[alpha]"))
    return tmp_path


@pytest.fixture
def bad_tree(tmp_path: Path) -> Path:
    _write(tmp_path, "national/en/alpha.md", _page("alpha", colour="blue"))
    return tmp_path


# --- the real content ------------------------------------------------------------------------


def test_real_content_has_no_problems() -> None:
    _, problems = check_content(REAL_CONTENT)

    assert [str(p) for p in problems] == []


def test_real_content_has_at_least_25_english_pages_for_eastmarsh() -> None:
    library = load_library(REAL_CONTENT)

    english = library.english("eastmarsh")

    assert len(english) >= 25
    assert {page.owner for page in english.values()} == {"national", "eastmarsh"}


@pytest.mark.parametrize("owner", ["national", "eastmarsh"])
@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_every_real_core_page_is_translated(owner: str, lang: str) -> None:
    library = load_library(REAL_CONTENT)
    core = {slug for slug, page in library.pages[(owner, "en")].items() if page.meta.core}

    translated = set(library.pages.get((owner, lang), {}))

    assert core
    assert core - translated == set()


def test_small_good_tree_has_no_problems(good_tree: Path) -> None:
    assert _problems(good_tree) == []


# --- what the check reports -------------------------------------------------------------------


def test_unknown_front_matter_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", colour="blue"))

    problem = _only_problem(tmp_path)

    assert problem.path == path
    assert problem.line == _line_number(path, "colour:")
    assert "colour" in problem.reason
    assert str(problem).startswith(f"{path}:{problem.line}: ")


def test_unknown_category_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", category="gardening"))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "category:")
    assert problem.reason.startswith("category:")


def test_unknown_condition_field_is_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "national/en/alpha.md",
        _page("alpha", eligibility='\n  conditions: ["colour in [RED]"]'),
    )

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "eligibility:")
    assert "unknown condition field 'colour'" in problem.reason


def test_unknown_activity_code_is_reported(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "national/en/alpha.md",
        _page("alpha", eligibility='\n  conditions: ["activity in [F1, Z9]"]'),
    )

    problem = _only_problem(tmp_path)

    assert "activity" in problem.reason
    assert "Z9" in problem.reason
    assert "F1" not in problem.reason.split("are not known")[0]


def test_slug_must_equal_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "national/en/alpha.md", _page("alphabet"))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "slug:")
    assert "'alphabet'" in problem.reason
    assert "'alpha'" in problem.reason


def test_link_to_missing_page_gives_line_of_the_link(tmp_path: Path) -> None:
    body = "First line.\n\nSecond paragraph.\n\nSee [nothing](/local-offer/nowhere)."
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", body))

    problem = _only_problem(tmp_path)

    assert problem.path == path
    assert problem.line == _line_number(path, "See [nothing]")
    assert "'nowhere'" in problem.reason


def test_link_to_missing_page_is_found_when_the_file_ends_with_blank_lines(
    tmp_path: Path,
) -> None:
    body = "First line.\n\nSee [nothing](/local-offer/nowhere).\n\n\n"
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", body))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "See [nothing]")
    assert "'nowhere'" in problem.reason


def test_external_link_line_is_right_when_the_file_ends_with_blank_lines(
    tmp_path: Path,
) -> None:
    body = "First line.\n\nRead [this](https://example.com/advice).\n\n"
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", body))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "Read [this]")


def test_related_slug_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", related="[nowhere]"))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "related:")
    assert "'nowhere'" in problem.reason


def test_national_page_may_not_link_to_a_council_page(tmp_path: Path) -> None:
    _write(
        tmp_path, "national/en/alpha.md", _page("alpha", "See [ours](/local-offer/eastmarsh-x).")
    )
    _write(tmp_path, "eastmarsh/en/eastmarsh-x.md", _page("eastmarsh-x"))

    problem = _only_problem(tmp_path)

    assert "national pages link only to national pages" in problem.reason


def test_external_link_is_refused_at_its_line(tmp_path: Path) -> None:
    body = "Intro.\n\nRead [this](https://example.com/advice)."
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", body))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "Read [this]")
    assert "https://example.com/advice" in problem.reason


def test_link_with_a_title_to_missing_page_is_reported(tmp_path: Path) -> None:
    body = 'See [nothing](/local-offer/nowhere "Nowhere").'
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", body))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "See [nothing]")
    assert "'nowhere'" in problem.reason


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('Read [this](https://example.com/advice "Advice").', id="with-title"),
        pytest.param("Read [this][1].\n\n[1]: https://example.com/advice", id="reference"),
        pytest.param("Read <https://example.com/advice>.", id="autolink"),
    ],
)
def test_external_link_in_any_markdown_form_is_refused(tmp_path: Path, body: str) -> None:
    _write(tmp_path, "national/en/alpha.md", _page("alpha", body))

    problem = _only_problem(tmp_path)

    assert "https://example.com/advice" in problem.reason


def test_raw_html_in_body_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "national/en/alpha.md", _page("alpha", 'Hi.\n\n<img src="x.png">'))

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "<img")
    assert "raw HTML" in problem.reason


def test_translation_ahead_of_english_revision_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "national/en/alpha.md", _page("alpha"))
    path = _write(tmp_path, "national/ar/alpha.md", _translation("alpha", translates_revision=3))

    problem = _only_problem(tmp_path)

    assert problem.path == path
    assert problem.line == _line_number(path, "translates_revision:")
    assert "translates revision 3, but the English page is at 1" in problem.reason


def test_translation_behind_english_revision_passes_the_check(tmp_path: Path) -> None:
    _write(tmp_path, "national/en/alpha.md", _page("alpha", revision=2))
    _write(tmp_path, "national/ar/alpha.md", _translation("alpha", translates_revision=1))

    assert _problems(tmp_path) == []


def test_translation_with_different_core_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "national/en/alpha.md", _page("alpha", core="false"))
    path = _write(tmp_path, "national/ar/alpha.md", _translation("alpha", core="true"))

    problem = _only_problem(tmp_path)

    assert problem.path == path
    assert problem.line == _line_number(path, "core:")
    assert problem.reason == "core must be the same as on the English page"


def test_translation_with_different_eligibility_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "national/en/alpha.md", _page("alpha", eligibility="\n  min_age: 18"))
    path = _write(
        tmp_path, "national/ar/alpha.md", _translation("alpha", eligibility="\n  min_age: 16")
    )

    problem = _only_problem(tmp_path)

    assert problem.line == _line_number(path, "eligibility:")
    assert problem.reason == "eligibility must be the same as on the English page"


def test_translation_without_english_page_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "national/en/alpha.md", _page("alpha"))
    _write(tmp_path, "national/ar/beta.md", _translation("beta"))

    problem = _only_problem(tmp_path)

    assert "no English page" in problem.reason


def test_core_page_missing_a_translation_in_an_existing_language_folder(tmp_path: Path) -> None:
    english = _write(tmp_path, "national/en/alpha.md", _page("alpha", core="true"))
    _write(tmp_path, "national/en/beta.md", _page("beta", core="true"))
    _write(tmp_path, "national/ar/beta.md", _translation("beta", core="true"))

    problem = _only_problem(tmp_path)

    assert problem.path == english
    assert problem.reason == "core page has no ar translation in national/ar/"


def test_council_replacing_a_core_page_must_translate_it_like_the_national_one(
    tmp_path: Path,
) -> None:
    # README: "If you replace a page with core: true, you must also provide its translations in
    # your folder." Without them, the council's Arabic readers lose the national translation.
    _write(tmp_path, "national/en/alpha.md", _page("alpha", core="true"))
    _write(tmp_path, "national/ar/alpha.md", _translation("alpha", core="true"))
    override = _write(tmp_path, "eastmarsh/en/alpha.md", _page("alpha", core="true"))

    problem = _only_problem(tmp_path)

    assert problem.path == override
    assert "no ar translation" in problem.reason


def test_core_page_needs_no_translation_without_a_language_folder(tmp_path: Path) -> None:
    _write(tmp_path, "national/en/alpha.md", _page("alpha", core="true"))

    assert _problems(tmp_path) == []


def test_tree_without_national_english_pages_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "eastmarsh/en/eastmarsh-x.md", _page("eastmarsh-x"))

    problem = _only_problem(tmp_path)

    assert "no national English pages" in problem.reason


# --- refusing a bad tree ----------------------------------------------------------------------


def test_load_library_raises_with_the_same_messages_as_the_check(bad_tree: Path) -> None:
    expected = _problems(bad_tree)

    with pytest.raises(ContentInvalid) as raised:
        load_library(bad_tree)

    assert raised.value.problems == expected
    assert str(expected[0]) in str(raised.value)


def test_app_refuses_to_start_with_bad_content(bad_tree: Path, tmp_path: Path) -> None:
    settings = Settings(
        content_dir=bad_tree,
        environment="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.sqlite3'}",
    )

    with pytest.raises(ContentInvalid):
        create_app(settings)


def test_cli_check_fails_on_a_bad_tree(bad_tree: Path) -> None:
    result = CliRunner().invoke(cli, ["content", "check", str(bad_tree)])

    assert result.exit_code == 1, result.output


def test_cli_check_passes_on_the_real_content() -> None:
    result = CliRunner().invoke(cli, ["content", "check", str(REAL_CONTENT)])

    assert result.exit_code == 0, result.output


# --- eligibility ------------------------------------------------------------------------------


def _profile(**changes: object) -> Profile:
    values: dict[str, object] = {"status": LegalStatus.former_relevant, "age": 19}
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type,unused-ignore]


def test_page_without_rules_applies_to_anyone() -> None:
    assert Eligibility().applies(_profile(status=None, age=16))


def test_statuses_limit_who_it_applies_to() -> None:
    rule = Eligibility(statuses=frozenset({LegalStatus.relevant, LegalStatus.former_relevant}))

    assert rule.applies(_profile(status=LegalStatus.relevant))
    assert not rule.applies(_profile(status=LegalStatus.qualifying))
    assert not rule.applies(_profile(status=None))


def test_min_and_max_age_are_inclusive() -> None:
    rule = Eligibility(min_age=18, max_age=24)

    assert [rule.applies(_profile(age=age)) for age in (17, 18, 24, 25)] == [
        False,
        True,
        True,
        False,
    ]


def test_activity_in_list() -> None:
    rule = Eligibility(conditions=(parse_condition("activity in [F1, P1]"),))

    assert rule.applies(_profile(activity="P1"))
    assert not rule.applies(_profile(activity="F2"))
    assert not rule.applies(_profile(activity=None))


def test_flag_condition() -> None:
    rule = Eligibility(conditions=(parse_condition("is_parent"),))

    assert rule.applies(_profile(is_parent=True))
    assert not rule.applies(_profile(is_parent=False))


def test_not_flag_condition() -> None:
    rule = Eligibility(conditions=(parse_condition("not looked_after"),))

    assert rule.applies(_profile(looked_after=False))
    assert not rule.applies(_profile(looked_after=True))


def test_every_condition_must_hold() -> None:
    rule = Eligibility(conditions=(parse_condition("uasc"), parse_condition("disabled")))

    assert rule.applies(_profile(uasc=True, disabled=True))
    assert not rule.applies(_profile(uasc=True, disabled=False))


@pytest.mark.parametrize(
    "text",
    [
        "activity in []",
        "activity in [F1, XX]",
        "colour in [RED]",
        "wealthy",
        "not",
        "uasc and disabled",
        "in_touch in YES",
    ],
)
def test_unparseable_conditions_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        parse_condition(text)


def test_condition_parse_tolerates_spaces() -> None:
    condition = parse_condition("  in_touch in [ YES ,NO ]  ")

    assert condition.field == "in_touch"
    assert condition.values == frozenset({"YES", "NO"})


# --- the sanitiser ----------------------------------------------------------------------------


def test_render_drops_script_tags() -> None:
    html = render_markdown("Hello\n\n<script>alert(1)</script>")

    assert "<script" not in html


def test_render_drops_img_tags() -> None:
    html = render_markdown('<img src="https://tracker.example/pixel.png" onerror="x()">')

    assert "<img" not in html


def test_render_drops_href_of_web_links() -> None:
    html = render_markdown("[advice](https://example.com/advice)")

    assert "href" not in html
    assert "example.com" not in html
    assert ">advice</a>" in html


def test_render_keeps_local_offer_links() -> None:
    html = render_markdown("[your rights](/local-offer/your-rights)")

    assert 'href="/local-offer/your-rights"' in html


def test_render_keeps_phone_links() -> None:
    html = render_markdown("[call us](tel:01632960999)")

    assert 'href="tel:01632960999"' in html
