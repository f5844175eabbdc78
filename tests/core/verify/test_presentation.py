"""verify_presentation: a holder's presentation verifies, and each check catches its fault."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from microcred.verify.presentation import (
    PRESENTATION_CHECK_ORDER,
    MemoryReplayGuard,
    verify_presentation,
)
from tests.core.verify.conftest import Issuer, context_for, credential
from tests.core.verify.presentations import CHALLENGE, DOMAIN, Holder, issued_to

HOLDER = Holder()


def verify(presentation: Any, key_issuer: Issuer, **options: Any) -> Any:
    options.setdefault("challenge", CHALLENGE)
    options.setdefault("domain", DOMAIN)
    return verify_presentation(presentation, context_for(key_issuer), **options)


@pytest.fixture(scope="module")
def mine(key_issuer: Issuer) -> dict[str, Any]:
    return issued_to(key_issuer, HOLDER.did)


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_presentation_of_own_credential_verifies(
    key_issuer: Issuer, mine: dict[str, Any], suite: str
) -> None:
    presentation = HOLDER.present([mine], cryptosuite=suite)
    result = verify(presentation, key_issuer)
    assert result.verified, result.as_dict()
    assert [c.code for c in result.checks] == list(PRESENTATION_CHECK_ORDER)
    assert presentation["proof"]["proofPurpose"] == "authentication"
    assert len(result.credentials) == 1 and result.credentials[0].verified
    assert result.as_dict()["credentials"][0]["verified"] is True


def test_didauth_presentation_without_credentials_verifies(key_issuer: Issuer) -> None:
    result = verify(HOLDER.present([]), key_issuer)
    assert result.verified and result.check("credentials").details["count"] == 0


@pytest.mark.parametrize(
    ("options", "code", "reason"),
    [
        ({"challenge": "another"}, "challenge", "wrong-challenge"),
        ({"domain": "evil.example"}, "domain", "wrong-domain"),
    ],
)
def test_wrong_challenge_or_domain_is_refused(
    key_issuer: Issuer, mine: dict[str, Any], options: dict[str, str], code: str, reason: str
) -> None:
    result = verify(HOLDER.present([mine]), key_issuer, **options)
    assert not result.verified
    assert result.check(code).reason == reason
    assert result.check("proof").status == "ok"  # the signature itself holds


def test_missing_challenge_and_domain_in_proof(key_issuer: Issuer, mine: dict[str, Any]) -> None:
    presentation = HOLDER.present([mine], domain=None)
    assert verify(presentation, key_issuer).check("domain").reason == "missing-domain"


def test_no_expected_challenge_is_a_warning(key_issuer: Issuer, mine: dict[str, Any]) -> None:
    result = verify(HOLDER.present([mine]), key_issuer, challenge=None, domain=None)
    assert result.verified
    assert result.check("challenge").reason == "challenge-not-checked"
    assert result.check("domain").status == "skipped"


def test_replayed_presentation_is_refused(key_issuer: Issuer, mine: dict[str, Any]) -> None:
    guard = MemoryReplayGuard()
    presentation = HOLDER.present([mine])
    assert verify(presentation, key_issuer, replay_guard=guard).verified
    again = verify(presentation, key_issuer, replay_guard=guard)
    assert not again.verified and again.check("challenge").reason == "challenge-replayed"


def test_forged_presentation_does_not_use_up_the_challenge(
    key_issuer: Issuer, mine: dict[str, Any]
) -> None:
    guard = MemoryReplayGuard()
    forged = HOLDER.present([mine])
    forged["proof"]["proofValue"] = HOLDER.present([])["proof"]["proofValue"]
    assert verify(forged, key_issuer, replay_guard=guard).check("proof").reason == "bad-signature"
    assert verify(HOLDER.present([mine]), key_issuer, replay_guard=guard).verified


def test_holder_not_subject(key_issuer: Issuer) -> None:
    someone_else = issued_to(key_issuer, Holder(8).did)
    result = verify(HOLDER.present([someone_else]), key_issuer)
    assert not result.verified
    assert result.check("holder").reason == "holder-not-subject"
    assert result.credentials[0].verified  # the credential itself is fine


def test_credential_without_subject_id_is_accepted(key_issuer: Issuer) -> None:
    anonymous = key_issuer.sign(credential(key_issuer.did))
    assert verify(HOLDER.present([anonymous]), key_issuer).verified


def test_tampered_credential_inside_fails_credentials_check(
    key_issuer: Issuer, mine: dict[str, Any]
) -> None:
    tampered = copy.deepcopy(mine)
    tampered["name"] = "Something else entirely"
    result = verify(HOLDER.present([mine, tampered]), key_issuer)
    assert not result.verified
    assert result.check("proof").status == "ok"  # the holder signed what was tampered
    assert result.check("credentials").reason == "credential-not-verified"
    assert result.check("credentials").details["failed"] == [1]
    assert result.credentials[1].check("proof").reason == "bad-signature"


def test_tampered_presentation_fails_proof(key_issuer: Issuer, mine: dict[str, Any]) -> None:
    presentation = HOLDER.present([mine])
    presentation["verifiableCredential"].append(issued_to(key_issuer, HOLDER.did, name="Other"))
    assert verify(presentation, key_issuer).check("proof").reason == "bad-signature"


def test_key_of_someone_else_is_not_the_holders(key_issuer: Issuer, mine: dict[str, Any]) -> None:
    presentation = HOLDER.present([mine])
    presentation["holder"] = Holder(9).did
    assert verify(presentation, key_issuer).check("proof").reason == (
        "verification-method-not-holder"
    )


def test_assertion_purpose_is_refused(key_issuer: Issuer, mine: dict[str, Any]) -> None:
    presentation = HOLDER.present([mine])
    presentation["proof"]["proofPurpose"] = "assertionMethod"
    assert verify(presentation, key_issuer).check("proof").reason == "wrong-proof-purpose"


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"created": "2026-03-01T13:00:00Z"}, "proof-created-in-future"),
        ({"expires": "2026-03-01T11:59:30Z"}, "proof-expired"),
    ],
)
def test_proof_times_must_be_sane(
    key_issuer: Issuer, mine: dict[str, Any], options: dict[str, str], reason: str
) -> None:
    result = verify(HOLDER.present([mine], **options), key_issuer)
    assert result.check("proof").reason == reason


def test_max_age(key_issuer: Issuer, mine: dict[str, Any]) -> None:
    presentation = HOLDER.present([mine], created="2026-03-01T10:00:00Z")
    assert verify(presentation, key_issuer).verified
    old = verify(presentation, key_issuer, max_age=timedelta(minutes=10))
    assert old.check("proof").reason == "proof-too-old"
