"""The verification result: a list of coded checks, never a bare yes/no.

Why coded checks: a verifier (person or program) needs to know *what* holds and what does
not — the signature may hold while the issuer's QA has lapsed — and a program must act on
it without parsing messages (brief, "Verification result"). Each :class:`Check` has a
stable ``code`` (its family), a :class:`Status`, a plain message and ``details``; a failing
check names the precise reason in ``details["reason"]`` (e.g. ``bad-signature``,
``key-revoked``, ``context-not-allowed``). Codes and reasons are added, never renamed.

Some errors mean "could not be checked" rather than "found wrong" (the status list could
not be obtained, the issuer's DID document could not be fetched): the credential is not
verified either way — the pipeline never answers "verified" for what it could not check —
but a verifier must be able to tell "revoked" from "unknown, try again". Those reasons are
:data:`UNCHECKED_REASONS`, and :attr:`VerificationResult.outcome` says which case it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    SKIPPED = "skipped"


FORMAT: Final = "format"
PROOF: Final = "proof"
ISSUER: Final = "issuer"
STATUS: Final = "status"
VALIDITY: Final = "validity"
QA: Final = "qa"
ANNEX1: Final = "annex1"
#: Every check code, in the order checks are reported.
CHECK_ORDER: Final = (FORMAT, PROOF, ISSUER, STATUS, VALIDITY, QA, ANNEX1)
#: Reasons of an error check that mean "could not be checked" (nothing was found wrong, but
#: nothing could be confirmed either): an unobtainable status list, a status type this
#: verifier does not read, an issuer's DID document that could not be fetched in time.
UNCHECKED_REASONS: Final = frozenset(
    {
        "status-list-unavailable",
        "unsupported-status-type",
        "fetch-unreachable",
        "fetch-timeout",
        "fetch-http-status",
    }
)


class Outcome(StrEnum):
    """The overall verdict: verified, not verified, or not verified because not checkable."""

    VERIFIED = "verified"
    NOT_VERIFIED = "not-verified"
    COULD_NOT_CHECK = "could-not-check"


@dataclass(frozen=True)
class Check:
    """One finding of the verification pipeline."""

    code: str
    status: Status
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str | None:
        """The precise, stable reason of a non-ok check (``details["reason"]``)."""
        reason = self.details.get("reason")
        return reason if isinstance(reason, str) else None

    @property
    def unchecked(self) -> bool:
        """An error that means "could not be checked" (:data:`UNCHECKED_REASONS`)."""
        return self.status is Status.ERROR and self.reason in UNCHECKED_REASONS

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status.value,
            "message": self.message,
            "details": self.details,
        }


def ok(code: str, message: str, **details: Any) -> Check:
    return Check(code, Status.OK, message, details)


def warning(code: str, reason: str, message: str, **details: Any) -> Check:
    return Check(code, Status.WARNING, message, {"reason": reason, **details})


def error(code: str, reason: str, message: str, **details: Any) -> Check:
    return Check(code, Status.ERROR, message, {"reason": reason, **details})


def skipped(code: str, message: str, **details: Any) -> Check:
    return Check(code, Status.SKIPPED, message, details)


@dataclass(frozen=True)
class VerificationResult:
    """All checks, in :data:`CHECK_ORDER`; ``verified`` iff none has status error.

    ``outcome`` refines a false ``verified``: ``could-not-check`` when every error is one of
    :data:`UNCHECKED_REASONS`, ``not-verified`` when some check found something wrong.

    ``document`` is the parsed credential (``None`` when it could not be parsed), for
    callers that show its content (the web page); it is not part of :meth:`as_dict`.
    """

    checks: tuple[Check, ...]
    document: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def verified(self) -> bool:
        return not any(check.status is Status.ERROR for check in self.checks)

    @property
    def outcome(self) -> Outcome:
        errors = self.errors
        if not errors:
            return Outcome.VERIFIED
        if all(check.unchecked for check in errors):
            return Outcome.COULD_NOT_CHECK
        return Outcome.NOT_VERIFIED

    def check(self, code: str) -> Check:
        """The check with ``code`` (every code is always present)."""
        for item in self.checks:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def errors(self) -> list[Check]:
        return [check for check in self.checks if check.status is Status.ERROR]

    @property
    def warnings(self) -> list[Check]:
        return [check for check in self.checks if check.status is Status.WARNING]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form shared by the CLI and the API: ``{"verified", "outcome", "checks"}``."""
        return {
            "verified": self.verified,
            "outcome": self.outcome.value,
            "checks": [check.as_dict() for check in self.checks],
        }
