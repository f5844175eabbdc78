"""Verification of a ``VerifiablePresentation``: the holder's proof, then every credential.

A presentation is worth something only if it was made *for this verifier, now, by the
subject*: so besides the signature the verifier checks that the proof's ``challenge`` and
``domain`` are the ones it gave, that the proof is an ``authentication`` proof by a key of the
``holder``, that it is fresh (``created`` not in the future, not past ``expires``), that the
challenge was not used before (an optional :class:`ReplayGuard`), that the holder is the
subject of each credential that names one, and — through the one credential pipeline,
:func:`microcred.verify.verify_credential` — that each credential holds.

Specs: VC 2.0 §4.13 https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations;
Data Integrity 1.0 §2.1 and "Verify Proof" (``challenge``, ``domain``, ``expires``),
https://www.w3.org/TR/vc-data-integrity/#verify-proof; DID Core ``authentication``
https://www.w3.org/TR/did-core/#authentication. Proofs: ``eddsa-rdfc-2022``,
``eddsa-jcs-2022`` and, for Learner Credential Wallet's DIDAuth, ``Ed25519Signature2020``.

The result has the credential result's shape — coded checks in :data:`PRESENTATION_CHECK_ORDER`,
each always present — plus ``credentials``, the result of each credential inside.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

from microcred.credentials.data_integrity import (
    AUTHENTICATION,
    CRYPTOSUITES,
    LEGACY_PROOF_TYPES,
    verify_proof,
)
from microcred.credentials.did_web import parse_datetime, resolve_method_at
from microcred.credentials.errors import CredentialError
from microcred.credentials.fastpath import reuse_embedded
from microcred.credentials.proof_options import DATA_INTEGRITY_PROOF, as_list, is_xsd_datetime
from microcred.credentials.status_list import CREDENTIALS_V2_CONTEXT
from microcred.verify.checks import (
    FORMAT,
    PROOF,
    Check,
    Outcome,
    Status,
    VerificationResult,
    error,
    ok,
    skipped,
    warning,
)
from microcred.verify.collection import deferred_collection
from microcred.verify.context import VerificationContext
from microcred.verify.pipeline import CREDENTIALS_V1_CONTEXT, parse_limited, verify_credential
from microcred.verify.proof_checks import check_proof_structure

CHALLENGE: Final = "challenge"
DOMAIN: Final = "domain"
HOLDER: Final = "holder"
CREDENTIALS: Final = "credentials"
#: Every presentation check code, in the order reported.
PRESENTATION_CHECK_ORDER: Final = (FORMAT, PROOF, CHALLENGE, DOMAIN, HOLDER, CREDENTIALS)
#: Largest presentation accepted, in bytes of JSON (room for about 50 OBv3 credentials).
MAX_PRESENTATION_BYTES: Final = 8 * 1024 * 1024
#: Most JSON values in one presentation.
MAX_PRESENTATION_NODES: Final = 1_000_000
#: Most credentials in one presentation.
MAX_PRESENTED_CREDENTIALS: Final = 100
#: How far a proof's ``created`` may lie ahead of the verifier's clock (clock skew).
CLOCK_SKEW: Final = timedelta(minutes=5)
#: The ``credentials`` reason when every failing credential merely could not be checked.
CREDENTIAL_UNCHECKED: Final = "credential-could-not-be-checked"
VERIFIABLE_PRESENTATION: Final = "VerifiablePresentation"
_REQUIRED = ("type", "verificationMethod", "proofPurpose", "proofValue")


class ReplayGuard(Protocol):
    """The verifier's memory of used challenges (the web layer's is in its database).

    ``claim`` records ``challenge`` and answers True the first time, False when it was seen
    before. It is called only for a presentation whose proof holds over the expected
    challenge, so a forged presentation cannot use up a holder's challenge.
    """

    def claim(self, challenge: str) -> bool: ...


class MemoryReplayGuard:
    """A :class:`ReplayGuard` in a set: for one process (tests, the CLI)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def claim(self, challenge: str) -> bool:
        if challenge in self._seen:
            return False
        self._seen.add(challenge)
        return True


