"""add_proof / verify_proof: W3C and 1EdTech vectors, and tampered copies rejected by reason."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof, verify_proof
from microcred.credentials.errors import (
    ContextNotAllowed,
    ProofGenerationError,
    UndefinedTerm,
)
from microcred.credentials.keys import KeyPair, PublicKey
from microcred.credentials.loader import ContextLoader
from tests.core.credentials.conftest import (
    W3C_CREATED,
    W3C_VERIFICATION_METHOD,
    fixture_json,
)

SIGNED = {
    "eddsa-rdfc-2022": ("w3c-eddsa-vectors", "eddsa-rdfc-2022", "signedDataInt.json"),
    "eddsa-jcs-2022": ("w3c-eddsa-vectors", "eddsa-jcs-2022", "signedJCS.json"),
}
SUITES = sorted(SIGNED)


def obv3_key(verification_method: str, proof_purpose: str) -> PublicKey:
    """The 1EdTech vector names its key by an https URL whose fragment is the Multikey."""
    _, _, fragment = verification_method.partition("#")
    return did_key.public_key_of("did:key:" + fragment)


@pytest.mark.parametrize("cryptosuite", SUITES)
def test_add_proof_reproduces_w3c_signed_vector(
    cryptosuite: str,
    unsigned_w3c: dict[str, Any],
    w3c_key: KeyPair,
    examples_loader: ContextLoader,
) -> None:
    signed = add_proof(
        unsigned_w3c,
        w3c_key,
        W3C_VERIFICATION_METHOD,
        cryptosuite=cryptosuite,
        created=W3C_CREATED,
        loader=examples_loader,
    )
    assert signed == fixture_json(*SIGNED[cryptosuite])
    assert "proof" not in unsigned_w3c


@pytest.mark.parametrize("cryptosuite", SUITES)
def test_w3c_signed_vector_verifies_with_did_key(
    cryptosuite: str, examples_loader: ContextLoader
) -> None:
    signed = fixture_json(*SIGNED[cryptosuite])
    result = verify_proof(signed, did_key.resolve_verification_key, loader=examples_loader)
    assert result.verified, result
    assert result.code == "ok"
    assert result.cryptosuite == cryptosuite
    assert result.verification_method == W3C_VERIFICATION_METHOD


def test_obv3_vector_verifies(signed_obv3: dict[str, Any]) -> None:
    result = verify_proof(signed_obv3, obv3_key)
    assert result.verified, result
    assert result.verified_document is not None
    assert result.verified_document["name"] == "Teamwork Badge"


# --- tampered copies ---------------------------------------------------------------------


def test_changed_field_is_a_bad_signature(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["credentialSubject"]["achievement"]["name"] = "Leadership"
    result = verify_proof(signed_obv3, obv3_key)
    assert (result.verified, result.code) == (False, "bad-signature")


@pytest.mark.parametrize("cryptosuite", SUITES)
def test_changed_field_fails_for_each_suite(
    cryptosuite: str, examples_loader: ContextLoader
) -> None:
    signed = fixture_json(*SIGNED[cryptosuite])
    signed["credentialSubject"]["alumniOf"] = "The School of Forgery"
    result = verify_proof(signed, did_key.resolve_verification_key, loader=examples_loader)
    assert (result.verified, result.code) == (False, "bad-signature")


def test_moved_proof_is_a_bad_signature(
    signed_obv3: dict[str, Any], examples_loader: ContextLoader
) -> None:
    other = fixture_json("w3c-eddsa-vectors", "unsigned.json")
    other["proof"] = signed_obv3["proof"]
    result = verify_proof(other, obv3_key, loader=examples_loader)
    assert result.code == "bad-signature"


def test_swapped_key_is_a_bad_signature(signed_obv3: dict[str, Any]) -> None:
    stranger = KeyPair.generate().public
    result = verify_proof(signed_obv3, lambda method, purpose: stranger)
    assert result.code == "bad-signature"


def test_swapped_verification_method_is_a_bad_signature(examples_loader: ContextLoader) -> None:
    signed = fixture_json(*SIGNED["eddsa-rdfc-2022"])
    signed["proof"]["verificationMethod"] = did_key.verification_method_id(
        KeyPair.generate().public
    )
    result = verify_proof(signed, did_key.resolve_verification_key, loader=examples_loader)
    assert result.code == "bad-signature"


def test_unknown_cryptosuite(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    result = verify_proof(signed_obv3, obv3_key)
    assert (result.verified, result.code) == (False, "unknown-cryptosuite")
    assert "ecdsa-rdfc-2019" in result.message


def test_unknown_context_url(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["@context"].append("https://evil.example/context.jsonld")
    result = verify_proof(signed_obv3, obv3_key)
    assert (result.verified, result.code) == (False, "context-not-allowed")
    assert "https://evil.example/context.jsonld" in result.message


def test_w3c_vector_needs_the_examples_context_allowed() -> None:
    signed = fixture_json(*SIGNED["eddsa-jcs-2022"])
    result = verify_proof(signed, did_key.resolve_verification_key)
    assert result.code == "context-not-allowed"


def test_undefined_term(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["credentialSubject"]["secretGrade"] = "A+"
    result = verify_proof(signed_obv3, obv3_key)
    assert (result.verified, result.code) == (False, "undefined-term")
    assert "secretGrade" in result.message


def test_undefined_term_is_caught_for_jcs_too(
    w3c_key: KeyPair, signed_obv3: dict[str, Any]
) -> None:
    # (the W3C examples context has an @vocab, so the OBv3 document is used here)
    del signed_obv3["proof"]
    signed = add_proof(signed_obv3, w3c_key, W3C_VERIFICATION_METHOD, cryptosuite="eddsa-jcs-2022")
    signed["unsignedExtra"] = "x"
    result = verify_proof(signed, did_key.resolve_verification_key)
    assert result.code == "undefined-term"


@pytest.mark.parametrize("fast", [True, False])
def test_undefined_term_in_a_jcs_proof_is_caught(
    w3c_key: KeyPair, signed_obv3: dict[str, Any], fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcred.credentials import rdfc

    monkeypatch.setattr(rdfc, "USE_FAST_PATH", fast)
    del signed_obv3["proof"]
    signed = add_proof(signed_obv3, w3c_key, W3C_VERIFICATION_METHOD, cryptosuite="eddsa-jcs-2022")
    assert signed["proof"]["@context"] == signed["@context"]  # the split policy check applies
    assert verify_proof(signed, did_key.resolve_verification_key).verified
    signed["proof"]["smuggled"] = "x"
    result = verify_proof(signed, did_key.resolve_verification_key)
    assert result.code == "undefined-term"


def test_missing_proof(signed_obv3: dict[str, Any]) -> None:
    del signed_obv3["proof"]
    assert verify_proof(signed_obv3, obv3_key).code == "missing-proof"


def test_wrong_proof_type(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["proof"]["type"] = "Ed25519Signature2020"
    assert verify_proof(signed_obv3, obv3_key).code == "wrong-proof-type"


def test_wrong_proof_purpose(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["proof"]["proofPurpose"] = "authentication"
    assert verify_proof(signed_obv3, obv3_key).code == "wrong-proof-purpose"


@pytest.mark.parametrize("missing", ["verificationMethod", "proofValue", "proofPurpose"])
def test_malformed_proof(signed_obv3: dict[str, Any], missing: str) -> None:
    del signed_obv3["proof"][missing]
    assert verify_proof(signed_obv3, obv3_key).code == "malformed-proof"


def test_proof_value_not_base58btc(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["proof"]["proofValue"] = "u" + signed_obv3["proof"]["proofValue"][1:]
    assert verify_proof(signed_obv3, obv3_key).code == "malformed-proof"


def test_proof_set_is_reported_not_crashed(signed_obv3: dict[str, Any]) -> None:
    signed_obv3["proof"] = [signed_obv3["proof"], signed_obv3["proof"]]
    assert verify_proof(signed_obv3, obv3_key).code == "unsupported-proof-set"


@pytest.mark.parametrize("cryptosuite", SUITES)
def test_context_mismatch_between_proof_and_document(
    cryptosuite: str, examples_loader: ContextLoader
) -> None:
    signed = fixture_json(*SIGNED[cryptosuite])
    signed["proof"]["@context"] = ["https://www.w3.org/ns/credentials/examples/v2"]
    result = verify_proof(signed, did_key.resolve_verification_key, loader=examples_loader)
    assert (result.verified, result.code) == (False, "context-mismatch")


def test_unresolvable_key_is_reported(signed_obv3: dict[str, Any]) -> None:
    result = verify_proof(signed_obv3, did_key.resolve_verification_key)
    assert (result.verified, result.code) == (False, "did-resolution-failed")


def test_not_an_object() -> None:
    result = verify_proof([1, 2], obv3_key)  # type: ignore[arg-type]
    assert result.code == "malformed-proof"


# --- signing errors ---------------------------------------------------------------------


def test_signing_refuses_undefined_term(w3c_key: KeyPair, signed_obv3: dict[str, Any]) -> None:
    del signed_obv3["proof"]
    signed_obv3["favouriteColour"] = "blue"
    for cryptosuite in SUITES:
        with pytest.raises(UndefinedTerm, match="favouriteColour"):
            add_proof(signed_obv3, w3c_key, W3C_VERIFICATION_METHOD, cryptosuite=cryptosuite)


def test_signing_refuses_unknown_context(w3c_key: KeyPair, unsigned_w3c: dict[str, Any]) -> None:
    with pytest.raises(ContextNotAllowed):
        add_proof(unsigned_w3c, w3c_key, W3C_VERIFICATION_METHOD)


def test_signing_refuses_unknown_cryptosuite(
    w3c_key: KeyPair, unsigned_w3c: dict[str, Any]
) -> None:
    with pytest.raises(ProofGenerationError, match="unknown cryptosuite"):
        add_proof(unsigned_w3c, w3c_key, W3C_VERIFICATION_METHOD, cryptosuite="rsa-2048")


def test_signing_refuses_bad_created(
    w3c_key: KeyPair, unsigned_w3c: dict[str, Any], examples_loader: ContextLoader
) -> None:
    with pytest.raises(ProofGenerationError, match="created"):
        add_proof(
            unsigned_w3c,
            w3c_key,
            W3C_VERIFICATION_METHOD,
            created="yesterday",
            loader=examples_loader,
        )


def test_signing_refuses_an_already_signed_document(
    w3c_key: KeyPair, signed_obv3: dict[str, Any]
) -> None:
    with pytest.raises(ProofGenerationError, match="already has a proof"):
        add_proof(signed_obv3, w3c_key, W3C_VERIFICATION_METHOD)


def test_created_defaults_to_now(w3c_key: KeyPair, signed_obv3: dict[str, Any]) -> None:
    document = copy.deepcopy(signed_obv3)
    del document["proof"]
    signed = add_proof(document, w3c_key, W3C_VERIFICATION_METHOD)
    assert signed["proof"]["created"].endswith("Z")
    assert verify_proof(signed, did_key.resolve_verification_key).verified
