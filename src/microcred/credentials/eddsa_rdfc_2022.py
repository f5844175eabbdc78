"""The ``eddsa-rdfc-2022`` cryptosuite: RDFC-1.0 canonical N-Quads, SHA-256, Ed25519.

One function per algorithm of the spec, in its order, each linking its section:
https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022. This is the suite OBv3 wallets verify.
Because it signs the RDF meaning of the document rather than its JSON bytes, the
transformation also checks the document strictly (allow-listed contexts, no undefined terms;
see :mod:`microcred.credentials.expansion`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from microcred.credentials.errors import CredentialError
from microcred.credentials.json_values import copy_object
from microcred.credentials.keys import KeyPair, PublicKey
from microcred.credentials.loader import ContextLoader
from microcred.credentials.multibase import decode_base58btc, encode_base58btc
from microcred.credentials.proof_options import (
    context_starts_with,
    require_suite,
    require_valid_created,
)
from microcred.credentials.proof_result import (
    BAD_SIGNATURE,
    CONTEXT_MISMATCH,
    MALFORMED_PROOF,
    OK,
    ProofResult,
)
from microcred.credentials.rdfc import canonical_nquads

NAME = "eddsa-rdfc-2022"


def create_proof(
    unsecured_document: Mapping[str, Any],
    options: Mapping[str, Any],
    key: KeyPair,
    loader: ContextLoader,
) -> dict[str, Any]:
    """Create Proof (eddsa-rdfc-2022).

    https://www.w3.org/TR/vc-di-eddsa/#create-proof-eddsa-rdfc-2022
    """
    proof = copy_object(options)
    proof_config = proof_configuration(unsecured_document, options, loader)
    transformed_data = transformation(unsecured_document, options, loader)
    hash_data = hashing(transformed_data, proof_config)
    proof_bytes = proof_serialization(hash_data, key)
    proof["proofValue"] = encode_base58btc(proof_bytes)
    return proof


def verify_proof(
    secured_document: Mapping[str, Any], public_key: PublicKey, loader: ContextLoader
) -> ProofResult:
    """Verify Proof (eddsa-rdfc-2022).

    https://www.w3.org/TR/vc-di-eddsa/#verify-proof-eddsa-rdfc-2022

    Errors in the document (unknown context, undefined term) propagate as
    :class:`CredentialError`; the caller reports them.
    """
    unsecured_document = {k: v for k, v in secured_document.items() if k != "proof"}
    proof_options = {k: v for k, v in secured_document["proof"].items() if k != "proofValue"}
    try:
        proof_bytes = decode_base58btc(secured_document["proof"].get("proofValue"))
    except CredentialError as error:
        return ProofResult.failure(MALFORMED_PROOF, f"proofValue: {error.message}")
    if "@context" in proof_options:
        if not context_starts_with(secured_document.get("@context"), proof_options["@context"]):
            return ProofResult.failure(
                CONTEXT_MISMATCH, "the document's @context does not start with the proof's"
            )
        unsecured_document["@context"] = proof_options["@context"]
    transformed_data = transformation(unsecured_document, proof_options, loader)
    proof_config = proof_configuration(unsecured_document, proof_options, loader)
    hash_data = hashing(transformed_data, proof_config)
    if not proof_verification(hash_data, proof_bytes, public_key):
        return ProofResult.failure(BAD_SIGNATURE, "the signature does not match the document")
    return ProofResult(True, OK, "signature verified", unsecured_document, NAME)


def transformation(
    unsecured_document: Mapping[str, Any], options: Mapping[str, Any], loader: ContextLoader
) -> str:
    """Transformation (eddsa-rdfc-2022).

    https://www.w3.org/TR/vc-di-eddsa/#transformation-eddsa-rdfc-2022
    """
    require_suite(options, NAME)
    return canonical_nquads(unsecured_document, loader)


def hashing(transformed_document: str, canonical_proof_config: str) -> bytes:
    """Hashing (eddsa-rdfc-2022).

    https://www.w3.org/TR/vc-di-eddsa/#hashing-eddsa-rdfc-2022

    SHA-256 of the proof configuration, then SHA-256 of the document: 64 bytes.
    """
    transformed_document_hash = hashlib.sha256(transformed_document.encode("utf-8")).digest()
    proof_config_hash = hashlib.sha256(canonical_proof_config.encode("utf-8")).digest()
    return proof_config_hash + transformed_document_hash


def proof_configuration(
    unsecured_document: Mapping[str, Any], options: Mapping[str, Any], loader: ContextLoader
) -> str:
    """Proof Configuration (eddsa-rdfc-2022).

    https://www.w3.org/TR/vc-di-eddsa/#proof-configuration-eddsa-rdfc-2022
    """
    proof_config = copy_object(options)
    require_suite(proof_config, NAME)
    require_valid_created(proof_config)
    proof_config["@context"] = unsecured_document.get("@context")
    return canonical_nquads(proof_config, loader)


def proof_serialization(hash_data: bytes, key: KeyPair) -> bytes:
    """Proof Serialization (eddsa-rdfc-2022).

    https://www.w3.org/TR/vc-di-eddsa/#proof-serialization-eddsa-rdfc-2022
    """
    return key.sign(hash_data)


def proof_verification(hash_data: bytes, proof_bytes: bytes, public_key: PublicKey) -> bool:
    """Proof Verification (eddsa-rdfc-2022).

    https://www.w3.org/TR/vc-di-eddsa/#proof-verification-eddsa-rdfc-2022
    """
    return public_key.verify(proof_bytes, hash_data)
