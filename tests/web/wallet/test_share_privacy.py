# ruff: noqa: F811 (pytest fixtures imported from fixtures_share)
"""Privacy: a learner's data appears on no public page but the share pages the learner made,
and a share page shows only what was shared."""

from __future__ import annotations

from typing import Any

from tests.web.wallet.fixtures_share import (  # noqa: F401 (fixtures)
    Learner,
    _fresh_rate_limits,
    ada,
    assure,
    bob,
    issuing_settings,
    world,
)
from tests.web.wallet.share_helpers import link, open_page

LEARNER_DATA = ("Ada Lovelace", "ada@example.org", "Bob Babbage", "bob@example.org")


def public_pages(world: Any) -> list[str]:
    provider = world.provider_a
    return [
        "/",
        "/catalogue/",
        "/catalogue/?q=data",
        f"/catalogue/specifications/{world.spec_a.public_id}/",
        f"/providers/{provider.slug}/",
        "/verify/",
        f"/providers/{provider.slug}/did.json",
        f"/providers/{provider.slug}/status/revocation/1",
    ]


def test_no_public_page_carries_learner_data(
    client: Any, ada: Learner, bob: Learner, world: Any
) -> None:
    assure(world.provider_a)
    _share, path = link(ada)
    assert "Ada Lovelace" in open_page(client, path).content.decode()  # the learner's own link
    seen = 0
    for page in public_pages(world):
        response = open_page(client, page)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, page
        seen += 1
        body = response.content.decode()
        for value in LEARNER_DATA:
            assert value not in body, (page, value)
    assert seen >= 6


def test_an_entry_link_shows_that_credential_only(client: Any, ada: Learner) -> None:
    _share, path = link(ada, entry=ada.entries[0])
    body = open_page(client, path).content.decode()
    other = ada.entries[1]
    assert "CodeCraft" not in body
    assert str(other.public_id) not in body and str(other.issued.public_id) not in body
    assert other.issued.credential["id"] not in body


def test_ada_link_never_shows_bob(client: Any, ada: Learner, bob: Learner) -> None:
    collection = ada.collection("Everything", ada.entries)
    _share, path = link(ada, collection=collection)
    body = open_page(client, path).content.decode()
    for entry in ada.entries:
        assert str(entry.public_id) in body
    for value in ("Bob Babbage", "bob@example.org"):
        assert value not in body
    for entry in bob.entries:
        assert str(entry.public_id) not in body
