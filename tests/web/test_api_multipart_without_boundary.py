"""A multipart upload whose Content-Type has no boundary is a 400 naming the problem, not a 500
(it used to crash Django's multipart parser inside the upload endpoints)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred_web.register.tokens import create_token


@pytest.fixture
def operator_auth(db: Any) -> dict[str, str]:
    from django.contrib.auth import get_user_model

    from microcred_web.register.models import Membership, Role

    user = get_user_model().objects.create(username="operator")
    Membership.objects.create(user=user, role=Role.OPERATOR)
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'tests').token}"}


@pytest.mark.parametrize("url", ["/api/v1/credentials/issue-bulk", "/api/v1/import"])
def test_multipart_without_boundary_is_400(
    client: Client, operator_auth: dict[str, str], url: str
) -> None:
    response = client.generic(
        "POST", url, b"kind=providers", content_type="multipart/form-data", **operator_auth
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad-multipart"
    assert "boundary" in body["detail"]
