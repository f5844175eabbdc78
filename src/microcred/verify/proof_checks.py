"""The ``proof`` and ``issuer`` checks: is the signature valid, and was it the issuer's key?

Two checks because they fail for different reasons a verifier wants told apart: ``proof``
is about the proof itself (shape, cryptosuite, purpose, the key belonging to the issuer,
the signature over the document); ``issuer`` is about the issuer's identity (the DID
resolves, the key is listed, and it was valid when the proof says it was made).

Specs: Data Integrity 1.0 "Verify Proof",
https://www.w3.org/TR/vc-data-integrity/#verify-proof (proof shape, ``expires``,
``proofPurpose``) and "Retrieve Verification Method",
https://www.w3.org/TR/vc-data-integrity/#retrieve-verification-method (the method must be
controlled by the expected controller); VC 2.0 §4.7 Issuer,
https://www.w3.org/TR/vc-data-model-2.0/#issuer; the time rule of
:func:`microcred.credentials.did_web.resolve_method_at`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred.credentials.data_integrity import ASSERTION_METHOD, CRYPTOSUITES, verify_proof
from microcred.credentials.did_web import find_method, parse_datetime, resolve_method_at
from microcred.credentials.errors import CredentialError
from microcred.credentials.keys import PublicKey
from microcred.credentials.proof_options import DATA_INTEGRITY_PROOF, is_xsd_datetime
from microcred.verify.checks import ISSUER, PROOF, Check, error, ok, skipped
from microcred.verify.context import VerificationContext

_REQUIRED = ("type", "cryptosuite", "verificationMethod", "proofPurpose", "proofValue")


def issuer_id(document: Mapping[str, Any]) -> str | None:
    """The issuer's id: ``issuer`` as a string, or ``issuer.id`` (VC 2.0 §4.7)."""
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def check_proof_and_issuer(
    document: Mapping[str, Any], ctx: VerificationContext
) -> tuple[Check, Check]:
    """The ``proof`` and ``issuer`` checks of a secured document (credential or status list).

    Never raises for a bad document. The issuer's key is resolved first, because the
    signature can only be checked with it; a key found but not valid at signing time still
    gets its signature checked, so both findings are reported.
    """
    issuer = issuer_id(document)
    proof = document.get("proof")
    shape = _proof_shape(proof, issuer, ctx.current_time())
    if shape is not None:
        return shape, skipped(ISSUER, "not checked: the proof is unusable (see proof)")
    assert isinstance(proof, Mapping) and issuer is not None  # checked by _proof_shape
    method: str = proof["verificationMethod"]
    signed_at = parse_datetime(proof.get("created"))
    issuer_check, key = _check_issuer(issuer, method, signed_at, ctx)
    if key is None:
        return (
            skipped(PROOF, "signature not checked: the issuer's key could not be resolved"),
            issuer_check,
        )
    result = verify_proof(document, lambda _method, _purpose: key, loader=ctx.context_loader())
    details = {"cryptosuite": proof["cryptosuite"], "verificationMethod": method}
    if not result.verified:
        return error(PROOF, result.code, f"the proof does not hold: {result.message}", **details), (
            issuer_check
        )
    return (
        ok(PROOF, f"signature valid ({proof['cryptosuite']}, key of the issuer)", **details),
        issuer_check,
    )


def check_proof_structure(proof: object, what: str, required: tuple[str, ...]) -> Check | None:
    """The errors every signed document shares (a credential, a presentation): no proof, a
    proof set, not an object, a ``required`` member missing. ``None`` when none applies."""
    if proof is None:
        return error(PROOF, "missing-proof", f"the {what} has no proof: it is not signed")
    if isinstance(proof, list):
        return error(
            PROOF, "unsupported-proof-set", "proof sets (several proofs) are not supported"
        )
    if not isinstance(proof, Mapping):
        return error(PROOF, "malformed-proof", "proof must be a JSON object")
    for name in required:
        if not isinstance(proof.get(name), str) or not proof[name]:
            return error(PROOF, "malformed-proof", f"proof.{name} is missing or not a string")
    return None


def _proof_shape(proof: object, issuer: str | None, now: datetime) -> Check | None:
    """An error check when the proof cannot be used at all, else ``None``."""
    found = check_proof_structure(proof, "credential", _REQUIRED)
    if found is not None or not isinstance(proof, Mapping):
        return found
    if proof["type"] != DATA_INTEGRITY_PROOF:
        return error(
            PROOF,
            "wrong-proof-type",
            f"proof type {proof['type']!r} is not supported (only {DATA_INTEGRITY_PROOF})",
        )
    if proof["cryptosuite"] not in CRYPTOSUITES:
        return error(
            PROOF,
            "unknown-cryptosuite",
            f"cryptosuite {proof['cryptosuite']!r} is not supported "
            f"(supported: {', '.join(sorted(CRYPTOSUITES))})",
        )
    if proof["proofPurpose"] != ASSERTION_METHOD:
        return error(
            PROOF,
            "wrong-proof-purpose",
            f"proof purpose {proof['proofPurpose']!r}; a credential needs {ASSERTION_METHOD!r}",
        )
    for name in ("created", "expires"):
        if name in proof and not (is_xsd_datetime(proof[name]) and parse_datetime(proof[name])):
            return error(
                PROOF, "malformed-proof", f"proof.{name} {proof[name]!r} is not a dateTime"
            )
    expires = parse_datetime(proof.get("expires"))
    if expires is not None and expires <= now:
        return error(PROOF, "proof-expired", f"the proof expired at {proof['expires']}")
    if issuer is None:
        return error(PROOF, "missing-issuer", "the credential names no issuer")
    method_did = proof["verificationMethod"].partition("#")[0]
    if method_did != issuer:
        return error(
            PROOF,
            "verification-method-not-issuer",
            f"the proof was made with {proof['verificationMethod']!r}, which is not a key of "
            f"the issuer {issuer!r}",
            verificationMethod=proof["verificationMethod"],
            issuer=issuer,
        )
    return None


def _check_issuer(
    issuer: str, method: str, signed_at: datetime | None, ctx: VerificationContext
) -> tuple[Check, PublicKey | None]:
    """The ``issuer`` check, and the method's key when the document lists it at all."""
    details: dict[str, Any] = {"issuer": issuer, "verificationMethod": method}
    try:
        document = ctx.did_resolver.resolve(issuer)
    except CredentialError as exc:
        return error(ISSUER, exc.code, f"the issuer's DID: {exc.message}", **details), None
    if not isinstance(document, Mapping) or document.get("id") != issuer:
        return (
            error(ISSUER, "did-document-mismatch", "the DID document is not about the issuer"),
            None,
        )
    try:
        listed = find_method(document, method).get("publicKeyMultibase")
        key = PublicKey.from_multibase(listed) if isinstance(listed, str) else None
    except CredentialError as exc:
        return error(ISSUER, exc.code, exc.message, **details), None
    try:
        resolve_method_at(document, method, ASSERTION_METHOD, signed_at, now=ctx.current_time())
    except CredentialError as exc:
        return error(ISSUER, exc.code, exc.message, **details), key
    when = f", valid when the proof was made ({signed_at:%Y-%m-%d})" if signed_at else ""
    return ok(ISSUER, f"issuer {issuer} resolved; key listed{when}", **details), key
