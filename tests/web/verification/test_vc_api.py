"""VC-API semantics: /api/v1/vc-api/{credentials,presentations}/verify answer 200 when
verified and 400 with problemDetails when not."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.core.verify.presentations import Holder
from tests.web.verification.presentation_helpers import body, credential_for, presentation

CREDENTIALS = "/api/v1/vc-api/credentials/verify"
PRESENTATIONS = "/api/v1/vc-api/presentations/verify"
HOLDER = Holder()


def post(client: Any, url: str, data: Any) -> Any:
    data = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(url, data=data, content_type="application/json")


@pytest.mark.django_db
def test_verified_credential_is_200(client: Any, signed: Any) -> None:
    response = post(client, CREDENTIALS, {"verifiableCredential": signed, "options": {}})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["verified"] is True
    # the did:key issuer is not in the register: a warning, as a problem detail
    assert [w["title"] for w in answer["warnings"]] == ["unknown-issuer"]


@pytest.mark.django_db
def test_tampered_credential_is_400_with_problem_details(client: Any, signed: Any) -> None:
    signed["name"] = "Something else"
    response = post(client, CREDENTIALS, {"verifiableCredential": signed})
    assert response.status_code == 400
    answer = response.json()
    assert answer["verified"] is False and answer["code"] == "not-verified"
    proof = [p for p in answer["problemDetails"] if p["title"] == "bad-signature"]
    assert proof and proof[0]["type"].endswith("#CRYPTOGRAPHIC_SECURITY_ERROR")
    assert {c["code"] for c in answer["checks"]} >= {"format", "proof"}


@pytest.mark.django_db
def test_bare_credential_is_refused(client: Any, signed: Any) -> None:
    response = post(client, CREDENTIALS, signed)
    assert response.status_code == 422 and response.json()["code"] == "no-credential"


@pytest.mark.django_db
def test_not_json_is_400_problem(client: Any) -> None:
    for url in (CREDENTIALS, PRESENTATIONS):
        response = post(client, url, b"{oops")
        assert response.status_code == 400 and response.json()["code"] == "not-json"


@pytest.mark.django_db
def test_verified_presentation_is_200(client: Any) -> None:
    vp = presentation(HOLDER, [credential_for(HOLDER)], challenge="vcapi-1")
    response = post(client, PRESENTATIONS, body(vp, "vcapi-1"))
    assert response.status_code == 200, response.content
    assert response.json()["verified"] is True
    assert response.json()["credentials"][0]["verified"] is True


@pytest.mark.django_db
def test_wrong_challenge_presentation_is_400(client: Any) -> None:
    vp = presentation(HOLDER, [credential_for(HOLDER)], challenge="vcapi-2")
    response = post(client, PRESENTATIONS, body(vp, "another"))
    assert response.status_code == 400
    details = response.json()["problemDetails"]
    assert [d["type"] for d in details] == ["https://w3id.org/security#INVALID_CHALLENGE_ERROR"]


@pytest.mark.django_db
def test_replayed_presentation_is_400(client: Any) -> None:
    data = body(presentation(HOLDER, [], challenge="vcapi-3"), "vcapi-3")
    assert post(client, PRESENTATIONS, data).status_code == 200
    again = post(client, PRESENTATIONS, data)
    assert again.status_code == 400
    assert [d["title"] for d in again.json()["problemDetails"]] == ["challenge-replayed"]
