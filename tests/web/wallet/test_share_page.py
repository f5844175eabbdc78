# ruff: noqa: F811 (pytest fixtures imported from fixtures_share)
"""The public share page: verified at view time, every check and Annex I element, the QA
standing, the JSON download; revoked / suspended credentials said so; dead links one 404."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.utils import timezone

from microcred_web.issuing import status
from microcred_web.wallet.models import ShareLink
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


def test_the_page_shows_the_credential_verified_with_every_check(
    client: Any, ada: Learner, world: Any
) -> None:
    assure(world.provider_a)
    _share, path = link(ada)
    response = open_page(client, path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Result: verified" in page
    for code in ("format", "proof", "issuer", "status", "validity", "qa", "annex1"):
        assert f'id="check-{code}"' in page, code
    assert page.count("check check-ok") == 7
    # The Annex I elements, through the verification result partial.
    for element in (
        "el-title",
        "el-issued",
        "el-outcomes",
        "el-workload",
        "el-level",
        "el-assessment",
        "el-qa-type",
        "el-learner",
    ):
        assert f'id="{element}"' in page, element
    assert "Write a data management plan" in page and "5 ECTS credits" in page
    # The QA standing on the day of issue: agency, decision, validity.
    assert "Quality assured:" in page
    assert "Institutional review by NVAO, positive, valid until 2031-12-31" in page
    # Links to check it independently.
    assert f'href="{path}credential.json"' in page
    assert 'href="/verify/"' in page and "any W3C Verifiable Credentials" in page
    assert 'id="share-alarm"' not in page


def test_the_json_download_is_the_stored_credential(client: Any, ada: Learner) -> None:
    _share, path = link(ada)
    response = open_page(client, path + "credential.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content) == ada.entries[0].issued.credential


def test_revoked_by_the_provider_the_page_says_so(client: Any, ada: Learner, world: Any) -> None:
    _share, path = link(ada)
    assert "Result: verified" in open_page(client, path).content.decode()
    status.set_status(world.users["staff_a"], ada.entries[0].issued, "revoke", "test")
    page = open_page(client, path).content.decode()
    assert 'id="share-alarm"' in page and "Revoked: the issuer has revoked" in page
    assert "Result: not verified" in page
    assert "the issuer has revoked this credential" in page


def test_suspended_by_the_provider_the_page_says_so(
    client: Any, ada: Learner, world: Any, settings: Any
) -> None:
    settings.MICROCRED_STATUS_SUSPENSION = True
    from microcred_web.issuing import issue
    from microcred_web.wallet.models import EntrySource, WalletEntry
    from tests.web.issuing.conftest import _spec

    spec = _spec(world.provider_a, "DS-102")
    outcome = issue.issue_credential(
        world.users["staff_a"], spec, issue.Learner("ada@example.org", "Ada Lovelace")
    )
    entry = WalletEntry.objects.create(
        account=ada.account, source=EntrySource.ISSUED_HERE, issued=outcome.record
    )
    _share, path = link(ada, entry=entry)
    status.set_status(world.users["staff_a"], outcome.record, "suspend", "test")
    page = open_page(client, path).content.decode()
    assert "Suspended: the issuer has suspended" in page


def test_unknown_expired_and_revoked_links_are_the_same_404(client: Any, ada: Learner) -> None:
    expired, expired_path = link(ada, expires=timezone.now() + timedelta(hours=1))
    revoked, revoked_path = link(ada)
    _live, live_path = link(ada)
    assert open_page(client, expired_path).status_code == 200
    ShareLink.objects.filter(pk=expired.pk).update(expires=timezone.now() - timedelta(seconds=1))
    revoked.revoked = timezone.now()
    revoked.save()
    bodies = set()
    for path in (
        expired_path,
        revoked_path,
        "/s/" + "x" * 43 + "/",
        "/s/" + "y" * 500 + "/",
        expired_path + "credential.json",
        revoked_path + "credential.json",
    ):
        response = open_page(client, path)
        assert response.status_code == 404, path
        bodies.add(response.content)
    assert len(bodies) == 1
    assert open_page(client, live_path).status_code == 200


def test_views_are_counted_on_get_only_and_no_address_is_kept(client: Any, ada: Learner) -> None:
    share, path = link(ada)
    for _ in range(3):
        assert open_page(client, path).status_code == 200
    assert open_page(client, path, "head").status_code == 200
    assert open_page(client, path + "credential.json").status_code == 200
    share.refresh_from_db()
    assert share.views == 3
    row = ShareLink.objects.filter(pk=share.pk).values().get()
    assert not any("127.0.0.1" in str(value) for value in row.values())


def test_a_collection_page_shows_its_credentials_and_nothing_else(
    client: Any, ada: Learner, bob: Learner, world: Any
) -> None:
    first, second = ada.entries
    collection = ada.collection("For my employer", [first])
    _share, path = link(ada, collection=collection)
    page = open_page(client, path).content.decode()
    assert "For my employer" in page
    assert "Data stewardship basics" in page
    # Ada's other credential (CodeCraft's) is not in the collection: not on the page.
    assert "CodeCraft" not in page and str(second.public_id) not in page
    detail = open_page(client, f"{path}{first.public_id}/")
    assert detail.status_code == 200 and "Result: verified" in detail.content.decode()
    body = json.loads(open_page(client, f"{path}{first.public_id}/credential.json").content)
    assert body == first.issued.credential
    # Another entry of Ada's, or one of Bob's, through this link: the 404.
    for entry in (second, bob.entries[0]):
        assert open_page(client, f"{path}{entry.public_id}/").status_code == 404
        assert open_page(client, f"{path}{entry.public_id}/credential.json").status_code == 404
    # Revoked in the collection: its row says so.
    status.set_status(world.users["staff_a"], first.issued, "revoke", "test")
    page = open_page(client, path).content.decode()
    assert "Revoked by the issuer" in page


def test_an_entry_link_has_no_collection_items(client: Any, ada: Learner) -> None:
    _share, path = link(ada)
    assert open_page(client, f"{path}{ada.entries[1].public_id}/").status_code == 404


def test_the_page_is_rate_limited(client: Any, ada: Learner, settings: Any) -> None:
    settings.MICROCRED_RATE_LIMITS = {**settings.MICROCRED_RATE_LIMITS, "share-page": "2/m"}
    _share, path = link(ada)
    assert open_page(client, path).status_code == 200
    assert open_page(client, path).status_code == 200
    response = open_page(client, path)
    assert response.status_code == 429 and "Retry-After" in response
