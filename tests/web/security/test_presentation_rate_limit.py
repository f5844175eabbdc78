"""The presentation and VC-API verify endpoints count in the one ``verify`` scope, with the
credential endpoint: past its rate each answers 429 with the Problem shape."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import tighten

VP = '{"verifiablePresentation": {"type": ["VerifiablePresentation"]}}'
VC = '{"verifiableCredential": {"type": ["VerifiableCredential"]}}'


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/presentations/verify", VP),
        ("/api/v1/vc-api/presentations/verify", VP),
        ("/api/v1/vc-api/credentials/verify", VC),
    ],
)
def test_limited_with_the_verify_scope(
    db: Any, client: Any, settings: Any, url: str, body: str
) -> None:
    tighten(settings, verify="2/m")
    credential = '{"verifiableCredential": {}}'
    client.post("/api/v1/credentials/verify", credential, content_type="application/json")
    first = client.post(url, body, content_type="application/json")
    assert first.status_code in (200, 400), first.content  # answered: not verified
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate-limited"
    assert int(refused["Retry-After"]) >= 1
