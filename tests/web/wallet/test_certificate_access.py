"""Only the signed-in learner gets the certificate of their own entry: another learner's
entry is 404 (and no share link is made), a visitor is sent to sign in."""

# ruff: noqa: F811 (pytest fixtures imported by name)
from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from microcred_web.issuing import issue
from microcred_web.wallet.models import ShareLink
from tests.web.issuing.conftest import (
    IssuingWorld,
    world,  # noqa: F401
)
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.wallet.fixtures_pdf import (  # noqa: F401
    Learner,
    give,
    learner,
    make_learner,
)

pytestmark = pytest.mark.django_db


def test_another_learners_entry_is_not_found(learner: Learner, world: IssuingWorld) -> None:
    _user, other = make_learner("grace")
    entry, _credential = give(world, other, issue.Learner("grace@example.org", "Grace Hopper"))
    url = reverse("wallet:entry-certificate", args=[entry.public_id])
    assert learner.client.get(url).status_code == 404
    assert not ShareLink.objects.filter(entry=entry).exists()


def test_a_removed_entry_is_not_found(learner: Learner) -> None:
    from django.utils import timezone

    learner.entry.removed = timezone.now()
    learner.entry.save()
    url = reverse("wallet:entry-certificate", args=[learner.entry.public_id])
    assert learner.client.get(url).status_code == 404


def test_a_visitor_is_sent_to_sign_in(learner: Learner, client: Any) -> None:
    client.logout()
    url = reverse("wallet:entry-certificate", args=[learner.entry.public_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wallet:sign-in"))
    assert not ShareLink.objects.exists()