@dataclass(frozen=True)
class PresentationResult:
    """The presentation's checks and each credential's result; ``verified`` iff no error."""

    checks: tuple[Check, ...]
    credentials: tuple[VerificationResult, ...] = ()
    document: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Check]:
        return [check for check in self.checks if check.status is Status.ERROR]

    @property
    def verified(self) -> bool:
        return not self.errors

    @property
    def outcome(self) -> Outcome:
        errors = self.errors
        if not errors:
            return Outcome.VERIFIED
        if all(check.unchecked or check.reason == CREDENTIAL_UNCHECKED for check in errors):
            return Outcome.COULD_NOT_CHECK
        return Outcome.NOT_VERIFIED

    def check(self, code: str) -> Check:
        for item in self.checks:
            if item.code == code:
                return item
        raise KeyError(code)

    def as_dict(self) -> dict[str, Any]:
        """``{"verified", "outcome", "checks", "credentials"}`` (API and CLI)."""
        return {
            "verified": self.verified,
            "outcome": self.outcome.value,
            "checks": [check.as_dict() for check in self.checks],
            "credentials": [result.as_dict() for result in self.credentials],
        }


def verify_presentation(
    data: bytes | str | Mapping[str, Any],
    ctx: VerificationContext | None = None,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    replay_guard: ReplayGuard | None = None,
    max_age: timedelta | None = None,
) -> PresentationResult:
    """Verify a presentation against the ``challenge`` and ``domain`` the verifier gave.

    Never raises for bad input. Without an expected ``challenge`` the ``challenge`` check is
    a warning (the presentation may be a replay); without ``domain`` it is skipped.
    ``max_age`` bounds how old the proof's ``created`` may be.
    """
    ctx = ctx if ctx is not None else VerificationContext()
    # the credentials' datasets, found while canonicalising the presentation, serve again
    # when each credential's own proof is verified
    with reuse_embedded(), deferred_collection():
        return _verify_presentation(ctx, data, challenge, domain, replay_guard, max_age)


def _verify_presentation(
    ctx: VerificationContext,
    data: bytes | str | Mapping[str, Any],
    challenge: str | None,
    domain: str | None,
    replay_guard: ReplayGuard | None,
    max_age: timedelta | None,
) -> PresentationResult:
    limits = dataclasses.replace(
        ctx,
        max_bytes=max(ctx.max_bytes, MAX_PRESENTATION_BYTES),
        max_nodes=max(ctx.max_nodes, MAX_PRESENTATION_NODES),
    )
    try:
        document, format_check = _check_format(data, limits)
    except Exception as exc:  # a last line of defence, as in the credential pipeline
        document, format_check = None, _internal(FORMAT, exc)
    if document is None or format_check.status is Status.ERROR:
        rest = [
            skipped(code, "not checked: the input is not a usable presentation (see format)")
            for code in PRESENTATION_CHECK_ORDER[1:]
        ]
        return PresentationResult((format_check, *rest), (), document)
    credentials = _credentials_of(document)
    proof = document.get("proof")
    try:
        proof_check = _check_proof(document, ctx, max_age)
    except Exception as exc:
        proof_check = _internal(PROOF, exc)
    challenge_check = _check_challenge(proof, challenge, proof_check, replay_guard)
    domain_check = _check_domain(proof, domain)
    holder_check = _check_holder(_holder_id(document) or "", credentials)
    results = tuple(verify_credential(credential, ctx) for credential in credentials)
    checks = (format_check, proof_check, challenge_check, domain_check, holder_check)
    return PresentationResult((*checks, _check_credentials(results)), results, document)


def _internal(code: str, exc: Exception) -> Check:
    return error(code, "internal-error", f"the check failed unexpectedly ({type(exc).__name__})")


def _holder_id(document: Mapping[str, Any]) -> str | None:
    holder = document.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if isinstance(holder, str) and holder else None


def _credentials_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = document.get("verifiableCredential")
    return [] if value is None else [c for c in as_list(value) if isinstance(c, Mapping)]


# --- format -------------------------------------------------------------------------------


