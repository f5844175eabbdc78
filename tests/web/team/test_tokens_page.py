"""API tokens from a page: shown once, only the digest stored, listed by prefix with when
they were made and last used, revoked for good; a token acts with its user's roles."""

from __future__ import annotations

import json
import re
from typing import Any

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import ApiToken
from microcred_web.register.tokens import digest

from .conftest import TeamWorld


def _create(client: Any, name: str = "records system") -> tuple[Any, str]:
    response = client.post("/team/tokens/new", {"name": name})
    assert response.status_code == 200, response.content
    found = re.search(r'value="(mcr_[^"]+)"', response.content.decode())
    assert found, response.content
    return response, found.group(1)


def test_a_token_is_shown_once_and_only_its_digest_kept(team: TeamWorld) -> None:
    client = team.client("issuer_a")
    response, token = _create(client)
    assert response["Cache-Control"] == "no-store"
    record = ApiToken.objects.get(user=team.users["issuer_a"])
    assert record.digest == digest(token) and record.name == "records system"
    assert token not in str(list(ApiToken.objects.values()))
    listing = client.get("/team/tokens/").content.decode()
    assert token not in listing
    assert record.prefix in listing and "records system" in listing and "Never" in listing
    event = AuditEvent.objects.get(action="token-created", details__name="records system")
    assert event.actor_name == "issuer_a" and token not in str(event.details)


def test_a_token_acts_with_its_users_roles(team: TeamWorld, client: Any) -> None:
    """An editor's token cannot issue; an issuer's can; last used is shown afterwards."""
    body = json.dumps(
        {"specification": team.base.spec_a.public_id, "learner": {"identifier": "x@ex.org"}}
    )
    for who, expected in (("editor_a", 403), ("issuer_a", 201)):
        _, token = _create(team.client(who), f"{who} token")
        response = client.post(
            "/api/v1/credentials/issue",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == expected, (who, response.content)
    listing = team.client("issuer_a").get("/team/tokens/").content.decode()
    assert "Never" not in listing


def test_revoke(team: TeamWorld, client: Any) -> None:
    page = team.client("editor_a")
    _, token = _create(page)
    record = ApiToken.objects.get(user=team.users["editor_a"])
    assert page.post(f"/team/tokens/{record.pk}/revoke").status_code == 302
    record.refresh_from_db()
    assert record.revoked
    assert AuditEvent.objects.filter(action="token-revoked").count() == 1
    response = client.get(
        "/api/v1/credentials/urn:uuid:00000000-0000-4000-8000-000000000000",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 401
    assert page.post(f"/team/tokens/{record.pk}/revoke").status_code == 302  # twice: harmless
    assert AuditEvent.objects.filter(action="token-revoked").count() == 1
    assert page.post("/team/tokens/999999/revoke").status_code == 404


def test_bad_input(team: TeamWorld) -> None:
    client = team.client("agency_staff")
    for data in ({}, {"name": ""}, {"name": "   "}, {"name": "x" * 121}):
        response = client.post("/team/tokens/new", data)
        assert response.status_code == 422, data
        assert b'id="token-name-error"' in response.content
        assert b"mcr_" not in response.content
    assert not ApiToken.objects.filter(user=team.users["agency_staff"]).exists()
    assert client.get("/team/tokens/new").status_code == 405
