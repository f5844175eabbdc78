"""The signed credential is attached to the PDF (``credential.json``, associated with the
document as its source) and verifies on its own with the verification pipeline."""

# ruff: noqa: F811 (pytest fixtures imported by name)
from __future__ import annotations

import io
import json

import pypdf
import pytest

from microcred_web.verification import services
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401
from tests.web.issuing.conftest import world  # noqa: F401
from tests.web.wallet.fixtures_pdf import Learner, download, learner  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_attached_credential_verifies(learner: Learner) -> None:
    reader = pypdf.PdfReader(io.BytesIO(download(learner)))
    attached = reader.attachments["credential.json"]
    assert len(attached) == 1
    credential = json.loads(attached[0])
    assert credential == learner.credential
    result = services.verify(credential)
    assert result.verified, [c.message for c in result.errors]
    catalog = reader.trailer["/Root"]
    associated = [ref.get_object() for ref in catalog["/AF"]]
    assert [f["/AFRelationship"] for f in associated] == ["/Source"]
    assert associated[0]["/F"] == "credential.json"
