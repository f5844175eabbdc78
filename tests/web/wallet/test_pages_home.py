"""The wallet list: fields, live status, empty state, paging without a query per row."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from microcred_web.issuing import status
from microcred_web.wallet.models import WalletEntry
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.wallet.fixtures_pages import issued_entry, learner

URL = "/wallet/"


def test_the_list_shows_title_provider_date_ects_eqf_and_status(client: Any, world: Any) -> None:
    account = learner(client)
    entry = issued_entry(world, account)
    html = client.get(URL).content.decode()
    assert "Data stewardship basics" in html
    assert "North Sea University" in html
    assert entry.issued.issued_at.strftime("%Y-%m-%d") in html
    row = html.split(f'id="entry-{entry.public_id}"')[1].split("</tr>")[0]
    assert "<td>5</td>" in row and "<td>7</td>" in row
    assert "Valid" in row
    assert 'href="/wallet/"' in html  # the menu link for a signed-in learner


def test_a_revoked_credential_shows_revoked(client: Any, world: Any) -> None:
    account = learner(client)
    entry = issued_entry(world, account)
    status.set_status(world.users["staff_a"], entry.issued, "revoke", "test")
    row = client.get(URL).content.decode().split(f'id="entry-{entry.public_id}"')[1]
    assert "Revoked" in row.split("</tr>")[0]


def test_an_empty_wallet_explains_how_credentials_arrive(client: Any, db: Any) -> None:
    learner(client)
    html = client.get(URL).content.decode()
    assert "Your wallet is empty." in html
    assert "claim" in html and "/wallet/import/" in html


def test_a_thousand_entries_render_in_a_fixed_number_of_queries(client: Any, world: Any) -> None:
    account = learner(client)
    first = issued_entry(world, account)
    WalletEntry.objects.bulk_create(
        WalletEntry(
            account=account,
            source="imported",
            credential=first.issued.credential,
            verification={"verified": True},
        )
        for _ in range(999)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You hold 1000 credentials." in html
    assert "Page 1 of 20" in html
    assert len(queries) < 15, [q["sql"] for q in queries]
