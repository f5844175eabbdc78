"""A 429, however raised, answers in the API's one error shape with ``Retry-After``.

Any operation may be rate limited (the security settings decide which), so the error handler
must turn ninja's ``HttpError(429, ...)`` and its ``Throttled`` into the documented shape.
"""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.web.probe_urls")


def test_http_error_429_is_rate_limited_with_retry_after(client: Client) -> None:
    response = client.post("/api/probe/limited")

    assert response.status_code == 429
    assert response.json() == {
        "code": "rate-limited",
        "detail": "Too many verifications from this address; try again in a minute",
    }
    assert int(response["Retry-After"]) >= 1


def test_throttled_gives_its_wait_as_retry_after(client: Client) -> None:
    response = client.post("/api/probe/throttled")

    assert response.status_code == 429
    assert response.json()["code"] == "rate-limited"
    assert response["Retry-After"] == "37"
