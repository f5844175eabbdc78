"""Ed25519Signature2020 presentations (Learner Credential Wallet's DIDAuth) verify.

The signatures are made here with microcred's own implementation; the interop test
(tests/core/interop/test_presentations.py) checks the same against Digital Bazaar's library.
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred.credentials.data_integrity import AUTHENTICATION, add_proof, verify_proof
from microcred.credentials.did_key import resolve_verification_key
from microcred.credentials.ed25519_signature_2020 import NAME, SUITE_CONTEXT
from microcred.credentials.errors import ProofGenerationError
from microcred.verify.presentation import verify_presentation
from tests.core.verify.conftest import Issuer, context_for
from tests.core.verify.presentations import CHALLENGE, CREATED, DOMAIN, Holder, issued_to

HOLDER = Holder()
V1 = "https://www.w3.org/2018/credentials/v1"


def didauth(context: list[str] | None = None) -> dict[str, Any]:
    unsigned = {
        "@context": context or [V1, SUITE_CONTEXT],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.did,
    }
    return add_proof(
        unsigned,
        HOLDER.key,
        HOLDER.method,
        cryptosuite=NAME,
        created=CREATED,
        proof_purpose=AUTHENTICATION,
        challenge=CHALLENGE,
        domain=DOMAIN,
    )


def test_lcw_style_didauth_verifies(key_issuer: Issuer) -> None:
    presentation = didauth()
    assert presentation["proof"]["type"] == NAME and "cryptosuite" not in presentation["proof"]
    result = verify_presentation(
        presentation, context_for(key_issuer), challenge=CHALLENGE, domain=DOMAIN
    )
    assert result.verified, result.as_dict()
    assert result.check("proof").details["suite"] == NAME


def test_vc2_presentation_with_the_2020_suite_verifies(key_issuer: Issuer) -> None:
    mine = issued_to(key_issuer, HOLDER.did)
    presentation = HOLDER.present([mine], cryptosuite=NAME, extra_contexts=[SUITE_CONTEXT])
    result = verify_presentation(
        presentation, context_for(key_issuer), challenge=CHALLENGE, domain=DOMAIN
    )
    assert result.verified, result.as_dict()


def test_changed_challenge_breaks_the_signature(key_issuer: Issuer) -> None:
    presentation = didauth()
    presentation["proof"]["challenge"] = "other"
    result = verify_presentation(presentation, context_for(key_issuer), challenge="other")
    assert result.check("proof").reason == "bad-signature"


def test_suite_context_is_required() -> None:
    with pytest.raises(ProofGenerationError):
        didauth([V1])
    presentation = didauth()
    presentation["@context"] = [V1]
    result = verify_proof(
        presentation, resolve_verification_key, None, AUTHENTICATION, accept_legacy=True
    )
    assert result.code == "context-mismatch"


def test_credentials_do_not_accept_the_legacy_suite() -> None:
    result = verify_proof(didauth(), resolve_verification_key, None, AUTHENTICATION)
    assert result.code == "wrong-proof-type"
