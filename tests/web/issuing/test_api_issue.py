"""POST /api/v1/credentials/issue: 201 then 200 (idempotent), verifiable, permission-checked."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.issuing import keys
from microcred_web.issuing.models import IssuedCredentialRecord, StatusAllocation

from .conftest import HOST, IssuingWorld, verify_with_instance

URL = "/api/v1/credentials/issue"


def post(client: Any, world: IssuingWorld, who: str | None, body: Any) -> Any:
    headers = world.auth(who) if who else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def body(spec: Any, identifier: str = "ada@example.org", **extra: Any) -> dict[str, Any]:
    return {
        "specification": spec.public_id,
        "learner": {"identifier": identifier, "name": "Ada Lovelace"},
        **extra,
    }


def test_issue_then_idempotent(world: IssuingWorld, client: Any, suspension: None) -> None:
    first = post(client, world, "staff_a", body(world.spec_a))
    assert first.status_code == 201, first.content
    credential = first.json()["verifiableCredential"]
    assert credential["issuer"]["id"] == f"did:web:{HOST}:providers:north-sea-university"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert {entry["statusPurpose"] for entry in credential["credentialStatus"]} == {
        "revocation",
        "suspension",
    }
    again = post(client, world, "staff_a", body(world.spec_a))
    assert again.status_code == 200
    assert again.json()["verifiableCredential"] == credential
    assert IssuedCredentialRecord.objects.count() == 1
    assert StatusAllocation.objects.count() == 2


def test_the_learner_identifier_is_not_stored_in_clear(world: IssuingWorld, client: Any) -> None:
    post(client, world, "staff_a", body(world.spec_a, "secret-learner@example.org"))
    record = IssuedCredentialRecord.objects.get()
    assert "secret-learner" not in record.learner_hash
    assert "secret-learner" not in json.dumps(record.credential)


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_the_credential_verifies_against_the_served_did_document(
    world: IssuingWorld, client: Any, cryptosuite: str
) -> None:
    response = post(
        client, world, "staff_a", body(world.spec_a, options={"cryptosuite": cryptosuite})
    )
    assert response.status_code == 201, response.content
    credential = response.json()["verifiableCredential"]
    assert credential["proof"]["cryptosuite"] == cryptosuite
    result = verify_with_instance(client, credential)
    assert result.verified, (result.code, result.message)
    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    assert not verify_with_instance(client, tampered).verified


def test_an_old_credential_still_verifies_after_rotation(world: IssuingWorld, client: Any) -> None:
    credential = post(client, world, "staff_a", body(world.spec_a)).json()["verifiableCredential"]
    keys.rotate_key(world.users["staff_a"], world.provider_a)
    result = verify_with_instance(client, credential)
    assert result.verified, (result.code, result.message)
    newer = post(client, world, "staff_a", body(world.spec_a, "bob@example.org"))
    assert newer.json()["verifiableCredential"]["proof"]["verificationMethod"].endswith("#key-2")
    assert verify_with_instance(client, newer.json()["verifiableCredential"]).verified


def test_provider_a_cannot_issue_for_provider_b(world: IssuingWorld, client: Any) -> None:
    response = post(client, world, "staff_a", body(world.spec_b))
    assert response.status_code == 403
    assert "codecraft" in response.json()["detail"]
    assert post(client, world, "nobody", body(world.spec_b)).status_code == 403
    assert not IssuedCredentialRecord.objects.exists()


def test_no_token_is_401(world: IssuingWorld, client: Any) -> None:
    assert post(client, world, None, body(world.spec_a)).status_code == 401


def test_unknown_specification_is_404(world: IssuingWorld, client: Any) -> None:
    response = post(
        client, world, "staff_a", {"specification": "S-NOPE", "learner": {"identifier": "x"}}
    )
    assert response.status_code == 404
    assert "S-NOPE" in response.json()["detail"]


@pytest.mark.parametrize(
    "bad",
    [
        {"learner": {"identifier": "x"}},
        {"specification": "S-1", "learner": {"identifier": ""}},
        {"specification": "S-1", "learner": {"identifier": "x"}, "options": {"cryptosuite": "rsa"}},
        "[]",
    ],
)
def test_malformed_bodies_are_422(world: IssuingWorld, client: Any, bad: Any) -> None:
    response = post(client, world, "staff_a", bad)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_unpublished_specification_is_refused(world: IssuingWorld, client: Any) -> None:
    world.spec_a.status = "draft"
    world.spec_a.save()
    response = post(client, world, "staff_a", body(world.spec_a))
    assert response.status_code == 422
    assert "specification-not-published" in response.json()["detail"]


def test_the_learner_copy_is_readable_by_provider_staff_only(
    world: IssuingWorld, client: Any
) -> None:
    credential = post(client, world, "staff_a", body(world.spec_a)).json()["verifiableCredential"]
    url = f"/api/v1/credentials/{credential['id']}"
    assert client.get(url, **world.auth("staff_a")).json()["verifiableCredential"] == credential
    assert client.get(url, **world.auth("staff_b")).status_code == 403
    assert client.get("/api/v1/credentials/nope", **world.auth("staff_a")).status_code == 404
