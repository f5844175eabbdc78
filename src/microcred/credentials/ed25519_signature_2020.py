"""The ``Ed25519Signature2020`` proof type: URDNA2015 (RDFC-1.0) N-Quads, SHA-256, Ed25519.

Why a legacy suite here: Learner Credential Wallet still signs its DIDAuth presentations with
it (``../shared/reference/wallets.md``), so a verifier or exchange that reads only
``eddsa-rdfc-2022`` cannot serve that wallet. Spec: https://w3c-ccg.github.io/lds-ed25519-2020/
(§ "Ed25519 Signature 2020"), as Digital Bazaar's ``@digitalbazaar/ed25519-signature-2020``
implements it on top of ``jsonld-signatures``: the proof options (the proof without
``proofValue``, given the document's ``@context``) and the document without its proof are each
canonicalised and hashed, and the 64 bytes ``sha256(options) || sha256(document)`` are signed.
The proof's terms come from ``https://w3id.org/security/suites/ed25519-2020/v1``, which the
document's ``@context`` must therefore include (the shipped copy; nothing is fetched). It is
the ``eddsa-rdfc-2022`` algorithm in older clothes, so the hashing and signing steps are reused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.credentials.eddsa_rdfc_2022 import hashing, proof_serialization, proof_verification
from microcred.credentials.errors import CredentialError, ProofGenerationError
from microcred.credentials.json_values import copy_object
from microcred.credentials.keys import KeyPair, PublicKey
from microcred.credentials.loader import ContextLoader
from microcred.credentials.multibase import decode_base58btc, encode_base58btc
from microcred.credentials.proof_options import as_list, require_valid_created
from microcred.credentials.proof_result import (
    BAD_SIGNATURE,
    CONTEXT_MISMATCH,
    MALFORMED_PROOF,
    OK,
    ProofResult,
)
from microcred.credentials.rdfc import canonical_nquads

#: The proof ``type`` (this suite has no ``cryptosuite`` member).
NAME = "Ed25519Signature2020"
SUITE_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


def _require_suite_context(document: Mapping[str, Any]) -> None:
    if SUITE_CONTEXT not in as_list(document.get("@context")):
        raise ProofGenerationError(f"an {NAME} proof needs the context {SUITE_CONTEXT} in @context")


def create_proof(
    unsecured_document: Mapping[str, Any],
    options: Mapping[str, Any],
    key: KeyPair,
    loader: ContextLoader,
) -> dict[str, Any]:
    """Sign ``unsecured_document`` with the proof ``options`` (``type`` is :data:`NAME`)."""
    _require_suite_context(unsecured_document)
    proof = {k: v for k, v in copy_object(options).items() if k != "cryptosuite"}
    if proof.get("type") != NAME:
        raise ProofGenerationError(f"proof options must have type {NAME!r}")
    hash_data = _hash(unsecured_document, proof, loader)
    proof["proofValue"] = encode_base58btc(proof_serialization(hash_data, key))
    return proof


def verify_proof(
    secured_document: Mapping[str, Any], public_key: PublicKey, loader: ContextLoader
) -> ProofResult:
    """Verify the document's ``Ed25519Signature2020`` proof with ``public_key``.

    Errors in the document (unknown context, undefined term) propagate as
    :class:`CredentialError`; the caller reports them.
    """
    unsecured_document = {k: v for k, v in secured_document.items() if k != "proof"}
    proof = secured_document["proof"]
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options:
        return ProofResult.failure(CONTEXT_MISMATCH, f"an {NAME} proof carries no @context")
    if SUITE_CONTEXT not in as_list(unsecured_document.get("@context")):
        return ProofResult.failure(
            CONTEXT_MISMATCH, f"the document's @context does not include {SUITE_CONTEXT}"
        )
    try:
        proof_bytes = decode_base58btc(proof.get("proofValue"))
    except CredentialError as error:
        return ProofResult.failure(MALFORMED_PROOF, f"proofValue: {error.message}")
    try:
        require_valid_created(options)
    except CredentialError as error:
        return ProofResult.failure(MALFORMED_PROOF, error.message)
    hash_data = _hash(unsecured_document, options, loader)
    if not proof_verification(hash_data, proof_bytes, public_key):
        return ProofResult.failure(BAD_SIGNATURE, "the signature does not match the document")
    return ProofResult(True, OK, "signature verified", unsecured_document, NAME)


def _hash(document: Mapping[str, Any], options: Mapping[str, Any], loader: ContextLoader) -> bytes:
    """``sha256(canonical options) || sha256(canonical document)`` (jsonld-signatures order)."""
    proof_config = copy_object(options)
    proof_config["@context"] = document.get("@context")
    return hashing(canonical_nquads(document, loader), canonical_nquads(proof_config, loader))
