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
    PresentationResult,
    verify_presentation,
)
from microcred_web.verification.services import InputError, parse_json, verification_context

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
