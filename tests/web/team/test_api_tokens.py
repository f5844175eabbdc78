"""``/api/v1/tokens``: the caller's own API tokens, listed without the secret and revoked for
good; another account's token is not found; an account with no membership holds none; audited
as ``api``. Tokens are made on the page only (a token cannot make tokens)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.issuing.models import AuditEvent
from microcred_web.register.models import ApiToken
from microcred_web.register.tokens import create_token

from .conftest import TeamWorld

TOKENS = "/api/v1/tokens"
#: Everyone with a membership, and the operator, may hold tokens (can_hold_api_tokens).
HOLDERS = ["operator", "staff_a", "admin_a", "issuer_a", "editor_a", "staff_b", "agency_staff"]


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _make(client: Any, token: str, name: Any = "records system") -> Any:
    return client.post(
        TOKENS, json.dumps({"name": name}), content_type="application/json", **_bearer(token)
    )


@pytest.mark.parametrize("who", HOLDERS)
def test_a_token_cannot_make_tokens(team: TeamWorld, who: str, client: Any) -> None:
    token = team.token(who)
    before = ApiToken.objects.count(), AuditEvent.objects.filter(action="token-created").count()
    response = _make(client, token)
    assert response.status_code == 405, response.content
    assert (
        ApiToken.objects.count(),
        AuditEvent.objects.filter(action="token-created").count(),
    ) == before


def test_the_list_is_ones_own_and_never_holds_a_secret(team: TeamWorld, client: Any) -> None:
    mine = create_token(team.users["issuer_a"], "mine")
    theirs = create_token(team.users["editor_a"], "theirs")
    response = client.get(TOKENS, **_bearer(mine.token))
    assert response.status_code == 200
    body = response.json()
    assert [t["name"] for t in body] == ["mine"]
    assert set(body[0]) == {"id", "name", "prefix", "created", "last_used", "revoked"}
    assert body[0]["last_used"] is not None  # this very request used it
    text = response.content.decode()
    assert mine.token not in text and theirs.token not in text
    assert mine.record.digest not in text and theirs.record.prefix not in text


def test_revoking_ones_own_token(team: TeamWorld, client: Any) -> None:
    caller = team.token("editor_a")
    spare = create_token(team.users["editor_a"], "spare")
    response = client.delete(f"{TOKENS}/{spare.record.pk}", **_bearer(caller))
    assert response.status_code == 200, response.content
    assert response.json()["revoked"] is True and response.json()["name"] == "spare"
    assert client.get(TOKENS, **_bearer(spare.token)).status_code == 401
    event = AuditEvent.objects.get(action="token-revoked")
    assert event.actor_name == "editor_a" and event.interface == "api"
    # revoking again changes nothing more and says it is revoked
    again = client.delete(f"{TOKENS}/{spare.record.pk}", **_bearer(caller))
    assert again.status_code == 200 and again.json()["revoked"] is True
    assert AuditEvent.objects.filter(action="token-revoked").count() == 1
    # a token may revoke itself: its last request
    own = ApiToken.objects.get(user=team.users["editor_a"], name="tests")
    assert client.delete(f"{TOKENS}/{own.pk}", **_bearer(caller)).status_code == 200
    assert client.get(TOKENS, **_bearer(caller)).status_code == 401


@pytest.mark.parametrize("who", [w for w in HOLDERS if w != "issuer_a"])
def test_nobody_revokes_anothers_token(team: TeamWorld, who: str, client: Any) -> None:
    """Not the operator, not an admin of the same provider: the token is 'not found'."""
    victim = create_token(team.users["issuer_a"], "victim's")
    response = client.delete(f"{TOKENS}/{victim.record.pk}", **_bearer(team.token(who)))
    assert response.status_code == 404, (who, response.content)
    assert response.json()["errors"][0]["loc"] == ["path", "token_id"]
    victim.record.refresh_from_db()
    assert not victim.record.revoked
    assert client.get(TOKENS, **_bearer(victim.token)).status_code == 200


def test_an_account_without_a_membership_holds_no_tokens(team: TeamWorld, client: Any) -> None:
    token = team.base.tokens["nobody"]  # made by an operator on the server, say
    headers = _bearer(token)
    record = ApiToken.objects.get(user=team.users["nobody"])
    for response in (
        client.get(TOKENS, **headers),
        client.delete(f"{TOKENS}/{record.pk}", **headers),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "forbidden"
    assert ApiToken.objects.filter(user=team.users["nobody"]).count() == 1
    record.refresh_from_db()
    assert not record.revoked


def test_without_a_token(team: TeamWorld, client: Any) -> None:
    before = ApiToken.objects.count()
    for response in (
        client.get(TOKENS),
        client.delete(f"{TOKENS}/1"),
    ):
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert ApiToken.objects.count() == before
    assert not ApiToken.objects.filter(revoked=True).exists()


def test_bad_requests(team: TeamWorld, client: Any) -> None:
    headers = _bearer(team.token("issuer_a"))
    for token_id in ("0", "abc", str(2**70)):
        response = client.delete(f"{TOKENS}/{token_id}", **headers)
        assert response.status_code == 422, token_id
        assert [e["loc"] for e in response.json()["errors"]] == [["path", "token_id"]]
    assert client.delete(f"{TOKENS}/999999", **headers).status_code == 404
    assert ApiToken.objects.filter(user=team.users["issuer_a"]).count() == 1
