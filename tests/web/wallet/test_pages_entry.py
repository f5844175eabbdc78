"""One credential's page, its JSON, removing it, and another learner's entry (404)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from microcred_web.issuing import status
from microcred_web.wallet.models import WalletEntry
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.wallet.fixtures_pages import issued_entry, learner


def test_the_page_shows_annex_elements_checks_and_actions(client: Any, world: Any) -> None:
    entry = issued_entry(world, learner(client))
    html = client.get(f"/wallet/credentials/{entry.public_id}/").content.decode()
    for element in (
        "el-title",
        "el-outcomes",
        "el-workload",
        "el-level",
        "qa-title",
        "check-proof",
    ):
        assert f'id="{element}"' in html, element
    assert "Write a data management plan" in html
    assert "Result: verified" in html
    assert f"/wallet/credentials/{entry.public_id}/credential.json" in html


def test_the_page_says_revoked_live(client: Any, world: Any) -> None:
    entry = issued_entry(world, learner(client))
    status.set_status(world.users["staff_a"], entry.issued, "revoke", "test")
    html = client.get(f"/wallet/credentials/{entry.public_id}/").content.decode()
    assert "Revoked" in html and "Result: not verified" in html


def test_the_json_download_is_the_stored_credential(client: Any, world: Any) -> None:
    entry = issued_entry(world, learner(client))
    response = client.get(f"/wallet/credentials/{entry.public_id}/credential.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == entry.issued.credential


def test_another_learners_entry_is_not_found(client: Any, world: Any) -> None:
    entry = issued_entry(world, learner(client, "ada"))
    other = Client()
    learner(other, "eve")
    base = f"/wallet/credentials/{entry.public_id}/"
    for url in (base, base + "credential.json", base + "remove/"):
        assert other.get(url).status_code == 404, url
    assert other.post(base + "remove/").status_code == 404
    assert WalletEntry.objects.get(pk=entry.pk).removed is None


def test_removing_leaves_a_tombstone_and_erases_an_imported_copy(client: Any, world: Any) -> None:
    account = learner(client)
    entry = issued_entry(world, account)
    imported = WalletEntry.objects.create(
        account=account, source="imported", credential={"id": "x"}, verification={"verified": True}
    )
    assert client.get(f"/wallet/credentials/{entry.public_id}/remove/").status_code == 200
    assert client.post(f"/wallet/credentials/{entry.public_id}/remove/").status_code == 302
    assert client.post(f"/wallet/credentials/{imported.public_id}/remove/").status_code == 302
    entry.refresh_from_db()
    imported.refresh_from_db()
    assert entry.removed is not None and entry.issued is not None
    assert imported.removed is not None and imported.credential is None
    assert client.get(f"/wallet/credentials/{entry.public_id}/").status_code == 404
    assert "Your wallet is empty." in client.get("/wallet/").content.decode()