def _check_format(
    data: bytes | str | Mapping[str, Any], ctx: VerificationContext
) -> tuple[dict[str, Any] | None, Check]:
    document, failed = parse_limited(data, ctx, "the presentation")
    if document is None:
        return None, failed or error(FORMAT, "not-an-object", "not a JSON object")
    contexts = as_list(document.get("@context"))
    if not contexts or contexts[0] not in (CREDENTIALS_V2_CONTEXT, CREDENTIALS_V1_CONTEXT):
        return document, error(
            FORMAT, "not-vc2", f"the first @context must be {CREDENTIALS_V2_CONTEXT} (VC 2.0)"
        )
    allowed = ctx.context_loader().urls
    for context in contexts:
        if not isinstance(context, str) or context not in allowed:
            shown = context if isinstance(context, str) else "an embedded context object"
            return document, error(
                FORMAT,
                "context-not-allowed",
                f"JSON-LD context {shown!r} is not one of the contexts shipped with microcred",
            )
    if VERIFIABLE_PRESENTATION not in as_list(document.get("type")):
        return document, error(
            FORMAT, "not-a-presentation", f"type must include {VERIFIABLE_PRESENTATION!r}"
        )
    if _holder_id(document) is None:
        return document, error(
            FORMAT, "missing-holder", "the presentation names no holder (holder or holder.id)"
        )
    value = document.get("verifiableCredential")
    listed = [] if value is None else as_list(value)
    if any(not isinstance(item, Mapping) for item in listed):
        return document, error(
            FORMAT,
            "malformed-credential-list",
            "verifiableCredential must be a credential object or a list of them",
        )
    if any("EnvelopedVerifiableCredential" in as_list(item.get("type")) for item in listed):
        return document, error(
            FORMAT,
            "unsupported-enveloped-credential",
            "enveloped credentials (JOSE / SD-JWT) are not supported: embed the credential",
        )
    if len(listed) > MAX_PRESENTED_CREDENTIALS:
        return document, error(
            FORMAT,
            "too-many-credentials",
            f"the presentation holds {len(listed)} credentials; "
            f"the limit is {MAX_PRESENTED_CREDENTIALS}",
        )
    is_v1 = contexts[0] == CREDENTIALS_V1_CONTEXT
    version = "VC 1.1" if is_v1 else "VC 2.0"
    return document, ok(
        FORMAT, f"a {version} presentation of {len(listed)} credential(s)", count=len(listed)
    )


# --- proof --------------------------------------------------------------------------------


def _check_proof(
    document: Mapping[str, Any], ctx: VerificationContext, max_age: timedelta | None
) -> Check:
    """Shape, purpose, freshness, the key being the holder's, then the signature."""
    proof = document.get("proof")
    holder = _holder_id(document)
    shape = _proof_shape(proof, holder, ctx.current_time(), max_age)
    if shape is not None:
        return shape
    assert isinstance(proof, Mapping) and holder is not None  # checked by _proof_shape
    method: str = proof["verificationMethod"]
    suite = proof.get("cryptosuite") if proof["type"] == DATA_INTEGRITY_PROOF else proof["type"]
    details = {"suite": suite, "verificationMethod": method, "holder": holder}
    try:
        did_document = ctx.did_resolver.resolve(holder)
        if not isinstance(did_document, Mapping) or did_document.get("id") != holder:
            return error(PROOF, "did-document-mismatch", "the DID document is not the holder's")
        key = resolve_method_at(
            did_document,
            method,
            AUTHENTICATION,
            parse_datetime(proof.get("created")),
            now=ctx.current_time(),
        )
    except CredentialError as exc:
        return error(PROOF, exc.code, f"the holder's key: {exc.message}", **details)
    result = verify_proof(
        document,
        lambda _method, _purpose: key,
        loader=ctx.context_loader(),
        expected_proof_purpose=AUTHENTICATION,
        accept_legacy=True,
    )
    if not result.verified:
        return error(PROOF, result.code, f"the proof does not hold: {result.message}", **details)
    return ok(PROOF, f"signature valid ({suite}, an authentication key of the holder)", **details)


def _proof_shape(
    proof: object, holder: str | None, now: datetime, max_age: timedelta | None
) -> Check | None:
    found = check_proof_structure(proof, "presentation", _REQUIRED)
    if found is not None or not isinstance(proof, Mapping):
        return found
    if proof["type"] == DATA_INTEGRITY_PROOF:
        if proof.get("cryptosuite") not in CRYPTOSUITES:
            return error(
                PROOF,
                "unknown-cryptosuite",
                f"cryptosuite {proof.get('cryptosuite')!r} is not supported "
                f"(supported: {', '.join(sorted(CRYPTOSUITES))})",
            )
    elif proof["type"] not in LEGACY_PROOF_TYPES:
        return error(
            PROOF,
            "wrong-proof-type",
            f"proof type {proof['type']!r} is not supported "
            f"({', '.join([DATA_INTEGRITY_PROOF, *LEGACY_PROOF_TYPES])})",
        )
    if proof["proofPurpose"] != AUTHENTICATION:
        return error(
            PROOF,
            "wrong-proof-purpose",
            f"proof purpose {proof['proofPurpose']!r}; a presentation needs {AUTHENTICATION!r}",
        )
    return _freshness(proof, now, max_age) or _method_of_holder(proof, holder)


