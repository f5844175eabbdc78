"""A credential the learner brought from elsewhere (a did:key issuer this register does not
know) gets a certificate too: its elements, and the QA statement saying the issuer's quality
assurance cannot be confirmed here — never a claim the register does not make."""

from __future__ import annotations

import io
import json
from typing import Any

import pypdf
import pytest

from microcred_web.wallet.models import WalletEntry
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.verification.conftest import did_key_credential
from tests.web.wallet.fixtures_pdf import make_learner, text_of

pytestmark = pytest.mark.django_db


def test_an_imported_credential_has_a_certificate(client: Any) -> None:
    from django.urls import reverse

    credential = did_key_credential()
    user, account = make_learner("lin")
    entry = WalletEntry.objects.create(account=account, source="imported", credential=credential)
    client.force_login(user)
    response = client.get(reverse("wallet:entry-certificate", args=[entry.public_id]))
    assert response.status_code == 200
    pdf = bytes(response.content)
    text = text_of(pdf)
    assert "Circular economy foundations" in text
    assert "Hogeschool Voorbeeld" in text
    assert "Map the material flows of a product" in text
    assert "issuer not in this register: its quality assurance cannot be confirmed here" in text
    assert "was quality assured" not in text
    attached = pypdf.PdfReader(io.BytesIO(pdf)).attachments["credential.json"][0]
    assert json.loads(attached) == credential
