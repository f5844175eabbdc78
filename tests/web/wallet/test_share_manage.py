# ruff: noqa: F811 (pytest fixtures imported from fixtures_share)
"""Managing share links: make one (its address shown once, only its digest kept), list,
revoke; only the signed-in learner's own entries, collections and links."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from microcred_web.wallet.models import ShareLink
from tests.web.wallet.fixtures_share import (  # noqa: F401 (fixtures)
    Learner,
    _fresh_rate_limits,
    ada,
    bob,
    issuing_settings,
    world,
)

URL_IN_PAGE = re.compile(r'id="share-url" readonly value="([^"]+)"')


def make(client: Any, learner: Learner, entry: Any = None, **form: Any) -> tuple[Any, str]:
    """POST the share form for ``entry`` (default: the learner's first) -> (response, url)."""
    entry = entry or learner.entries[0]
    client.force_login(learner.user)
    response = client.post(reverse("wallet:share-entry", args=[entry.public_id]), form)
    match = URL_IN_PAGE.search(response.content.decode())
    return response, match.group(1) if match else ""


def test_the_form_is_shown_for_an_own_entry(client: Any, ada: Learner) -> None:
    client.force_login(ada.user)
    response = client.get(reverse("wallet:share-entry", args=[ada.entries[0].public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="label"' in page and 'name="expires"' in page
    assert 'type="checkbox" name="indexable"' in page and "checked" not in page
    assert "Data stewardship basics" in page


def test_making_a_link_shows_its_address_once_and_keeps_only_the_digest(
    client: Any, ada: Learner
) -> None:
    response, url = make(client, ada, label="For ACME")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert url.startswith("https://issuer.example/s/"), url
    token = url.removeprefix("https://issuer.example/s/").rstrip("/")
    share = ShareLink.objects.get()
    assert share.account == ada.account and share.entry == ada.entries[0]
    assert share.label == "For ACME" and share.expires is None and share.indexable is False
    assert share.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # The token itself is stored nowhere in the row.
    assert all(token not in str(getattr(share, f.attname)) for f in ShareLink._meta.fields)
    # The list of links does not show it again.
    listing = client.get(reverse("wallet:shares")).content.decode()
    assert "For ACME" in listing and token not in listing
    # A copy button, made by a static script (no inline script on the page).
    page = response.content.decode()
    assert 'data-copy="share-url"' in page and "wallet/share.js" in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None


def test_expiry_and_opt_in_are_kept(client: Any, ada: Learner) -> None:
    day = timezone.localdate() + timedelta(days=30)
    make(client, ada, expires=day.isoformat(), indexable="on")
    share = ShareLink.objects.get()
    assert share.indexable is True
    assert timezone.localtime(share.expires).date() == day + timedelta(days=1)
    assert share.expires.hour == 0 and share.expires.minute == 0


def test_a_past_expiry_or_a_bad_date_is_refused_with_a_message(client: Any, ada: Learner) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    response, url = make(client, ada, expires=yesterday.isoformat())
    assert response.status_code == 400 and not url
    assert "The expiry date is in the past" in response.content.decode()
    response, url = make(client, ada, expires="31/02/2030")
    assert response.status_code == 400 and not url
    assert "Enter the expiry date as YYYY-MM-DD" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_collection_can_be_shared(client: Any, ada: Learner) -> None:
    collection = ada.collection("For my employer", ada.entries)
    client.force_login(ada.user)
    response = client.post(reverse("wallet:share-collection", args=[collection.public_id]), {})
    assert response.status_code == 200 and URL_IN_PAGE.search(response.content.decode())
    share = ShareLink.objects.get()
    assert share.collection == collection and share.entry is None
    listing = client.get(reverse("wallet:shares")).content.decode()
    assert "Collection “For my employer”" in listing


def test_the_list_shows_views_and_states_and_revoking_is_at_once(client: Any, ada: Learner) -> None:
    _response, url = make(client, ada, label="Live")
    _response, other = make(client, ada, label="Gone")
    path = url.removeprefix("https://issuer.example")
    assert client.get(path, HTTP_HOST="issuer.example").status_code == 200
    gone = ShareLink.objects.get(label="Gone")
    response = client.post(reverse("wallet:share-revoke", args=[gone.public_id]))
    assert response.status_code == 302 and response["Location"] == reverse("wallet:shares")
    gone.refresh_from_db()
    assert gone.revoked is not None
    assert client.get(other.removeprefix("https://issuer.example")).status_code == 404
    listing = client.get(reverse("wallet:shares")).content.decode()
    live = ShareLink.objects.get(label="Live")
    row = listing.split(f'id="share-{live.public_id}"')[1].split("</tr>")[0]
    assert '<td class="views">1</td>' in row and "Active" in row and "Revoke" in row
    assert "<td>Data stewardship basics</td>" in row
    row = listing.split(f'id="share-{gone.public_id}"')[1].split("</tr>")[0]
    assert "Revoked" in row and "<button" not in row


def test_another_learners_entry_collection_or_link_is_a_404(
    client: Any, ada: Learner, bob: Learner
) -> None:
    bobs = bob.collection("Bob's", bob.entries)
    make(client, bob, label="Bob's link")
    bobs_link = ShareLink.objects.get()
    client.force_login(ada.user)
    entry_form = reverse("wallet:share-entry", args=[bob.entries[0].public_id])
    assert client.get(entry_form).status_code == 404
    assert client.post(entry_form, {}).status_code == 404
    collection_form = reverse("wallet:share-collection", args=[bobs.public_id])
    assert client.post(collection_form, {}).status_code == 404
    revoke = reverse("wallet:share-revoke", args=[bobs_link.public_id])
    assert client.post(revoke).status_code == 404
    bobs_link.refresh_from_db()
    assert bobs_link.revoked is None
    assert ShareLink.objects.count() == 1
    assert "Bob's link" not in client.get(reverse("wallet:shares")).content.decode()


def test_a_removed_entry_cannot_be_shared_and_its_links_stop(client: Any, ada: Learner) -> None:
    _response, url = make(client, ada)
    entry = ada.entries[0]
    entry.removed = timezone.now()
    entry.save()
    assert client.get(url.removeprefix("https://issuer.example")).status_code == 404
    assert client.get(reverse("wallet:share-entry", args=[entry.public_id])).status_code == 404
