"""The one verification pipeline: bytes or a parsed credential in, coded checks out.

Used by the CLI (``microcred verify``), the API (``POST /credentials/verify``) and the public
verification page, so that all three give the same answer for the same credential. Every
check is always reported, in :data:`~microcred.verify.checks.CHECK_ORDER`; a check that
cannot run because an earlier one failed is ``skipped`` with the reason. The pipeline never
raises for bad input and never answers "verified" for something it could not check.

Order and dependencies, and why:

1. ``format`` — JSON within size and depth limits, a VC 2.0 credential
   (https://www.w3.org/TR/vc-data-model-2.0/#contexts: the first context is the VC 2.0 one;
   #types: ``VerifiableCredential``), every context on the shipped allow-list. If this fails
   nothing else is looked at: hostile input must not reach the canonicaliser.
2. ``proof`` and ``issuer`` — see :mod:`microcred.verify.proof_checks`.
3. ``status`` — only when proof and issuer hold: the status list URL comes from the
   credential, and following a forged credential's URL would check nothing.
4. ``validity`` — ``validFrom`` / ``validUntil`` against ``now``
   (https://www.w3.org/TR/vc-data-model-2.0/#validity-period).
5. ``qa`` — only when proof and issuer hold (a QA statement about an issuer whose
   signature does not hold would be misleading); see :mod:`microcred.verify.qa_checks`.
6. ``annex1`` — completeness of the Annex I elements.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from microcred.credentials.did_web import parse_datetime
from microcred.credentials.proof_options import as_list, is_xsd_datetime
from microcred.credentials.status_list import CREDENTIALS_V2_CONTEXT
from microcred.standard.readers import ReadError, load_json
from microcred.verify.checks import (
    ANNEX1,
    CHECK_ORDER,
    FORMAT,
    ISSUER,
    PROOF,
    QA,
    STATUS,
    VALIDITY,
    Check,
    Status,
    VerificationResult,
    error,
    ok,
    skipped,
)
from microcred.verify.context import VerificationContext
from microcred.verify.proof_checks import check_proof_and_issuer, issuer_id
from microcred.verify.qa_checks import check_annex1, check_qa
from microcred.verify.status_checks import check_credential_status

_T = TypeVar("_T")
CREDENTIALS_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
#: XML Schema dateTimeStamp: a dateTime with a mandatory time zone (VC 2.0 §4.9).
_ZONE = re.compile(r".*(Z|[+-]\d{2}:\d{2})")


def verify_credential(
    data: bytes | str | Mapping[str, Any], ctx: VerificationContext | None = None
) -> VerificationResult:
    """Verify one credential (JSON bytes/text, or an already parsed object)."""
    ctx = ctx if ctx is not None else VerificationContext()
    document, format_check = _guard(
        FORMAT, lambda: check_format(data, ctx), lambda failed: (None, failed)
    )
    if document is None or format_check.status is Status.ERROR:
        rest = [
            skipped(code, "not checked: the input is not a usable credential (see format)")
            for code in CHECK_ORDER[1:]
        ]
        return VerificationResult((format_check, *rest), None)
    proof, issuer = _guard(
        PROOF,
        lambda: check_proof_and_issuer(document, ctx),
        lambda failed: (failed, skipped(ISSUER, "not checked (see proof)")),
    )
    trusted = proof.status is Status.OK and issuer.status is Status.OK
    untrusted = "not checked: the issuer's signature does not hold (see proof and issuer)"
    status = (
        _guard_check(STATUS, lambda: check_credential_status(document, ctx))
        if trusted
        else skipped(STATUS, untrusted)
    )
    validity = _guard_check(VALIDITY, lambda: check_validity(document, ctx))
    qa = _guard_check(QA, lambda: check_qa(document, ctx)) if trusted else skipped(QA, untrusted)
    annex1 = _guard_check(ANNEX1, lambda: check_annex1(document))
    return VerificationResult((format_check, proof, issuer, status, validity, qa, annex1), document)


def _guard(code: str, run: Callable[[], _T], fallback: Callable[[Check], _T]) -> _T:
    """Run one check; an unexpected exception becomes an error check, never a crash.

    A last line of defence (a resolver from the web layer failing, a library hitting a
    recursion limit): the checks themselves report every expected failure with its code.
    """
    try:
        return run()
    except Exception as exc:  # turned into a coded error, by design
        return fallback(
            error(code, "internal-error", f"the check failed unexpectedly ({type(exc).__name__})")
        )


def _guard_check(code: str, run: Callable[[], Check]) -> Check:
    return _guard(code, run, lambda failed: failed)


# --- format -----------------------------------------------------------------------------


def check_format(
    data: bytes | str | Mapping[str, Any], ctx: VerificationContext
) -> tuple[dict[str, Any] | None, Check]:
    """Parse and shape-check the input: ``(document, check)``; document ``None`` on error."""
    parsed, failed = parse_limited(data, ctx, "the credential")
    if parsed is None:
        return None, failed or error(FORMAT, "not-an-object", "a credential must be a JSON object")
    document = parsed
    shape = _vc2_shape(document, ctx)
    if shape is not None:
        return document, shape
    types = [t for t in as_list(document.get("type")) if isinstance(t, str)]
    return document, ok(FORMAT, f"a VC 2.0 credential ({', '.join(types)})", types=types)


def parse_limited(
    data: bytes | str | Mapping[str, Any], ctx: VerificationContext, what: str
) -> tuple[dict[str, Any] | None, Check | None]:
    """A JSON object within ``ctx``'s size and depth limits, or ``(None, format error)``.

    Shared with :mod:`microcred.verify.presentation`: the limits must hold before anything
    reaches the canonicaliser, whatever the document claims to be.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, bytes | bytearray):
        if len(data) > ctx.max_bytes:
            return None, error(
                FORMAT,
                "document-too-large",
                f"{what} is {len(data):,} bytes; the limit is {ctx.max_bytes:,}",
            )
        try:
            parsed = load_json(bytes(data), what)
        except ReadError as exc:
            return None, error(FORMAT, "not-json", str(exc))
    else:
        parsed = data
    if not isinstance(parsed, Mapping):
        return None, error(FORMAT, "not-an-object", f"{what} must be a JSON object")
    too_complex = _complexity(parsed, ctx, what)
    if too_complex is not None:
        return None, too_complex
    if not isinstance(data, bytes | bytearray):
        try:
            size = len(json.dumps(parsed, ensure_ascii=False).encode("utf-8"))
        except (TypeError, ValueError):
            return None, error(FORMAT, "not-json", f"{what} holds values JSON cannot carry")
        if size > ctx.max_bytes:
            return None, error(
                FORMAT,
                "document-too-large",
                f"{what} is {size:,} bytes; the limit is {ctx.max_bytes:,}",
            )
    return dict(parsed), None


