"""Hostile input: every case is refused with a specific reason, never a crash, never "verified"."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from microcred.verify import CHECK_ORDER, Status, VerificationContext, verify_credential
from tests.core.verify.conftest import (
    NOW,
    V2_CONTEXT,
    Issuer,
    context_for,
    credential,
    did_key_issuer,
)

CTX = VerificationContext(now=NOW)


def refused(data: Any, code: str, reason: str, ctx: VerificationContext = CTX) -> None:
    result = verify_credential(data, ctx)
    assert not result.verified
    check = result.check(code)
    assert check.status is Status.ERROR, result.as_dict()
    assert check.reason == reason, result.as_dict()
    assert check.message
    json.dumps(result.as_dict())


def format_refused(data: Any, reason: str) -> None:
    refused(data, "format", reason)
    result = verify_credential(data, CTX)
    assert [c.code for c in result.checks] == list(CHECK_ORDER)
    assert all(c.status is Status.SKIPPED for c in result.checks[1:])
    assert result.document is None or result.check("format").reason


# --- tampering ----------------------------------------------------------------------------


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_changed_field(key_issuer: Issuer, cryptosuite: str) -> None:
    signed = key_issuer.sign(credential(key_issuer.did), cryptosuite=cryptosuite)
    signed["credentialSubject"]["achievement"]["name"] = "Quantum Physics (PhD)"
    refused(signed, "proof", "bad-signature")


def test_changed_validity(signed: dict[str, Any]) -> None:
    signed["validFrom"] = "2025-06-30T12:00:01Z"
    refused(signed, "proof", "bad-signature")


def test_added_undefined_term(signed: dict[str, Any]) -> None:
    """A term the contexts do not define would escape the signature: refused outright."""
    signed["grade"] = "A+"
    refused(signed, "proof", "undefined-term")


def test_moved_proof_to_another_credential(key_issuer: Issuer, signed: dict[str, Any]) -> None:
    other = credential(key_issuer.did, id="urn:uuid:00000000-0000-4000-8000-000000000000")
    other["proof"] = signed["proof"]
    refused(other, "proof", "bad-signature")


def test_moved_proof_inside_the_document(signed: dict[str, Any]) -> None:
    signed["credentialSubject"]["proof"] = signed.pop("proof")
    refused(signed, "proof", "missing-proof")


def test_swapped_key_of_another_issuer(signed: dict[str, Any]) -> None:
    """The proof claims the key of someone who is not the issuer."""
    other = did_key_issuer(2)
    signed["proof"]["verificationMethod"] = other.method
    refused(signed, "proof", "verification-method-not-issuer")


def test_swapped_issuer_and_key(signed: dict[str, Any]) -> None:
    """Re-attributing a credential to another issuer breaks the signature."""
    other = did_key_issuer(3)
    signed["issuer"]["id"] = other.did
    signed["proof"]["verificationMethod"] = other.method
    refused(signed, "proof", "bad-signature")


def test_swapped_key_within_the_issuer(web_issuer: Issuer) -> None:
    """Signed with key-2, claimed as key-1 (its other, retired key)."""
    signed = web_issuer.sign(
        credential(web_issuer.did, validFrom="2024-06-30T12:00:00Z"),
        created="2024-06-30T12:00:00Z",
        old=False,
    )
    assert web_issuer.old_method is not None
    signed["proof"]["verificationMethod"] = web_issuer.old_method
    refused(signed, "proof", "bad-signature", context_for(web_issuer))


def test_signed_by_a_stranger_with_the_issuers_key_id(key_issuer: Issuer) -> None:
    stranger = did_key_issuer(4)
    forged = stranger.sign(credential(key_issuer.did))  # signs with its own key
    forged["proof"]["verificationMethod"] = key_issuer.method
    refused(forged, "proof", "bad-signature")


def test_credential_from_before_the_key_existed(web_issuer: Issuer) -> None:
    signed = web_issuer.sign(credential(web_issuer.did), created="2023-06-30T12:00:00Z")
    refused(signed, "issuer", "key-not-yet-created", context_for(web_issuer))


# --- the proof itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "unknown-cryptosuite"),
        ({"cryptosuite": "eddsa-2022"}, "unknown-cryptosuite"),
        ({"type": "Ed25519Signature2020"}, "wrong-proof-type"),
        ({"proofPurpose": "authentication"}, "wrong-proof-purpose"),
        ({"proofValue": None}, "malformed-proof"),
        ({"verificationMethod": 42}, "malformed-proof"),
        ({"created": "last tuesday"}, "malformed-proof"),
        ({"expires": "2026-01-01T00:00:00Z"}, "proof-expired"),
        ({"proofValue": "z" + "1" * 88}, "bad-signature"),
    ],
)
def test_bad_proofs(signed: dict[str, Any], change: dict[str, Any], reason: str) -> None:
    for name, value in change.items():
        if value is None:
            signed["proof"].pop(name)
        else:
            signed["proof"][name] = value
    refused(signed, "proof", reason)


def test_proof_set_and_non_object_proof(signed: dict[str, Any]) -> None:
    proof = signed["proof"]
    refused({**signed, "proof": [proof, proof]}, "proof", "unsupported-proof-set")
    refused({**signed, "proof": "signed, honest"}, "proof", "malformed-proof")


def test_missing_proof(key_issuer: Issuer) -> None:
    refused(credential(key_issuer.did), "proof", "missing-proof")


# --- format -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not json at all", "not-json"),
        (b"", "not-json"),
        (b"\xff\xfe{}", "not-json"),
        (b'{"a": 1,}', "not-json"),
        (b"[1, 2, 3]", "not-an-object"),
        (b'"a string"', "not-an-object"),
        (b"null", "not-an-object"),
    ],
)
def test_not_a_json_object(data: bytes, reason: str) -> None:
    format_refused(data, reason)


def test_unknown_context(signed: dict[str, Any]) -> None:
    signed["@context"].append("https://evil.example/context.jsonld")
    format_refused(signed, "context-not-allowed")


def test_inline_context(signed: dict[str, Any]) -> None:
    signed["@context"].append({"name": "https://evil.example/name"})
    format_refused(signed, "context-not-allowed")


@pytest.mark.parametrize(
    "contexts",
    [
        ["https://www.w3.org/2018/credentials/v1"],
        ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", V2_CONTEXT],
        [],
        "https://evil.example/",
    ],
)
def test_not_vc2(signed: dict[str, Any], contexts: Any) -> None:
    signed["@context"] = contexts
    format_refused(signed, "not-vc2")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": ["OpenBadgeCredential"]}, "not-a-credential"),
        ({"type": None}, "not-a-credential"),
        ({"issuer": None}, "missing-issuer"),
        ({"issuer": {"name": "nobody"}}, "missing-issuer"),
        ({"issuer": 7}, "missing-issuer"),
        ({"credentialSubject": None}, "missing-subject"),
    ],
)
def test_not_a_credential(signed: dict[str, Any], change: dict[str, Any], reason: str) -> None:
    for name, value in change.items():
        if value is None:
            signed.pop(name)
        else:
            signed[name] = value
    format_refused(signed, reason)


def test_deeply_nested_bytes() -> None:
    for depth in (40, 100_000):
        data = b'{"a":' * depth + b"1" + b"}" * depth
        result = verify_credential(data, CTX)
        assert result.check("format").reason in {"document-too-deep", "not-json"}
        assert not result.verified


def test_deeply_nested_mapping(signed: dict[str, Any]) -> None:
    """A parsed object 100,000 levels deep is measured without recursion."""
    node: dict[str, Any] = {}
    signed["credentialSubject"]["x"] = node
    for _ in range(100_000):
        node["x"] = {}
        node = node["x"]
    format_refused(signed, "document-too-deep")


def test_huge_bytes(signed: dict[str, Any]) -> None:
    signed["description"] = "x" * (3 * 1024 * 1024)
    format_refused(json.dumps(signed).encode(), "document-too-large")
    format_refused(signed, "document-too-large")


def test_too_many_values(signed: dict[str, Any]) -> None:
    signed["credentialSubject"]["tags"] = [0] * 200_000
    format_refused(signed, "document-too-large")


def test_not_json_values_in_a_mapping(signed: dict[str, Any]) -> None:
    signed["name"] = {1, 2}
    format_refused(signed, "not-json")


def test_tampering_never_mutates_the_input(signed: dict[str, Any]) -> None:
    before = copy.deepcopy(signed)
    verify_credential(signed, CTX)
    assert signed == before
