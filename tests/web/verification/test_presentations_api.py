"""POST /api/v1/presentations/verify: 200 with coded checks; bad input a 4xx Problem."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.core.verify.presentations import Holder
from tests.web.verification.presentation_helpers import (
    CHALLENGE,
    body,
    credential_for,
    presentation,
)

URL = "/api/v1/presentations/verify"
HOLDER = Holder()


def post(client: Any, data: str | bytes) -> Any:
    return client.post(URL, data=data, content_type="application/json")


def checks(response: Any) -> dict[str, dict[str, Any]]:
    return {check["code"]: check for check in response.json()["checks"]}


@pytest.fixture(scope="module")
def mine() -> dict[str, Any]:
    return credential_for(HOLDER)


@pytest.mark.django_db
def test_a_presentation_verifies_with_each_credential(client: Any, mine: Any) -> None:
    response = post(client, body(presentation(HOLDER, [mine], challenge="fresh-1"), "fresh-1"))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["verified"] is True, answer
    assert [c["code"] for c in answer["checks"]] == [
        "format",
        "proof",
        "challenge",
        "domain",
        "holder",
        "credentials",
    ]
    assert answer["credentials"][0]["verified"] is True
    assert [c["code"] for c in answer["credentials"][0]["checks"]][:2] == ["format", "proof"]


@pytest.mark.django_db
def test_replayed_presentation_is_not_verified(client: Any, mine: Any) -> None:
    data = body(presentation(HOLDER, [mine], challenge="fresh-2"), challenge="fresh-2")
    assert post(client, data).json()["verified"] is True
    again = post(client, data)
    assert again.status_code == 200
    assert again.json()["verified"] is False
    assert checks(again)["challenge"]["details"]["reason"] == "challenge-replayed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "code", "reason"),
    [
        ({"challenge": "not-the-one"}, "challenge", "wrong-challenge"),
        ({"domain": "evil.example"}, "domain", "wrong-domain"),
    ],
)
def test_wrong_challenge_or_domain(
    client: Any, mine: Any, options: dict[str, str], code: str, reason: str
) -> None:
    response = post(client, body(presentation(HOLDER, [mine]), **options))
    assert response.status_code == 200
    assert response.json()["verified"] is False
    assert checks(response)[code]["details"]["reason"] == reason


@pytest.mark.django_db
def test_holder_not_subject(client: Any) -> None:
    theirs = credential_for(Holder(8))
    response = post(client, body(presentation(HOLDER, [theirs], challenge="fresh-3"), "fresh-3"))
    assert response.json()["verified"] is False
    assert checks(response)["holder"]["details"]["reason"] == "holder-not-subject"


@pytest.mark.django_db
def test_tampered_credential_inside(client: Any, mine: Any) -> None:
    tampered = json.loads(json.dumps(mine))
    tampered["credentialSubject"]["achievement"]["name"] = "Quantum physics (master)"
    vp = presentation(HOLDER, [tampered], challenge="fresh-4")
    response = post(client, body(vp, "fresh-4"))
    assert response.json()["verified"] is False
    assert checks(response)["credentials"]["details"]["reason"] == "credential-not-verified"
    assert response.json()["credentials"][0]["verified"] is False


@pytest.mark.django_db
def test_not_a_presentation_is_a_format_failure(client: Any, mine: Any) -> None:
    response = post(client, body(mine))
    assert response.status_code == 200
    assert checks(response)["format"]["details"]["reason"] == "not-a-presentation"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"{not json", 400, "not-json"),
        (b"", 400, "empty"),
        (json.dumps({"verifiableCredential": {}}), 422, "no-presentation"),
        (json.dumps({"verifiablePresentation": "a string"}), 422, "no-presentation"),
        (json.dumps({"verifiablePresentation": {}, "options": []}), 422, "invalid-options"),
        (
            json.dumps({"verifiablePresentation": {}, "options": {"challenge": 5}}),
            422,
            "invalid-options",
        ),
    ],
)
def test_bad_bodies_are_problems(client: Any, data: Any, status: int, code: str) -> None:
    response = post(client, data)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert response.json()["detail"]


@pytest.mark.django_db
def test_huge_body_is_413(client: Any) -> None:
    response = post(client, b'{"verifiablePresentation": "' + b"x" * (6 * 1024 * 1024) + b'"}')
    assert response.status_code == 413
    assert response.json()["code"]


@pytest.mark.django_db
def test_unchallenged_verification_warns(client: Any, mine: Any) -> None:
    response = post(client, body(presentation(HOLDER, [mine]), challenge=None, domain=None))
    assert response.json()["verified"] is True
    assert checks(response)["challenge"]["status"] == "warning"
    assert CHALLENGE  # the presentation carried one; the verifier did not ask
