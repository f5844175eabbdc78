"""POST /api/v1/credentials/verify: 200 with coded checks; 400/413/422 for no credential."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred_web.verification import services

URL = "/api/v1/credentials/verify"


def post(client: Any, body: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def checks(response: Any) -> dict[str, dict[str, Any]]:
    return {check["code"]: check for check in response.json()["checks"]}


@pytest.mark.django_db
def test_a_did_key_credential_verifies_wrapped_vc_api_style(client: Any, signed: Any) -> None:
    response = post(client, {"verifiableCredential": signed})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verified"] is True
    assert [c["code"] for c in body["checks"]] == [
        "format",
        "proof",
        "issuer",
        "status",
        "validity",
        "qa",
        "annex1",
    ]
    found = checks(response)
    assert found["proof"]["status"] == "ok"
    assert found["issuer"]["status"] == "ok"
    # A did:key issuer is not in this instance's register: a graded warning, not a silent yes.
    assert found["qa"]["status"] == "warning"
    assert found["qa"]["details"]["reason"] == "unknown-issuer"


@pytest.mark.django_db
def test_the_bare_credential_is_accepted_too(client: Any, signed: Any) -> None:
    response = post(client, signed)
    assert response.status_code == 200
    assert response.json()["verified"] is True


@pytest.mark.django_db
def test_a_tampered_credential_is_not_verified_and_says_why(client: Any, signed: Any) -> None:
    signed["credentialSubject"]["achievement"]["name"] = "Quantum physics (master)"
    response = post(client, {"verifiableCredential": signed})
    assert response.status_code == 200
    assert response.json()["verified"] is False
    proof = checks(response)["proof"]
    assert proof["status"] == "error"
    assert proof["details"]["reason"]
    assert checks(response)["qa"]["status"] == "skipped"


@pytest.mark.django_db
def test_an_unknown_cryptosuite_is_an_error_check(client: Any, signed: Any) -> None:
    signed["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    response = post(client, {"verifiableCredential": signed})
    assert response.status_code == 200
    assert checks(response)["proof"]["details"]["reason"] == "unknown-cryptosuite"
    assert response.json()["verified"] is False


@pytest.mark.django_db
def test_a_foreign_did_web_issuer_fails_closed_without_the_network(
    client: Any, signed: Any
) -> None:
    signed["issuer"]["id"] = "did:web:elsewhere.example:providers:x"
    response = post(client, {"verifiableCredential": signed})
    assert response.status_code == 200
    assert response.json()["verified"] is False


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("{not json", 400, "not-json"),
        (b"\xff\xfe\x00", 400, "not-json"),
        ("", 400, "empty"),
        ("[1, 2]", 422, "no-credential"),
        ('"a string"', 422, "no-credential"),
        ('{"hello": "world"}', 422, "no-credential"),
        ('{"verifiableCredential": "abc"}', 422, "no-credential"),
        ('{"verifiableCredential": [{}]}', 422, "no-credential"),
        ("[" * 5000 + "]" * 5000, 400, "not-json"),
    ],
)
@pytest.mark.django_db
def test_malformed_input_gets_a_clear_json_error(
    client: Any, body: str | bytes, status: int, code: str
) -> None:
    response = post(client, body)
    assert response.status_code == status, response.content
    problem = response.json()
    assert problem["code"] == code
    assert isinstance(problem["detail"], str) and problem["detail"]


@pytest.mark.django_db
def test_too_large_is_refused_with_413(client: Any, signed: Any) -> None:
    signed["description"] = "x" * (services.MAX_BYTES + 10)
    response = post(client, {"verifiableCredential": signed})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


@pytest.mark.django_db
def test_a_deeply_nested_credential_is_a_format_error_not_a_crash(client: Any, signed: Any) -> None:
    nested: Any = "x"
    for _ in range(60):
        nested = {"a": nested}
    signed["credentialSubject"]["deep"] = nested
    response = post(client, {"verifiableCredential": signed})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["verified"] is False
        assert checks(response)["format"]["status"] == "error"


@pytest.mark.django_db
def test_the_route_is_in_the_openapi_description(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/credentials/verify"]["post"]
    assert "requestBody" in operation


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999999"])
@pytest.mark.django_db
def test_numbers_json_cannot_carry_are_400_naming_them(
    client: Any, signed: Any, literal: str
) -> None:
    text = json.dumps({"verifiableCredential": signed}).replace('"ects": 5', f'"ects": {literal}')
    assert literal in text

    response = post(client, text)

    assert response.status_code == 400, response.content
    problem = response.json()
    assert problem["code"] == "not-json"
    assert literal in problem["detail"] and "line 1, column" in problem["detail"]


@pytest.mark.django_db
def test_the_documented_body_requires_a_credential(client: Any) -> None:
    """The request schema states what the endpoint needs: ``{}`` is outside it, and a 422."""
    document = client.get("/api/v1/openapi.json").json()
    body = document["paths"]["/api/v1/credentials/verify"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    wrapper, bare = schema["oneOf"]

    assert wrapper["required"] == ["verifiableCredential"]
    assert {"required": ["proof"]} in bare["anyOf"]
    response = post(client, {})
    assert response.status_code == 422 and response.json()["code"] == "no-credential"
