"""Bearer tokens: stored as a digest only, shown once, 401 when missing, wrong or revoked."""

from __future__ import annotations

import hashlib
from io import StringIO

from django.core.management import call_command
from django.test import Client

from microcred_web.register.models import ApiToken
from microcred_web.register.tokens import revoke_token, user_for_token
from tests.web.register.conftest import World

URL = "/api/v1/agencies"
BODY = {"slug": "new-agency", "name": {"en": "New agency"}, "acronym": "NEW"}


def test_only_the_digest_is_stored(world: World) -> None:
    token = world.tokens["operator"]
    record = ApiToken.objects.get(user=world.users["operator"])

    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert record.prefix == token[:12]
    assert token not in {record.digest, record.name}
    assert user_for_token(token) == world.users["operator"]


def test_no_token_is_401(client: Client, world: World) -> None:
    response = client.post(URL, BODY, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"code": "unauthorized", "detail": "Unauthorized"}
    assert response["WWW-Authenticate"] == "Bearer"


def test_wrong_token_is_401(client: Client, world: World) -> None:
    for header in ("Bearer mcr_not-a-token", "Bearer ", "Basic dXNlcjpwdw==", "mcr_x"):
        response = client.post(
            URL, BODY, content_type="application/json", headers={"Authorization": header}
        )
        assert response.status_code == 401, header


def test_revoked_token_is_401(client: Client, world: World) -> None:
    revoke_token(ApiToken.objects.get(user=world.users["operator"]))

    response = client.post(
        URL, BODY, content_type="application/json", headers=world.auth("operator")
    )

    assert response.status_code == 401


def test_inactive_user_token_is_401(client: Client, world: World) -> None:
    world.users["operator"].is_active = False
    world.users["operator"].save()

    response = client.post(
        URL, BODY, content_type="application/json", headers=world.auth("operator")
    )

    assert response.status_code == 401


def test_create_token_command_prints_the_token_once(world: World) -> None:
    out, err = StringIO(), StringIO()
    call_command("create_token", "staff_a", "--name", "ci", stdout=out, stderr=err)

    token = out.getvalue().strip()
    assert token.startswith("mcr_")
    assert "shown once" in err.getvalue()
    assert user_for_token(token) == world.users["staff_a"]

    call_command("create_token", "staff_a", "--revoke", token[:12], stdout=StringIO())
    assert user_for_token(token) is None
