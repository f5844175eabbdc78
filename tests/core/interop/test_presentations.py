"""Presentations across implementations: Digital Bazaar's ``vc.signPresentation`` (and LCW's
DIDAuth suite, ``Ed25519Signature2020``) verify with microcred, and microcred's presentations
verify with their ``vc.verifyPresentation``."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof
from microcred.credentials.keys import KeyPair
from microcred.credentials.presentation import build_presentation
from microcred.verify import StaticDidResolver, VerificationContext
from microcred.verify.presentation import MemoryReplayGuard, verify_presentation
from tests.core.interop.peer import NodePeer
from tests.core.verify.conftest import credential

HOLDER_SEED = bytes(range(32))
HOLDER = KeyPair.from_seed(HOLDER_SEED)
HOLDER_DID = did_key.did_for(HOLDER.public)
HOLDER_METHOD = did_key.verification_method_id(HOLDER.public)
CHALLENGE = "7f0c3d1e-interop-challenge"
DOMAIN = "verifier.example.org"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


@pytest.fixture(scope="module")
def mine(issuer_key: KeyPair, issuer_did: str, issuer_method: str) -> dict[str, Any]:
    """A microcred-signed credential whose subject is the holder."""
    document = credential(issuer_did)
    document["credentialSubject"]["id"] = HOLDER_DID
    return add_proof(document, issuer_key, issuer_method)


def ours(presentation: dict[str, Any], **options: Any) -> Any:
    options.setdefault("challenge", CHALLENGE)
    options.setdefault("domain", DOMAIN)
    return verify_presentation(
        presentation, VerificationContext(did_resolver=StaticDidResolver()), **options
    )


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_digital_bazaar_presentation_verifies_with_microcred(
    node_peer: NodePeer, mine: dict[str, Any], suite: str
) -> None:
    unsigned = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER_DID,
        "verifiableCredential": [mine],
    }
    signed = node_peer.sign_presentation(
        unsigned, suite, seed=HOLDER_SEED, challenge=CHALLENGE, domain=DOMAIN
    )
    assert signed["proof"]["proofPurpose"] == "authentication"
    result = ours(signed)
    assert result.verified, result.as_dict()
    assert result.credentials[0].verified
    # and microcred still tells their presentation apart from a replay or another verifier's
    assert ours(signed, challenge="other").check("challenge").reason == "wrong-challenge"
    assert ours(signed, domain="evil.example").check("domain").reason == "wrong-domain"


@pytest.mark.parametrize("context", [[V1], [V2]], ids=["vc1-didauth", "vc2"])
def test_ed25519_signature_2020_didauth_verifies_with_microcred(
    node_peer: NodePeer, context: list[str]
) -> None:
    """LCW's DIDAuth presentation: no credentials, Ed25519Signature2020 over a did:key."""
    unsigned = {"@context": context, "type": ["VerifiablePresentation"], "holder": HOLDER_DID}
    signed = node_peer.sign_presentation(
        unsigned, "Ed25519Signature2020", seed=HOLDER_SEED, challenge=CHALLENGE, domain=DOMAIN
    )
    assert signed["proof"]["type"] == "Ed25519Signature2020"
    assert ED25519_2020_CONTEXT in signed["@context"]
    guard = MemoryReplayGuard()
    result = ours(signed, replay_guard=guard)
    assert result.verified, result.as_dict()
    assert ours(signed, replay_guard=guard).check("challenge").reason == "challenge-replayed"
    tampered = copy.deepcopy(signed)
    tampered["holder"] = did_key.did_for(KeyPair.from_seed(bytes(32)).public)
    assert not ours(tampered).verified
    forged = copy.deepcopy(signed)
    forged["proof"]["challenge"] = "other"
    assert ours(forged, challenge="other").check("proof").reason == "bad-signature"


def test_ed25519_signature_2020_with_a_credential_verifies_with_microcred(
    node_peer: NodePeer, mine: dict[str, Any]
) -> None:
    unsigned = {
        "@context": [V2, ED25519_2020_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER_DID,
        "verifiableCredential": [mine],
    }
    signed = node_peer.sign_presentation(
        unsigned, "Ed25519Signature2020", seed=HOLDER_SEED, challenge=CHALLENGE, domain=DOMAIN
    )
    result = ours(signed)
    assert result.verified, result.as_dict()


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"])
def test_microcred_presentation_verifies_with_digital_bazaar(
    node_peer: NodePeer, mine: dict[str, Any], suite: str
) -> None:
    extra = [ED25519_2020_CONTEXT] if suite == "Ed25519Signature2020" else []
    presentation = build_presentation(
        [mine],
        HOLDER_DID,
        HOLDER,
        HOLDER_METHOD,
        challenge=CHALLENGE,
        domain=DOMAIN,
        cryptosuite=suite,
        extra_contexts=extra,
    )
    verified, error = node_peer.verify_presentation(
        presentation, challenge=CHALLENGE, domain=DOMAIN
    )
    assert verified, error
    wrong, _ = node_peer.verify_presentation(presentation, challenge="other", domain=DOMAIN)
    assert not wrong