def _complexity(value: Any, ctx: VerificationContext, what: str) -> Check | None:
    """Depth and size of a parsed value, measured without recursion."""
    if _within(value, ctx.max_nodes, ctx.max_depth):
        return None
    return _complexity_error(value, ctx, what)


def _within(value: Any, max_nodes: int, max_depth: int) -> bool:
    """True when ``value`` holds at most ``max_nodes`` values and no container deeper than
    ``max_depth``: :func:`_complexity_error` would find nothing. Level by level, with exact
    type tests first; False (then the walk below decides, and words the error) as soon as a
    limit is passed."""
    level = [value]
    depth = 1
    nodes = 0
    while level:
        nodes += len(level)
        if nodes > max_nodes:
            return False
        below: list[Any] = []
        for node in level:
            kind = type(node)
            if kind is str:
                continue
            if kind is dict or (kind is not list and isinstance(node, Mapping)):
                if depth > max_depth:
                    return False
                below.extend(node.values())
            elif kind is list or isinstance(node, list):
                if depth > max_depth:
                    return False
                below.extend(node)
        level = below
        depth += 1
    return True


def _complexity_error(value: Any, ctx: VerificationContext, what: str) -> Check | None:
    """The first limit a depth-first walk of ``value`` passes, as a format error."""
    nodes = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > ctx.max_nodes:
            return error(
                FORMAT,
                "document-too-large",
                f"{what} holds more than {ctx.max_nodes:,} values",
            )
        if isinstance(node, Mapping | list):
            if depth > ctx.max_depth:
                return error(
                    FORMAT,
                    "document-too-deep",
                    f"{what} is nested more than {ctx.max_depth} levels deep",
                )
            children = node.values() if isinstance(node, Mapping) else node
            stack.extend((child, depth + 1) for child in children)
    return None


def _vc2_shape(document: Mapping[str, Any], ctx: VerificationContext) -> Check | None:
    contexts = as_list(document.get("@context"))
    if not contexts or contexts[0] != CREDENTIALS_V2_CONTEXT:
        if contexts and contexts[0] == CREDENTIALS_V1_CONTEXT:
            return error(
                FORMAT, "not-vc2", "a VC 1.1 credential: only VC 2.0 credentials are accepted"
            )
        return error(
            FORMAT,
            "not-vc2",
            f"the first @context must be {CREDENTIALS_V2_CONTEXT} (VC 2.0)",
        )
    allowed = ctx.context_loader().urls
    for context in contexts:
        if not isinstance(context, str) or context not in allowed:
            shown = context if isinstance(context, str) else "an embedded context object"
            return error(
                FORMAT,
                "context-not-allowed",
                f"JSON-LD context {shown!r} is not one of the contexts shipped with microcred",
            )
    types = as_list(document.get("type"))
    if "VerifiableCredential" not in types:
        return error(FORMAT, "not-a-credential", "type must include 'VerifiableCredential'")
    if issuer_id(document) is None:
        return error(FORMAT, "missing-issuer", "the credential names no issuer (issuer.id)")
    if not isinstance(document.get("credentialSubject"), Mapping | list):
        return error(FORMAT, "missing-subject", "the credential has no credentialSubject")
    return None


# --- validity ---------------------------------------------------------------------------


def check_validity(document: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """``validFrom`` <= now <= ``validUntil``, both optional, both dateTimeStamps."""
    now = ctx.current_time()
    bounds = {}
    for name in ("validFrom", "validUntil"):
        if name not in document:
            continue
        value = document[name]
        moment = parse_datetime(value) if is_xsd_datetime(value) else None
        if moment is None or not _ZONE.fullmatch(value):
            return error(
                VALIDITY,
                "malformed-date",
                f"{name} {value!r} is not a date-time with a time zone (e.g. 2025-06-30T12:00:00Z)",
            )
        bounds[name] = moment
    start, end = bounds.get("validFrom"), bounds.get("validUntil")
    details = {name: document[name] for name in bounds}
    if start is not None and end is not None and end < start:
        return error(VALIDITY, "invalid-window", "validUntil is before validFrom", **details)
    if start is not None and now < start:
        return error(
            VALIDITY, "not-yet-valid", f"not valid before {document['validFrom']}", **details
        )
    if end is not None and end < now:
        return error(VALIDITY, "expired", f"expired on {document['validUntil']}", **details)
    if start is None and end is None:
        return ok(VALIDITY, "no validity period stated")
    parts = [
        f"from {document['validFrom']}" if start else "",
        f"until {document['validUntil']}" if end else "",
    ]
    return ok(VALIDITY, "valid " + " ".join(part for part in parts if part), **details)
