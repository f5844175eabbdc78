"""The ``eddsa-jcs-2022`` cryptosuite: JSON Canonicalization Scheme, SHA-256, Ed25519.

One function per algorithm of the spec, in its order, each linking its section:
https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022. JCS (RFC 8785) comes from ``rfc8785``.
The suite signs JSON bytes, not RDF, so by itself it needs no JSON-LD processing; microcred
still applies its JSON-LD policy (:mod:`microcred.credentials.json_ld_policy`) to the two
documents the suite canonicalises, the unsecured document and the proof configuration,
right where it canonicalises them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785

from microcred.credentials import json_ld_policy
from microcred.credentials.errors import CredentialError, InvalidJsonLd
from microcred.credentials.jcs import canonical_json
from microcred.credentials.json_values import copy_object, json_copy
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

NAME = "eddsa-jcs-2022"


def _jcs(value: Any, known_plain: bool = False) -> bytes:
    try:
        canonical = canonical_json(value, known_plain)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as error:
        raise InvalidJsonLd(f"cannot canonicalise as JSON (RFC 8785): {error}") from error
    return canonical


def _checked_jcs(document: dict[str, Any], loader: ContextLoader) -> bytes:
    """JCS of a document that passes the JSON-LD policy (which also tells whether it is plain
    JSON, so that JCS need not walk it again)."""
    return _jcs(document, json_ld_policy.check(document, loader))


def create_proof(
    unsecured_document: Mapping[str, Any],
    options: Mapping[str, Any],
    key: KeyPair,
    loader: ContextLoader,
) -> dict[str, Any]:
    """Create Proof (eddsa-jcs-2022).

    https://www.w3.org/TR/vc-di-eddsa/#create-proof-eddsa-jcs-2022 -- step 2 copies the
    document's ``@context`` into the proof, so the proof can later join a proof set.
    """
    proof = copy_object(options)
    if "@context" in unsecured_document:
        proof["@context"] = json_copy(unsecured_document["@context"])
    proof_config = proof_configuration(proof, loader, unsecured_document.get("@context"))
    transformed_data = transformation(unsecured_document, options, loader)
    hash_data = hashing(transformed_data, proof_config)
    proof_bytes = proof_serialization(hash_data, key)
    proof["proofValue"] = encode_base58btc(proof_bytes)
    return proof


def verify_proof(
    secured_document: Mapping[str, Any], public_key: PublicKey, loader: ContextLoader
) -> ProofResult:
    """Verify Proof (eddsa-jcs-2022).

    https://www.w3.org/TR/vc-di-eddsa/#verify-proof-eddsa-jcs-2022
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
        if unsecured_document.get("@context") != proof_options["@context"]:
            # contexts added after signing: the policy holds for what readers will see too
            json_ld_policy.check(unsecured_document, loader)
        unsecured_document["@context"] = proof_options["@context"]
    transformed_data = transformation(unsecured_document, proof_options, loader)
    proof_config = proof_configuration(proof_options, loader, unsecured_document.get("@context"))
    hash_data = hashing(transformed_data, proof_config)
    if not proof_verification(hash_data, proof_bytes, public_key):
        return ProofResult.failure(BAD_SIGNATURE, "the signature does not match the document")
    return ProofResult(True, OK, "signature verified", unsecured_document, NAME)


def transformation(
    unsecured_document: Mapping[str, Any], options: Mapping[str, Any], loader: ContextLoader
) -> bytes:
    """Transformation (eddsa-jcs-2022), after microcred's JSON-LD policy check.

    https://www.w3.org/TR/vc-di-eddsa/#transformation-eddsa-jcs-2022
    """
    require_suite(options, NAME)
    document = unsecured_document
    return _checked_jcs(document if type(document) is dict else dict(document), loader)


def hashing(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """Hashing (eddsa-jcs-2022): SHA-256 of proof configuration, then of the document.

    https://www.w3.org/TR/vc-di-eddsa/#hashing-eddsa-jcs-2022
    """
    transformed_document_hash = hashlib.sha256(transformed_document).digest()
    proof_config_hash = hashlib.sha256(canonical_proof_config).digest()
    return proof_config_hash + transformed_document_hash


def proof_configuration(
    options: Mapping[str, Any], loader: ContextLoader, document_context: Any = None
) -> bytes:
    """Proof Configuration (eddsa-jcs-2022), after microcred's JSON-LD policy check.

    https://www.w3.org/TR/vc-di-eddsa/#proof-configuration-eddsa-jcs-2022 -- a proof without
    its own ``@context`` is read in the document's (``document_context``), as a JSON-LD
    processor reads it inside the document.
    """
    # read only: nothing below changes it, so the caller's options need no copy
    proof_config = options if type(options) is dict else dict(options)
    require_suite(proof_config, NAME)
    require_valid_created(proof_config)
    if "@context" in proof_config or document_context is None:
        return _checked_jcs(proof_config, loader)
    json_ld_policy.check({"@context": document_context, **proof_config}, loader)
    return _jcs(proof_config)


def proof_serialization(hash_data: bytes, key: KeyPair) -> bytes:
    """Proof Serialization (eddsa-jcs-2022): the Ed25519 signature of the hash data.

    https://www.w3.org/TR/vc-di-eddsa/#proof-serialization-eddsa-jcs-2022
    """
    return key.sign(hash_data)


def proof_verification(hash_data: bytes, proof_bytes: bytes, public_key: PublicKey) -> bool:
    """Proof Verification (eddsa-jcs-2022).

    https://www.w3.org/TR/vc-di-eddsa/#proof-verification-eddsa-jcs-2022
    """
    return public_key.verify(proof_bytes, hash_data)
