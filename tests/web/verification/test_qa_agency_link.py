"""The verify page's QA statement links to the agency whose result the issuer's standing on
the day of issue rests on (the QA check names the agency's register id); a foreign issuer's
credential has no such link."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.issuing import issue
from tests.web.catalogue import factories as f
from tests.web.issuing.conftest import IssuingWorld, _spec

# The issuing tests' settings (KEK, host), autouse in this module.
from tests.web.issuing.conftest import issuing_settings as _issuing_settings  # noqa: F401

pytestmark = pytest.mark.django_db


def _qa_box(html: str) -> str:
    start = html.index('id="qa-title"')
    return html[start : html.index("</section>", start)]


def test_the_issuers_qa_statement_links_to_its_agency(world: IssuingWorld, client: Any) -> None:
    nvao = f.agency()
    f.qa_result(nvao, world.provider_a)
    spec = _spec(world.provider_a, "DS-402")
    credential = issue.issue_credential(
        world.users["staff_a"], spec, issue.Learner("ada@example.org")
    ).credential
    response = client.post("/verify/", {"credential": json.dumps(credential)})
    assert response.status_code == 200
    box = _qa_box(response.content.decode())
    assert "Quality assured" in box
    assert 'Quality assurance agency: <a href="/agencies/nvao/">NVAO</a>' in box


def test_no_agency_link_without_a_qa_result(world: IssuingWorld, client: Any) -> None:
    spec = _spec(world.provider_a, "DS-403")
    credential = issue.issue_credential(
        world.users["staff_a"], spec, issue.Learner("ada@example.org")
    ).credential
    html = client.post("/verify/", {"credential": json.dumps(credential)}).content.decode()
    assert "Quality assurance agency:" not in _qa_box(html)


def test_no_agency_link_for_a_foreign_credential(client: Any, signed: Any) -> None:
    html = client.post("/verify/", {"credential": json.dumps(signed)}).content.decode()
    assert "Quality assurance agency:" not in _qa_box(html)