def _freshness(proof: Mapping[str, Any], now: datetime, max_age: timedelta | None) -> Check | None:
    for name in ("created", "expires"):
        if name in proof and not (is_xsd_datetime(proof[name]) and parse_datetime(proof[name])):
            return error(
                PROOF, "malformed-proof", f"proof.{name} {proof[name]!r} is not a dateTime"
            )
    created = parse_datetime(proof.get("created"))
    expires = parse_datetime(proof.get("expires"))
    if created is not None and created > now + CLOCK_SKEW:
        return error(PROOF, "proof-created-in-future", f"the proof claims {proof['created']}")
    if expires is not None and expires <= now:
        return error(PROOF, "proof-expired", f"the proof expired at {proof['expires']}")
    if expires is not None and created is not None and expires < created:
        return error(PROOF, "malformed-proof", "proof.expires is before proof.created")
    if max_age is not None:
        if created is None:
            return error(PROOF, "malformed-proof", "proof.created is missing")
        if created < now - max_age:
            return error(PROOF, "proof-too-old", f"the proof was made at {proof['created']}")
    return None


def _method_of_holder(proof: Mapping[str, Any], holder: str | None) -> Check | None:
    method = proof["verificationMethod"]
    if holder is None or method.partition("#")[0] != holder:
        return error(
            PROOF,
            "verification-method-not-holder",
            f"the proof was made with {method!r}, which is not a key of the holder {holder!r}",
            verificationMethod=method,
            holder=holder,
        )
    return None


# --- challenge, domain ----------------------------------------------------------------------


def _check_challenge(
    proof: object, expected: str | None, proof_check: Check, guard: ReplayGuard | None
) -> Check:
    given = proof.get("challenge") if isinstance(proof, Mapping) else None
    if expected is None:
        return warning(
            CHALLENGE,
            "challenge-not-checked",
            "no challenge was expected: this presentation could be a replay",
            challenge=given,
        )
    if given is None:
        return error(CHALLENGE, "missing-challenge", "the proof carries no challenge")
    if given != expected:
        return error(
            CHALLENGE, "wrong-challenge", "the proof's challenge is not the one this verifier gave"
        )
    if guard is None:
        return ok(CHALLENGE, "challenge as expected")
    if proof_check.status is not Status.OK:
        return ok(CHALLENGE, "challenge as expected (not recorded: the proof does not hold)")
    if not guard.claim(expected):
        return error(
            CHALLENGE,
            "challenge-replayed",
            "this challenge was already used: a replayed presentation",
        )
    return ok(CHALLENGE, "challenge as expected, first use")


def _check_domain(proof: object, expected: str | None) -> Check:
    given = proof.get("domain") if isinstance(proof, Mapping) else None
    if expected is None:
        return skipped(DOMAIN, "no domain was expected", domain=given)
    if given is None:
        return error(DOMAIN, "missing-domain", "the proof carries no domain")
    domains = [d for d in as_list(given) if isinstance(d, str)]
    if expected not in domains:
        return error(
            DOMAIN,
            "wrong-domain",
            f"the proof is for domain {given!r}, not {expected!r}",
            domain=given,
            expected=expected,
        )
    return ok(DOMAIN, f"domain {expected} as expected")


# --- holder, credentials ---------------------------------------------------------------------


def _subject_ids(credential: Mapping[str, Any]) -> list[str]:
    subjects = credential.get("credentialSubject")
    found = []
    for subject in as_list(subjects) if subjects is not None else []:
        if isinstance(subject, Mapping) and isinstance(subject.get("id"), str):
            found.append(subject["id"])
    return found


def _check_holder(holder: str, credentials: Sequence[Mapping[str, Any]]) -> Check:
    """The holder must be the subject of each credential that names a subject id."""
    named = 0
    for index, credential in enumerate(credentials):
        ids = _subject_ids(credential)
        if not ids:
            continue
        named += 1
        if holder not in ids:
            return error(
                HOLDER,
                "holder-not-subject",
                f"credential {index + 1} is about {ids[0]!r}, not the holder {holder!r}",
                index=index,
                holder=holder,
            )
    if not named:
        return ok(HOLDER, f"holder {holder}; no credential names its subject", holder=holder)
    return ok(HOLDER, f"holder {holder} is the subject of {named} credential(s)", holder=holder)


def _check_credentials(results: Sequence[VerificationResult]) -> Check:
    if not results:
        return ok(CREDENTIALS, "no credentials presented (an authentication only)", count=0)
    failed = [index for index, result in enumerate(results) if not result.verified]
    if not failed:
        return ok(CREDENTIALS, f"all {len(results)} credential(s) verified", count=len(results))
    unchecked = all(results[i].outcome is Outcome.COULD_NOT_CHECK for i in failed)
    return error(
        CREDENTIALS,
        CREDENTIAL_UNCHECKED if unchecked else "credential-not-verified",
        f"{len(failed)} of {len(results)} credential(s) "
        + ("could not be checked" if unchecked else "did not verify"),
        count=len(results),
        failed=failed,
    )
