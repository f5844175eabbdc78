"""The recorded identity is read once per web request (a verifying page asks for it a dozen
times), and never remembered outside a request or from one request to the next."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microcred_web.issuing import identity
from microcred_web.issuing.models import InstanceIdentity
from tests.web.issuing.conftest import HOST, IssuingWorld

pytestmark = pytest.mark.django_db


def _identity_reads(queries: CaptureQueriesContext) -> int:
    return sum('"issuing_instanceidentity"' in q["sql"] for q in queries.captured_queries)


def test_a_verifying_request_reads_the_identity_once(world: IssuingWorld, client: Any) -> None:
    from microcred_web.issuing import issue

    outcome = issue.issue_credential(
        world.users["staff_a"], world.spec_a, issue.Learner("ada@example.org", "Ada")
    )
    import json

    body = json.dumps({"verifiableCredential": outcome.credential})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/credentials/verify",
            body,
            content_type="application/json",
            HTTP_HOST=HOST,
            secure=True,
        )
    assert response.status_code == 200 and response.json()["verified"] is True
    assert _identity_reads(queries) == 1


def test_outside_a_request_the_row_is_read_each_time(world: IssuingWorld) -> None:
    identity.record()
    assert identity.recorded() == identity.PublicIdentity(HOST, "https")
    InstanceIdentity.objects.update(host="elsewhere.example")
    assert identity.recorded() == identity.PublicIdentity("elsewhere.example", "https")
