"""Builders for the presentation tests: a did:key holder and credentials issued to it."""

from __future__ import annotations

from typing import Any

from microcred.credentials import did_key
from microcred.credentials.keys import KeyPair
from microcred.credentials.presentation import build_presentation
from tests.core.verify.conftest import Issuer, credential, seeded

CHALLENGE = "c0ffee-4d2e-4b7a-9f00-challenge"
DOMAIN = "verifier.example.org"
CREATED = "2026-03-01T11:59:00Z"


class Holder:
    """A learner's did:key holder key."""

    def __init__(self, n: int = 7) -> None:
        self.key: KeyPair = seeded(n)
        self.did = did_key.did_for(self.key.public)
        self.method = did_key.verification_method_id(self.key.public)

    def present(self, credentials: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
        options.setdefault("challenge", CHALLENGE)
        options.setdefault("domain", DOMAIN)
        options.setdefault("created", CREATED)
        return build_presentation(credentials, self.did, self.key, self.method, **options)


def issued_to(issuer: Issuer, subject: str, **overrides: Any) -> dict[str, Any]:
    """A credential of ``issuer`` whose subject is ``subject`` (signed)."""
    document = credential(issuer.did, **overrides)
    document["credentialSubject"]["id"] = subject
    return issuer.sign(document)
