"""The entry page's partial links to the entry's certificate, in words a learner reads."""

# ruff: noqa: F811 (pytest fixtures imported by name)
from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.issuing.conftest import world  # noqa: F401
from tests.web.wallet.fixtures_pdf import Learner, learner  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_partial_links_to_the_certificate(learner: Learner) -> None:
    html = render_to_string("wallet/_entry_certificate.html", {"entry": learner.entry})
    url = reverse("wallet:entry-certificate", args=[learner.entry.public_id])
    assert f'href="{url}"' in html
    assert "Download certificate (PDF)" in html
    assert learner.client.get(url).status_code == 200
