"""The proof and issuer checks: did:key and did:web issuers, key rotation over time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred.verify import CHECK_ORDER, Status, VerificationContext, verify_credential
from tests.core.verify.conftest import NOW, Issuer, context_for, credential


def statuses(result: Any) -> dict[str, str]:
    return {check.code: check.status.value for check in result.checks}


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_did_key_credential_verifies(key_issuer: Issuer, cryptosuite: str) -> None:
    signed = key_issuer.sign(credential(key_issuer.did), cryptosuite=cryptosuite)
    result = verify_credential(json.dumps(signed).encode(), VerificationContext(now=NOW))
    assert result.verified, result.as_dict()
    assert [check.code for check in result.checks] == list(CHECK_ORDER)
    assert statuses(result) == {
        "format": "ok",
        "proof": "ok",
        "issuer": "ok",
        "status": "skipped",  # no credentialStatus
        "validity": "ok",
        "qa": "skipped",  # no register given
        "annex1": statuses(result)["annex1"],
    }
    assert cryptosuite in result.check("proof").message
    assert result.document == signed


def test_accepts_parsed_mapping_and_text(signed: dict[str, Any]) -> None:
    ctx = VerificationContext(now=NOW)
    assert verify_credential(signed, ctx).verified
    assert verify_credential(json.dumps(signed), ctx).verified


def test_result_json_shape(signed: dict[str, Any]) -> None:
    out = verify_credential(signed, VerificationContext(now=NOW)).as_dict()
    assert set(out) == {"verified", "outcome", "checks"}
    assert (out["verified"], out["outcome"]) == (True, "verified")
    assert out["checks"][0] == {
        "code": "format",
        "status": "ok",
        "message": "a VC 2.0 credential (VerifiableCredential, OpenBadgeCredential)",
        "details": {"types": ["VerifiableCredential", "OpenBadgeCredential"]},
    }
    json.dumps(out)  # serialisable as is


# --- did:web with a rotated key ---------------------------------------------------------


def test_did_web_current_key_verifies(web_issuer: Issuer) -> None:
    signed = web_issuer.sign(credential(web_issuer.did), created="2025-06-30T12:00:00Z")
    result = verify_credential(signed, context_for(web_issuer))
    assert result.verified, result.as_dict()
    assert result.check("issuer").details["verificationMethod"].endswith("#key-2")


def test_did_web_old_key_before_retirement_still_verifies(web_issuer: Issuer) -> None:
    """Signed with key-1 in 2024, verified in 2026 after the 2025 rotation."""
    signed = web_issuer.sign(
        credential(web_issuer.did, validFrom="2024-06-30T12:00:00Z"),
        created="2024-06-30T12:00:00Z",
        old=True,
    )
    result = verify_credential(signed, context_for(web_issuer))
    assert result.verified, result.as_dict()


def test_did_web_old_key_after_retirement_is_refused(web_issuer: Issuer) -> None:
    signed = web_issuer.sign(credential(web_issuer.did), created="2025-06-30T12:00:00Z", old=True)
    result = verify_credential(signed, context_for(web_issuer))
    assert not result.verified
    issuer = result.check("issuer")
    assert issuer.status is Status.ERROR and issuer.reason == "key-revoked"
    assert "retired at 2025-01-01T00:00:00Z" in issuer.message
    assert result.check("proof").status is Status.OK  # the signature itself holds
    assert result.check("status").status is Status.SKIPPED


def test_did_web_proof_before_key_existed_is_refused(web_issuer: Issuer) -> None:
    """The new key (created 2025-01-01) cannot have signed in 2024: a backdated forgery."""
    signed = web_issuer.sign(
        credential(web_issuer.did, validFrom="2024-06-30T12:00:00Z"),
        created="2024-06-30T12:00:00Z",
    )
    result = verify_credential(signed, context_for(web_issuer))
    assert not result.verified
    assert result.check("issuer").reason == "key-not-yet-created"


def test_did_web_unresolvable_without_its_document(web_issuer: Issuer) -> None:
    signed = web_issuer.sign(credential(web_issuer.did))
    result = verify_credential(signed, VerificationContext(now=NOW))
    assert not result.verified
    assert result.check("issuer").reason == "did-resolution-failed"
    assert result.check("proof").status is Status.SKIPPED
    assert "network" in result.check("issuer").message


def test_did_web_proof_in_the_future_is_refused(web_issuer: Issuer) -> None:
    signed = web_issuer.sign(credential(web_issuer.did), created="2026-03-02T12:00:00Z")
    result = verify_credential(signed, context_for(web_issuer))
    assert result.check("issuer").reason == "proof-created-in-future"


class BrokenResolver:
    def resolve(self, did: str) -> Any:
        raise RuntimeError("database is down")


class BrokenRegister:
    def lookup(self, issuer: str) -> Any:
        raise RuntimeError("database is down")


def test_unexpected_failures_become_error_checks(signed: dict[str, Any]) -> None:
    """A failing resolver gives a coded error, never a crash and never "verified"."""
    result = verify_credential(signed, VerificationContext(did_resolver=BrokenResolver(), now=NOW))
    assert not result.verified
    assert result.check("proof").reason == "internal-error"
    assert "RuntimeError" in result.check("proof").message
    assert [check.code for check in result.checks] == list(CHECK_ORDER)
    result = verify_credential(signed, VerificationContext(qa_register=BrokenRegister(), now=NOW))
    assert not result.verified and result.check("qa").reason == "internal-error"
