"""Presentation verification for the web layer: the core verifier with this instance's
resolvers and a replay guard shared by every worker.

The API calls these and only translates HTTP. What was sent is read here (the VC-API body
``{"verifiablePresentation": ..., "options": {"challenge": ..., "domain": ...}}``): a body with
nothing to verify raises :class:`~microcred_web.verification.services.InputError`; anything
that is a presentation goes through :func:`verify`, which never raises.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches

from microcred.verify.presentation import (
    MAX_PRESENTATION_BYTES,
    VERIFIABLE_PRESENTATION,
    PresentationResult,
    verify_presentation,
)
from microcred_web.verification.services import _STATUS_WORDS as STATUS_WORDS
from microcred_web.verification.services import _UNCHECKED_WORDS as UNCHECKED_WORDS
from microcred_web.verification.services import (
    CheckView,
    InputError,
    parse_json,
    verification_context,
)
from microcred_web.verification.services import report as credential_report

#: How long a used challenge is remembered. A verifier's challenge is meant to be used within
#: minutes; a day leaves ample room and keeps the table small.
REPLAY_WINDOW_SECONDS = 24 * 60 * 60
_OPTIONS = ("challenge", "domain")


class CacheReplayGuard:
    """Used challenges in the shared database cache (the rate limits' ``CACHES["ratelimit"]``).

    Why there: every worker process and host already shares it, and ``add`` inserts only
    when the key is absent, so two workers cannot both accept the same challenge. Only a hash
    of the challenge is stored.
    """

    def claim(self, challenge: str) -> bool:
        key = "vp-challenge:" + hashlib.sha256(challenge.encode("utf-8")).hexdigest()
        return bool(caches["ratelimit"].add(key, 1, timeout=REPLAY_WINDOW_SECONDS))


@dataclass(frozen=True)
class PresentationRequest:
    presentation: Mapping[str, Any]
    challenge: str | None
    domain: str | None


def read_request(raw: bytes) -> PresentationRequest:
    """The presentation and the options of a VC-API body, or :class:`InputError`."""
    body = parse_json(raw, limit=MAX_PRESENTATION_BYTES)
    if not isinstance(body, Mapping) or "verifiablePresentation" not in body:
        raise InputError(
            "no-presentation",
            'Expected {"verifiablePresentation": {...}, "options": {"challenge": ..., '
            '"domain": ...}}',
        )
    presentation = body["verifiablePresentation"]
    if not isinstance(presentation, Mapping):
        raise InputError(
            "no-presentation", "verifiablePresentation must be a JSON object (one presentation)"
        )
    options = body.get("options", {})
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise InputError("invalid-options", "options must be a JSON object")
    values: dict[str, str | None] = {}
    for name in _OPTIONS:
        value = options.get(name)
        if value is not None and (not isinstance(value, str) or not value):
            raise InputError("invalid-options", f"options.{name} must be a non-empty string")
        values[name] = value
    return PresentationRequest(presentation, values["challenge"], values["domain"])


def verify(request: PresentationRequest) -> PresentationResult:
    """Verify with this instance's resolvers; a challenge is claimed once, for every worker."""
    return verify_presentation(
        request.presentation,
        verification_context(),
        challenge=request.challenge,
        domain=request.domain,
        replay_guard=CacheReplayGuard(),
    )


def presentation_in(value: Any) -> Mapping[str, Any] | None:
    """The presentation in what the verify page was given (a bare one, or a VC-API body's
    ``verifiablePresentation``), or None when it is not a presentation."""
    if isinstance(value, Mapping) and isinstance(value.get("verifiablePresentation"), Mapping):
        return value["verifiablePresentation"]  # type: ignore[no-any-return]
    if isinstance(value, Mapping):
        types = value.get("type")
        listed = types if isinstance(types, list) else [types]
        if VERIFIABLE_PRESENTATION in listed:
            return value
    return None


@dataclass(frozen=True)
class PresentationReport:
    """A presentation result arranged for the page: its checks, and each credential's report."""

    result: PresentationResult
    checks: list[Any]
    #: ``(id prefix, credential report)`` of each credential inside, in order.
    credentials: list[tuple[str, Any]]
    #: What the verifier did not give, so could not be checked ("challenge", "domain").
    not_given: list[str]

    @property
    def verified(self) -> bool:
        return self.result.verified

    @property
    def outcome(self) -> str:
        return self.result.outcome.value


PRESENTATION_CHECK_TITLES = {
    "format": "Format",
    "proof": "Holder's signature",
    "challenge": "Challenge",
    "domain": "Domain",
    "holder": "Holder is the subject",
    "credentials": "Credentials inside",
}


class PresentationCheckView(CheckView):
    @property
    def title(self) -> str:
        return PRESENTATION_CHECK_TITLES.get(self.check.code, self.check.code)


def report(result: PresentationResult, request: PresentationRequest) -> PresentationReport:
    """The page's view of ``result``; each credential inside through the credential report."""
    checks = [
        PresentationCheckView(
            check, *(UNCHECKED_WORDS if check.unchecked else STATUS_WORDS[check.status])
        )
        for check in result.checks
    ]
    not_given = [
        name
        for name, value in (("challenge", request.challenge), ("domain", request.domain))
        if value is None
    ]
    return PresentationReport(
        result,
        checks,
        [(f"cred-{n}-", credential_report(r)) for n, r in enumerate(result.credentials, 1)],
        not_given,
    )
