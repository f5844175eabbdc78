"""Without a usable KEK: issuing and status changes refuse cleanly (503 ``kek-unavailable``,
nothing written) and every status list stays servable, signed, with the last truth."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred.credentials.keystore import generate_kek
from microcred.credentials.status_list import check_status
from microcred_web.issuing import status
from microcred_web.issuing.models import IssuedCredentialRecord, StatusListRecord

from .conftest import IssuingWorld, fetch_json, verify_with_instance
from .test_status import change, issue


def no_kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROCRED_KEK", raising=False)
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)


def issue_request(client: Any, world: IssuingWorld, identifier: str) -> Any:
    return client.post(
        "/api/v1/credentials/issue",
        data=json.dumps(
            {"specification": world.spec_a.public_id, "learner": {"identifier": identifier}}
        ),
        content_type="application/json",
        **world.auth("staff_a"),
    )


def revoked_bit(client: Any, credential: dict[str, Any]) -> bool:
    entry = credential["credentialStatus"]  # one entry: revocation (no suspension entries)
    served = fetch_json(client, entry["statusListCredential"])
    result = verify_with_instance(client, served)
    assert result.verified, (result.code, result.message)
    return check_status(entry, served).set


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"MICROCRED_KEK_FILE": "/nonexistent/secret/kek.txt"},
        {"MICROCRED_KEK": "not-a-key"},
        {"MICROCRED_KEK": generate_kek(), "MICROCRED_KEK_FILE": "/nonexistent/kek.txt"},
    ],
    ids=["missing", "unreadable-file", "malformed", "both"],
)
def test_issuing_without_a_usable_kek_is_a_clear_503(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    no_kek(monkeypatch)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    response = issue_request(client, world, "ada@example.org")
    assert response.status_code == 503, response.content
    detail = response.json()["detail"]
    assert detail.startswith("kek-unavailable: signing is unavailable")
    assert "MICROCRED_KEK" in detail
    assert "/nonexistent" not in detail  # no server path leaks to the caller
    assert not IssuedCredentialRecord.objects.exists()


def test_a_wrong_kek_refuses_issuing_too(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue(client, world)  # the provider's key is sealed under the fixture's KEK
    monkeypatch.setenv("MICROCRED_KEK", generate_kek())
    response = issue_request(client, world, "bob@example.org")
    assert response.status_code == 503
    assert "does not open this provider's signing key" in response.json()["detail"]
    assert IssuedCredentialRecord.objects.count() == 1


def test_lists_are_signed_when_opened(world: IssuingWorld, client: Any) -> None:
    issue(client, world)
    (record,) = StatusListRecord.objects.all()
    assert record.signed is not None
    assert record.signed["credentialSubject"]["encodedList"] == record.encoded


def test_a_revocation_is_signed_with_it_and_served_without_the_kek(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    credential = issue(client, world)
    assert change(client, world, credential, "revoke").status_code == 200
    no_kek(monkeypatch)
    # An outside verifier sees the revocation although this instance cannot sign now.
    assert revoked_bit(client, credential) is True


def test_revoking_without_a_kek_changes_nothing_and_the_list_stays_served(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch, issuing_settings: str
) -> None:
    credential = issue(client, world)
    before = StatusListRecord.objects.get()
    no_kek(monkeypatch)
    response = change(client, world, credential, "revoke")
    assert response.status_code == 503, response.content
    assert response.json()["detail"].startswith("kek-unavailable:")
    after = StatusListRecord.objects.get()
    assert (after.encoded, after.signed) == (before.encoded, before.signed)
    record = IssuedCredentialRecord.objects.get()
    assert not record.revoked
    assert revoked_bit(client, credential) is False
    # The KEK comes back: the same request now succeeds.
    monkeypatch.setenv("MICROCRED_KEK", issuing_settings)
    assert change(client, world, credential, "revoke").status_code == 200
    assert revoked_bit(client, credential) is True


def test_a_list_left_unsigned_by_an_earlier_version_is_a_503_not_a_500(
    world: IssuingWorld, client: Any, monkeypatch: pytest.MonkeyPatch, issuing_settings: str
) -> None:
    credential = issue(client, world)
    StatusListRecord.objects.update(signed=None)
    assert status.unsigned_count() == 1
    no_kek(monkeypatch)
    url = credential["credentialStatus"]["statusListCredential"].removeprefix(
        "https://issuer.example"
    )
    response = client.get(url, HTTP_HOST="issuer.example", secure=True)
    assert response.status_code == 503
    assert response.json()["code"] == "kek-unavailable"
    assert response["Retry-After"]
    monkeypatch.setenv("MICROCRED_KEK", issuing_settings)
    assert revoked_bit(client, credential) is False  # signed now, and kept
    assert status.unsigned_count() == 0


def test_allocating_indexes_does_not_re_sign(world: IssuingWorld, client: Any) -> None:
    issue(client, world)
    signed = StatusListRecord.objects.get().signed
    for n in range(3):
        issue(client, world, f"learner-{n}@example.org")
    assert StatusListRecord.objects.get().signed == signed
