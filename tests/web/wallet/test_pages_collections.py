"""Collections: make, rename, delete, put entries in and out; names unique per account."""

from __future__ import annotations

from typing import Any

from django.test import Client

from microcred_web.wallet.models import Collection
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.wallet.fixtures_pages import issued_entry, learner


def test_make_rename_fill_filter_and_delete(client: Any, world: Any) -> None:
    account = learner(client)
    entry = issued_entry(world, account)
    assert client.post("/wallet/collections/", {"name": "  Data   science "}).status_code == 302
    collection = Collection.objects.get(account=account)
    assert collection.name == "Data science"
    url = f"/wallet/credentials/{entry.public_id}/collections/"
    client.post(url, {"collection": [str(collection.public_id)]})
    assert list(collection.entries.all()) == [entry]
    listed = client.get(f"/wallet/?collection={collection.public_id}").content.decode()
    assert f"entry-{entry.public_id}" in listed
    rename = f"/wallet/collections/{collection.public_id}/rename/"
    assert client.post(rename, {"name": "For my employer"}).status_code == 302
    collection.refresh_from_db()
    assert collection.name == "For my employer"
    client.post(url, {})
    assert collection.entries.count() == 0
    delete = f"/wallet/collections/{collection.public_id}/delete/"
    assert client.post(delete).status_code == 302
    assert not Collection.objects.filter(pk=collection.pk).exists()
    assert client.get(f"/wallet/credentials/{entry.public_id}/").status_code == 200


def test_names_are_unique_per_account_with_a_clear_error(client: Any, world: Any) -> None:
    account = learner(client)
    client.post("/wallet/collections/", {"name": "CV"})
    response = client.post("/wallet/collections/", {"name": "cv"})
    assert response.status_code == 400
    assert "You already have a collection named" in response.content.decode()
    empty = client.post("/wallet/collections/", {"name": "   "})
    assert empty.status_code == 400
    other = Client()
    learner(other, "eve")
    assert other.post("/wallet/collections/", {"name": "CV"}).status_code == 302
    assert Collection.objects.filter(account=account).count() == 1
    mine = Collection.objects.get(account=account)
    assert other.post(f"/wallet/collections/{mine.public_id}/delete/").status_code == 404
    assert other.get(f"/wallet/?collection={mine.public_id}").status_code == 404
