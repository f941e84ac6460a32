"""A document's name, why and how come with the default type's key while the council keeps the
default words, so the app can word them in Arabic or Pashto; once the council rewords a type,
the code goes and the app shows the council's own English, marked as English."""

from __future__ import annotations

import httpx
import pytest

from portal_api.documents.catalogue import DEFAULTS, wording_code
from tests.factories import World

API = "/api/v1"
PASSPORT = next(d for d in DEFAULTS if d.key == "photo_id")


def test_default_words_have_their_key() -> None:
    assert all(wording_code(d.key, d.name, d.why_it_matters, d.how_to_get_it) for d in DEFAULTS)


@pytest.mark.parametrize(
    ("key", "name", "why", "how"),
    [
        ("photo_id", "ID with a photo", None, None),
        ("photo_id", PASSPORT.name, "Our own reason.", None),
        ("photo_id", PASSPORT.name, PASSPORT.why_it_matters, "Ask at the front desk."),
        ("eastmarsh_bus_pass", "Bus pass", None, None),
    ],
)
def test_a_council_s_own_words_have_no_code(
    key: str, name: str, why: str | None, how: str | None
) -> None:
    assert wording_code(key, name, why, how) is None


async def test_the_checklist_and_the_summary_drop_the_code_when_the_council_rewords_a_type(
    client: httpx.AsyncClient, world: World
) -> None:
    me = world.auth("young_person")
    before = (await client.get(f"{API}/young-people/me/documents", headers=me)).json()["items"]
    assert {i["key"]: i["wording_code"] for i in before} == {i["key"]: i["key"] for i in before}

    changed = await client.patch(
        f"{API}/document-types/photo_id",
        json={"how_to_get_it": "Ask at the Eastmarsh front desk."},
        headers=world.auth("admin"),
    )
    assert changed.status_code == 200, changed.text

    after = (await client.get(f"{API}/young-people/me/documents", headers=me)).json()["items"]
    codes = {i["key"]: i["wording_code"] for i in after}
    assert codes.pop("photo_id") is None
    assert codes == {k: k for k in codes}
    due = (await client.get(f"{API}/young-people/me/summary", headers=me)).json()
    if due["next_document_due"]:
        # Only the name is on the home screen: the code stands while the name is the default.
        assert due["next_document_due"]["wording_code"] == due["next_document_due"]["key"]
