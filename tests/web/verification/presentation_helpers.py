"""Presentations for the web tests: a did:key holder presenting credentials issued to it."""

from __future__ import annotations

import json
from typing import Any

from microcred.credentials import did_key
from microcred.credentials.data_integrity import add_proof
from microcred.credentials.keys import KeyPair
from microcred.credentials.presentation import build_presentation
from tests.core.verify.presentations import Holder
from tests.web.verification.conftest import ISSUED, did_key_credential

CHALLENGE = "4a3b2c1d-web-challenge"
DOMAIN = "verifier.example.org"


def credential_for(holder: Holder, seed: int = 7) -> dict[str, Any]:
    """The conftest's did:key credential, re-issued with ``holder`` as its subject."""
    signed = did_key_credential(seed)
    signed.pop("proof")
    signed["credentialSubject"]["id"] = holder.did
    key = KeyPair.from_seed(bytes([seed]) * 32)
    return add_proof(signed, key, did_key.verification_method_id(key.public), created=ISSUED)


def presentation(
    holder: Holder, credentials: list[dict[str, Any]], **options: Any
) -> dict[str, Any]:
    options.setdefault("challenge", CHALLENGE)
    options.setdefault("domain", DOMAIN)
    return build_presentation(credentials, holder.did, holder.key, holder.method, **options)


def body(vp: Any, challenge: str | None = CHALLENGE, domain: str | None = DOMAIN) -> str:
    options = {k: v for k, v in {"challenge": challenge, "domain": domain}.items() if v}
    return json.dumps({"verifiablePresentation": vp, "options": options})
