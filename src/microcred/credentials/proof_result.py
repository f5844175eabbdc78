"""The outcome of verifying one Data Integrity proof.

Verification never raises for a bad credential: it answers with ``verified`` and a stable
``code`` (``ok`` or the reason), so the verify pipeline can turn it into a coded check.
Spec: https://www.w3.org/TR/vc-data-integrity/#verify-proof (the "verification result").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OK = "ok"
MISSING_PROOF = "missing-proof"
MALFORMED_PROOF = "malformed-proof"
WRONG_PROOF_TYPE = "wrong-proof-type"
UNKNOWN_CRYPTOSUITE = "unknown-cryptosuite"
WRONG_PROOF_PURPOSE = "wrong-proof-purpose"
CONTEXT_MISMATCH = "context-mismatch"
BAD_SIGNATURE = "bad-signature"
UNSUPPORTED_PROOF_SET = "unsupported-proof-set"


@dataclass(frozen=True)
class ProofResult:
    """``verified`` with a stable ``code`` and a human ``message``.

    ``verified_document`` is the document without its proof when verified, else ``None``.
    Other codes come from :class:`~microcred.credentials.errors.CredentialError` subclasses
    (``context-not-allowed``, ``undefined-term``, ``did-resolution-failed``, ...).
    """

    verified: bool
    code: str
    message: str
    verified_document: dict[str, Any] | None = field(default=None, repr=False)
    cryptosuite: str | None = None
    verification_method: str | None = None

    @classmethod
    def failure(cls, code: str, message: str) -> ProofResult:
        return cls(verified=False, code=code, message=message)
