"""Data Integrity: add a proof to a document, verify the proof on a document.

The suite-independent algorithms of W3C Verifiable Credential Data Integrity 1.0:
https://www.w3.org/TR/vc-data-integrity/#add-proof (§4.2) and
https://www.w3.org/TR/vc-data-integrity/#verify-proof (§4.4). They pick the cryptosuite by
``proof.cryptosuite`` from :data:`CRYPTOSUITES` and leave key custody and key resolution to
the caller: signing takes a :class:`KeyPair`, verifying takes a ``resolve_key`` callback
(``did:key`` today, ``did:web`` with key history later).

Policy on top of the spec, for every suite: the document must be JSON-LD that the
allow-listed contexts fully define (no unknown context, no undefined term), checked when
signing and when verifying, by each suite where it canonicalises: with ``eddsa-rdfc-2022``
it is part of canonicalisation, ``eddsa-jcs-2022`` applies
:mod:`microcred.credentials.json_ld_policy`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from microcred.credentials import ed25519_signature_2020, eddsa_jcs_2022, eddsa_rdfc_2022
from microcred.credentials.errors import CredentialError, ProofGenerationError
from microcred.credentials.json_values import copy_object
from microcred.credentials.keys import KeyPair, PublicKey
from microcred.credentials.loader import ContextLoader, default_loader
from microcred.credentials.proof_options import DATA_INTEGRITY_PROOF, xsd_datetime_now
from microcred.credentials.proof_result import (
    MALFORMED_PROOF,
    MISSING_PROOF,
    UNKNOWN_CRYPTOSUITE,
    UNSUPPORTED_PROOF_SET,
    WRONG_PROOF_PURPOSE,
    WRONG_PROOF_TYPE,
    ProofResult,
)

ASSERTION_METHOD = "assertionMethod"
#: The purpose of a presentation's proof: the holder authenticates (DID Core §5.3.1).
AUTHENTICATION = "authentication"

#: Resolves (verification method id, proof purpose) to the public key, or raises a
#: :class:`CredentialError` (unknown method, key not authorised for the purpose, ...).
KeyResolver = Callable[[str, str], PublicKey]


class Cryptosuite(Protocol):
    """What a cryptosuite module provides (``eddsa_rdfc_2022``, ``eddsa_jcs_2022``)."""

    NAME: str

    def create_proof(
        self,
        unsecured_document: Mapping[str, Any],
        options: Mapping[str, Any],
        key: KeyPair,
        loader: ContextLoader,
    ) -> dict[str, Any]: ...

    def verify_proof(
        self, secured_document: Mapping[str, Any], public_key: PublicKey, loader: ContextLoader
    ) -> ProofResult: ...


CRYPTOSUITES: Mapping[str, Cryptosuite] = {
    eddsa_rdfc_2022.NAME: eddsa_rdfc_2022,
    eddsa_jcs_2022.NAME: eddsa_jcs_2022,
}
#: Proof types older than ``DataIntegrityProof`` that name their suite in ``type`` (no
#: ``cryptosuite``): verified for wallets that still sign with them (Learner Credential Wallet).
LEGACY_PROOF_TYPES: Mapping[str, Cryptosuite] = {
    ed25519_signature_2020.NAME: ed25519_signature_2020,
}


def _created_value(created: datetime | str | None) -> str:
    if created is None:
        return xsd_datetime_now()
    if isinstance(created, datetime):
        moment = created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return created


def add_proof(
    document: Mapping[str, Any],
    key: KeyPair,
    verification_method: str,
    cryptosuite: str = eddsa_rdfc_2022.NAME,
    created: datetime | str | None = None,
    proof_purpose: str = ASSERTION_METHOD,
    loader: ContextLoader | None = None,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    expires: datetime | str | None = None,
) -> dict[str, Any]:
    """Return a copy of ``document`` secured with a new Data Integrity proof.

    Add Proof, https://www.w3.org/TR/vc-data-integrity/#add-proof. ``created`` defaults to
    now (UTC, whole seconds). ``challenge``, ``domain`` and ``expires`` are the proof options
    a presentation's ``authentication`` proof carries (§2.1 "Proofs"). ``cryptosuite`` may also
    be a :data:`LEGACY_PROOF_TYPES` name (``Ed25519Signature2020``), which becomes the proof's
    ``type``. Raises :class:`CredentialError` (unknown cryptosuite, document already holding a
    proof, unknown context, undefined term, ...).
    """
    loader = loader or default_loader()
    suite = CRYPTOSUITES.get(cryptosuite) or LEGACY_PROOF_TYPES.get(cryptosuite)
    if suite is None:
        raise ProofGenerationError(f"unknown cryptosuite {cryptosuite!r}")
    if "proof" in document:
        raise ProofGenerationError("the document already has a proof; proof sets are not supported")
    options: dict[str, Any] = (
        {"type": cryptosuite}
        if cryptosuite in LEGACY_PROOF_TYPES
        else {"type": DATA_INTEGRITY_PROOF, "cryptosuite": cryptosuite}
    )
    options.update(
        created=_created_value(created),
        verificationMethod=verification_method,
        proofPurpose=proof_purpose,
    )
    if expires is not None:
        options["expires"] = _created_value(expires)
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    proof = suite.create_proof(document, options, key, loader)
    for required in ("type", "verificationMethod", "proofPurpose"):
        if not proof.get(required):
            raise ProofGenerationError(f"the cryptosuite produced a proof without {required!r}")
    secured = copy_object(document)
    secured["proof"] = proof
    return secured


def verify_proof(
    document: Mapping[str, Any],
    resolve_key: KeyResolver,
    loader: ContextLoader | None = None,
    expected_proof_purpose: str = ASSERTION_METHOD,
    *,
    accept_legacy: bool = False,
) -> ProofResult:
    """Verify the single proof on ``document``; never raises for a bad document.

    Verify Proof, https://www.w3.org/TR/vc-data-integrity/#verify-proof: check the proof's
    shape (§4.4 step 3, MALFORMED_PROOF_ERROR), its purpose, pick the cryptosuite, resolve
    the key, then run the suite's own verify algorithm. ``accept_legacy`` also accepts the
    :data:`LEGACY_PROOF_TYPES` (presentations from wallets; credentials need Data Integrity).
    Checking ``challenge`` and ``domain`` is the caller's (they are signed as proof options).
    """
    loader = loader or default_loader()
    if not isinstance(document, Mapping):
        return ProofResult.failure(MALFORMED_PROOF, "a credential must be a JSON object")
    proof = document.get("proof")
    if proof is None:
        return ProofResult.failure(MISSING_PROOF, "the document has no proof")
    if isinstance(proof, list):
        return ProofResult.failure(UNSUPPORTED_PROOF_SET, "proof sets are not supported yet")
    if not isinstance(proof, Mapping):
        return ProofResult.failure(MALFORMED_PROOF, "proof must be a JSON object")
    for required in ("type", "verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(required), str):
            return ProofResult.failure(MALFORMED_PROOF, f"proof.{required} is missing")
    legacy = LEGACY_PROOF_TYPES.get(proof["type"])
    if proof["type"] != DATA_INTEGRITY_PROOF and (legacy is None or not accept_legacy):
        return ProofResult.failure(
            WRONG_PROOF_TYPE, f"proof type {proof['type']!r} is not {DATA_INTEGRITY_PROOF!r}"
        )
    name = proof["type"] if legacy is not None else proof.get("cryptosuite")
    suite = legacy or (CRYPTOSUITES.get(name) if isinstance(name, str) else None)
    if suite is None:
        return ProofResult.failure(UNKNOWN_CRYPTOSUITE, f"unknown cryptosuite {name!r}")
    if proof["proofPurpose"] != expected_proof_purpose:
        return ProofResult.failure(
            WRONG_PROOF_PURPOSE,
            f"proof purpose {proof['proofPurpose']!r}, expected {expected_proof_purpose!r}",
        )
    method = proof["verificationMethod"]
    try:
        public_key = resolve_key(method, proof["proofPurpose"])
        result = suite.verify_proof(document, public_key, loader)
    except CredentialError as error:
        return ProofResult(False, error.code, error.message, None, name, method)
    return ProofResult(
        result.verified, result.code, result.message, result.verified_document, name, method
    )
