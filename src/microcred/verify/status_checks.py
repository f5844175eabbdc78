"""The ``status`` check: has the issuer revoked or suspended the credential?

W3C Bitstring Status List, "Validate Algorithm",
https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm: dereference the list
credential (through the injected :class:`~microcred.verify.resolvers.StatusListFetcher`: a
document given in advance, this instance's own list, or — only when the caller enables it —
a foreign list fetched over HTTPS by :mod:`microcred.net`), verify *its* proof (step 4) with
the same key rules as the credential's, then read the bit
(:func:`~microcred.credentials.status_list.check_status`).

Policy on top of the spec, and why:

- the list must be issued (and signed) by the credential's own issuer: otherwise whoever
  serves the URL could publish "not revoked" for someone else's credential;
- a list that cannot be obtained is an *error* with reason ``status-list-unavailable``, one
  of the "could not be checked" reasons (:data:`~microcred.verify.checks.UNCHECKED_REASONS`):
  an unknown status is not a revoked one, but a credential whose revocation could not be
  checked must not be answered "verified" (issue 9: a revoked credential was answered
  "verified" while its list could not be loaded). The result's ``outcome`` is then
  ``could-not-check`` rather than ``not-verified``;
- a status type this verifier does not read is "could not be checked" for the same reason;
- suspended is an error like revoked: the credential is not to be relied on while suspended;
- a status purpose we do not know (``message``, say) is a warning, a malformed entry or list
  an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.credentials.did_web import parse_datetime
from microcred.credentials.status_list import ENTRY_TYPE, StatusListError, check_status
from microcred.net.errors import FetchError
from microcred.verify.checks import STATUS, Check, Status, error, ok, skipped, warning
from microcred.verify.context import VerificationContext
from microcred.verify.proof_checks import check_proof_and_issuer, issuer_id

_RANK = {Status.OK: 0, Status.SKIPPED: 0, Status.WARNING: 1, Status.ERROR: 3}
#: check_status codes that mean "not understood" rather than "wrong".
_UNSUPPORTED = frozenset({"status-purpose-unsupported", "status-size-unsupported"})


def check_credential_status(document: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """One ``status`` check over every ``credentialStatus`` entry, the worst one deciding."""
    entries = document.get("credentialStatus")
    if entries is None:
        return skipped(STATUS, "the credential has no credentialStatus (it cannot be revoked)")
    if not isinstance(entries, list):
        entries = [entries]
    if not entries:
        return skipped(STATUS, "the credential has no credentialStatus (it cannot be revoked)")
    findings = [_check_entry(entry, document, ctx) for entry in entries]
    worst = max(findings, key=_rank)
    details: dict[str, Any] = {
        "entries": [
            {"status": finding.status.value, "message": finding.message, **finding.details}
            for finding in findings
        ]
    }
    if worst.reason:
        details["reason"] = worst.reason
    message = "; ".join(finding.message for finding in findings)
    return Check(STATUS, worst.status, message, details)


def _rank(finding: Check) -> int:
    """Severity: "revoked" (found wrong) outranks "could not be checked", which outranks a
    warning: one revoked entry makes the credential revoked whatever the others say."""
    return _RANK[finding.status] - (1 if finding.unchecked else 0)


def _check_entry(entry: object, document: Mapping[str, Any], ctx: VerificationContext) -> Check:
    if not isinstance(entry, Mapping):
        return error(STATUS, "status-entry-malformed", "a credentialStatus entry is not an object")
    kind = entry.get("type")
    if kind != ENTRY_TYPE and not (isinstance(kind, list) and ENTRY_TYPE in kind):
        return error(
            STATUS,
            "unsupported-status-type",
            f"status could not be checked: status type {kind!r} is not supported",
        )
    url = entry.get("statusListCredential")
    purpose = entry.get("statusPurpose")
    if not isinstance(url, str) or not url:
        return error(STATUS, "status-entry-malformed", "statusListCredential must be a URL")
    try:
        list_credential = ctx.status_lists.fetch(url)
    except FetchError as exc:
        return error(
            STATUS,
            "status-list-unavailable",
            f"{purpose} status could not be checked: the status list {url} could not be "
            f"fetched ({exc.message})",
            url=url,
            cause=exc.code,
        )
    if list_credential is None:
        return error(
            STATUS,
            "status-list-unavailable",
            f"{purpose} status could not be checked: the status list {url} is not available here",
            url=url,
        )
    if not isinstance(list_credential, Mapping):
        return error(
            STATUS, "status-list-credential-malformed", f"the status list {url} is not an object"
        )
    issuer = issuer_id(document)
    if issuer_id(list_credential) != issuer:
        return error(
            STATUS,
            "status-list-issuer-mismatch",
            f"the status list {url} is issued by {issuer_id(list_credential)!r}, "
            f"not by the credential's issuer {issuer!r}",
            url=url,
        )
    proof, key = check_proof_and_issuer(list_credential, ctx)
    for failed in (proof, key):
        if failed.status is not Status.OK:
            return error(
                STATUS,
                "status-list-unverified",
                f"the status list {url} cannot be trusted: {failed.message}",
                url=url,
                cause=failed.reason,
            )
    stale = _stale(list_credential, ctx)
    try:
        result = check_status(entry, list_credential)
    except StatusListError as exc:
        make = warning if exc.code in _UNSUPPORTED else error
        return make(STATUS, exc.code, exc.message, url=url)
    if result.set:
        state = "revoked" if result.purpose == "revocation" else "suspended"
        return error(STATUS, state, f"the issuer has {state} this credential", url=url)
    if stale is not None:
        return stale
    state = "not revoked" if result.purpose == "revocation" else "not suspended"
    return ok(STATUS, state, url=url, purpose=result.purpose)


def _stale(list_credential: Mapping[str, Any], ctx: VerificationContext) -> Check | None:
    """A warning when the list credential's own validity has ended (its data may be old)."""
    until = parse_datetime(list_credential.get("validUntil"))
    if until is not None and until < ctx.current_time():
        return warning(
            STATUS,
            "status-list-expired",
            f"not revoked, but the status list expired on {until:%Y-%m-%d}: it may be out of date",
        )
    return None
